// Text no database can store as sent: a NUL character (PostgreSQL's text refuses it; SQLite stored
// it) and a lone UTF-16 surrogate (stored as U+FFFD by both, and unreadable by cedar-wasm). What a
// person sends (bodies of person routes, query strings, path segments, descriptors applied as YAML
// or JSON) is refused, 400 or 422 naming the field, and nothing is written; an incident's title
// was a 500 on PostgreSQL, a lookup by an id holding a NUL too, and a lone surrogate in an Agent's
// spec stopped every decision on both engines. What an agent sends as evidence is stored as sent
// where it is stored as JSON (a tool call's arguments), as docs/api.md says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

const NUL = 'holds a NUL character (U+0000)';
const LONE = 'holds a lone surrogate';

describe.each(ENGINES)('text no database can store, on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  const decide = (orderId: string) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount: 5, orderId }, dataDomains: ['customer-records'] },
    });

  it('an incident whose title or description holds one is refused, naming the field, and none is opened', async () => {
    for (const [text, said] of [
      ['refund loop\u0000', NUL],
      ['refund loop \ud83d', LONE],
    ] as const) {
      const r = await t.request({ method: 'POST', url: '/v1/incidents', payload: { title: text, severity: 'sev3' } });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({
        code: 'bad_request',
        message: expect.stringContaining(`/title ${said}`),
        details: [{ path: '/title', message: expect.stringContaining(said) }],
      });
      const d = await t.request({
        method: 'POST',
        url: '/v1/incidents',
        payload: { title: 'refund loop', description: text, severity: 'sev3' },
      });
      expect(d.statusCode, d.body).toBe(400);
      expect(d.json().error.details).toEqual([{ path: '/description', message: expect.stringContaining(said) }]);
    }
    expect((await t.request({ method: 'GET', url: '/v1/incidents' })).json().items).toEqual([]);
  });

  it('a query string or a path segment holding a NUL is refused, naming it', async () => {
    for (const [url, path] of [
      ['/v1/audit?agent=support-bot-eu%00', 'querystring/agent'],
      ['/v1/approvals?agent=support-bot-eu%00', 'querystring/agent'],
      ['/v1/approvals/apr_x%00', 'params/id'],
      ['/v1/incidents/inc_x%00', 'params/id'],
    ]) {
      const r = await t.request({ method: 'GET', url });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
      expect(r.json().error).toMatchObject({
        code: 'bad_request',
        message: `${path} ${NUL}, which Fulcrum does not store: remove it`,
        details: [{ path, message: expect.stringContaining(NUL) }],
      });
    }
  });

  it('a descriptor holding one is refused, by PUT or applied as YAML, and decisions go on', async () => {
    const spec = { initiative: 'support-deflection', archetype: 'support-agent', owner: 'omar.owner' };
    for (const [framework, said] of [
      ['langgraph\u0000', NUL],
      ['langgraph\ud800', LONE],
    ] as const) {
      const put = await t.request({ method: 'PUT', url: '/v1/agents/odd-bot', payload: { spec: { ...spec, framework } } });
      expect(put.statusCode, put.body).toBe(400);
      expect(put.json().error.details).toEqual([{ path: '/spec/framework', message: expect.stringContaining(said) }]);
    }
    for (const [spelt, said] of [
      ['\\0', NUL],
      ['\\ud800', LONE],
    ] as const) {
      const content = [
        'apiVersion: fulcrum/v1',
        'kind: Agent',
        'metadata:',
        '  name: odd-bot',
        'spec:',
        '  initiative: support-deflection',
        '  archetype: support-agent',
        '  owner: omar.owner',
        `  framework: "langgraph${spelt}"`,
        '',
      ].join('\n');
      const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: [{ path: 'odd.yaml', content }] } });
      expect(applied.statusCode, applied.body).toBe(422);
      expect(applied.json().error.details).toEqual([
        expect.objectContaining({ file: 'odd.yaml', line: 9, path: '/spec/framework', message: expect.stringContaining(said) }),
      ]);
    }
    expect((await t.request({ method: 'GET', url: '/v1/agents/odd-bot' })).statusCode).toBe(404);
    const after = await decide('after');
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json().decision).toBe('approval_required');
  });

  it('a tool call’s arguments are evidence: one holding a NUL is decided, and its approval keeps it as sent', async () => {
    const r = await decide('ord\u00001');
    expect(r.statusCode, r.body).toBe(200);
    const approval = await t.request({ method: 'GET', url: `/v1/approvals/${r.json().approvalId}` });
    expect(approval.json().arguments).toEqual({ amount: 5, orderId: 'ord\u00001' });
  });
});
