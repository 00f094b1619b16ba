// The board report and the plan with more incidents than they used to read: both took the 1,000
// newest incidents into memory and counted and picked from those, so past 1,000 the report's counts
// were short, and an older incident still open (an overdue serious one, a sev1 blocking a scale-up)
// went unlisted and the plan did not see it. Counts now come from SQL aggregates over every
// incident, and only the rows listed are read, in the report's order (pressing() in report.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentTable } from '../../src/db/schema.js';
import { type Incident, reportingClock } from '../../src/governance/incidents.js';
import type { Plan } from '../../src/insight/plan.js';
import { pressing, REPORT_INCIDENTS_LISTED } from '../../src/insight/report.js';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

const RECENT = 1_200;
const OLDER_OPEN = 30;
const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
const STATUSES = ['open', 'mitigated', 'resolved', 'closed'] as const;
const DAY = 86_400_000;
const idOf = (i: number) => `inc-${String(i).padStart(5, '0')}`;

describe.each(ENGINES)('the board report and the plan with %s incidents past the old 1,000', (engine) => {
  let t: TestServer;
  let rows: IncidentTable[];

  beforeAll(async () => {
    ({ t } = await startMini(engine));
    const now = Date.now();
    // RECENT over the last 80 days, every severity and status, a few serious (one overdue); then,
    // older than all of them, OLDER_OPEN still open: the first a serious one overdue, the second a
    // sev1 on support-deflection (a production initiative the plan would scale).
    rows = Array.from({ length: RECENT + OLDER_OPEN }, (_, i) => {
      const older = i >= RECENT;
      const at = new Date(now - (older ? 120 * DAY + i * 1000 : (i % 80) * DAY + i * 1000)).toISOString();
      const serious = i % 97 === 0 || i === RECENT;
      return {
        id: idOf(i),
        title: `incident ${i}`,
        description: 'x'.repeat(200),
        severity: i === RECENT + 1 ? 'sev1' : (SEVERITIES[(i * 7) % 4] ?? 'sev4'),
        status: older ? 'open' : (STATUSES[i % 4] ?? 'open'),
        owner: null,
        agents: '[]',
        initiatives: i === RECENT + 1 ? '["support-deflection"]' : '[]',
        serious: serious ? 1 : 0,
        serious_kind: serious ? 'other' : null,
        aware_at: at,
        report_due_at: serious ? new Date(Date.parse(at) + (i % 2 === 0 ? 15 : 200) * DAY).toISOString() : null,
        reported_at: serious && i % 3 === 0 && i !== RECENT ? at : null,
        report_reference: null,
        source: 'manual',
        opened_at: at,
        updated_at: at,
      } satisfies IncidentTable;
    });
    for (let i = 0; i < rows.length; i += 200)
      await t.app.database.db
        .insertInto('incidents')
        .values(rows.slice(i, i + 200))
        .execute();
  }, 120_000);
  afterAll(async () => t?.close());

  /** The rows as the report's order ranks them, most pressing first (as they were ranked in memory). */
  const ranked = (keep: (r: IncidentTable) => boolean) =>
    rows
      .filter(keep)
      .map((r) => ({
        id: r.id,
        severity: r.severity,
        status: r.status,
        seriousIncident: r.serious === 1,
        reporting: reportingClock(r),
        openedAt: r.opened_at,
      }))
      .sort((a, b) => pressing(a as Incident, b as Incident) || b.id.localeCompare(a.id))
      .map((r) => r.id);

  it('counts every incident and lists the most pressing of all of them', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/report?format=json' });
    expect(res.statusCode).toBe(200);
    const { incidents } = res.json();
    const since = new Date(Date.now() - 90 * DAY).toISOString();
    const recent = rows.filter((r) => r.opened_at >= since);
    const open = rows.filter((r) => r.status === 'open' || r.status === 'mitigated');
    expect(recent).toHaveLength(RECENT);
    expect(incidents.recentCount).toBe(RECENT);
    expect(incidents.openCount).toBe(open.length);
    expect(incidents.pressingCount).toBe(RECENT + OLDER_OPEN);
    expect(incidents.recentBySeverity).toEqual(
      Object.fromEntries(SEVERITIES.map((s) => [s, recent.filter((r) => r.severity === s).length])),
    );
    expect(incidents.recentByStatus).toEqual(Object.fromEntries(STATUSES.map((s) => [s, RECENT / 4])));
    const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);
    const listed = incidents.listed as number;
    expect(ids(incidents.pressing)).toEqual(ranked((r) => recent.includes(r) || open.includes(r)).slice(0, listed));
    expect(ids(incidents.open)).toEqual(ranked((r) => open.includes(r)).slice(0, listed));
    expect(ids(incidents.recent)).toEqual(ranked((r) => recent.includes(r)).slice(0, listed));
    // The old serious incident whose report is overdue is listed, among the recent overdue ones.
    const old = (incidents.pressing as Incident[]).find((i) => i.id === idOf(RECENT));
    expect(old?.reporting?.overdue).toBe(true);
    expect((incidents.pressing as Incident[]).filter((i) => i.reporting?.overdue)).toHaveLength(4);
  }, 60_000);

  it('the plan sees an open sev1 older than the 1,000 newest incidents, and names the most pressing few', async () => {
    // 25 open sev2s on the same initiative, newer than the sev1: one blocker each made 26.
    const at = new Date(Date.now() - DAY).toISOString();
    await t.app.database.db
      .insertInto('incidents')
      .values(
        Array.from({ length: 25 }, (_, k) => ({
          ...(rows[RECENT + 1] as IncidentTable),
          id: `inc-new-${k}`,
          severity: 'sev2' as const,
          opened_at: at,
          aware_at: at,
          updated_at: at,
        })),
      )
      .execute();
    const res = await t.request({ method: 'GET', url: '/v1/plan' });
    expect(res.statusCode, res.body).toBe(200);
    const support = (res.json() as Plan).initiatives.find((i) => i.name === 'support-deflection');
    const blockers = support?.blockers.filter((b) => b.gap === 'open-incident') ?? [];
    expect(blockers).toHaveLength(REPORT_INCIDENTS_LISTED + 1);
    // The sev1 first, however old; then nine sev2s, and the rest counted.
    expect(blockers[0]?.detail).toContain(`incident ${idOf(RECENT + 1)} (sev1`);
    expect(blockers.slice(1, -1).every((b) => /\(sev2: /.test(b.detail))).toBe(true);
    expect(blockers.at(-1)?.detail).toBe('16 more severe or serious incidents are still open under it');
    const named = support?.evidence.find((e) => e.label.startsWith('open incidents'))?.value;
    expect(named).toMatch(new RegExp(`^${idOf(RECENT + 1)} \\(sev1\\), inc-new-\\d+ \\(sev2\\).* and 16 more$`));
  }, 60_000);
});
