// Who may call what, route by route: every operation of the OpenAPI document the server serves is
// called as every kind of caller (no credential, a Person with no role and with each role, a Person
// with the admin role, the admin token, an agent's key, an agent's OAuth access token, a telemetry
// collector's key), and whether it gets past authentication and the permission checks (any answer but
// 401 and 403) is held to the table below, which is docs/auth.md's role table route by route. An
// operation the table does not name fails the test: a new route says who may call it here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_INFO, KINDS } from '../../src/registry/kinds.js';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { type HandIssuer, startHandIssuer } from '../support/oidc.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PUBLIC = 'http://127.0.0.1:4199';

/** The callers, least privileged first (the order the calls are made in: a write allowed to one
 *  caller never hides what an earlier caller was refused). */
const CALLERS = [
  'none',
  'nobody', // a Person with no role
  'viewer',
  'approver',
  'reviewer:risk',
  'owner', // omar.owner: owns the Agent support-bot-eu and the TelemetryCollector otel, not the Initiative
  'platform',
  'agentKey',
  'oauthToken',
  'collectorKey',
  'admin', // a Person with the admin role
  'adminToken',
] as const;
type Caller = (typeof CALLERS)[number];

const READERS: Caller[] = ['viewer', 'approver', 'reviewer:risk', 'owner', 'platform', 'admin', 'adminToken'];
const WRITERS: Caller[] = ['platform', 'admin', 'adminToken'];
const AGENTS: Caller[] = ['agentKey', 'oauthToken'];
const TELEMETRY: Caller[] = ['agentKey', 'oauthToken', 'collectorKey'];
const PUBLIC_ROUTE = 'public';

