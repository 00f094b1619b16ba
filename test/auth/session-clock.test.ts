// Sign-in sessions end by the database's clock, whichever node is asked, as approvals expire: a node
// whose clock ran behind the others' (by 10 minutes here) still took a session every other node held
// as over, for as long as its clock was off, and a node whose clock ran ahead gave the sessions it
// made that much more time. Real server processes on PostgreSQL, a real OpenID Provider.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessions } from '../../src/auth/console-sessions.js';
import { hashToken } from '../../src/auth/tokens.js';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { databaseNow } from '../../src/db/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { consoleClient, type Idp, startIdp, walkIdp } from '../support/oidc.js';
import { call, cli, type Served, serve, stop } from '../support/process.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const SKEWED = pathToFileURL(path.resolve(import.meta.dirname, '../support/skewed-clock.mjs')).href;
const ADMIN = 'fat_session-clock-admin';
// The address in redirect URIs; requests go to each process's own address.
const PUBLIC = 'http://127.0.0.1:4197';
const skewed = (ms: number) => ({ NODE_OPTIONS: `--import ${SKEWED}`, FULCRUM_TEST_CLOCK_SKEW_MS: String(ms) });

describe.skipIf(!process.env.FULCRUM_TEST_DATABASE_URL)('sign-in sessions across nodes whose clocks differ', () => {
  let db: TestDatabase;
  let handle: DatabaseHandle;
  let idp: Idp;
  let right: Served;
  let behind: Served;
  let ahead: Served;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    handle = db.open();
    idp = await startIdp([consoleClient(PUBLIC)], { emailInIdToken: true });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: db.dir,
      FULCRUM_ADMIN_TOKEN: ADMIN,
      FULCRUM_LOG_LEVEL: 'warn',
      FULCRUM_DATABASE_URL: db.url,
      FULCRUM_PUBLIC_URL: PUBLIC,
      FULCRUM_OIDC_ISSUER: idp.issuer,
      FULCRUM_OIDC_CLIENT_ID: 'fulcrum',
      FULCRUM_OIDC_CLIENT_SECRET: 'fulcrum-secret',
      FULCRUM_SESSION_HOURS: '1',
    };
    // Ahead by less than the minute of skew an ID token's iat is allowed, so it still signs people in.
    [right, behind, ahead] = await Promise.all([
      serve(env),
      serve({ ...env, ...skewed(-10 * 60_000) }),
      serve({ ...env, ...skewed(50_000) }),
    ]);
    const applied = await cli({ ...env, FULCRUM_URL: right.url, FULCRUM_TOKEN: ADMIN }, 'apply', '-f', MINI);
    expect(applied.code, applied.stderr).toBe(0);
    const put = await call(right.url, ADMIN, 'PUT', '/v1/people/kim', {
      spec: { displayName: 'Kim', email: 'kim@acme.example', roles: ['viewer'] },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([stop(right), stop(behind), stop(ahead)]);
    await handle?.destroy();
    await idp?.stop();
    await db?.drop();
  });

  const whoami = (node: Served, token: string) => call(node.url, token, 'GET', '/v1/whoami');

  it('is not taken by the node whose clock is behind once it is over', async () => {
    const sessions = createConsoleSessions({ db: handle.db, ttlSeconds: 3600, issuer: idp.issuer });
    const { token } = (await sessions.create('kim', 'kim@acme.example', 'cli')) as { token: string };
    // Over in two seconds, by the database's clock.
    const end = new Date((await databaseNow(handle.db)).getTime() + 2_000).toISOString();
    await handle.db.updateTable('console_sessions').set({ expires_at: end }).where('token_hash', '=', hashToken(token)).execute();
    expect((await whoami(behind, token)).status).toBe(200);
    await until(async () => (await whoami(right, token)).status === 401, 'the session to end on the node whose clock is right');
    const late = await whoami(behind, token);
    expect(late.status, JSON.stringify(late.json)).toBe(401);
  });

  it('gives a session made by the node whose clock is ahead its length by the database clock', async () => {
    const login = await fetch(`${ahead.url}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const loginCookie = (login.headers.get('set-cookie') as string).split(';')[0] as string;
    const back = new URL(
      (await walkIdp(login.headers.get('location') as string, 'kim@acme.example', `${PUBLIC}/auth/callback`)).url,
    );
    const callback = await fetch(`${ahead.url}${back.pathname}${back.search}`, {
      redirect: 'manual',
      headers: { cookie: loginCookie },
    });
    expect(callback.status, await callback.text()).toBe(302);
    const cookie = (callback.headers.getSetCookie().find((c) => c.startsWith('fulcrum_session=fss_')) as string).split(
      ';',
    )[0] as string;
    const now = (await databaseNow(handle.db)).getTime();
    const session = await (await fetch(`${right.url}/auth/session`, { headers: { cookie } })).json();
    const ends = Date.parse(session.session.expiresAt);
    // An hour from now by the database's clock (a few seconds for the requests), not 50 s more.
    expect(ends - now).toBeLessThanOrEqual(3_600_000 + 5_000);
    expect(ends - now).toBeGreaterThan(3_600_000 - 30_000);
  });
});
