// Incidents on every engine: forward-only status with a timeline, owners, the Art. 73 clocks,
// overdue reporting in the diagnostic, and every change in the audit log.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const DAY = 86_400_000;

describe.each(ENGINES)('incidents on %s', (engine) => {
  let t: TestServer;
  let viewer: string;
  const open = (body: object, token?: string) =>
    t.request({ method: 'POST', url: '/v1/incidents', payload: body, ...(token ? { token } : {}) });
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    viewer = (await t.request({ method: 'POST', url: '/v1/people/vic.viewer/tokens' })).json().token;
  });
  afterAll(async () => t?.close());

  it('opens an incident linked to an agent, its initiative and the initiative’s incident owner', async () => {
    const res = await open({ title: 'Bot invented a returns policy', severity: 'sev2', agents: ['support-bot-eu'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^inc_/),
      status: 'open',
      severity: 'sev2',
      agents: ['support-bot-eu'],
      initiatives: ['support-deflection'],
      owner: 'dana.lee',
      seriousIncident: false,
      reporting: null,
    });
    expect((await open({ title: 'x', severity: 'sev9' })).statusCode).toBe(400);
    expect((await open({ title: 'x', severity: 'sev3', agents: ['ghost'] })).statusCode).toBe(422);
    expect((await open({ title: 'x', severity: 'sev3' }, viewer)).statusCode).toBe(403);
  });

  it('starts the Art. 73 clock: 15 days, 10 for a death, 2 for widespread or critical infrastructure', async () => {
    const awareAt = '2026-11-01T09:00:00.000Z';
    for (const [kind, days] of [
      ['other', 15],
      ['death', 10],
      ['widespread-infringement', 2],
      ['critical-infrastructure', 2],
    ] as const) {
      const res = await open({ title: `serious ${kind}`, severity: 'sev1', seriousIncident: true, seriousKind: kind, awareAt });
      expect(res.json().reporting.dueAt).toBe(new Date(Date.parse(awareAt) + days * DAY).toISOString());
    }
    const plain = await open({
      title: 'serious, kind unsaid',
      severity: 'sev1',
      seriousIncident: true,
      awareAt: new Date().toISOString(),
    });
    expect(plain.json().reporting).toMatchObject({ overdue: false, daysLeft: 14, reportedAt: null });
  });

  it('lists overdue serious incidents, stops the clock when reported, and tells the diagnostic', async () => {
    const overdue = (await t.request({ method: 'GET', url: '/v1/incidents?overdue=true' })).json().items;
    expect(overdue).toHaveLength(4);
    for (const i of overdue) expect(i.reporting.overdue).toBe(true);
    const governance = () =>
      t
        .request({ method: 'GET', url: '/v1/diagnostic' })
        .then((r) => r.json().areas.find((a: { area: string }) => a.area === 'governance'));
    expect((await governance()).evidence).toContainEqual({ label: 'serious incidents past their reporting deadline', value: 4 });
    for (const i of overdue) {
      const r = await t.request({
        method: 'POST',
        url: `/v1/incidents/${i.id}/report`,
        payload: { reference: `MSA-2026-${i.id}` },
      });
      expect(r.json().reporting).toMatchObject({ overdue: false, reportedAt: expect.any(String) });
    }
    const again = await t.request({ method: 'POST', url: `/v1/incidents/${overdue[0].id}/report`, payload: { reference: 'x' } });
    expect(again.statusCode).toBe(409);
    expect((await governance()).evidence).toContainEqual({ label: 'serious incidents past their reporting deadline', value: 0 });
    const notSerious = (await open({ title: 'minor', severity: 'sev4' })).json();
    expect(
      (await t.request({ method: 'POST', url: `/v1/incidents/${notSerious.id}/report`, payload: { reference: 'x' } })).statusCode,
    ).toBe(409);
  });

  it('moves only forward, keeps a timeline, and records every change in the audit log', async () => {
    const { id } = (await open({ title: 'Refund loop', severity: 'sev3', initiatives: ['support-deflection'] })).json();
    const move = (to: string, note?: string) =>
      t.request({ method: 'POST', url: `/v1/incidents/${id}/transitions`, payload: note ? { to, note } : { to } });
    expect((await move('mitigated', 'refunds paused')).json().status).toBe('mitigated');
    expect((await move('open')).statusCode).toBe(409);
    expect((await move('mitigated')).json().error.message).toMatch(/can only move forward/);
    expect((await move('closed', 'skipped resolved on purpose')).json().status).toBe('closed');
    await t.request({ method: 'POST', url: `/v1/incidents/${id}/notes`, payload: { note: 'post-mortem written' } });
    const full = (await t.request({ method: 'GET', url: `/v1/incidents/${id}`, token: viewer })).json();
    expect(full.timeline.map((e: { kind: string; status: string | null }) => `${e.kind}:${e.status ?? ''}`)).toEqual([
      'opened:open',
      'status:mitigated',
      'status:closed',
      'note:',
    ]);
    const acts = (await t.request({ method: 'GET', url: '/v1/audit?limit=1000' }))
      .json()
      .items.filter((e: { kind: string }) => e.kind.startsWith('incident.'));
    expect(
      acts.filter((e: { detail: { incident?: string } }) => e.detail.incident === id).map((e: { kind: string }) => e.kind),
    ).toEqual(['incident.status', 'incident.status', 'incident.opened']);
    expect((await t.request({ method: 'GET', url: '/v1/audit/verify' })).json().ok).toBe(true);
  });
});