/** Who gets through, per operationId (docs/auth.md "Roles"; the targets are those of `target` below). */
const TABLE: Record<string, Caller[] | typeof PUBLIC_ROUTE> = {
  getHealth: PUBLIC_ROUTE,
  getAuthSession: PUBLIC_ROUTE,
  startLogin: PUBLIC_ROUTE,
  finishLogin: PUBLIC_ROUTE,
  logout: PUBLIC_ROUTE,
  startDeviceLogin: PUBLIC_ROUTE,
  pollDeviceLogin: PUBLIC_ROUTE,
  getProtectedResourceMetadata: PUBLIC_ROUTE,
  getMcpProtectedResourceMetadata: PUBLIC_ROUTE,
  getAuditPublicKey: PUBLIC_ROUTE,
  // Anyone Fulcrum knows may ask who they are; an access token only works on agent routes.
  getWhoami: ['nobody', ...READERS, 'agentKey', 'collectorKey'],
  listRegistryChanges: READERS,
  exportRegistry: READERS,
  applyDescriptors: WRITERS,
  // dana.lee's tokens: the admin token's, or hers (a person with the admin role manages their own only).
  createPersonToken: ['adminToken'],
  listPersonTokens: ['adminToken'],
  revokePersonToken: ['adminToken'],
  // dana.lee's sign-in sessions: hers, or an admin's, a person with the admin role too (ending a session
  // takes power away, never gives it).
  listPersonSessions: ['admin', 'adminToken'],
  endPersonSession: ['admin', 'adminToken'],
  endPersonSessions: ['admin', 'adminToken'],
  // support-bot-eu and otel are omar.owner's.
  createAgentKey: ['owner', 'platform', 'admin', 'adminToken'],
  listAgentKeys: ['owner', 'platform', 'admin', 'adminToken'],
  revokeAgentKey: ['owner', 'platform', 'admin', 'adminToken'],
  createTelemetryCollectorKey: ['owner', 'platform', 'admin', 'adminToken'],
  listTelemetryCollectorKeys: ['owner', 'platform', 'admin', 'adminToken'],
  revokeTelemetryCollectorKey: ['owner', 'platform', 'admin', 'adminToken'],
  decide: AGENTS,
  reportDecisionOutcome: AGENTS,
  simulateDecision: READERS,
  // An agent's key reads its own approvals (the long poll); access tokens are for the agent routes only.
  listApprovals: [...READERS, 'agentKey'],
  getApproval: [...READERS, 'agentKey'],
  approveApproval: ['approver', 'admin', 'adminToken'],
  denyApproval: ['approver', 'admin', 'adminToken'],
  suspendAgent: ['owner', 'platform', 'admin', 'adminToken'],
  // The owner lifts only a suspension they made: platform suspended it after them.
  resumeAgent: WRITERS,
  listShadowAgents: READERS,
  listEffectivePolicies: READERS,
  listAuditEntries: READERS,
  verifyAudit: READERS,
  getAuditCheckpoint: READERS,
  // Where backups go and how old the last is: what an on-call reader needs, nothing an agent does.
  getBackupStatus: READERS,
  reportEvents: TELEMETRY,
  exportTraces: TELEMETRY,
  getCosts: READERS,
  getOutcomes: READERS,
  listMeasurements: READERS,
  // support-deflection is dana.lee's.
  recordMeasurement: WRITERS,
  openIncident: ['approver', 'reviewer:risk', 'owner', 'platform', 'admin', 'adminToken'],
  listIncidents: READERS,
  getIncident: READERS,
  transitionIncident: ['approver', 'reviewer:risk', 'owner', 'platform', 'admin', 'adminToken'],
  addIncidentNote: ['approver', 'reviewer:risk', 'owner', 'platform', 'admin', 'adminToken'],
  // It stops the Art. 73 clock: those who may close the incident (it has no owner).
  reportIncident: ['reviewer:risk', 'platform', 'admin', 'adminToken'],
  getRiskQuestionnaire: READERS,
  assessRisk: ['reviewer:risk', 'platform', 'admin', 'adminToken'],
  listRiskAssessments: READERS,
  promoteInitiative: WRITERS,
  // The open review (tier low) needs a platform sign-off: the sample gives it.
  signOffReview: WRITERS,
  listReviews: READERS,
  getReview: READERS,
  getMonitorStatus: READERS,
  evaluateMonitors: WRITERS,
  getRetention: READERS,
  putRetention: WRITERS,
  purgeRetention: WRITERS,
  exportEvidence: READERS,
  getDiagnostic: READERS,
  getPlan: READERS,
  getRoi: READERS,
  getSignals: READERS,
  importSpend: WRITERS,
  listSpendImports: READERS,
  withdrawSpendImport: WRITERS,
  getAlignment: READERS,
  getReport: READERS,
  getPortfolio: READERS,
  // docs/mcp.md: any role that reads the registry (the node connects to the upstream).
  discoverMcpTools: READERS,
  getSpendLimitStatus: READERS,
  listSpendLimitStatus: READERS,
  mcp: AGENTS,
  openaiChatCompletions: AGENTS,
  openaiResponses: AGENTS,
  openaiEmbeddings: AGENTS,
  anthropicMessages: AGENTS,
  openaiListModels: AGENTS,
};

/** A registry kind's own routes (`/v1/<plural>`, `/v1/<plural>/{name}`): every reader reads, platform and admins write. */
const REGISTRY_PATHS = new Set(KINDS.flatMap((k) => [`/v1/${KIND_INFO[k].plural}`, `/v1/${KIND_INFO[k].plural}/{name}`]));
const PEOPLE = {
  nobody: [],
  viewer: ['viewer'],
  approver: ['approver'],
  'reviewer:risk': ['reviewer:risk'],
  platform: ['platform'],
  admin: ['admin'],
};
const NAMES: Record<string, string> = {
  agents: 'support-bot-eu',
  initiatives: 'support-deflection',
  budgets: 'fy2026',
  'mcp-servers': 'everything',
  'telemetry-collectors': 'otel',
  people: 'dana.lee',
};
const LOOKUP = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };
const BODIES: Record<string, object> = {
  pollDeviceLogin: { deviceCode: 'x' },
  decide: LOOKUP,
  reportDecisionOutcome: { outcome: 'success', durationMs: 1 },
  simulateDecision: { agent: 'support-bot-eu', request: LOOKUP },
  suspendAgent: { reason: 'a test' },
  resumeAgent: { reason: 'a test' },
  reportEvents: { events: [] },
  exportTraces: { resourceSpans: [] },
  recordMeasurement: { metric: 'deflection-rate', value: 1, period: '2026-01' },
  openIncident: { title: 'a test', severity: 'sev3' },
  transitionIncident: { to: 'mitigated' },
  addIncidentNote: { note: 'a test' },
  reportIncident: { reference: 'a test' },
  assessRisk: { answers: {} },
  promoteInitiative: { to: 'scaled' },
  signOffReview: { role: 'platform', decision: 'approve' },
  putRetention: {},
  mcp: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  openaiChatCompletions: { model: 'gpt-4o-mini', messages: [] },
  openaiResponses: { model: 'gpt-4o-mini' },
  openaiEmbeddings: { model: 'gpt-4o-mini', input: 'x' },
  anthropicMessages: { model: 'gpt-4o-mini', messages: [], max_tokens: 1 },
};

