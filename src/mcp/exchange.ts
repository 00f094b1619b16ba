// The node's one MCP SDK server, reached through a transport of Fulcrum's own: each POST to /mcp
// hands its JSON-RPC messages to the server and waits for the answers to its requests.
//
// Why not the SDK's Streamable HTTP server transport: stateless, it is built, connected and closed
// for every POST, and for every message it runs zod parses as type guards that fail (is this an
// initialize request? a response?), which are the expensive kind. Measured in-process on one
// tools/call: ~570 µs through it, ~130 µs through this (bench/mcp's gateway CPU per call fell by
// that). The SDK's `Server` still does all of MCP: request validation, dispatch, capabilities,
// result validation, errors. The HTTP framing it needs in stateless JSON mode is the few checks in
// route.ts.
//
// One server serves every request at once, so request ids are renumbered on the way in (two
// clients both send `id: 1`) and restored on the way out; the caller reaches the handlers as the
// message's `authInfo`.
//
// A notification the server sends about a request (progress, with `relatedRequestId`) goes to that
// request's POST, when the route streams it (an SSE answer); others have nowhere to go.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';

type Answer = (message: JSONRPCMessage) => void;

export class ExchangeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private readonly waiting = new Map<number, { id: RequestId; answer: Answer; notify?: Answer }>();
  private next = 0;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  /** The server's answers, and its notifications about a request (to that request's POST, if it
   *  streams). Anything else it sends (another notification, a request to the client) has no stream
   *  to go to in stateless mode and is dropped, as the SDK's own transport does. */
  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (!('id' in message)) {
      const related = options?.relatedRequestId;
      if (typeof related === 'number' && 'method' in message) this.waiting.get(related)?.notify?.(message);
      return;
    }
    if (!('result' in message || 'error' in message)) return;
    const w = this.waiting.get(message.id as number);
    if (!w) return;
    this.waiting.delete(message.id as number);
    w.answer({ ...message, id: w.id });
  }

  /**
   * Hands one POST's messages to the server; resolves with the answers to its requests, in order.
   * `notify` hears the notifications the server sends about them meanwhile.
   */
  exchange(messages: JSONRPCMessage[], extra: MessageExtraInfo, notify?: Answer): Promise<JSONRPCMessage[]> {
    const answers: Array<Promise<JSONRPCMessage>> = [];
    for (const m of messages) {
      if ('method' in m && 'id' in m) {
        const id = ++this.next;
        answers.push(new Promise<JSONRPCMessage>((answer) => this.waiting.set(id, { id: m.id, answer, notify })));
        this.onmessage?.({ ...m, id }, extra);
      } else if ('method' in m && m.method === 'notifications/cancelled') {
        // Dropped. Its requestId is the client's, and the shared server knows requests only by the
        // renumbered ids: passed through, it would cancel whichever request (any agent's) holds that
        // number, and a cancelled request is never answered, so its POST would hang. Stateless, the
        // gateway has no other request of this client to cancel: a client that gives up closes its POST.
      } else {
        this.onmessage?.(m, extra);
      }
    }
    return Promise.all(answers);
  }
}
