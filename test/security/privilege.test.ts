// Nobody grants themselves power: only an admin sets or changes roles, nobody changes their own, and
// separation of duties holds for approvals and promotion sign-offs (docs/auth.md, docs/security.md).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('privilege and separation of duties on %s', (engine) => {
  let t: TestServer;
  const tokens: Record<string, string> = {};

  const person = (name: string, roles: string[], extra: object = {}) =>
    t.request({ method: 'PUT', url: `/v1/people/${name}`, payload: { spec: { displayName: name, roles, ...extra } } });
  const rolesOf = async (name: string) =>
    (await t.request({ method: 'GET', url: `/v1/people/${name}` })).json().spec.roles as string[];
  const tokenFor = async (name: string) => {
    const res = await t.request({ method: 'POST', url: `/v1/people/${name}/tokens`, payload: { description: 'test' } });
    expect(res.statusCode, res.body).toBe(201);
    tokens[name] = res.json().token;
  };

  /** Approval `id`, refused to the person asked first, is still pending, and another approver decides it. */
  const approvedByAnother = async (id: string) => {
    expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('pending');
    const other = await t.request({
      method: 'POST',
      url: `/v1/approvals/${id}/approve`,
      token: tokens['alice.approver'],
      payload: {},
    });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json()).toMatchObject({ status: 'approved', decidedBy: 'person:alice.approver' });
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    // The admin token is the bootstrap: it gives the first roles to anyone.
    for (const [name, roles] of [
      ['pat.platform', ['platform']],
      ['ada.admin', ['admin']],
      ['abe.admin', ['admin']],
      ['alice.approver', ['approver']],
      ['sam.security', ['reviewer:security']],
    ] as const)
      expect((await person(name, [...roles], { email: `${name}@acme.example` })).statusCode).toBe(201);
    // omar.owner owns support-bot-eu; he is an approver too.
    expect((await person('omar.owner', ['owner', 'approver'])).statusCode).toBe(200);
    for (const name of ['pat.platform', 'ada.admin', 'abe.admin', 'alice.approver', 'omar.owner', 'dana.lee', 'sam.security'])
      await tokenFor(name);
  });
  afterAll(async () => t?.close());

  it('refuses a platform person who gives themselves admin and approver', async () => {
    const res = await t.request({
      method: 'PUT',
      url: '/v1/people/pat.platform',
      token: tokens['pat.platform'],
      payload: {
        spec: { displayName: 'pat.platform', email: 'pat.platform@acme.example', roles: ['platform', 'admin', 'approver'] },
      },
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.message).toBe('pat.platform may not change their own roles: another admin must');
    expect(await rolesOf('pat.platform')).toEqual(['platform']);
    // Their token still acts as platform only: approving is still refused.
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: tokens['pat.platform'] })).json().roles).toEqual([
      'platform',
    ]);
  });

  it("refuses a platform person who sets someone else's roles, or creates a person with roles", async () => {
    const other = await t.request({
      method: 'PUT',
      url: '/v1/people/vic.viewer',
      token: tokens['pat.platform'],
      payload: { spec: { displayName: 'Vic Viewer', roles: ['viewer', 'approver'], businessUnit: 'cx' } },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toBe('only an admin may set or change roles (Person vic.viewer: adds approver)');
    expect(await rolesOf('vic.viewer')).toEqual(['viewer']);

    const created = await t.request({
      method: 'PUT',
      url: '/v1/people/mallory',
      token: tokens['pat.platform'],
      payload: { spec: { displayName: 'Mallory', roles: ['admin'] } },
    });
    expect(created.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/v1/people/mallory' })).statusCode).toBe(404);

    // A person without roles is an ordinary registry write.
    const plain = await t.request({
      method: 'PUT',
      url: '/v1/people/new.hire',
      token: tokens['pat.platform'],
      payload: { spec: { displayName: 'New Hire' } },
    });
    expect(plain.statusCode, plain.body).toBe(201);
  });

  it("refuses a platform person who moves a role holder's sign-in email, or deletes them", async () => {
    const moved = await t.request({
      method: 'PUT',
      url: '/v1/people/ada.admin',
      token: tokens['pat.platform'],
      payload: { spec: { displayName: 'ada.admin', email: 'pat.platform+ada@acme.example', roles: ['admin'] } },
    });
    expect(moved.statusCode).toBe(403);
    expect(moved.json().error.message).toMatch(/only an admin may set or change the email of Person ada\.admin/);
    const removed = await t.request({ method: 'DELETE', url: '/v1/people/alice.approver', token: tokens['pat.platform'] });
    expect(removed.statusCode).toBe(403);
    expect(removed.json().error.message).toMatch(/only an admin may delete Person alice\.approver/);
    expect((await t.request({ method: 'GET', url: '/v1/people/alice.approver' })).statusCode).toBe(200);
  });

  it('refuses a role change inside an apply whole, naming the Person with its file and line', async () => {
    const files = [
      {
        path: 'people.yaml',
        content: [
          'apiVersion: fulcrum/v1',
          'kind: ComputePool',
          'metadata: { name: us-gpu }',
          'spec: { region: us-east-1, unit: gpu-hours/month, capacity: 10 }',
          '---',
          'apiVersion: fulcrum/v1',
          'kind: Person',
          'metadata: { name: vic.viewer }',
          'spec:',
          '  displayName: Vic Viewer',
          '  businessUnit: cx',
          '  roles: [viewer, admin]',
        ].join('\n'),
      },
    ];
    const res = await t.request({ method: 'POST', url: '/v1/apply', token: tokens['pat.platform'], payload: { files } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ file: 'people.yaml', line: 12, kind: 'Person', name: 'vic.viewer', path: '/spec/roles' }),
    ]);
    // Nothing of the bundle was written, not even the unrelated compute pool.
    expect((await t.request({ method: 'GET', url: '/v1/compute-pools/us-gpu' })).statusCode).toBe(404);
    expect(await rolesOf('vic.viewer')).toEqual(['viewer']);
  });

  it('lets an admin change anyone else’s roles, but never their own', async () => {
    const own = await person('ada.admin', ['admin', 'approver']);
    expect(own.statusCode).toBe(200); // the admin token did that: the bootstrap exception
    const self = await t.request({
      method: 'PUT',
      url: '/v1/people/ada.admin',
      token: tokens['ada.admin'],
      payload: { spec: { displayName: 'ada.admin', email: 'ada.admin@acme.example', roles: ['admin'] } },
    });
    expect(self.statusCode).toBe(403);
    expect(await rolesOf('ada.admin')).toEqual(['admin', 'approver']);
    const other = await t.request({
      method: 'PUT',
      url: '/v1/people/vic.viewer',
      token: tokens['ada.admin'],
      payload: { spec: { displayName: 'Vic Viewer', roles: ['viewer', 'approver'], businessUnit: 'cx' } },
    });
    expect(other.statusCode, other.body).toBe(200);
    expect(await rolesOf('vic.viewer')).toEqual(['viewer', 'approver']);
    // A token for someone else would be acting as them (approving, signing off): the admin token only.
    const impersonate = await t.request({
      method: 'POST',
      url: '/v1/people/alice.approver/tokens',
      token: tokens['ada.admin'],
      payload: { description: 'as alice' },
    });
    expect(impersonate.statusCode).toBe(403);
    const ownToken = await t.request({
      method: 'POST',
      url: '/v1/people/ada.admin/tokens',
      token: tokens['ada.admin'],
      payload: {},
    });
    expect(ownToken.statusCode).toBe(201);
  });

  it('refuses an approver deciding a call of an agent they own; another approver decides it', async () => {
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    const asked = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: { orderId: 'A-1', amount: 900 } },
    });
    expect(asked.json().decision, asked.body).toBe('approval_required');
    const id = asked.json().approvalId as string;
    const own = await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, token: tokens['omar.owner'], payload: {} });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toBe(
      'separation of duties: omar.owner owns agent support-bot-eu, so may not decide its approvals; another approver must',
    );
    await approvedByAnother(id);
  });

  // Found by review: a person who may issue keys for an agent they do not own (platform, or the admin
  // role) issued one, raised a call that needs a person with it, and approved it themself.
  it.each([
    ['pat.platform', 'X-1'],
    ['ada.admin', 'X-2'],
  ])('refuses %s deciding a call made with an agent key they issued; another approver decides it', async (who, orderId) => {
    const email = { email: 'pat.platform@acme.example' };
    if (who === 'pat.platform') expect((await person('pat.platform', ['platform', 'approver'], email)).statusCode).toBe(200);
    try {
      const issued = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys', token: tokens[who], payload: {} });
      expect(issued.statusCode, issued.body).toBe(201);
      const asked = await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: issued.json().key,
        payload: { action: 'tool.call', tool: 'crm.refund', arguments: { orderId, amount: 5000 } },
      });
      expect(asked.json().decision, asked.body).toBe('approval_required');
      const id = asked.json().approvalId as string;
      // The approval names who may not decide it, so the console offers them no Approve or Deny.
      const shown = await t.request({ method: 'GET', url: `/v1/approvals/${id}`, token: tokens[who] });
      expect(shown.json()).toMatchObject({ agentOwner: 'omar.owner', keyIssuer: who });
      for (const decide of ['approve', 'deny']) {
        const own = await t.request({ method: 'POST', url: `/v1/approvals/${id}/${decide}`, token: tokens[who], payload: {} });
        expect(own.statusCode, own.body).toBe(403);
        expect(own.json().error.message).toBe(
          `separation of duties: ${who} issued the key of support-bot-eu this call came with, so may not decide its approval; another approver must`,
        );
      }
      await approvedByAnother(id);
    } finally {
      if (who === 'pat.platform') await person('pat.platform', ['platform'], email);
    }
  });

  // Found by review: the issuer check looked only at the key that opened the approval. A person with a
  // key they issued for the agent could make the same call as another key's pending one (so joining
  // its approval), approve it, and spend it with their own key.
  it('refuses spending an approval with a key its approver issued; the call of another key spends it', async () => {
    const email = { email: 'pat.platform@acme.example' };
    expect((await person('pat.platform', ['platform', 'approver'], email)).statusCode).toBe(200);
    try {
      const call = (key: string) =>
        t.request({
          method: 'POST',
          url: '/v1/decisions',
          token: key,
          payload: { action: 'tool.call', tool: 'crm.refund', arguments: { orderId: 'J-1', amount: 7000 } },
        });
      const theirs = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
      const mine = (
        await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys', token: tokens['pat.platform'], payload: {} })
      ).json().key as string;
      const opened = await call(theirs);
      expect(opened.json().decision, opened.body).toBe('approval_required');
      const id = opened.json().approvalId as string;
      const joined = await call(mine);
      expect(joined.json()).toMatchObject({ decision: 'approval_required', approvalId: id });
      // The approval's opening key is not pat's: deciding is allowed.
      const approved = await t.request({
        method: 'POST',
        url: `/v1/approvals/${id}/approve`,
        token: tokens['pat.platform'],
        payload: {},
      });
      expect(approved.statusCode, approved.body).toBe(200);

      const pushed = await call(mine);
      expect(pushed.statusCode).toBe(409);
      expect(pushed.json().error.message).toBe(
        `approval ${id} was decided by pat.platform, who issued the key this call came with: a call made with that key may not spend it (separation of duties)`,
      );
      expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('approved');
      const legit = await call(theirs);
      expect(legit.json()).toMatchObject({ decision: 'allow' });
      expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('used');
    } finally {
      await person('pat.platform', ['platform'], email);
    }
  });

  // Found by review: the separation-of-duties check ran before the approval was found to be another
  // agent's, so a key naming another agent's approval id heard who had decided it.
  it("tells a key naming another agent's approval only that it is not its own", async () => {
    const email = { email: 'pat.platform@acme.example' };
    expect((await person('pat.platform', ['platform', 'approver'], email)).statusCode).toBe(200);
    try {
      const eu = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json();
      const created = await t.request({ method: 'PUT', url: '/v1/agents/support-bot-us', payload: { spec: eu.spec } });
      expect(created.statusCode, created.body).toBe(201);
      const payload = { action: 'tool.call', tool: 'crm.refund', arguments: { orderId: 'L-1', amount: 6000 } };
      const theirs = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
      const asked = await t.request({ method: 'POST', url: '/v1/decisions', token: theirs, payload });
      expect(asked.json().decision, asked.body).toBe('approval_required');
      const id = asked.json().approvalId as string;
      expect(
        (await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, token: tokens['pat.platform'], payload: {} }))
          .statusCode,
      ).toBe(200);
      const mine = (
        await t.request({ method: 'POST', url: '/v1/agents/support-bot-us/keys', token: tokens['pat.platform'], payload: {} })
      ).json().key as string;
      const named = await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: mine,
        payload: { ...payload, approvalId: id },
      });
      expect(named.statusCode).toBe(409);
      expect(named.json().error.message).toBe(`approval ${id} does not exist for agent support-bot-us`);
      expect((await t.request({ method: 'GET', url: `/v1/approvals/${id}` })).json().status).toBe('approved');
    } finally {
      await person('pat.platform', ['platform'], email);
    }
  });

  it('refuses an owner signing off their own initiative in a reviewer role; the owner sign-off stays theirs', async () => {
    // dana.lee owns support-deflection and holds platform.
    const opened = await t.request({
      method: 'POST',
      url: '/v1/initiatives/support-deflection/promotions',
      token: tokens['dana.lee'],
      payload: { to: 'scaled' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as string;
    const sign = (role: string, who: string) =>
      t.request({
        method: 'POST',
        url: `/v1/reviews/${id}/sign-offs`,
        token: tokens[who],
        payload: { role, decision: 'approve' },
      });
    const own = await sign('platform', 'dana.lee');
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toBe(
      'separation of duties: dana.lee owns support-deflection, so may give only its owner sign-off, not platform',
    );
    expect((await sign('owner', 'dana.lee')).statusCode).toBe(200);
    expect((await sign('platform', 'pat.platform')).statusCode).toBe(200);
    // A person with the admin role acts in every role, the reviewer roles included.
    const admin = await sign('reviewer:security', 'abe.admin');
    expect(admin.statusCode, admin.body).toBe(200);
    expect(admin.json().pending).toEqual(['reviewer:data', 'reviewer:risk', 'reviewer:legal']);
  });

  it('keeps an approval from its owner even after ownership moves', async () => {
    // pat.platform owns a fresh agent (the admin token sets it up) and is an approver too.
    expect((await person('pat.platform', ['platform', 'approver'], { email: 'pat.platform@acme.example' })).statusCode).toBe(200);
    const agent = (owner: string) =>
      t.request({
        method: 'PUT',
        url: '/v1/agents/pat-bot',
        token: tokens['pat.platform'],
        payload: {
          spec: { initiative: 'support-deflection', archetype: 'support-agent', owner, framework: 'openai-agents-sdk' },
        },
      });
    expect((await agent('pat.platform')).statusCode).toBe(201);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/pat-bot/keys' })).json().key as string;
    const asked = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: { orderId: 'A-2', amount: 900 } },
    });
    const id = asked.json().approvalId as string;
    expect((await agent('omar.owner')).statusCode).toBe(200); // hands the agent to someone else…
    const res = await t.request({
      method: 'POST',
      url: `/v1/approvals/${id}/approve`,
      token: tokens['pat.platform'],
      payload: {},
    });
    expect(res.statusCode).toBe(403); // …and still may not decide the call it asked while theirs
    expect(res.json().error.message).toBe(
      'separation of duties: pat.platform owned agent pat-bot when this call asked, so may not decide its approvals; another approver must',
    );
  });

  it('moves an initiative’s stage only through a review (or an admin), and never lets its owner set its tier', async () => {
    const current = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json().spec;
    const put = (token: string | undefined, spec: object) =>
      t.request({ method: 'PUT', url: '/v1/initiatives/support-deflection', token, payload: { spec: { ...current, ...spec } } });
    const staged = await put(tokens['pat.platform'], { stage: 'scaled' });
    expect(staged.statusCode).toBe(403);
    expect(staged.json().error.message).toMatch(/^the stage of Initiative support-deflection moves through a promotion review/);
    const tier = await put(tokens['dana.lee'], { riskTier: 'minimal' });
    expect(tier.statusCode).toBe(403);
    expect(tier.json().error.message).toBe(
      'separation of duties: dana.lee owns Initiative support-deflection, so may not set its risk tier',
    );
    // dana.lee (platform) may still edit the rest of her initiative.
    expect((await put(tokens['dana.lee'], { title: 'Deflect tier-1 tickets' })).statusCode).toBe(200);
    // …but not assess its risk: the tier decides which sign-offs her promotions need.
    const { questions } = (await t.request({ method: 'GET', url: '/v1/risk-questionnaire' })).json();
    const all = Object.fromEntries(Object.keys(questions).map((q) => [q, false]));
    const assessed = await t.request({
      method: 'POST',
      url: '/v1/initiatives/support-deflection/risk-assessment',
      token: tokens['dana.lee'],
      payload: { answers: { ...all, prohibitedPractices: [] } },
    });
    expect(assessed.statusCode).toBe(403);
    expect(assessed.json().error.message).toBe(
      'separation of duties: dana.lee owns support-deflection, so may not assess its risk; platform or reviewer:risk must',
    );
  });

  it('keeps the tier out of an owner’s hands across a hand-off: nobody who has owned an initiative sets its tier, nobody who set it takes it', async () => {
    const spec = {
      title: 'Hand-off',
      type: 'agent',
      stage: 'pilot',
      stageSince: '2026-06-01',
      owner: 'dana.lee',
      businessUnit: 'cx',
      oversightOwner: 'dana.lee',
      incidentOwner: 'dana.lee',
    };
    const put = (token: string | undefined, more: object) =>
      t.request({ method: 'PUT', url: '/v1/initiatives/hand-off', token, payload: { spec: { ...spec, ...more } } });
    expect((await put(undefined, {})).statusCode).toBe(201);
    // dana.lee (platform) hands the initiative to pat.platform for one write…
    const handed = await put(tokens['dana.lee'], { owner: 'pat.platform' });
    expect(handed.statusCode, handed.body).toBe(200);
    // …and may still not set its tier, nor assess it: she has owned it.
    const tier = await put(tokens['dana.lee'], { owner: 'pat.platform', riskTier: 'minimal' });
    expect(tier.statusCode).toBe(403);
    expect(tier.json().error.message).toBe(
      'separation of duties: dana.lee has owned Initiative hand-off, so may not set its risk tier',
    );
    const { questions } = (await t.request({ method: 'GET', url: '/v1/risk-questionnaire' })).json();
    const answers = { ...Object.fromEntries(Object.keys(questions).map((q) => [q, false])), prohibitedPractices: [] };
    const assess = (token: string | undefined) =>
      t.request({ method: 'POST', url: '/v1/initiatives/hand-off/risk-assessment', token, payload: { answers } });
    const assessed = await assess(tokens['dana.lee']);
    expect(assessed.statusCode).toBe(403);
    expect(assessed.json().error.message).toBe(
      'separation of duties: dana.lee has owned hand-off, so may not assess its risk; platform or reviewer:risk must',
    );

    // The other way round: ada.admin sets the tier, then may not take the initiative over…
    const set = await put(tokens['ada.admin'], { owner: 'pat.platform', riskTier: 'low' });
    expect(set.statusCode, set.body).toBe(200);
    const takeover = await put(tokens['abe.admin'], { owner: 'ada.admin', riskTier: 'low' });
    expect(takeover.statusCode).toBe(403);
    expect(takeover.json().error.message).toBe(
      'separation of duties: ada.admin set the risk tier in force of Initiative hand-off, so may not own it until someone else sets the tier',
    );
    // …nor after assessing it; once someone else assessed it, she may.
    expect((await assess(tokens['ada.admin'])).statusCode).toBe(201);
    expect((await put(tokens['abe.admin'], { owner: 'ada.admin', riskTier: 'low' })).json().error.message).toBe(
      'separation of duties: ada.admin set the risk tier in force of Initiative hand-off (its latest risk assessment), so may not own it until someone else sets the tier',
    );
    // Changing the descriptor's riskTier in the same write does not make the writer the tier's setter
    // while an assessment is in force.
    expect((await put(tokens['abe.admin'], { owner: 'ada.admin', riskTier: 'high' })).statusCode).toBe(403);
    expect((await assess(tokens['abe.admin'])).statusCode).toBe(201);
    expect((await put(tokens['abe.admin'], { owner: 'ada.admin', riskTier: 'low' })).statusCode).toBe(200);

    // Deleting the initiative and creating it again under the same name keeps its assessments, so
    // its assessor may not create it as its owner either.
    const other = (token: string | undefined, more: object) =>
      t.request({ method: 'PUT', url: '/v1/initiatives/recreated', token, payload: { spec: { ...spec, ...more } } });
    expect((await other(undefined, { owner: 'pat.platform' })).statusCode).toBe(201);
    expect(
      (
        await t.request({
          method: 'POST',
          url: '/v1/initiatives/recreated/risk-assessment',
          token: tokens['ada.admin'],
          payload: { answers },
        })
      ).statusCode,
    ).toBe(201);
    expect((await t.request({ method: 'DELETE', url: '/v1/initiatives/recreated', token: tokens['ada.admin'] })).statusCode).toBe(
      204,
    );
    const again = await other(tokens['ada.admin'], { owner: 'ada.admin' });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.message).toBe(
      'separation of duties: ada.admin set the risk tier in force of Initiative recreated (its latest risk assessment), so may not own it until someone else sets the tier',
    );
  });

  it('refuses a person who makes themselves an initiative’s owner, so platform cannot promote a minimal-tier one alone', async () => {
    const spec = { title: 'Take-over', type: 'agent', stage: 'proposed', owner: 'dana.lee', businessUnit: 'cx' };
    const put = (token: string | undefined, more: object) =>
      t.request({ method: 'PUT', url: '/v1/initiatives/take-over', token, payload: { spec: { ...spec, ...more } } });
    // Someone else (the admin token) set its tier: minimal, which needs the owner's sign-off only.
    expect((await put(undefined, { riskTier: 'minimal' })).statusCode).toBe(201);
    // Before, pat.platform made himself its owner, opened a promotion and gave the owner sign-off: the
    // stage moved on one platform person's word.
    const taken = await put(tokens['pat.platform'], { riskTier: 'minimal', owner: 'pat.platform' });
    expect(taken.statusCode, taken.body).toBe(403);
    expect(taken.json().error.message).toBe(
      'separation of duties: pat.platform may not make themselves the owner of Initiative take-over (the owner signs off its promotions): someone else must hand it over',
    );
    const promote = await t.request({
      method: 'POST',
      url: '/v1/initiatives/take-over/promotions',
      token: tokens['pat.platform'],
      payload: { to: 'pilot' },
    });
    expect(promote.statusCode, promote.body).toBe(201);
    const signed = await t.request({
      method: 'POST',
      url: `/v1/reviews/${promote.json().id}/sign-offs`,
      token: tokens['pat.platform'],
      payload: { role: 'owner', decision: 'approve' },
    });
    expect(signed.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/v1/initiatives/take-over' })).json().spec.stage).toBe('proposed');
    // Nor by deleting it (at proposed, platform may) and registering it again as its owner: its
    // owners are on record for the name.
    const deleted = await t.request({ method: 'DELETE', url: '/v1/initiatives/take-over', token: tokens['pat.platform'] });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const again = await put(tokens['pat.platform'], { owner: 'pat.platform' });
    expect(again.statusCode, again.body).toBe(403);
    // Handed over by someone else, it is his; and a new initiative he registers is his from the start.
    expect((await put(tokens['dana.lee'], { owner: 'pat.platform' })).statusCode).toBe(201);
    const fresh = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/pats-own',
      token: tokens['pat.platform'],
      payload: { spec: { ...spec, title: 'Pat’s own', owner: 'pat.platform' } },
    });
    expect(fresh.statusCode, fresh.body).toBe(201);
  });

  it('lets a person give one sign-off per review, and holds an owner to it after ownership moves', async () => {
    const { items } = (await t.request({ method: 'GET', url: '/v1/reviews?initiative=support-deflection&status=open' })).json();
    const id = items[0].id as string;
    const again = await t.request({
      method: 'POST',
      url: `/v1/reviews/${id}/sign-offs`,
      token: tokens['abe.admin'],
      payload: { role: 'reviewer:data', decision: 'approve' },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.message).toBe(
      'separation of duties: abe.admin already signed this review as reviewer:security; one person gives one sign-off',
    );
  });

  it("keeps a monitor's or platform's suspension from being lifted by the agent's owner", async () => {
    const suspend = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/suspend',
      token: tokens['pat.platform'],
      payload: { reason: 'investigating' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const resume = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/resume',
      token: tokens['omar.owner'],
      payload: { reason: 'looks fine to me' },
    });
    expect(resume.statusCode).toBe(403);
    expect(resume.json().error.message).toBe(
      'support-bot-eu was suspended by person:pat.platform: only platform or admin may resume it',
    );
    expect(
      (
        await t.request({
          method: 'POST',
          url: '/v1/agents/support-bot-eu/resume',
          token: tokens['pat.platform'],
          payload: { reason: 'fixed' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('refuses a platform person who binds a sign-in email to a Person without roles: one person acting as two', async () => {
    // A second address pat controls at the IdP, bound to a Person of pat's making: that Person could
    // own an initiative pat handed it and sign off its promotion as owner.
    for (const spec of [
      { displayName: 'Pat Too', email: 'pat.second@acme.example' },
      { displayName: 'Pat Too', email: 'pat.second@acme.example', businessUnit: 'cx' },
    ]) {
      const bound = await t.request({
        method: 'PUT',
        url: '/v1/people/pat.too',
        token: tokens['pat.platform'],
        payload: { spec },
      });
      expect(bound.statusCode, bound.body).toBe(403);
      expect(bound.json().error.message).toMatch(/only an admin may set or change the email of Person pat\.too/);
    }
    // Without an email it is a record of someone, who cannot sign in: platform registers those.
    const plain = await t.request({
      method: 'PUT',
      url: '/v1/people/pat.too',
      token: tokens['pat.platform'],
      payload: { spec: { displayName: 'Pat Too' } },
    });
    expect(plain.statusCode, plain.body).toBe(201);
    const later = await t.request({
      method: 'PUT',
      url: '/v1/people/pat.too',
      token: tokens['pat.platform'],
      payload: { spec: { displayName: 'Pat Too', email: 'pat.second@acme.example' } },
    });
    expect(later.statusCode).toBe(403);
    // An admin binds it.
    const byAdmin = await t.request({
      method: 'PUT',
      url: '/v1/people/pat.too',
      payload: { spec: { displayName: 'Pat Too', email: 'pat.second@acme.example' } },
    });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect((await t.request({ method: 'DELETE', url: '/v1/people/pat.too' })).statusCode).toBe(204);
  });

  it('refuses a second Person with an email someone already signs in with', async () => {
    const twin = await t.request({
      method: 'PUT',
      url: '/v1/people/pat.twin',
      payload: { spec: { displayName: 'Pat Twin', email: 'PAT.platform@acme.example' } },
    });
    expect(twin.statusCode).toBe(422);
    expect(twin.json().error.message).toBe("PAT.platform@acme.example is already Person pat.platform's email");
  });

  it('leaves no registry change behind a refused write', async () => {
    const { items } = (await t.request({ method: 'GET', url: '/v1/registry/changes?limit=1000' })).json() as {
      items: Array<{ kind: string; name: string; actor: string }>;
    };
    // Newest first: the Person he registered without an email, the initiative he registered as his own
    // and the one he deleted at proposed, the agent he created then handed over, and the one person
    // without roles.
    expect(items.filter((c) => c.actor === 'person:pat.platform').map((c) => `${c.kind}/${c.name}`)).toEqual([
      'Person/pat.too',
      'Initiative/pats-own',
      'Initiative/take-over',
      'Agent/pat-bot',
      'Agent/pat-bot',
      'Person/new.hire',
    ]);
  });

  it("refuses a platform person who binds, moves or removes an Agent's OAuth client: only an admin binds who authenticates as it", async () => {
    // An OAuth client pat controls, bound to an agent: pat's tokens are that agent, and a call made with
    // one has no key issuer, so pat (were pat also an approver) could approve it as someone else's.
    const agent = async (name: string, extra: object, token = tokens['pat.platform']) =>
      t.request({
        method: 'PUT',
        url: `/v1/agents/${name}`,
        token,
        payload: { spec: { initiative: 'support-deflection', archetype: 'support-agent', owner: 'omar.owner', ...extra } },
      });
    const refused = (r: Awaited<ReturnType<typeof agent>>, name: string) => {
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().error.details).toEqual([
        expect.objectContaining({
          kind: 'Agent',
          name,
          path: '/spec/oauthClientId',
          message: expect.stringMatching(
            new RegExp(`^only an admin may set, change or remove the oauthClientId of Agent ${name}`),
          ),
        }),
      ]);
    };
    refused(await agent('pat-client-bot', { oauthClientId: 'pats-client' }), 'pat-client-bot');
    refused(await agent('support-bot-eu', { oauthClientId: 'pats-client' }), 'support-bot-eu');
    // Through an apply as well, naming the file.
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      token: tokens['pat.platform'],
      payload: {
        files: [
          {
            path: 'agents.yaml',
            content:
              'apiVersion: fulcrum/v1\nkind: Agent\nmetadata: { name: support-bot-eu }\nspec:\n  initiative: support-deflection\n' +
              '  archetype: support-agent\n  owner: omar.owner\n  oauthClientId: pats-client\n',
          },
        ],
      },
    });
    expect(applied.statusCode, applied.body).toBe(403);
    expect(applied.body).toMatch(/only an admin may set, change or remove the oauthClientId of Agent support-bot-eu/);
    // An admin binds it; platform then neither moves nor removes it, but edits the rest of the agent.
    expect((await agent('support-bot-eu', { oauthClientId: 'eu-client' }, tokens['ada.admin'])).statusCode).toBe(200);
    refused(await agent('support-bot-eu', { oauthClientId: 'pats-client' }), 'support-bot-eu');
    refused(await agent('support-bot-eu', {}), 'support-bot-eu');
    const edited = await agent('support-bot-eu', { oauthClientId: 'eu-client', framework: 'openai-agents-sdk' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await agent('support-bot-eu', { framework: 'openai-agents-sdk' }, tokens['ada.admin'])).statusCode).toBe(200);
    const { items } = (await t.request({ method: 'GET', url: '/v1/registry/changes?limit=1000' })).json() as {
      items: Array<{ kind: string; name: string; actor: string }>;
    };
    expect(items.filter((c) => c.name === 'pat-client-bot')).toEqual([]);
  });
});