type Operation = { operationId: string; security?: unknown[] };

describe.each(ENGINES)('who may call each operation (%s)', (engine) => {
  let t: TestServer;
  let hand: HandIssuer;
  let doc: { paths: Record<string, Record<string, Operation>> };
  const credential: Partial<Record<Caller, string>> = {};
  let oauthForMcp: string;
  const ids: Record<string, string> = {};
  let bundle: object;

  const admin = async (method: string, url: string, payload?: object, status = [200, 201]) => {
    const res = await t.request({ method: method as 'GET', url, ...(payload !== undefined ? { payload } : {}) });
    expect(status, `${method} ${url}: ${res.body}`).toContain(res.statusCode);
    return res.json();
  };

  beforeAll(async () => {
    hand = await startHandIssuer();
    t = await startTestServer(engine, {
      identity: { publicUrl: PUBLIC, agentTokenIssuer: hand.issuer, sessionSeconds: 3600, jwksCooldownMs: 0 },
      // Every refusal here is a failed credential from one address.
      authFailuresPerMinute: 1_000_000,
    });
    await admin('POST', '/v1/apply', { files: readMini() });
    for (const [role, roles] of Object.entries(PEOPLE)) {
      const name = `${role.replace(':', '-')}.person`;
      await admin('PUT', `/v1/people/${name}`, { spec: { displayName: name, roles } });
      credential[role as Caller] = (await admin('POST', `/v1/people/${name}/tokens`, {})).token;
    }
    credential.owner = (await admin('POST', '/v1/people/omar.owner/tokens', {})).token;
    credential.adminToken = 'fat_test-admin-token';
    const agent = await admin('GET', '/v1/agents/support-bot-eu');
    await admin('PUT', '/v1/agents/support-bot-eu', { spec: { ...agent.spec, oauthClientId: 'eu-client' } });
    await admin('PUT', '/v1/telemetry-collectors/otel', { spec: { owner: 'omar.owner', agents: ['support-bot-eu'] } });
    credential.agentKey = (await admin('POST', '/v1/agents/support-bot-eu/keys', {})).key;
    credential.collectorKey = (await admin('POST', '/v1/telemetry-collectors/otel/keys', {})).key;
    const now = Math.floor(Date.now() / 1000);
    const claims = { client_id: 'eu-client', sub: 'eu-client', iat: now, exp: now + 3600 };
    credential.oauthToken = await hand.sign({ ...claims, aud: PUBLIC });
    oauthForMcp = await hand.sign({ ...claims, aud: `${PUBLIC}/mcp` });
    // Something of each kind to act on: an incident, an approval, a review needing a platform sign-off.
    ids.incidents = (await admin('POST', '/v1/incidents', { title: 'target', severity: 'sev3' })).id;
    const asked = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: credential.agentKey,
      payload: {
        action: 'tool.call',
        tool: 'crm.refund',
        arguments: { amount: 900, orderId: 'o-1' },
        dataDomains: ['customer-records'],
      },
    });
    ids.approvals = asked.json().approvalId;
    expect(ids.approvals, asked.body).toEqual(expect.any(String));
    const initiative = await admin('GET', '/v1/initiatives/support-deflection');
    await admin('PUT', '/v1/initiatives/support-deflection', { spec: { ...initiative.spec, riskTier: 'low' } });
    ids.reviews = (await admin('POST', '/v1/initiatives/support-deflection/promotions', { to: 'scaled' })).id;
    bundle = { files: (await admin('GET', '/v1/export')).files };
    doc = (await t.request({ method: 'GET', url: '/openapi.json', token: null })).json();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await hand?.stop();
  });

  /** The request an operation is called with: its path's names filled in, and a body the route reads. */
  const sample = async (p: string, method: string, op: Operation) => {
    const kind = p.split('/')[2] as string;
    let url = p
      .replace('{name}', NAMES[kind] ?? 'no-such-thing')
      .replace('{id}', ids[kind] ?? 'no-such-id')
      .replace(/\{\w+\}/g, 'no-such-id');
    let payload = op.operationId === 'applyDescriptors' ? bundle : BODIES[op.operationId];
    if (/^\/v1\/[a-z-]+\/\{name\}$/.test(p) && method === 'put') {
      // The descriptor as it is (an unchanged write), or none where the mini enterprise has none.
      const got = await t.request({ method: 'GET', url });
      payload = got.statusCode === 200 ? { spec: got.json().spec } : { spec: {} };
    }
    if (/^\/v1\/[a-z-]+\/\{name\}$/.test(p) && method === 'delete') url = p.replace('{name}', 'no-such-thing');
    if (payload === undefined && method !== 'get' && method !== 'delete') payload = {};
    return { url, payload };
  };

  it('lets through exactly the callers docs/auth.md names, on every operation', async () => {
    const unlisted: string[] = [];
    const served = new Set<string>();
    const wrong: string[] = [];
    for (const [p, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        let allowed = TABLE[op.operationId];
        if (allowed === undefined && REGISTRY_PATHS.has(p)) allowed = method === 'get' ? READERS : WRITERS;
        served.add(op.operationId);
        if (allowed === undefined) {
          unlisted.push(op.operationId);
          continue;
        }
        const isPublic = op.security?.length === 0;
        expect(isPublic, `${op.operationId}: public in the document`).toBe(allowed === PUBLIC_ROUTE);
        if (allowed === PUBLIC_ROUTE) continue;
        const { url, payload } = await sample(p, method, op);
        for (const who of CALLERS) {
          const token = who === 'oauthToken' && p === '/mcp' ? oauthForMcp : (credential[who] ?? null);
          const res = await t.request({
            method: method.toUpperCase() as 'GET',
            url,
            token,
            ...(payload !== undefined ? { payload } : {}),
          });
          const through = res.statusCode !== 401 && res.statusCode !== 403;
          if (through !== allowed.includes(who))
            wrong.push(`${op.operationId} as ${who}: ${res.statusCode} ${res.body.slice(0, 160)}`);
          if (who === 'none' && res.statusCode !== 401) wrong.push(`${op.operationId} with no credential: ${res.statusCode}`);
          // A caller who may not read incidents, approvals or reviews is refused one that does not exist
          // too: a 404 told an agent's key, or a Person with no role, which ids exist (they count up).
          if (!allowed.includes(who) && !READERS.includes(who) && /\{id\}/.test(p) && ids[p.split('/')[2] as string]) {
            const none = await t.request({
              method: method.toUpperCase() as 'GET',
              url: url.replace(ids[p.split('/')[2] as string] as string, 'zzz_no-such-id'),
              token,
              ...(payload !== undefined ? { payload } : {}),
            });
            if (none.statusCode !== 401 && none.statusCode !== 403)
              wrong.push(`${op.operationId} as ${who}, an id that does not exist: ${none.statusCode} ${none.body.slice(0, 160)}`);
          }
        }
      }
    expect(unlisted, 'operations the table does not say who may call').toEqual([]);
    expect(
      Object.keys(TABLE).filter((id) => !served.has(id)),
      'table entries no operation has',
    ).toEqual([]);
    expect(wrong).toEqual([]);
  }, 180_000);
});
