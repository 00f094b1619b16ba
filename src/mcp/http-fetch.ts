// A `fetch` for the SDK's Streamable HTTP client transport on node:http with a keep-alive agent.
// Measured in bench/mcp: the global fetch (undici's WHATWG layer: Request objects, abort-signal
// wiring, header validation) cost more CPU per upstream call than the rest of the gateway. The SDK
// still parses the body (JSON or SSE) from the Response this returns, streamed as it arrives.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, noDelay: true }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, noDelay: true }),
};

export const nodeFetch: FetchLike = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = typeof input === 'string' ? new URL(input) : input;
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const req = lib.request(
      url,
      {
        method: init.method ?? 'GET',
        headers,
        agent: agents[url.protocol as 'http:' | 'https:'],
        signal: init.signal ?? undefined,
      },
      (res) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const one of v) h.append(k, one);
          else if (v !== undefined) h.set(k, v);
        }
        const status = res.statusCode ?? 502;
        // 204/304 and HEAD carry no body; a Response refuses one.
        const empty = status === 204 || status === 304 || init.method === 'HEAD';
        if (empty) res.resume();
        resolve(
          new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status,
            statusText: res.statusMessage ?? '',
            headers: h,
          }),
        );
      },
    );
    req.on('error', reject);
    if (init.body === undefined || init.body === null) req.end();
    else req.end(typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer));
  });
