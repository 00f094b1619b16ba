// Unauthenticated traffic cannot write or exhaust: failed credential attempts are limited per client
// address (429 with Retry-After), unknown keys fold into one shadow row per address and key type,
// and the shadow list is paged. (Before: 5,000 random fk_ keys wrote 5,000 rows in 3.2 s.)
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createShadowStore } from '../../src/guard/shadow-store.js';
import { createFailureLimiter } from '../../src/http/rate-limit.js';
import { clientKey } from '../../src/net/addresses.js';
import { createTestDatabase, ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('the failure limiter', () => {
  it('limits an address past its budget until its window ends, and forgets the oldest past capacity', () => {
    let now = 0;
    const l = createFailureLimiter({ max: 3, windowMs: 60_000, capacity: 2 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('a')).toBe(0);
      l.fail('a');
    }
    expect(l.retryAfter('a')).toBe(60);
    now = 59_001;
    expect(l.retryAfter('a')).toBe(1);
    now = 60_000;
    expect(l.retryAfter('a')).toBe(0);
    l.fail('b');
    l.fail('c');
    l.fail('d');
    expect(l.size()).toBe(2);
  });
});

describe('FULCRUM_TRUST_PROXY', () => {
  const trusted = (value: string) => loadConfig({ FULCRUM_DATA_DIR: '/nonexistent', FULCRUM_TRUST_PROXY: value }).trustProxy;

  it('takes addresses, CIDRs and the named ranges, and nothing else', () => {
    expect(trusted('10.0.0.5, 10.1.0.0/16,fd00::/8 ,loopback')).toBe('10.0.0.5,10.1.0.0/16,fd00::/8,loopback');
    // Express's hop count trusted the proxy at 0.0.0.1 (an IPv4 address written as one number), so
    // every client shared the balancer's address; `true` stopped the start with "invalid IP address:
    // true", naming no setting. Neither means every proxy.
    for (const value of ['1', 'true', '0x0a000001', '10.0.0.0/33', '10.0.0.5:443', 'lb.internal'])
      expect(() => trusted(value), value).toThrow(
        `FULCRUM_TRUST_PROXY: "${value.split(',')[0]}" is not a proxy's address, CIDR or loopback, linklocal, uniquelocal`,
      );
  });
});

describe('the key a client address is counted under', () => {
  it('is an IPv4 address itself and an IPv6 address its /64, in every spelling', () => {
    const keys: Record<string, string> = {
      '192.0.2.7': '192.0.2.7',
      '::ffff:192.0.2.7': '192.0.2.7',
      '::FFFF:c000:0207': '192.0.2.7',
      '2001:db8::1': '2001:db8:0:0::/64',
      '2001:0DB8:0000:0000:ffff:1:2:3': '2001:db8:0:0::/64',
      '2001:db8:aa:bb:cc::': '2001:db8:aa:bb::/64',
      'fe80::1%eth0': 'fe80:0:0:0::/64',
      '::1': '0:0:0:0::/64',
      '::': '0:0:0:0::/64',
      '2001:db8:1:2:3:4:192.0.2.1': '2001:db8:1:2::/64',
      // IPv4 clients seen through a translator are their IPv4 addresses, not one shared key.
      '::ffff:0:192.0.2.7': '192.0.2.7',
      '::192.0.2.7': '192.0.2.7',
      '64:ff9b::192.0.2.7': '192.0.2.7',
      '64:ff9b:1::c000:207': '192.0.2.7',
      '2002:c000:0207:1::5': '192.0.2.7',
      // A port a proxy appended is not part of the client.
      '[2001:db8:1:2::9]:443': '2001:db8:1:2::/64',
      '192.0.2.7:51234': '192.0.2.7',
      'not-an-address': 'not-an-address',
    };
    for (const [address, key] of Object.entries(keys)) expect(clientKey(address), address).toBe(key);
  });
});

describe('shadow sightings that cannot be written', () => {
  it('count and report each failed batch once, and the next batch still runs', async () => {
    const database = await createTestDatabase('sqlite');
    const handle = database.open(); // never migrated: there is no shadow_agents table to write to
    const reported: unknown[] = [];
    const store = createShadowStore(handle.db, { flushMs: 60_000, onError: (err) => reported.push(err) });
    store.record('key:fk_@192.0.2.1', 'unknown-key', 'test');
    await expect(store.flush()).rejects.toThrow(/shadow_agents/);
    store.record('key:fk_@192.0.2.2', 'unknown-key', 'test');
    await expect(store.flush()).rejects.toThrow(/shadow_agents/);
    expect(store.failedBatches()).toBe(2);
    expect(reported).toHaveLength(2);
    await expect(store.flush()).resolves.toBeUndefined(); // nothing pending: nothing to fail
    await store.close();
    await handle.destroy();
    await database.drop();
  });
});

describe.each(ENGINES)('unauthenticated traffic on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const decide = (token: string, remoteAddress = '127.0.0.1') =>
    t.server.inject({
      method: 'POST',
      url: '/v1/decisions',
      remoteAddress,
      headers: { authorization: `Bearer ${token}` },
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'C-1' } },
    });
  const randomKey = () => `fk_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const shadowRows = async () =>
    (await t.app.database.db.selectFrom('shadow_agents').select(['identity', 'count']).execute()).map((r) => ({
      identity: r.identity,
      count: Number(r.count),
    }));

  beforeAll(async () => {
    t = await startTestServer(engine, { authFailuresPerMinute: 50 });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After once an address has used its failures, and writes one row for it', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 500; i++) answers.push((await decide(randomKey(), '10.9.8.7')).statusCode);
    expect(answers.filter((s) => s === 401)).toHaveLength(50);
    expect(answers.filter((s) => s === 429)).toHaveLength(450);
    const limited = await decide(randomKey(), '10.9.8.7');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error).toEqual({
      code: 'rate_limited',
      message: expect.stringMatching(/^too many failed credential attempts from 10\.9\.8\.7; try again in \d+ s$/),
    });
    // Person tokens from that address are limited too; the agent this node knows still decides.
    expect((await t.server.inject({ method: 'GET', url: '/v1/agents', remoteAddress: '10.9.8.7' })).statusCode).toBe(429);
    expect((await decide(key, '10.9.8.7')).json().decision).toBe('allow');
    // A key issued after the limit was reached (the node's key table not yet reloaded) works too.
    const fresh = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    expect((await decide(fresh, '10.9.8.7')).json().decision).toBe('allow');
    // Other addresses are not affected.
    expect((await decide(randomKey(), '10.9.8.8')).statusCode).toBe(401);

    await t.app.guard.flushShadows();
    const rows = await shadowRows();
    expect(rows).toEqual(
      expect.arrayContaining([
        { identity: 'key:fk_@10.9.8.7', count: 50 },
        { identity: 'key:fk_@10.9.8.8', count: 1 },
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it('is not fooled by a forged X-Forwarded-For (no proxy is trusted unless FULCRUM_TRUST_PROXY names it)', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 60; i++)
      answers.push(
        (
          await t.server.inject({
            method: 'GET',
            url: '/v1/agents',
            remoteAddress: '10.7.7.7',
            headers: { authorization: `Bearer ${randomKey()}`, 'x-forwarded-for': `198.51.100.${i}` },
          })
        ).statusCode,
      );
    expect(answers.filter((s) => s === 401)).toHaveLength(50);
    expect(answers.filter((s) => s === 429)).toHaveLength(10);
  });

  it('pages the shadow list with a cursor, and refuses a cursor it did not write', async () => {
    for (let i = 0; i < 5; i++) await decide(randomKey(), `10.1.0.${i}`);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const res = await t.request({ method: 'GET', url: `/v1/shadow-agents?limit=3${after ? `&after=${after}` : ''}` });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: Array<{ identity: string }>; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((s) => s.identity));
      after = page.nextCursor;
    } while (after);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const bad = await t.request({ method: 'GET', url: '/v1/shadow-agents?after=not-a-cursor' });
    expect(bad.statusCode).toBe(400);
  });

  it('counts an IPv6 client by its /64: rotating through its own prefix buys no budget and writes one row', async () => {
    const hex = () => Math.floor(Math.random() * 0x10000).toString(16);
    const answers: number[] = [];
    for (let i = 0; i < 60; i++)
      answers.push((await decide(randomKey(), `2001:db8:1:2:${hex()}:${hex()}:${hex()}:${hex()}`)).statusCode);
    expect(answers.filter((s) => s === 401)).toHaveLength(50);
    expect(answers.filter((s) => s === 429)).toHaveLength(10);
    const limited = await decide(randomKey(), '2001:DB8:1:2::1');
    expect(limited.json().error.message).toMatch(
      /^too many failed credential attempts from 2001:db8:1:2::\/64; try again in \d+ s$/,
    );
    // The next /64 is another client; an IPv4-mapped address is its IPv4 address (limited above).
    expect((await decide(randomKey(), '2001:db8:1:3::1')).statusCode).toBe(401);
    expect((await decide(randomKey(), '::ffff:10.9.8.7')).statusCode).toBe(429);

    await t.app.guard.flushShadows();
    const rows = await shadowRows();
    expect(rows).toEqual(
      expect.arrayContaining([
        { identity: 'key:fk_@2001:db8:1:2::/64', count: 50 },
        { identity: 'key:fk_@2001:db8:1:3::/64', count: 1 },
      ]),
    );
    expect(rows.filter((r) => r.identity.includes('2001:db8'))).toHaveLength(2);
  });

  // Any web page can make a browser send requests with no credential (a cross-site
  // <img src="https://fulcrum/v1/agents">: no Authorization header, and SameSite keeps the session
  // cookie off it). Counted, 30 image tags locked everyone behind the office's address out.
  it('does not count a request that presents no credential, so no other site can lock an address out', async () => {
    const office = '10.6.6.6';
    for (let i = 0; i < 100; i++) {
      const bare = await t.server.inject({ method: 'GET', url: `/v1/agents?i=${i}`, remoteAddress: office });
      expect(bare.statusCode, `request ${i}`).toBe(401);
    }
    expect((await t.server.inject({ method: 'POST', url: '/v1/decisions', remoteAddress: office, payload: {} })).statusCode).toBe(
      401,
    );
    const person = await t.server.inject({
      method: 'GET',
      url: '/v1/whoami',
      remoteAddress: office,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(person.statusCode, person.body).toBe(200);
    // A credential that fails still counts, a malformed header included.
    const answers: number[] = [];
    for (let i = 0; i < 49; i++) answers.push((await decide(randomKey(), office)).statusCode);
    const malformed = { authorization: 'Basic Zm9vOmJhcg==' };
    answers.push(
      (await t.server.inject({ method: 'GET', url: '/v1/agents', remoteAddress: office, headers: malformed })).statusCode,
    );
    answers.push(
      (await t.server.inject({ method: 'GET', url: '/v1/agents', remoteAddress: office, headers: malformed })).statusCode,
    );
    expect(answers).toEqual([...Array(50).fill(401), 429]);
  });
});
