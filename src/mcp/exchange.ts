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
//
// A client's `notifications/cancelled` names its request by the client's id. It cancels the one
// request in flight that the same credential sent with that id, renumbered (the handler's signal is
// aborted: a call waiting for a person stops waiting), and that request's POST is answered at once;
// a name that fits none, or several (two processes sharing a key both number from 1), cancels none.
// The SDK 1.x client (and those built on it) cancels a request this way when its own timeout ends
// it, leaving the POST open: dropped, the call went on waiting, and once a person approved it spent
// the approval for a client that was no longer listening.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';

type Answer = (message: JSONRPCMessage) => void;

/** The answer to a request its client cancelled (the code LSP gives it; MCP names none, and the client reads none). */
const REQUEST_CANCELLED = -32800;

export class ExchangeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private readonly waiting = new Map<number, { id: RequestId; answer: Answer; notify?: Answer; sent: string }>();
  /** The requests in flight by who sent them and the id they sent (see `sentBy`): their numbers here. */
  private readonly bySender = new Map<string, number[]>();
  private next = 0;

  /** `sentBy(extra)`: which credential sent a message (a client's ids are its own), or undefined. */
  constructor(private readonly sentBy: (extra: MessageExtraInfo) => string | undefined = () => undefined) {}

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
    const w = this.settle(message.id as number);
    w?.answer({ ...message, id: w.id });
  }

  /** Takes request `id` out of those in flight; its entry, or undefined when it was answered (or cancelled) already. */
  private settle(id: number) {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    this.waiting.delete(id);
    const same = this.bySender.get(w.sent)?.filter((n) => n !== id) ?? [];
    if (same.length > 0) this.bySender.set(w.sent, same);
    else this.bySender.delete(w.sent);
    return w;
  }

  /**
   * A client's cancellation of its request `requestId`: the one request of the same sender with that
   * id is answered now (the client has stopped listening for it) and the server is told, by the
   * number it knows, so that the handler's signal is aborted. None, or several, and nothing happens.
   */
  private cancel(m: JSONRPCMessage, extra: MessageExtraInfo): void {
    const requestId = (m as { params?: { requestId?: unknown } }).params?.requestId;
    const by = this.sentBy(extra);
    if (by === undefined || (typeof requestId !== 'string' && typeof requestId !== 'number')) return;
    const matching = this.bySender.get(`${by}\n${JSON.stringify(requestId)}`);
    if (matching?.length !== 1) return;
    const id = matching[0] as number;
    const w = this.settle(id);
    if (!w) return;
    w.answer({ jsonrpc: '2.0', id: w.id, error: { code: REQUEST_CANCELLED, message: 'Request cancelled by the client' } });
    this.onmessage?.(
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'cancelled by the client' } },
      extra,
    );
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
        const by = this.sentBy(extra);
        const sent = by === undefined ? '' : `${by}\n${JSON.stringify(m.id)}`;
        answers.push(new Promise<JSONRPCMessage>((answer) => this.waiting.set(id, { id: m.id, answer, notify, sent })));
        if (by !== undefined) this.bySender.set(sent, [...(this.bySender.get(sent) ?? []), id]);
        this.onmessage?.({ ...m, id }, extra);
      } else if ('method' in m && m.method === 'notifications/cancelled') {
        // Never passed through as it came: its requestId is the client's, and the shared server knows
        // requests only by the renumbered ids, so it would cancel whichever request (any agent's)
        // holds that number. Translated for the sender's own request, or dropped (cancel, above).
        this.cancel(m, extra);
      } else {
        this.onmessage?.(m, extra);
      }
    }
    return Promise.all(answers);
  }
}
