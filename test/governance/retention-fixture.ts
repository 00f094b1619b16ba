// What the retention tests share: the admin who purges, a date some days from now (a purge at a
// later date is one run that much later), initiatives and agents to move between, and an agent's
// decisions made and counted.
import { expect } from 'vitest';
import type { Engine } from '../support/databases.js';
import { MINI, readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

export const ADMIN = { type: 'admin', id: 'admin' } as const;
export const days = (n: number) => new Date(Date.now() + n * 86_400_000);

/** An Initiative's spec at `riskTier`, owned and overseen by the mini enterprise's dana.lee. */
export const initiative = (name: string, riskTier: string) => ({
  spec: {
    title: name,
    type: 'agent',
    riskTier,
    stage: 'proposed',
    owner: 'dana.lee',
    businessUnit: 'cx',
    oversightOwner: 'dana.lee',
    incidentOwner: 'dana.lee',
  },
});
/** A support Agent's spec in `initiative`. */
export const agentIn = (initiative: string) => ({
  spec: { initiative, archetype: 'support-agent', owner: 'dana.lee', framework: 'openai-agents-sdk' },
});

/** `n` allowed crm.lookup calls, one after another, by the agent whose key is `key`. */
export async function decideTimes(t: TestServer, key: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const d = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: `c${i}` } },
    });
    expect(d.statusCode, d.body).toBe(200);
  }
}

/** How many decisions of `agent` the audit log holds. */
export async function decisionsOf(t: TestServer, agent: string): Promise<number> {
  const rows = await t.app.database.db
    .selectFrom('audit_entries')
    .select('id')
    .where('agent', '=', agent)
    .where('kind', '=', 'decision')
    .execute();
  return rows.length;
}

/**
 * A server with the mini enterprise and a low-risk initiative `faq` in production (its agents' logs
 * have no floor), with its agent `faq-bot` unless `agent` is false.
 */
export async function startWithFaq(engine: Engine, { agent = true } = {}): Promise<TestServer> {
  const t = await startTestServer(engine);
  const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
  expect(applied.statusCode, applied.body).toBe(200);
  const faq = await t.request({
    method: 'PUT',
    url: '/v1/initiatives/faq',
    payload: {
      spec: { title: 'FAQ', type: 'chatbot', riskTier: 'low', stage: 'production', owner: 'dana.lee', businessUnit: 'cx' },
    },
  });
  expect(faq.statusCode, faq.body).toBe(201);
  if (agent) {
    const bot = await t.request({ method: 'PUT', url: '/v1/agents/faq-bot', payload: agentIn('faq') });
    expect(bot.statusCode, bot.body).toBe(201);
  }
  return t;
}
