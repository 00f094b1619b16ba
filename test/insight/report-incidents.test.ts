// Found by review: the board report listed every incident of the last 90 days, and every open one, in
// its JSON, Markdown, HTML (the console's page) and PDF: a bad quarter made it hundreds of rows a board
// will not read (and a PDF of many pages). It now counts them by severity and status and lists the
// most pressing few, saying how many more there are.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { pdfText } from '../support/pdf.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const MANY = 400;
const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
const STATUSES = ['open', 'mitigated', 'resolved', 'closed'] as const;

describe.each(ENGINES)('the board report with many incidents on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    const now = Date.now();
    // Three sev1s among many lesser ones, spread over the last 80 days; and 50 older, still open.
    const rows = Array.from({ length: MANY + 50 }, (_, i) => {
      const at = new Date(now - (i < MANY ? (i % 80) * 86_400_000 + i * 1000 : 120 * 86_400_000 + i * 1000)).toISOString();
      return {
        id: `inc-${String(i).padStart(4, '0')}`,
        title: i < 3 ? `outage ${i}` : `minor ${i}`,
        description: '',
        severity: i < 3 ? ('sev1' as const) : (SEVERITIES[1 + (i % 3)] ?? 'sev4'),
        status: i >= MANY ? ('open' as const) : (STATUSES[i % 4] ?? 'open'),
        owner: null,
        agents: '[]',
        initiatives: '[]',
        // The first of the older ones: a serious incident whose Art. 73 report is overdue (listed
        // first, however old: found by review, it was counted and never listed).
        serious: i === MANY ? 1 : 0,
        serious_kind: i === MANY ? 'other' : null,
        aware_at: at,
        report_due_at: i === MANY ? new Date(now - 100 * 86_400_000).toISOString() : null,
        reported_at: null,
        report_reference: null,
        source: 'manual',
        opened_at: at,
        updated_at: at,
      };
    });
    for (let i = 0; i < rows.length; i += 100)
      await t.app.database.db
        .insertInto('incidents')
        .values(rows.slice(i, i + 100))
        .execute();
  }, 60_000);
  afterAll(async () => t?.close());

  it('json counts them by severity and status and lists the most severe first, at most a page', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/report?format=json' });
    expect(res.statusCode).toBe(200);
    const { incidents } = res.json();
    expect(incidents.recentCount).toBe(MANY);
    expect(incidents.openCount).toBe(MANY / 4 + MANY / 4 + 50);
    expect(incidents.recentBySeverity.sev1).toBe(3);
    expect(Object.values(incidents.recentBySeverity).reduce((a: number, b) => a + (b as number), 0)).toBe(MANY);
    expect(incidents.recentByStatus).toEqual({ open: 100, mitigated: 100, resolved: 100, closed: 100 });
    expect(incidents.recent).toHaveLength(incidents.listed);
    expect(incidents.listed).toBeLessThanOrEqual(20);
    expect(incidents.open.length).toBeLessThanOrEqual(incidents.listed);
    expect(incidents.recent.slice(0, 3).map((i: { severity: string }) => i.severity)).toEqual(['sev1', 'sev1', 'sev1']);
  });

  it('markdown, html and pdf list that page and say how many more there are', async () => {
    const { incidents } = (await t.request({ method: 'GET', url: '/v1/report?format=json' })).json();
    // Drawn from the last 90 days' and the older ones still open.
    expect(incidents.pressingCount).toBe(MANY + 50);
    expect(incidents.pressing[0].title).toBe(`minor ${MANY}`);
    const more = `and ${MANY + 50 - incidents.listed} more`;
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    expect(md.split('\n').filter((l) => /^\| \d{4}-\d\d-\d\d \| sev/.test(l))).toHaveLength(incidents.listed);
    expect(md).toContain(more);
    expect(md).toContain('sev1 3');
    expect(md).toMatch(new RegExp(`\\| minor ${MANY} \\| Art\\. 73 due \\d{4}-\\d\\d-\\d\\d \\(OVERDUE\\)`));
    const html = (await t.request({ method: 'GET', url: '/v1/report?format=html' })).body;
    expect(html.match(/minor \d+|outage \d/g)).toHaveLength(incidents.listed);
    expect(html).toContain(more);
    const pdf = await t.request({ method: 'GET', url: '/v1/report?format=pdf' });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/ ?\n/g, ' ');
    expect(text).toContain(more);
    expect(text.match(/minor \d+|outage \d/g)).toHaveLength(incidents.listed);
  }, 60_000);
});
