// Issuing and revoking a credential (an agent's key, a person's API token) is an audit entry committed
// with the change (credential.issued, credential.revoked), naming who did it and which credential, never
// its secret; and the credential's row records who revoked it. Before, none of these acts was in the
// log: a key issued by a platform person and used for an agent's calls could not be traced to who
// issued it from the log, nor a revocation to who revoked it (found by review).
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/schema.js';
import { clearAuditFault, entriesOf, failAuditKind } from '../support/audit-fault.js';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('credentials in the audit log (%s)', (engine) => {
  let t: TestServer;
  let db: Kysely<Database>;
  /** A token of dana.lee (platform), who issues and revokes the agent's keys below. */
  let dana: string;
  /** Every secret issued in this file: none may appear in any entry, nor its hash. */
  const secrets: string[] = [];

  beforeAll(async () => {
    ({ t } = await startMini(engine));
    db = t.app.database.db;
    const issued = await t.request({ method: 'POST', url: '/v1/people/dana.lee/tokens', payload: { description: 'ci' } });
    expect(issued.statusCode, issued.body).toBe(201);
    dana = issued.json().token;
    secrets.push(dana);
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => t?.close());

  const entries = async (kind: string) =>
    (await t.request({ method: 'GET', url: `/v1/audit?kind=${kind}&limit=1000` })).json().items as Array<{
      kind: string;
      actor: string;
      agent: string | null;
      detail: Record<string, unknown>;
    }>;
  const keys = async () => (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu/keys' })).json().items;
  const whoami = (token: string) => t.request({ method: 'GET', url: '/v1/whoami', token });

  it('records who issued and who revoked an agent key and a person token, and keeps no secret', async () => {
    const issued = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/keys',
      token: dana,
      payload: { description: 'rotation' },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const key = issued.json();
    secrets.push(key.key);

    const keyIssued = (await entries('credential.issued')).find((e) => e.detail.credential === key.id);
    expect(keyIssued).toMatchObject({
      actor: 'person:dana.lee',
      agent: 'support-bot-eu',
      detail: {
        credential: key.id,
        prefix: key.prefix,
        subjectKind: 'Agent',
        subject: 'support-bot-eu',
        description: 'rotation',
      },
    });
    const tokenIssued = (await entries('credential.issued')).find((e) => e.detail.subject === 'dana.lee');
    expect(tokenIssued).toMatchObject({ actor: 'admin', agent: null, detail: { subjectKind: 'Person' } });

    const revoked = await t.request({ method: 'DELETE', url: `/v1/agents/support-bot-eu/keys/${key.id}`, token: dana });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await entries('credential.revoked')).find((e) => e.detail.credential === key.id)).toMatchObject({
      actor: 'person:dana.lee',
      agent: 'support-bot-eu',
      detail: { credential: key.id, prefix: key.prefix, subjectKind: 'Agent', subject: 'support-bot-eu' },
    });
    expect((await keys()).find((k: { id: string }) => k.id === key.id)).toMatchObject({ revokedBy: 'person:dana.lee' });

    // The admin ends dana's token: the row and the entry say who.
    const danaId = tokenIssued?.detail.credential as string;
    expect((await t.request({ method: 'DELETE', url: `/v1/people/dana.lee/tokens/${danaId}` })).statusCode).toBe(204);
    expect((await entries('credential.revoked')).find((e) => e.detail.credential === danaId)).toMatchObject({
      actor: 'admin',
      detail: { subjectKind: 'Person', subject: 'dana.lee' },
    });
    const tokens = (await t.request({ method: 'GET', url: '/v1/people/dana.lee/tokens' })).json().items;
    expect(tokens.find((k: { id: string }) => k.id === danaId)).toMatchObject({ revokedBy: 'admin' });
    expect((await whoami(dana)).statusCode).toBe(401);

    // No entry holds a secret or its hash, in any column.
    const rows = JSON.stringify(await db.selectFrom('audit_entries').selectAll().execute());
    for (const s of secrets) {
      expect(rows).not.toContain(s);
      expect(rows).not.toContain(hashToken(s));
    }
    const verified = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
  });

  it('issues no key whose entry cannot be written, then one when asked again', async () => {
    const before = (await keys()).length;
    await failAuditKind(db, engine, 'credential.issued');
    const refused = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await keys()).length).toBe(before);
    await clearAuditFault(db, engine);
    const issued = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' });
    expect(issued.statusCode, issued.body).toBe(201);
    secrets.push(issued.json().key);
    expect((await keys()).length).toBe(before + 1);
    expect(await entriesOf(db, 'credential.issued', { agent: 'support-bot-eu' })).toBe(before + 1);
  });

  it('revokes no key whose entry cannot be written, then revokes it once when asked again', async () => {
    const issued = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' });
    expect(issued.statusCode, issued.body).toBe(201);
    const { id, key } = issued.json();
    secrets.push(key);
    await failAuditKind(db, engine, 'credential.revoked');
    const refused = await t.request({ method: 'DELETE', url: `/v1/agents/support-bot-eu/keys/${id}` });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await whoami(key)).statusCode).toBe(200);
    expect((await keys()).find((k: { id: string }) => k.id === id).revokedAt).toBeNull();
    await clearAuditFault(db, engine);
    expect((await t.request({ method: 'DELETE', url: `/v1/agents/support-bot-eu/keys/${id}` })).statusCode).toBe(204);
    expect((await whoami(key)).statusCode).toBe(401);
    const revokedEntries = (await entries('credential.revoked')).filter((e) => e.detail.credential === id);
    expect(revokedEntries).toHaveLength(1);
    const verified = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
  });

  it('records who revoked the tokens of a Person by deleting it', async () => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/people/lee.leaving',
      payload: { spec: { displayName: 'Lee', roles: ['viewer'] } },
    });
    expect(put.statusCode, put.body).toBe(201);
    const issued = await t.request({ method: 'POST', url: '/v1/people/lee.leaving/tokens' });
    expect(issued.statusCode, issued.body).toBe(201);
    secrets.push(issued.json().token);
    expect((await t.request({ method: 'DELETE', url: '/v1/people/lee.leaving' })).statusCode).toBe(204);
    const row = await db.selectFrom('credentials').selectAll().where('id', '=', issued.json().id).executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    expect(row.revoked_by).toBe('admin');
  });
});
