// The CLI's bounded fetch (src/cli/fetch.ts) against answers written byte for byte: what Node's fetch
// accepted, the node:http client it is made on must hand over as fetch did.

import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedFetch } from '../../src/cli/fetch.js';

/** A server writing `answers[path]` as it is, whatever was asked. */
describe('the CLI bounded fetch and what a server writes', () => {
  const answers: Record<string, Buffer> = {
    // A reason phrase is only words for people; a proxy's may hold a byte a Response refuses (DEL).
    '/del-in-reason': Buffer.from(
      'HTTP/1.1 200 O\x7fK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}',
      'latin1',
    ),
    '/utf8-reason': Buffer.from('HTTP/1.1 404 Não encontrado\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}', 'utf8'),
  };
  let server: net.Server;
  let url: string;
  beforeAll(async () => {
    server = net.createServer((socket) =>
      socket.once('data', (d) => socket.end(answers[d.toString('latin1').split(' ')[1] ?? ''] ?? 'HTTP/1.1 500 X\r\n\r\n')),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('hands over an answer whose reason phrase a Response would refuse, without the bytes it refuses', async () => {
    const res = await boundedFetch(url, 5000)(new Request(`${url}/del-in-reason`));
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('OK');
    expect(await res.json()).toEqual({});
    const notFound = await boundedFetch(url, 5000)(new Request(`${url}/utf8-reason`));
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toBe('{}');
  });

  it('sends a request again on a new connection when the one kept alive was closed by the server as it was reused', async () => {
    // A server (or a proxy) that closes each connection after one answer without saying so (no
    // `connection: close`): the next request goes out on the closed connection and is reset. fetch
    // sent it again; the node:http client failed every second request (ECONNRESET).
    const seen: string[] = [];
    const oneShot = net.createServer((socket) =>
      socket.once('data', (d) => {
        seen.push(d.toString('latin1').split(' ', 1)[0] ?? '');
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
      }),
    );
    await new Promise<void>((r) => oneShot.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(oneShot.address() as AddressInfo).port}`;
    try {
      const f = boundedFetch(at, 5000);
      for (let i = 0; i < 10; i++) {
        for (const init of [{ method: 'GET' }, { method: 'POST', body: '{"n":1}' }]) {
          const res = await f(new Request(`${at}/v1/x`, init));
          expect(await res.json()).toEqual({});
        }
      }
      expect(seen).toHaveLength(20);
    } finally {
      oneShot.close();
    }
  });
});
