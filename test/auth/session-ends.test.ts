// When a sign-in session (the console's cookie, `fulcrum login`'s bearer) is over, and that it stays
// over. Found by review, each failing before its fix:
// - a session "ended" by deleting its Person, or by moving the Person's email, was only suspended: it
//   worked again (with the new descriptor's roles) once the Person was registered again or the email
//   moved back;
// - a look-alike address signed in as another Person: `toLowerCase()` folds the Kelvin sign (U+212A)
//   into `k`, so `\u212Aate@acme.example`, an address of its own at the IdP, was kate@acme.example;
// - sessions kept working on a node without single sign-on, and would have after a move to another
//   IdP (an operator's answer to an IdP compromise).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentitySettings } from '../../src/auth/identity-config.js';
import { hashToken } from '../../src/auth/tokens.js';
import { readBundle } from '../support/files.js';
import { consoleClient, consoleSignIn, type Idp, ssoSettings, startIdp } from '../support/oidc.js';
import { startNode, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4198';
const CALLBACK = `${PUBLIC}/auth/callback`;

describe('sign-in sessions that are over', () => {
  let idp: Idp;
  let t: TestServer;
  let settings: IdentitySettings;

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    settings = ssoSettings(idp, PUBLIC);
    t = await startTestServer('sqlite', { identity: settings });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  /** Signs in through the console's flow at the IdP as `email`: the session cookie ("name=value") if one was made. */
  async function signIn(email: string): Promise<{ cookie: string | undefined; status: number }> {
    const { status, token } = await consoleSignIn(t, email, CALLBACK);
    return { cookie: token && `fulcrum_session=${token}`, status };
  }
  const whoami = (server: { inject: TestServer['server']['inject'] }, cookie: string) =>
    server.inject({ method: 'GET', url: '/v1/whoami', headers: { cookie } });
  const person = (name: string, email: string, roles: string[] = []) =>
    t.request({ method: 'PUT', url: `/v1/people/${name}`, payload: { spec: { displayName: name, email, roles } } });

  it('stays over when the deleted Person is registered again', async () => {
    expect((await person('kim', 'kim@acme.example', ['viewer'])).statusCode).toBe(201);
    const { cookie } = await signIn('kim@acme.example');
    expect((await whoami(t.server, cookie as string)).statusCode).toBe(200);
    expect((await t.request({ method: 'DELETE', url: '/v1/people/kim' })).statusCode).toBe(204);
    expect((await whoami(t.server, cookie as string)).statusCode).toBe(401);
    // A re-hire, or a Git bundle that still lists her re-applied: now an approver.
    expect((await person('kim', 'kim@acme.example', ['approver'])).statusCode).toBe(201);
    const after = await whoami(t.server, cookie as string);
    expect(after.statusCode, after.body).toBe(401);
    // Signing in again gives a session with the new roles.
    const again = await signIn('kim@acme.example');
    expect((await whoami(t.server, again.cookie as string)).json()).toMatchObject({ id: 'kim', roles: ['approver'] });
  });

  it('stays over when the moved email moves back, and survives a change that keeps the email', async () => {
    expect((await person('lou', 'lou@acme.example')).statusCode).toBe(201);
    const first = await signIn('lou@acme.example');
    expect((await whoami(t.server, first.cookie as string)).statusCode).toBe(200);
    // Roles change, the email stays (case aside): the session goes on.
    expect((await person('lou', 'Lou@Acme.example', ['viewer'])).statusCode).toBe(200);
    expect((await whoami(t.server, first.cookie as string)).json()).toMatchObject({ id: 'lou', roles: ['viewer'] });
    expect((await person('lou', 'lou.new@acme.example', ['viewer'])).statusCode).toBe(200);
    expect((await whoami(t.server, first.cookie as string)).statusCode).toBe(401);
    expect((await person('lou', 'lou@acme.example', ['viewer'])).statusCode).toBe(200);
    const after = await whoami(t.server, first.cookie as string);
    expect(after.statusCode, after.body).toBe(401);
  });

  it('does not take a look-alike address for a Person’s email', async () => {
    expect('\u212Aate@acme.example'.toLowerCase()).toBe('kate@acme.example');
    expect((await person('kate', 'kate@acme.example', ['approver'])).statusCode).toBe(201);
    const lookAlike = await signIn('\u212Aate@acme.example');
    expect(lookAlike).toEqual({ cookie: undefined, status: 403 });
    // Case aside for A–Z, the address is hers.
    const kate = await signIn('KATE@acme.example');
    expect((await whoami(t.server, kate.cookie as string)).json()).toMatchObject({ id: 'kate' });
  });

  it('is not accepted by a node without single sign-on, nor by one signing people in through another IdP', async () => {
    expect((await person('max', 'max@acme.example', ['platform'])).statusCode).toBe(201);
    const { cookie } = await signIn('max@acme.example');
    const bearer = (cookie as string).split('=')[1] as string;
    expect((await whoami(t.server, cookie as string)).statusCode).toBe(200);
    const other = await startIdp([]);
    try {
      for (const identity of [
        { sessionSeconds: 3600, jwksCooldownMs: 0 },
        { ...settings, oidc: { ...(settings.oidc as NonNullable<IdentitySettings['oidc']>), issuer: other.issuer } },
      ]) {
        // The same database, another node with these settings.
        const node = await startNode(t.database, { identity });
        try {
          const byCookie = await whoami(node.server, cookie as string);
          const byBearer = await node.server.inject({
            method: 'GET',
            url: '/v1/whoami',
            headers: { authorization: `Bearer ${bearer}` },
          });
          expect([byCookie.statusCode, byBearer.statusCode], `${byCookie.body} / ${byBearer.body}`).toEqual([401, 401]);
        } finally {
          await node.server.close();
          await node.app.close();
        }
      }
    } finally {
      await other.stop();
    }
    // The node that made it still accepts it.
    expect((await whoami(t.server, cookie as string)).statusCode).toBe(200);
  });

  it('ends by the session length in force: one made under a longer FULCRUM_SESSION_HOURS ends when it has lasted the shorter one', async () => {
    expect((await person('noa', 'noa@acme.example', ['viewer'])).statusCode).toBe(201);
    const made = async (agoMs: number) => {
      const { cookie } = await signIn('noa@acme.example');
      const token = (cookie as string).split('=')[1] as string;
      // As a node with FULCRUM_SESSION_HOURS=720 made it `agoMs` ago; this node's setting is 1 hour.
      const at = Date.now() - agoMs;
      await t.app.database.db
        .updateTable('console_sessions')
        .set({ created_at: new Date(at).toISOString(), expires_at: new Date(at + 720 * 3_600_000).toISOString() })
        .where('token_hash', '=', hashToken(token))
        .execute();
      return { cookie: cookie as string, at };
    };
    // Two hours old: over, though it was given 30 days (the operator shortened sessions since).
    const old = await made(2 * 3_600_000);
    expect((await whoami(t.server, old.cookie)).statusCode).toBe(401);
    // Half an hour old: it goes on, and says it ends an hour after it began.
    const young = await made(30 * 60_000);
    expect((await whoami(t.server, young.cookie)).statusCode).toBe(200);
    const session = await t.request({ method: 'GET', url: '/auth/session', token: null, headers: { cookie: young.cookie } });
    expect(session.json().session?.expiresAt).toBe(new Date(young.at + 3_600_000).toISOString());
  });
});
