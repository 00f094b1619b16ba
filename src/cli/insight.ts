// Insight from the command line: the board report, signals, and budgets (spend import, alignment).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatAmount, formatMoney } from '../money.js';
import { CliError, connect, ok } from './client.js';
import { MAX_DOWNLOAD_BYTES } from './fetch.js';
import { readInputFile, writeOutputFile } from './files.js';
import { documentOut, jsonOut } from './terminal.js';

const FORMATS = ['pdf', 'html', 'md', 'json'] as const;

/** `fulcrum report [--format pdf|html|md|json] [-o FILE]`: the board report, to a file or stdout. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { format: { type: 'string', default: 'md' }, output: { type: 'string', short: 'o' }, url: { type: 'string' } },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`, 2);
  const api = connect({ url: values.url, ...(values.output ? { maxAnswerBytes: MAX_DOWNLOAD_BYTES } : {}) });
  const query = { query: { format } };
  if (values.output) {
    // The bytes as served, whatever the format: a PDF, or the text of the others.
    const data = await ok(api.GET('/v1/report', { params: query, parseAs: 'stream', headers: { accept: '*/*' } }));
    process.stderr.write(`wrote ${values.output} (${await writeOutputFile(values.output, data)} bytes)\n`);
    return 0;
  }
  if (format === 'pdf') throw new CliError('a PDF goes to a file: add -o FILE.pdf', 2);
  if (format === 'json') {
    const data = await ok(api.GET('/v1/report', { params: query }));
    process.stdout.write(jsonOut(data));
  }
  // Into a file or a pipe as the server made it; on a terminal made safe to show (src/cli/terminal.ts).
  else process.stdout.write(documentOut(await ok(api.GET('/v1/report', { params: query, parseAs: 'text' }))));
  return 0;
}

