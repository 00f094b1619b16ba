// Keeps an upstream's progress reports ahead of the answer they belong to.
//
// The SDK's `Protocol` runs a notification's handler one microtask after the message arrives, but
// settles a response at once, and with it forgets the request's progress handler. A report that
// arrives together with its request's answer (one read from a stdio pipe, one chunk of an SSE
// stream: usually the last report, sent just before the result) then finds no request and is
// dropped. Under the SDK's Client, this transport hands responses on one microtask later, after the
// handlers of the messages that came before them. The 2026-07-28 SDK's client (`@modelcontextprotocol/
// client`) does the same, so it runs over this transport too.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

export class InOrderTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

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
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}
