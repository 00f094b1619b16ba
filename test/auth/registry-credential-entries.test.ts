// What a registry write does to an agent's credentials is an audit entry committed with the write:
// binding an OAuth client to an Agent or taking it off (its spec.oauthClientId: credential.bound,
// credential.unbound), and the keys and tokens revoked because their Agent, Person or collector was
// deleted (credential.revoked, one per credential, with the reason). Before, none of these was in the
// log: an admin could point an agent at a client of their own and take it off again, or delete an agent
// and with it every key it held, and the log said nothing (found by review).
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/schema.js';
import { ADMIN, days, decideTimes, decisionsOf, startWithFaq } from '../governance/retention-fixture.js';
import { clearAuditFault, entriesOf, failAuditKind } from '../support/audit-fault.js';
import { ENGINES } from '../support/databases.js';
import { startMini, startTestServer, type TestServer } from '../support/server.js';

interface Entry {
  kind: string;
  actor: string;
  agent: string | null;
  detail: Record<string, unknown>;
}

describe.each(ENGINES)('credentials changed by a registry write, in the audit log (%s)', (engine) => {
  let t: TestServer;
  let db: Kysely<Database>;
  /** Every secret issued in this file: none may appear in any entry, nor its hash. */
  const secrets: string[] = [];

  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    secrets.push(key);
    db = t.app.database.db;
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => t?.close());

  const entries = async (kind: string, agent: string) =>
    ((await t.request({ method: 'GET', url: `/v1/audit?kind=${kind}&limit=1000` })).json().items as Entry[]).filter(
      (e) => e.agent === agent,
    );
  const spec = async (agent: string) =>
    (await t.request({ method: 'GET', url: `/v1/agents/${agent}` })).json().spec as Record<string, unknown>;
  const putAgent = (agent: string, s: Record<string, unknown>) =>
    t.request({ method: 'PUT', url: `/v1/agents/${agent}`, payload: { spec: s } });
  /** An Agent like support-bot-eu, registered afresh under `name`. */
  async function register(name: string, oauthClientId?: string) {
    const { oauthClientId: _, ...base } = await spec('support-bot-eu');
    const put = await putAgent(name, { ...base, ...(oauthClientId ? { oauthClientId } : {}) });
    expect(put.statusCode, put.body).toBe(201);
  }
  async function verified() {
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    const rows = JSON.stringify(await db.selectFrom('audit_entries').selectAll().execute());
    for (const s of secrets) {
      expect(rows).not.toContain(s);
      expect(rows).not.toContain(hashToken(s));
    }
  }

  it('records binding an OAuth client to an Agent, moving it to another client, and taking it off', async () => {
    await register('bound-bot');
    const base = await spec('bound-bot');
    expect((await putAgent('bound-bot', { ...base, oauthClientId: 'client-a' })).statusCode).toBe(200);
    expect((await putAgent('bound-bot', { ...base, oauthClientId: 'client-b' })).statusCode).toBe(200);
    expect((await putAgent('bound-bot', base)).statusCode).toBe(200);

    const about = { subjectKind: 'Agent', subject: 'bound-bot', initiative: 'support-deflection' };
    expect(await entries('credential.bound', 'bound-bot')).toEqual([
      expect.objectContaining({ actor: 'admin', detail: { ...about, client: 'client-b' } }),
      expect.objectContaining({ actor: 'admin', detail: { ...about, client: 'client-a' } }),
    ]);
    expect(await entries('credential.unbound', 'bound-bot')).toEqual([
      expect.objectContaining({ actor: 'admin', detail: { ...about, client: 'client-b' } }),
      expect.objectContaining({ actor: 'admin', detail: { ...about, client: 'client-a' } }),
    ]);
    // A write that leaves the client as it is records nothing.
    expect((await putAgent('bound-bot', { ...base, oauthClientId: 'client-c' })).statusCode).toBe(200);
    expect((await putAgent('bound-bot', { ...base, oauthClientId: 'client-c', framework: 'langgraph' })).statusCode).toBe(200);
    expect(await entriesOf(db, 'credential.bound', { agent: 'bound-bot' })).toBe(3);
    await verified();
  });

  it('binds no client whose entry cannot be written, then binds it once when asked again', async () => {
    await register('unbound-bot');
    const base = await spec('unbound-bot');
    await failAuditKind(db, engine, 'credential.bound');
    const refused = await putAgent('unbound-bot', { ...base, oauthClientId: 'client-z' });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await spec('unbound-bot')).oauthClientId).toBeUndefined();
    const binders = () => db.selectFrom('agent_client_binders').selectAll().where('agent', '=', 'unbound-bot').execute();
    expect(await binders()).toEqual([]);
    await clearAuditFault(db, engine);
    expect((await putAgent('unbound-bot', { ...base, oauthClientId: 'client-z' })).statusCode).toBe(200);
    expect((await spec('unbound-bot')).oauthClientId).toBe('client-z');
    expect(await binders()).toHaveLength(1);
    expect(await entriesOf(db, 'credential.bound', { agent: 'unbound-bot' })).toBe(1);
    await verified();
  });

  it("records each key an Agent's deletion revoked, and its client unbound, committed with the deletion", async () => {
    await register('leaving-bot', 'client-leaving');
    const keys: Array<{ id: string; prefix: string }> = [];
    for (let i = 0; i < 2; i++) {
      const issued = await t.request({ method: 'POST', url: '/v1/agents/leaving-bot/keys' });
      expect(issued.statusCode, issued.body).toBe(201);
      secrets.push(issued.json().key);
      keys.push({ id: issued.json().id, prefix: issued.json().prefix });
    }
    // One revoked by hand first: the deletion revokes, and records, only what was still live.
    expect((await t.request({ method: 'DELETE', url: `/v1/agents/leaving-bot/keys/${keys[0]?.id}` })).statusCode).toBe(204);

    // The entry cannot be written: the Agent stays, its key and its client with it.
    await failAuditKind(db, engine, 'credential.revoked');
    const refused = await t.request({ method: 'DELETE', url: '/v1/agents/leaving-bot' });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(500);
    expect((await t.request({ method: 'GET', url: '/v1/agents/leaving-bot' })).statusCode).toBe(200);
    const live = await db
      .selectFrom('credentials')
      .select('revoked_at')
      .where('id', '=', keys[1]?.id as string)
      .executeTakeFirst();
    expect(live?.revoked_at).toBeNull();
    await clearAuditFault(db, engine);

    expect((await t.request({ method: 'DELETE', url: '/v1/agents/leaving-bot' })).statusCode).toBe(204);
    const about = { subjectKind: 'Agent', subject: 'leaving-bot', initiative: 'support-deflection', reason: 'agent-deleted' };
    const revoked = await entries('credential.revoked', 'leaving-bot');
    expect(revoked).toEqual([
      expect.objectContaining({
        actor: 'admin',
        detail: { ...about, credential: keys[1]?.id, prefix: keys[1]?.prefix },
      }),
      expect.objectContaining({ actor: 'admin', detail: expect.not.objectContaining({ reason: expect.anything() }) }),
    ]);
    expect(await entries('credential.unbound', 'leaving-bot')).toEqual([
      expect.objectContaining({ actor: 'admin', detail: { ...about, client: 'client-leaving' } }),
    ]);
    await verified();
  });

  it("records each token a Person's deletion revoked", async () => {
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
    const all = (await t.request({ method: 'GET', url: '/v1/audit?kind=credential.revoked&limit=1000' })).json().items as Entry[];
    expect(all.filter((e) => e.detail.subject === 'lee.leaving')).toEqual([
      expect.objectContaining({
        actor: 'admin',
        agent: null,
        detail: {
          subjectKind: 'Person',
          subject: 'lee.leaving',
          credential: issued.json().id,
          prefix: issued.json().prefix,
          reason: 'person-deleted',
        },
      }),
    ]);
    await verified();
  });
});

