// The agent SDK against whatever answers at Fulcrum's address (a proxy, a man in the middle on plain
// http): a redirect to another host, an endless answer, one that drips, one that is not a decision.
// Each is "Fulcrum unreachable" (deny unless failOpen), in bounded time and bytes, never an allow, and
// neither the key nor the call's arguments go to the other host.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuard, FulcrumDenied } from '../../src/sdk/index.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

describe('the agent SDK against a hostile server', () => {
  const servers: http.Server[] = [];
  const start = async (handler: Handler, host = '127.0.0.1') => {
    const requests: Array<{ url?: string; authorization?: string }> = [];
    const server = http.createServer((req, res) => {
      requests.push({ url: req.url, authorization: req.headers.authorization });
      handler(req, res);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, host, r));
    return { url: `http://${host}:${(server.address() as AddressInfo).port}`, requests };
  };
  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });
  const key = 'fak_the-agents-secret-key';

  it('refuses at once a URL it could not use, and never quotes a password in a URL', () => {
    expect(() => createGuard({ url: 'http://agent:s3cret@127.0.0.1:4100', key })).toThrow(
      /createGuard: url holds a user name or password/,
    );
    try {
      createGuard({ url: 'http://agent:s3cret@127.0.0.1:4100', key });
    } catch (err) {
      expect(String(err)).not.toContain('s3cret');
    }
    expect(() => createGuard({ url: 'fulcrum:4100', key })).toThrow(/url must be http: or https:, not fulcrum:/);
    expect(() => createGuard({ url: '127.0.0.1:4100', key })).toThrow(/is not an absolute URL/);
    expect(() => createGuard({ url: 'http://127.0.0.1:4100/', key })).not.toThrow();
  });

  it('does not follow a redirect: the other host gets neither the key nor the arguments', async () => {
    const other = await start((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"decision":"allow","reasons":[]}'),
    );
    const s = await start((req, res) => res.writeHead(307, { location: `${other.url}${req.url}` }).end());
    const guard = createGuard({ url: s.url, key });
    const d = await guard.check('crm.refund', { card: '4111 1111 1111 1111' });
    expect(d.decision).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ policy: 'fulcrum-unreachable' });
    expect(d.reasons[0]?.message).toContain(`it answered a redirect to ${other.url}/v1/decisions, not followed`);
    await expect(guard.run('crm.refund', {}, () => 'ran')).rejects.toBeInstanceOf(FulcrumDenied);
    expect(other.requests).toEqual([]);
  });

  it('stops reading an endless answer at 4 MiB', async () => {
    let sent = 0;
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const write = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', write);
      };
      write();
    });
    const d = await createGuard({ url: s.url, key, timeoutMs: 30_000 }).check('crm.lookup', {});
    expect(d.decision).toBe('deny');
    expect(d.reasons[0]?.message).toContain('its answer is over 4194304 bytes');
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('denies on an answer that drips past the timeout, or that is no decision, and run throws FulcrumDenied', async () => {
    const timers: NodeJS.Timeout[] = [];
    const drip = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"decision":');
      timers.push(setInterval(() => res.write(' '), 50));
    });
    const html = await start((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome</h1>'));
    const empty = await start((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const says = new Map([
      [drip.url, 'Fulcrum unreachable'],
      [html.url, 'its answer is not JSON'],
      [empty.url, 'its answer is not a decision'],
    ]);
    for (const [url, message] of says) {
      const guard = createGuard({ url, key, timeoutMs: 500 });
      const d = await guard.check('crm.lookup', {});
      expect(d.decision, url).toBe('deny');
      expect(d.reasons[0]?.message).toContain(message);
      await expect(guard.run('crm.lookup', {}, () => 'ran')).rejects.toBeInstanceOf(FulcrumDenied);
    }
    for (const t of timers) clearInterval(t);
  });

  it('keeps waiting for an approval while the answer is no approval, and says pending at the deadline', async () => {
    const s = await start((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Sign in</h1>'));
    const status = await createGuard({ url: s.url, key }).waitForApproval('apr_1', 1500);
    expect(status).toBe('pending');
    expect(s.requests.length).toBeGreaterThan(0);
  });

  it('says a key fetch cannot send is unusable without quoting it, in the decision and in FulcrumDenied', async () => {
    // fetch refuses a header value with a line break and quotes it: the key was in the deny's reason.
    const s = await start((_req, res) => res.writeHead(500).end());
    const secret = 'fak_first-line\nthe-rest-of-the-secret';
    const guard = createGuard({ url: s.url, key: secret });
    const d = await guard.check('crm.lookup', {});
    expect(d).toMatchObject({ decision: 'deny', reasons: [{ policy: 'fulcrum-unreachable' }] });
    expect(d.reasons[0]?.message).toContain('<the key>');
    expect(JSON.stringify(d)).not.toContain('the-rest-of-the-secret');
    const denied = await guard.run('crm.lookup', {}, () => 'never').catch((err: unknown) => err);
    expect(denied).toBeInstanceOf(FulcrumDenied);
    expect(String((denied as Error).message)).not.toContain('the-rest-of-the-secret');
    expect(s.requests).toEqual([]);
  });

  it('asks for an approval at most once a second when the answer comes back at once', async () => {
    // A proxy that does not hold the long poll (or another service) answered `pending` at once, and the
    // SDK asked again without a pause: hundreds of requests a second until the deadline.
    const s = await start((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pending"}'));
    const status = await createGuard({ url: s.url, key }).waitForApproval('apr_1', 2500);
    expect(status).toBe('pending');
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
    expect(s.requests.length).toBeLessThanOrEqual(4);
  });
});
