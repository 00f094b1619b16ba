// The named lists on the example enterprise: stalled pilots, sprawl, and where AI is not ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('GET /v1/signals on the example enterprise', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(ACME) } });
  });
  afterAll(async () => t?.close());

  it('names stalled pilots, ad-hoc and near-duplicate agents, and initiatives on unready data', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/signals' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.stalledPilots.map((p: { initiative: string }) => p.initiative)).toContain('invoice-matching');
    for (const p of s.stalledPilots) expect(p.days).toBeGreaterThan(180);
    expect(s.agentSprawl.adHoc).toEqual(['deal-desk-gpt']);
    expect(s.agentSprawl.perArchetype.map((a: { archetype: string }) => a.archetype).sort()).toEqual([
      'finance-reconciliation-agent',
      'it-remediation-agent',
      'support-agent',
    ]);
    for (const d of s.agentSprawl.nearDuplicates) expect(d.similarity).toBeGreaterThanOrEqual(0.6);
    const unready = s.notReady.onUnreadyData.find((x: { initiative: string }) => x.initiative === 'invoice-matching');
    expect(unready.dataDomains).toContain('vendor-invoices');
    expect(s.notReady.withoutMeasuredOutcomes.length).toBeGreaterThan(0);
  });
});