// Who holds power: a Person's roles (admin, platform, approver…) and the email single sign-on matches
// them by. A registry write that gave someone the admin role, or pointed a Person's sign-in at another
// mailbox, was in the registry's history only as "updated by" (found by review); now each is an entry
// naming what was given and taken, committed with the write.
describe.each(ENGINES)("a Person's roles and sign-in email changed by a registry write, in the audit log (%s)", (engine) => {
  let t: TestServer;
  let db: Kysely<Database>;
  beforeAll(async () => {
    t = await startTestServer(engine);
    db = t.app.database.db;
  });
  afterEach(async () => clearAuditFault(db, engine));
  afterAll(async () => t?.close());

  const about = async (kind: string, person: string) =>
    ((await t.request({ method: 'GET', url: `/v1/audit?kind=${kind}&limit=1000` })).json().items as Entry[])
      .filter((e) => e.detail.subject === person)
      .map((e) => ({ actor: e.actor, detail: e.detail }));
  const put = (person: string, spec: object) => t.request({ method: 'PUT', url: `/v1/people/${person}`, payload: { spec } });

  it('records roles given and taken, and the email changed, by PUT, apply and DELETE', async () => {
    expect((await put('kim.ops', { displayName: 'Kim', roles: ['viewer'], email: 'kim@acme.test' })).statusCode).toBe(201);
    expect((await put('kim.ops', { displayName: 'Kim', roles: ['viewer', 'admin'], email: 'kim@acme.test' })).statusCode).toBe(
      200,
    );
    // The same roles in another order, and a display name: no entry.
    expect((await put('kim.ops', { displayName: 'Kim O.', roles: ['admin', 'viewer'], email: 'kim@acme.test' })).statusCode).toBe(
      200,
    );
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: {
        files: [
          {
            path: 'kim.yaml',
            content: [
              'apiVersion: fulcrum/v1',
              'kind: Person',
              'metadata:',
              '  name: kim.ops',
              'spec:',
              '  displayName: Kim O.',
              '  email: kim@elsewhere.test',
              '  roles: [admin]',
              '',
            ].join('\n'),
          },
        ],
      },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    expect((await t.request({ method: 'DELETE', url: '/v1/people/kim.ops' })).statusCode).toBe(204);

    const person = { subjectKind: 'Person', subject: 'kim.ops' };
    expect(await about('person.roles-changed', 'kim.ops')).toEqual([
      {
        actor: 'admin',
        detail: { ...person, before: ['admin'], after: [], granted: [], withdrawn: ['admin'], reason: 'person-deleted' },
      },
      {
        actor: 'admin',
        detail: { ...person, before: ['admin', 'viewer'], after: ['admin'], granted: [], withdrawn: ['viewer'] },
      },
      {
        actor: 'admin',
        detail: { ...person, before: ['viewer'], after: ['admin', 'viewer'], granted: ['admin'], withdrawn: [] },
      },
      { actor: 'admin', detail: { ...person, before: [], after: ['viewer'], granted: ['viewer'], withdrawn: [] } },
    ]);
    expect(await about('person.email-changed', 'kim.ops')).toEqual([
      { actor: 'admin', detail: { ...person, before: 'kim@acme.test', after: 'kim@elsewhere.test' } },
      { actor: 'admin', detail: { ...person, before: null, after: 'kim@acme.test' } },
    ]);
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });

  it('gives no role whose entry cannot be written, then gives it once when asked again', async () => {
    expect((await put('ray.ops', { displayName: 'Ray', roles: ['viewer'] })).statusCode).toBe(201);
    await failAuditKind(db, engine, 'person.roles-changed');
    const refused = await put('ray.ops', { displayName: 'Ray', roles: ['viewer', 'admin'] });
    expect(refused.statusCode).toBeGreaterThanOrEqual(500);
    expect((await t.request({ method: 'GET', url: '/v1/people/ray.ops' })).json().spec.roles).toEqual(['viewer']);
    await clearAuditFault(db, engine);
    expect((await put('ray.ops', { displayName: 'Ray', roles: ['viewer', 'admin'] })).statusCode).toBe(200);
    expect((await about('person.roles-changed', 'ray.ops')).map((e) => e.detail.granted)).toEqual([['admin'], ['viewer']]);
  });
});