/** `fulcrum signals [--json]`: stalled pilots, agent sprawl, where AI is not ready. */
export async function signalsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false }, url: { type: 'string' } } });
  const s = await ok(connect({ url: values.url }).GET('/v1/signals'));
  if (values.json) {
    process.stdout.write(jsonOut(s));
    return 0;
  }
  const list = (title: string, items: string[], total = items.length) => [
    `${title} (${total})`,
    ...(items.length ? items.map((i) => `  ${i}`) : ['  none']),
    '',
  ];
  const sprawl = s.agentSprawl;
  const lines = [
    ...list(
      'Pilots stalled past 180 days',
      s.stalledPilots.map((p) => `${p.initiative}: pilot since ${p.since} (${p.days} days)`),
    ),
    ...list(
      'Agents per archetype',
      sprawl.perArchetype.map((a) => `${a.archetype}: ${a.agents.join(', ') || 'none'}`),
    ),
    ...list('Ad-hoc agents (no archetype)', sprawl.adHoc),
    ...list(
      'Near-duplicate agents (different initiatives, nearly the same tools)',
      sprawl.nearDuplicates
        .map((d) => `${d.agents.join(' + ')}: ${Math.round(d.similarity * 100)}% alike (${d.sharedTools.join(', ')})`)
        .concat(
          sprawl.nearDuplicatePairs > sprawl.nearDuplicates.length
            ? [`… and ${sprawl.nearDuplicatePairs - sprawl.nearDuplicates.length} more pairs (the most alike are listed)`]
            : [],
        ),
      sprawl.nearDuplicatePairs,
    ),
    ...list(
      'Active initiatives on data not assessed as production-ready',
      s.notReady.onUnreadyData.map((u) => `${u.initiative}: ${u.dataDomains.join(', ')}`),
    ),
    ...list('Active initiatives without a measured outcome in the last 30 days', s.notReady.withoutMeasuredOutcomes),
    ...list(
      'Attribution mismatches: telemetry naming an agent its sender may not speak for (last 30 days)',
      s.attributionMismatches.map(
        (m) =>
          `${m.sentBy} named ${m.claimedAgent}: ${m.spans} spans, ${m.events} events, ${m.costUsd} USD, booked to ${m.bookedTo ?? 'no agent'}`,
      ),
    ),
    ...list(
      'Unpriced model calls: left out of every spend figure (last 30 days)',
      (s.unpricedModelCalls ?? []).map(
        (u) =>
          `${u.agent} / ${u.model}: ${u.calls} calls (unknown model ${u.reasons.unknownModel}, no price ${u.reasons.noPrice}, no usage ${u.reasons.noUsage}, service tier above the price ${u.reasons.serviceTier})`,
      ),
      s.unpricedModelCallsTotal ?? (s.unpricedModelCalls ?? []).length,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}`);
  return 0;
}

const USAGE =
  'usage: fulcrum budget alignment NAME [--json] | fulcrum budget import NAME -f FILE.csv|FILE.json | fulcrum budget imports NAME | fulcrum budget withdraw NAME IMPORT_ID';

/** `fulcrum budget alignment|import|imports|withdraw NAME …`. */
export async function budgetCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { file: { type: 'string', short: 'f' }, json: { type: 'boolean', default: false }, url: { type: 'string' } },
  });
  const [sub, name, importId] = positionals;
  if (!name || !['alignment', 'import', 'imports', 'withdraw'].includes(sub ?? '')) throw new CliError(USAGE, 2);
  const api = connect({ url: values.url });
  if (sub === 'imports') {
    const r = await ok(api.GET('/v1/budgets/{name}/spend', { params: { path: { name } } }));
    for (const i of r.items)
      process.stdout.write(
        `${i.importId}  ${i.importedAt}  ${i.imported} line(s), total ${i.total.toLocaleString('en-US')}  by ${i.importedBy}\n`,
      );
    return 0;
  }
  if (sub === 'withdraw') {
    if (!importId) throw new CliError(`${USAGE}\n(IMPORT_ID is required)`, 2);
    await ok(api.DELETE('/v1/budgets/{name}/spend/{importId}', { params: { path: { name, importId } } }));
    process.stdout.write(`withdrew ${importId} and its lines from ${name}\n`);
    return 0;
  }
  if (sub === 'import') {
    if (!values.file) throw new CliError(`${USAGE}\n(-f FILE is required)`, 2);
    const text = readInputFile(values.file, 'a spend file');
    const json = path.extname(values.file).toLowerCase() === '.json';
    try {
      // The file's text as it is: the server parses CSV and JSON alike and names bad lines in the file's terms.
      const r = await ok(
        api.POST('/v1/budgets/{name}/spend', {
          params: { path: { name } },
          body: text,
          bodySerializer: (body) => body,
          headers: { 'content-type': json ? 'application/json' : 'text/csv' },
        }),
      );
      // A re-import (a retry, the same file again) books nothing: say so, naming the earlier import.
      process.stdout.write(
        r.alreadyImported
          ? `already imported as ${r.importId} (${r.imported} line(s), total ${r.total.toLocaleString('en-US')}): nothing booked again; to replace it, fulcrum budget withdraw ${name} ${r.importId}, then import the corrected file\n`
          : `imported ${r.imported} spend line(s) into ${name} as ${r.importId}, total ${r.total.toLocaleString('en-US')}\n`,
      );
      return 0;
    } catch (err) {
      // Every bad line, as the server names it (`line 3: …`), then the verdict: nothing was imported.
      if (err instanceof CliError && Array.isArray(err.details)) {
        for (const p of err.details as Array<{ message: string }>) process.stderr.write(`${values.file}: ${p.message}\n`);
      }
      throw err;
    }
  }
  const a = await ok(api.GET('/v1/budgets/{name}/alignment', { params: { path: { name } } }));
  if (values.json) {
    process.stdout.write(jsonOut(a));
    return 0;
  }
  // null: the stored amounts overflow a number (the API says so rather than inventing one).
  const money = (v: number | null) => (v === null ? 'out of range' : formatAmount(v, 'whole'));
  const lines = [
    `${a.budget}: ${a.period.from} … ${a.period.to}, ${Math.round(a.elapsed * 100)}% elapsed, amounts in ${a.currency}`,
    '',
    `${'category'.padEnd(24)}${'allocated'.padStart(14)}${'to date'.padStart(14)}${'actual'.padStart(14)}${'deviation'.padStart(11)}`,
    ...a.categories.map(
      (c) =>
        `${c.category.padEnd(24)}${money(c.allocated).padStart(14)}${money(c.proRated).padStart(14)}${money(c.actual).padStart(14)}${(c.deviation === null ? '—' : `${c.deviation >= 0 ? '+' : ''}${Math.round(c.deviation * 100)}%`).padStart(11)}${c.offPlan ? '  OFF PLAN' : ''}`,
    ),
    '',
    `spend on initiatives without quantified outcomes: ${money(a.spendWithoutOutcomes.total)} (${Math.round(a.spendWithoutOutcomes.share * 100)}%)${a.spendWithoutOutcomes.initiatives.length ? `: ${a.spendWithoutOutcomes.initiatives.map((i) => i.initiative).join(', ')}` : ''}`,
    `spend on pilots stalled past 180 days: ${a.spendOnStalledPilots.length ? a.spendOnStalledPilots.map((p) => `${p.initiative} ${money(p.amount)}`).join(', ') : 'none'}`,
    // USD telemetry a budget in another currency does not take: said, or its model licences read as
    // nothing spent (found by review: the table printed 0 and the deviation -100%).
    ...(a.unpricedModelCalls > 0
      ? [
          `not in these actuals: ${a.unpricedModelCalls} model call(s) without a price, whose cost is unknown (fulcrum signals lists them)`,
        ]
      : []),
    ...(a.telemetryNotIncludedUsd
      ? [
          `not in these actuals: ${formatMoney(a.telemetryNotIncludedUsd, 'USD')} of model calls measured in USD (no currency is converted)`,
        ]
      : []),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return 0;
}
