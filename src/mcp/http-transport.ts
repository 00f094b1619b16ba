// The gateway's connection to an upstream MCP server over Streamable HTTP, as an MCP SDK Transport
// under the SDK's `Client` (which still does the handshake, request ids, timeouts, cancellation and
// result validation). It POSTs each message over a keep-alive `node:http` agent and reads the answer,
// JSON or an SSE stream, as it arrives.
//
// Why not the SDK's StreamableHTTPClientTransport: for every call it builds a WHATWG Request and
// Response and parses an SSE answer through a TextDecoderStream and an EventSourceParserStream. With
// server-everything answering in SSE, that was ~600 µs of CPU per call more than this (in-process,
// against a local upstream), which is most of what the gateway added on top of its guard.
//
// What it leaves out, as the gateway does not use it: the standalone GET stream for messages an
// upstream sends outside any call, resuming a broken SSE stream from its last event id, and OAuth
// (an upstream's credentials are its URL's, or its own network's).
import http from 'node:http';
import https from 'node:https';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, noDelay: true }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, noDelay: true }),
};

/** The SDK's message schema (passed in: the SDK is loaded lazily, see sdk.ts). */
interface MessageSchema {
  parse(value: unknown): unknown;
}

/** An HTTP failure, worded as the SDK's transport words it. */
export class StreamableHttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Streamable HTTP error: ${message}`);
  }
}

export class UpstreamHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;

  private protocolVersion?: string;
  private closed = false;
  private readonly open = new Set<http.ClientRequest>();

  constructor(
    private readonly url: URL,
    private readonly schema: MessageSchema,
  ) {}

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    try {
      if (this.closed) throw new Error('Not connected');
      const res = await this.post(JSON.stringify(message));
      const session = res.headers['mcp-session-id'];
      if (typeof session === 'string') this.sessionId = session;
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        const text = await readAll(res).catch(() => '');
        throw new StreamableHttpError(status, `Error POSTing to endpoint: ${text || res.statusMessage}`);
      }
      const request = 'method' in message && 'id' in message;
      if (status === 202 || !request) {
        res.resume();
        return;
      }
      const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type === 'text/event-stream') {
        this.readEvents(res);
        return;
      }
      if (type === 'application/json') {
        const data: unknown = JSON.parse(await readAll(res));
        for (const m of Array.isArray(data) ? data : [data]) this.onmessage?.(this.schema.parse(m) as JSONRPCMessage);
        return;
      }
      res.resume();
      throw new StreamableHttpError(-1, `Unexpected content type: ${res.headers['content-type']}`);
    } catch (err) {
      this.onerror?.(err as Error);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const req of this.open) req.destroy();
    this.open.clear();
    this.onclose?.();
  }

  private post(body: string): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    const lib = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(this.url, {
        method: 'POST',
        headers,
        agent: agents[this.url.protocol as 'http:' | 'https:'],
      });
      this.open.add(req);
      req.on('response', (res) => {
        res.on('close', () => this.open.delete(req));
        resolve(res);
      });
      req.on('error', (err) => {
        this.open.delete(req);
        reject(err);
      });
      req.end(body);
    });
  }

  /** An SSE answer: each `message` event's data is a JSON-RPC message, delivered as it arrives. */
  private readEvents(res: http.IncomingMessage): void {
    res.setEncoding('utf8');
    let buffer = '';
    const dispatch = (block: string) => {
      let event = '';
      const data: string[] = [];
      for (const line of block.split(/\r\n|\r|\n/)) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
      }
      // Priming and keep-alive events carry no data.
      const text = data.join('\n');
      if (text === '' || (event !== '' && event !== 'message')) return;
      try {
        this.onmessage?.(this.schema.parse(JSON.parse(text)) as JSONRPCMessage);
      } catch (err) {
        this.onerror?.(err as Error);
      }
    };
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = eventEnd(buffer); end; end = eventEnd(buffer)) {
        dispatch(buffer.slice(0, end.at));
        buffer = buffer.slice(end.at + end.length);
      }
    });
    res.on('end', () => {
      if (buffer.trim() !== '') dispatch(buffer);
    });
    res.on('error', (err) => this.onerror?.(new Error(`SSE stream disconnected: ${err}`)));
  }
}

/** Where the first event in `text` ends (a blank line), and how long the separator is. */
function eventEnd(text: string): { at: number; length: number } | undefined {
  const m = /\r\n\r\n|\n\n|\r\r/.exec(text);
  return m ? { at: m.index, length: m[0].length } : undefined;
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}
