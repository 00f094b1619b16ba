// A provider whose answer a test scripts per upstream model id; every other model is proxied to the
// ordinary fake upstream (test/llm/upstream.ts). Used by test/security/llm-gateway.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Script = (req: http.IncomingMessage, body: Record<string, unknown>, res: http.ServerResponse) => Promise<void> | void;

export interface Scripted {
  url: string;
  scripts: Map<string, Script>;
  received: Array<{ path: string; raw: string; body: Record<string, unknown>; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startScripted(fallback: string): Promise<Scripted> {
  const scripts = new Map<string, Script>();
  const received: Scripted['received'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {}
      received.push({ path: req.url ?? '', raw: raw.toString('utf8'), body, headers: req.headers });
      const script = scripts.get(String(body.model ?? ''));
      if (script) {
        void Promise.resolve(script(req, body, res)).catch(() => res.destroy());
        return;
      }
      const f = new URL(fallback);
      const out = http.request(
        { host: f.hostname, port: f.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      res.on('close', () => out.destroy());
      out.on('error', () => res.destroy());
      out.end(raw);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    scripts,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes one SSE event. */
export function sse(res: http.ServerResponse, data: unknown, event?: string) {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}
