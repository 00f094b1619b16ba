// A person's sign-in sessions listed and ended (/v1/people/<name>/sessions): by the person ("sign out
// everywhere else", one session they do not recognise) and by an admin answering an incident (a lost
// laptop, a device code phished: RFC 8628 §5.4, whoever started the flow holds the session its victim
// approved). Before, nobody could see a session made in their name, nor end one but their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { consoleClient, consoleSignIn, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PUBLIC = 'http://127.0.0.1:4197';
const CALLBACK = `${PUBLIC}/auth/callback`;

describe.each(ENGINES)("a person's sessions, listed and ended (%s)", (engine) => {
  let idp: Idp;
  let t: TestServer;

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    t = await startTestServer(engine, { identity: ssoSettings(idp, PUBLIC) });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readMini() } });
    expect(applied.statusCode, applied.body).toBe(200);
    for (const [name, roles] of [
      ['sam', ['viewer']],
      ['ada', ['admin']],
      ['vi', ['viewer']],
    ] as const) {
      const put = await t.request({
        method: 'PUT',
        url: `/v1/people/${name}`,
        payload: { spec: { displayName: name, email: `${name}@acme.example`, roles } },
      });
      expect(put.statusCode, put.body).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  /** Signs `email` in through the console's flow: the session's secret. */
  async function browser(email: string): Promise<string> {
    const { token, status } = await consoleSignIn(t, email, CALLBACK);
    expect(status).toBe(302);
    return token as string;
  }
  /** Signs `email` in as `fulcrum login` does (the device flow): the session's secret. */
  async function cli(email: string): Promise<string> {
    const start = (await t.request({ method: 'POST', url: '/auth/device', token: null, payload: {} })).json();
    await walkIdp(start.verificationUriComplete, email, 'never');
    const done = await t.request({
      method: 'POST',
      url: '/auth/device/token',
      token: null,
      payload: { deviceCode: start.deviceCode },
    });
    expect(done.statusCode, done.body).toBe(200);
    return done.json().token;
  }
  const as = (token: string, method: 'GET' | 'DELETE', url: string) => t.request({ method, url, token });
  const alive = async (token: string) => (await as(token, 'GET', '/v1/whoami')).statusCode === 200;

  it('shows the person every live session of theirs, never a secret, and lets them end one and then all the others', async () => {
    const here = await browser('sam@acme.example');
    const laptop = await browser('sam@acme.example');
    const terminal = await cli('sam@acme.example');
    const listed = await as(here, 'GET', '/v1/people/sam/sessions');
    expect(listed.statusCode, listed.body).toBe(200);
    const { items, more } = listed.json();
    expect(more).toBe(false);
    expect(items.map((s: { kind: string; current: boolean }) => [s.kind, s.current])).toEqual([
      ['browser', true],
      ['browser', false],
      ['cli', false],
    ]);
    for (const s of items) {
      expect(s.id).toMatch(/^session:[0-9a-f]{12}$/);
      expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.parse(s.createdAt));
    }
    for (const secret of [here, laptop, terminal]) expect(listed.body).not.toContain(secret.slice(4, 20));
    // Each is traced to its sign-in: the entry names it as the list does.
    const me = items[0].id as string;
    const signIns = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-in&limit=100' })).json().items;
    for (const [s, via] of [
      [items[0], 'console'],
      [items[1], 'console'],
      [items[2], 'device'],
    ])
      expect(signIns.filter((e: { detail: { session?: string } }) => e.detail.session === s.id)).toEqual([
        expect.objectContaining({ actor: 'person:sam', detail: expect.objectContaining({ email: 'sam@acme.example', via }) }),
      ]);

    // One they do not recognise: ended, refused from the next request on; the others go on.
    const ended = await as(here, 'DELETE', `/v1/people/sam/sessions/${items[1].id}`);
    expect(ended.statusCode, ended.body).toBe(204);
    expect([await alive(here), await alive(laptop), await alive(terminal)]).toEqual([true, false, true]);
    const again = await as(here, 'DELETE', `/v1/people/sam/sessions/${items[1].id}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe(`Person "sam" has no live session "${items[1].id}"`);
    for (const id of ['session:zzzzzzzzzzzz', 'tok_123', `session:${'0'.repeat(12)}`])
      expect((await as(here, 'DELETE', `/v1/people/sam/sessions/${encodeURIComponent(id)}`)).statusCode).toBe(404);

    // Everywhere else: every session but the one asking.
    const rest = await as(here, 'DELETE', '/v1/people/sam/sessions');
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toEqual({ ended: [items[2].id] });
    expect([await alive(here), await alive(terminal)]).toEqual([true, false]);
    expect((await as(here, 'GET', '/v1/people/sam/sessions')).json().items.map((s: { id: string }) => s.id)).toEqual([me]);

    const entries = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-out&limit=50' })).json().items;
    const sams = entries.filter((e: { detail: { person?: string } }) => e.detail.person === 'sam');
    expect(sams.map((e: { actor: string; detail: unknown }) => [e.actor, e.detail])).toEqual(
      expect.arrayContaining([
        ['person:sam', { person: 'sam', sessions: [items[1].id], count: 1, reason: 'session ended' }],
        ['person:sam', { person: 'sam', sessions: [items[2].id], count: 1, reason: 'every other session ended' }],
      ]),
    );
  });

  it('lets an admin end every session of another person; refuses others, without saying who exists', async () => {
    const hers = [await browser('vi@acme.example'), await cli('vi@acme.example')];
    const admin = await browser('ada@acme.example');
    const viewer = await browser('sam@acme.example');
    // Another viewer may not see nor end them; a viewer reads the registry, so an unknown name is 404.
    for (const [method, url] of [
      ['GET', '/v1/people/vi/sessions'],
      ['DELETE', '/v1/people/vi/sessions'],
    ] as const) {
      const refused = await as(viewer, method, url);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.message).toBe('person "sam" may not manage the sessions of Person "vi"');
    }
    expect((await as(viewer, 'GET', '/v1/people/nobody-here/sessions')).statusCode).toBe(404);
    expect(await Promise.all(hers.map(alive))).toEqual([true, true]);

    const listed = (await as(admin, 'GET', '/v1/people/vi/sessions')).json().items;
    expect(listed.map((s: { kind: string; current: boolean }) => [s.kind, s.current])).toEqual([
      ['browser', false],
      ['cli', false],
    ]);
    const ended = await as(admin, 'DELETE', '/v1/people/vi/sessions');
    expect(ended.json()).toEqual({ ended: listed.map((s: { id: string }) => s.id) });
    expect(await Promise.all(hers.map(alive))).toEqual([false, false]);
    expect(await alive(admin)).toBe(true);
    const entry = (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.signed-out&limit=50' }))
      .json()
      .items.find((e: { detail: { person?: string } }) => e.detail.person === 'vi');
    expect(entry).toMatchObject({ actor: 'person:ada', detail: { count: 2, reason: 'every other session ended' } });
    // The admin token too; with nothing left, nothing ended and nothing recorded.
    expect((await t.request({ method: 'DELETE', url: '/v1/people/vi/sessions' })).json()).toEqual({ ended: [] });
  });
});
