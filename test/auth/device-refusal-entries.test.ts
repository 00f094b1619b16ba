// `fulcrum login` refused because the person declined at the IdP (access_denied), or because its code
// expired before anyone entered it (expired_token), is an auth.refused entry, as the console's refusals
// are: before (found by review), each was a 400 and nothing more, so nobody could see a phished code
// declined, or codes left to expire. Each costs the address a failed credential before its entry, so a
// flood from one address is recorded only up to its budget. A code the IdP does not know is not
// recorded (anyone can make one up). A real OpenID Provider (oidc-provider) answers every poll.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentitySettings } from '../../src/auth/identity-config.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { consoleClient, type Idp, ssoSettings, startIdp, walkIdp } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const PUBLIC = 'http://127.0.0.1:4197';
const DENIED = 'the sign-in was denied at the IdP';
const EXPIRED = 'the code expired before it was entered: run `fulcrum login` again';

describe.each(ENGINES)('`fulcrum login` declined or expired, in the audit log (%s)', (engine) => {
  let idp: Idp;
  /** One whose device codes last a second. */
  let brief: Idp;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    idp = await startIdp([consoleClient(PUBLIC)]);
    brief = await startIdp([consoleClient(PUBLIC)], { deviceCodeSeconds: 1 });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await idp?.stop();
    await brief?.stop();
  });

  async function start(at: Idp, authFailuresPerMinute = 30): Promise<TestServer> {
    const settings: IdentitySettings = ssoSettings(at, PUBLIC);
    const t = await startTestServer(engine, { identity: settings, authFailuresPerMinute });
    servers.push(t);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    return t;
  }
  const startDevice = async (t: TestServer) => {
    const r = await t.request({ method: 'POST', url: '/auth/device', token: null, payload: {} });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { deviceCode: string; verificationUriComplete: string };
  };
  /** A device login the person declines at the IdP: its device code. */
  async function declined(t: TestServer): Promise<string> {
    const { deviceCode, verificationUriComplete } = await startDevice(t);
    await walkIdp(verificationUriComplete, 'dana.lee@acme.example', 'never', true);
    return deviceCode;
  }
  const poll = (t: TestServer, deviceCode: string) =>
    t.request({ method: 'POST', url: '/auth/device/token', token: null, payload: { deviceCode } });
  const refusals = async (t: TestServer) =>
    (await t.request({ method: 'GET', url: '/v1/audit?kind=auth.refused&limit=1000' })).json().items as Array<{
      actor: string;
      detail: Record<string, unknown>;
    }>;
  const recorded = async (t: TestServer) =>
    (await t.app.database.db.selectFrom('audit_entries').select('id').where('kind', '=', 'auth.refused').execute()).length;
  async function verified(t: TestServer) {
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  }

  it('records a sign-in the person declined at the IdP, and no code the IdP does not know', async () => {
    const t = await start(idp);
    const refused = await poll(t, await declined(t));
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.message).toBe(DENIED);
    const madeUp = await poll(t, 'made-up-device-code');
    expect(madeUp.statusCode).toBe(400);
    expect(madeUp.json().error.message).toContain('the IdP refused the device code (invalid_grant)');
    expect(await refusals(t)).toEqual([
      expect.objectContaining({ actor: 'oidc', detail: { reason: DENIED, issuer: idp.issuer } }),
    ]);
    await verified(t);
  });

  it('records a code that expired before anyone entered it', async () => {
    const t = await start(brief);
    const { deviceCode } = await startDevice(t);
    let answer: Awaited<ReturnType<typeof poll>> | undefined;
    const expired = async () => {
      answer = await poll(t, deviceCode);
      return answer.statusCode !== 202;
    };
    await until(expired, 'the device code to expire', { everyMs: 250 });
    expect(answer?.statusCode, answer?.body).toBe(400);
    expect(answer?.json().error.message).toBe(EXPIRED);
    expect(await refusals(t)).toEqual([
      expect.objectContaining({ actor: 'oidc', detail: { reason: EXPIRED, issuer: brief.issuer } }),
    ]);
    await verified(t);
  });

  it('records declined codes from one address, one after another or all at once, only up to its budget', async () => {
    const t = await start(idp, 3);
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push(await declined(t));
    const answers: number[] = [];
    for (const code of codes) answers.push((await poll(t, code)).statusCode);
    expect(answers).toEqual([400, 400, 400, 429, 429, 429]);
    expect(await recorded(t)).toBe(3);

    const at = await start(idp, 3);
    const parallel = [];
    for (let i = 0; i < 8; i++) parallel.push(await declined(at));
    const all = (await Promise.all(parallel.map((code) => poll(at, code)))).map((r) => r.statusCode).sort();
    expect(all).toEqual([400, 400, 400, 429, 429, 429, 429, 429]);
    expect(await recorded(at)).toBe(3);
  });
});
