// The insight commands against a real server process: report, signals, budget import and alignment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI } from '../support/files.js';
import { spansExport } from '../support/otlp.js';
import { pdfText } from '../support/pdf.js';
import { cli as runCli, type ServedBundle, serveBundle } from '../support/process.js';

describe('fulcrum report, signals and budget', () => {
  let served: ServedBundle;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-cli-insight-'));
  const cli = (...args: string[]) => runCli(served.env, ...args);

  beforeAll(async () => {
    served = await serveBundle(MINI);
  });
  afterAll(async () => {
    await served?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes the report as a PDF file, prints Markdown, and refuses a PDF on stdout', async () => {
    const file = path.join(out, 'board.pdf');
    const pdf = await cli('report', '--format', 'pdf', '-o', file);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(pdf.stderr).toMatch(/wrote .*board\.pdf \(\d+ bytes\)/);
    expect(pdfText(fs.readFileSync(file))).toContain('Scale-or-fail scorecard');
    const md = await cli('report');
    expect(md.stdout).toMatch(/^# AI portfolio: board report/);
    const refused = await cli('report', '--format', 'pdf');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add -o FILE.pdf');
    expect((await cli('report', '--format', 'docx')).stderr).toContain('--format must be one of pdf, html, md, json');
  });

  it('imports a spend file all or nothing, naming each bad line, then shows it in the alignment', async () => {
    // A day of fy2026 (test/fixtures/mini) already past: dated today, the lines fell outside it from 2027 on.
    const day = '2026-11-30';
    const bad = path.join(out, 'bad.csv');
    fs.writeFileSync(bad, `date,category,amount,initiative,description\n${day},model-licences,100,,ok\n${day},snacks,-1,,bad\n`);
    const refused = await cli('budget', 'import', 'fy2026', '-f', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}: line 3: category "snacks"`);
    expect(refused.stderr).toContain(`${bad}: line 3: amount "-1"`);
    expect(refused.stderr).toContain('nothing was imported');

    const good = path.join(out, 'good.json');
    fs.writeFileSync(
      good,
      JSON.stringify({ lines: [{ date: day, category: 'data-integration', amount: 4321, description: 'connectors' }] }),
    );
    const ok = await cli('budget', 'import', 'fy2026', '-f', good);
    expect(ok.stdout).toMatch(/^imported 1 spend line\(s\) into fy2026 as spi_\S+, total 4,321\n$/);
    const importId = /as (spi_\S+),/.exec(ok.stdout)?.[1];
    // The same file again (a retry) books nothing, and says which import it already is.
    const again = await cli('budget', 'import', 'fy2026', '-f', good);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already imported as ${importId}`);
    expect((await cli('budget', 'imports', 'fy2026')).stdout).toContain(`${importId}  `);
    const json = JSON.parse((await cli('budget', 'alignment', 'fy2026', '--json')).stdout);
    expect(json.categories.find((c: { category: string }) => c.category === 'data-integration').actual).toBe(4321);
    const table = (await cli('budget', 'alignment', 'fy2026')).stdout;
    expect(table).toMatch(/data-integration\s+[\d,]+\s+[\d,]+\s+4,321/);
    expect((await cli('budget', 'alignment', 'nope')).stderr).toContain('no Budget named "nope"');
    expect((await cli('budget', 'import', 'fy2026')).code).toBe(2);
    // Nine CLI processes, each a Node start: past 30 s on a loaded 2-core machine (CI, 2026-12-07).
  }, 90_000);

  it('lists signals as text and as JSON', async () => {
    const json = JSON.parse((await cli('signals', '--json')).stdout);
    expect(Object.keys(json).sort()).toEqual([
      'agentSprawl',
      'attributionMismatches',
      'notReady',
      'stalledPilots',
      'unpricedModelCalls',
      'unpricedModelCallsTotal',
    ]);
    const text = (await cli('signals')).stdout;
    expect(text).toContain('Pilots stalled past 180 days');
    expect(text).toContain('Attribution mismatches: telemetry naming an agent its sender may not speak for (last 30 days) (0)');
    expect(text).toContain('Active initiatives without a measured outcome in the last 30 days (1)\n  support-deflection');
  });

  it('prints an ROI with nothing valued and a cost that leaves something out as such, never $0.00', async () => {
    // A cost booked to support-deflection today, USD and EUR; its outcome has no current value.
    const today = new Date().toISOString().slice(0, 10);
    const budgets = path.join(out, 'budgets.yaml');
    fs.writeFileSync(
      budgets,
      ['usd', 'eur']
        .map((b) =>
          [
            'apiVersion: fulcrum/v1',
            'kind: Budget',
            `metadata: { name: roi-${b} }`,
            'spec:',
            `  period: { from: "${today}", to: "${today}" }`,
            `  currency: ${b.toUpperCase()}`,
            `  actuals: [{ category: change-training, amount: 1234, date: "${today}", initiative: support-deflection }]`,
          ].join('\n'),
        )
        .join('\n---\n'),
    );
    const applied = await cli('apply', '-f', budgets);
    expect(applied.code, applied.stderr).toBe(0);
    const roi = await cli('roi', 'support-deflection');
    expect(roi.code, roi.stderr).toBe(0);
    // It printed "value  $0.00", "cost   $1,234.00" and "ROI    — (no cost recorded)".
    expect(roi.stdout).toMatch(/^value {2}not valued$/m);
    expect(roi.stdout).toMatch(/^ {2}resolution +not valued: no current value in the window$/m);
    expect(roi.stdout).toMatch(/^cost {3}at least \$1,234\.00$/m);
    expect(roi.stdout).toMatch(/^ {2}leaves out: EUR 1234 of spend lines booked to the initiative, not converted to USD$/m);
    expect(roi.stdout).toMatch(/^ROI {4}— \(not valued\)$/m);
    expect(roi.stdout).not.toContain('$0.00  (assumed');
  });

  it('says what a budget leaves out of its actuals: USD telemetry in another currency, calls without a price', async () => {
    // Found by review: the table read model-licences 0 (-100%) with the agents' USD model calls in no line.
    // Last: its task gives support-deflection a measured outcome and a cost, which the tests above have not.
    const today = new Date().toISOString().slice(0, 10);
    const file = path.join(out, 'eur.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: fulcrum/v1',
        'kind: Budget',
        'metadata: { name: fy-eur }',
        'spec:',
        `  period: { from: "${today}", to: "${today}" }`,
        '  currency: EUR',
        '  allocations: [{ category: model-licences, amount: 100 }]',
      ].join('\n'),
    );
    const applied = await cli('apply', '-f', file);
    expect(applied.code, applied.stderr).toBe(0);
    const key = (await cli('keys', 'create', '--agent', 'support-bot-eu')).stdout.trim();
    const sent = await fetch(`${served.env.FULCRUM_URL}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            type: 'task.completed',
            taskId: 'eur-1',
            outcome: 'resolved',
            durationMs: 1000,
            endedAt: new Date().toISOString(),
            costUsd: 12.5,
          },
        ],
      }),
    });
    expect(sent.status).toBe(200);
    // And a model call of a model nobody priced: a cost unknown, in no line (it read as nothing at all).
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const span = await fetch(`${served.env.FULCRUM_URL}/otlp/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        spansExport([
          {
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            spanId: '00f067aa0ba902b7',
            name: 'chat',
            startTimeUnixNano: String(start),
            endTimeUnixNano: String(start + 1_000_000n),
            attributes: [
              { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
              { key: 'gen_ai.request.model', value: { stringValue: 'nobody-priced-this' } },
              { key: 'gen_ai.usage.input_tokens', value: { intValue: 1000 } },
              { key: 'gen_ai.usage.output_tokens', value: { intValue: 10 } },
            ],
          },
        ]),
      ),
    });
    expect(span.status).toBe(200);
    const table = await cli('budget', 'alignment', 'fy-eur');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('not in these actuals: $12.50 of model calls measured in USD (no currency is converted)');
    expect(table.stdout).toContain(
      'not in these actuals: 1 model call(s) without a price, whose cost is unknown (fulcrum signals lists them)',
    );
  }, 60_000);
});