// The entries of a client bound and unbound are kept as the other credentials' are, for the decisions'
// period: kept for the human acts' seven years, a binding made as an agent starts work sits at the start
// of its chain and holds every decision after it as long (docs/governance.md, Retention).
describe.each(ENGINES)('retention of the entries of an OAuth client bound by a registry write (%s)', (engine) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startWithFaq(engine, { agent: false });
  });
  afterAll(async () => t?.close());

  it('purges them with the decisions after them', async () => {
    const spec = { initiative: 'faq', archetype: 'support-agent', owner: 'dana.lee', framework: 'openai-agents-sdk' };
    for (const client of ['faq-client', 'faq-client-2'])
      expect(
        (await t.request({ method: 'PUT', url: '/v1/agents/faq-bot', payload: { spec: { ...spec, oauthClientId: client } } }))
          .statusCode,
      ).toBeLessThan(300);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/faq-bot/keys' })).json().key;
    await decideTimes(t, key, 2);
    const db = t.app.database.db;
    expect(await entriesOf(db, 'credential.bound', { agent: 'faq-bot' })).toBe(2);

    // Past the decisions' period (730 days by default), within the human acts' (2555).
    await t.app.retention.purge(ADMIN, days(800));
    expect(await decisionsOf(t, 'faq-bot')).toBe(0);
    expect(await entriesOf(db, 'credential.bound', { agent: 'faq-bot' })).toBe(0);
    expect(await entriesOf(db, 'credential.unbound', { agent: 'faq-bot' })).toBe(0);
    const v = (await t.request({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });
});
