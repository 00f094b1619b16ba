// `fulcrum diagnose`: the scale-or-fail scorecard as a readable table (or --json).
import { parseArgs } from 'node:util';
import type { GetResult } from '../client/index.js';
import { connect, ok } from './client.js';
import { jsonOut } from './terminal.js';

type Diagnostic = GetResult<'/v1/diagnostic'>;

// A word a newer Fulcrum adds (src/cli/answers.ts, openEnums) is shown as it came, in capitals.
const MARK: Record<string, string | undefined> = { pass: 'PASS', partial: 'PARTIAL', fail: 'FAIL', unknown: 'UNKNOWN' };

export async function diagnoseCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false }, url: { type: 'string' } } });
  const d = await ok(connect({ url: values.url }).GET('/v1/diagnostic'));
  if (values.json) {
    process.stdout.write(jsonOut(d));
    return 0;
  }
  process.stdout.write(formatDiagnostic(d));
  return 0;
}

/** The scorecard as aligned text: a verdict line, then each area with its evidence and action. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`Verdict: ${d.verdict.toUpperCase()}   (window ${d.window.from} … ${d.window.to})`, ''];
  for (const a of d.areas) {
    lines.push(`${(MARK[a.status] ?? a.status.toUpperCase()).padEnd(8)} ${a.area.padEnd(20)} ${a.question}`);
    for (const e of a.evidence) lines.push(`         ${e.label}: ${e.value}`);
    if (a.why) lines.push(`         why unknown: ${a.why}`);
    if (a.status !== 'pass') lines.push(`         → ${a.action}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
