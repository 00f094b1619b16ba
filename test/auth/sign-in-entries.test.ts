// A sign-in's session and a sign-out's end of it commit with their audit entries (auth.signed-in,
// auth.signed-out), or not at all. Made first and recorded after, an entry that failed (here: the
// database refusing that kind of entry) left a session working that the log never saw start, or one
// ended unrecorded.
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { clearAuditFault, entriesOf, failAuditKind } from '../support/audit-fault.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { consoleClient, consoleSignIn, type Idp, ssoSettings, startIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4197';
const CALLBACK = `${PUBLIC}/auth/callback`;

describe.each(ENGINES)('a sign-in or sign-out whose audit entry cannot be written (%s)', (engine) => {
  let idp: Idp;
  let t: TestServer;
  let db: Kysely<Database>;

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    t = await startTestServer(engine, { identity: ssoSettings(idp, PUBLIC) });
    db = t.app.database.db;
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    const put = await t.request({
      method: 'PUT',
      url: '/v1/people/kim',
      payload: { spec: { displayName: 'Kim', email: 'kim@acme.example', roles: ['viewer'] } },
    });
    expect(put.statusCode, put.body).toBe(201);
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  /** Signs in through the console's flow at the IdP: the callback's status and the session's secret, if one was made. */
  const signIn = () => consoleSignIn(t, 'kim@acme.example', CALLBACK);
  const sessions = async () =>
    Number(
      (
        await db
          .selectFrom('console_sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const whoami = (token: string) => t.request({ method: 'GET', url: '/v1/whoami', token });
  const logout = (token: string) => t.request({ method: 'POST', url: '/auth/logout', token });

  it('makes no session, then one when signing in again', async () => {
    await failAuditKind(db, engine, 'auth.signed-in');
    const refused = await signIn();
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(refused.token).toBeUndefined();
    expect(await sessions()).toBe(0);
    await clearAuditFault(db, engine);
    const made = await signIn();
    expect(made.status).toBeLessThan(400);
    expect((await whoami(made.token as string)).statusCode).toBe(200);
    expect(await sessions()).toBe(1);
    expect(await entriesOf(db, 'auth.signed-in')).toBe(1);
  });

  it('ends no session, then ends it once when signing out again', async () => {
    const { token } = await signIn();
    await failAuditKind(db, engine, 'auth.signed-out');
    const refused = await logout(token as string);
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await whoami(token as string)).statusCode).toBe(200);
    await clearAuditFault(db, engine);
    expect((await logout(token as string)).statusCode).toBe(204);
    expect((await whoami(token as string)).statusCode).toBe(401);
    expect(await entriesOf(db, 'auth.signed-out')).toBe(1);
    const verified = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
  });
});
