// Keeps an upstream's progress reports ahead of the answer they belong to.
//
// The SDK's `Protocol` runs a notification's handler one microtask after the message arrives, but
// settles a response at once, and with it forgets the request's progress handler. A report that
// arrives together with its request's answer (one read from a stdio pipe, one chunk of an SSE
// stream: usually the last report, sent just before the result) then finds no request and is
// dropped. Under the SDK's Client, this transport hands responses on one microtask later, after the
// handlers of the messages that came before them. The 2026-07-28 SDK's client (`@modelcontextprotocol/
// client`) does the same, so it runs over this transport too.
//
// It also bounds what the client sends back unasked. An upstream may send requests of its own (a
// ping, which the SDK's client answers; anything else, answered "method not found"), each answer a
// POST of its own over HTTP or a write to a stdio server's stdin. Sent all at once, 200,000 pings in
// one call's SSE answer (12 MB) queued 200,000 POSTs behind the 64 sockets of the upstream's agent
// (1.6 GB of Fulcrum's heap), and every later call to that upstream waited behind them until it timed
// out. At most MAX_ANSWERS_IN_FLIGHT answers are on their way at once; a request that arrives while
// they are is left unanswered (as a server's request may be, when the client is busy).
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/** Answers to an upstream's own requests on their way to it at once, at most (see the top of this file). */
export const MAX_ANSWERS_IN_FLIGHT = 8;

export class InOrderTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  /** Answers to the upstream's requests sent and not yet taken (an HTTP POST not answered, a write not drained). */
  private answering = 0;
  /** Whether an answer was left unsent on this connection yet: the log hears of the first only. */
  private leftUnanswered = false;

  constructor(private readonly inner: Transport) {
    inner.onmessage = (message, extra) => {
      if ('id' in message && ('result' in message || 'error' in message)) queueMicrotask(() => this.onmessage?.(message, extra));
      else this.onmessage?.(message, extra);
    };
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => this.onclose?.();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  /** As the inner transport says (the 2026-07-28 client cancels by aborting a request when it is true). */
  get hasPerRequestStream(): boolean | undefined {
    return (this.inner as { hasPerRequestStream?: boolean }).hasPerRequestStream;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('method' in message) return this.inner.send(message, options);
    // An answer to a request the upstream sent (the client sends no other response).
    if (this.answering >= MAX_ANSWERS_IN_FLIGHT) {
      if (!this.leftUnanswered) {
        this.leftUnanswered = true;
        this.onerror?.(
          new Error(
            `the upstream sent requests faster than they were answered: past ${MAX_ANSWERS_IN_FLIGHT} answers on their way, its requests are left unanswered`,
          ),
        );
      }
      return Promise.resolve();
    }
    this.answering++;
    return this.inner.send(message, options).finally(() => {
      this.answering--;
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}
