// `fulcrum plan [--json]`: what to scale, fix, keep piloting or stop, the four-quarter roadmap and the
// model mix, as readable text (or the raw answer of GET /v1/plan).
import { parseArgs } from 'node:util';
import type { GetResult } from '../client/index.js';
import { DEFAULT_PLAN_THRESHOLDS, type PlanThresholds } from '../insight/plan.js';
import { planThresholdConflicts } from '../insight/plan-thresholds.js';
import { formatAmount } from '../money.js';
import { CliError, connect, ok } from './client.js';
import { jsonOut } from './terminal.js';

type Plan = GetResult<'/v1/plan'>;

// A word a newer Fulcrum adds (src/cli/answers.ts, openEnums) is shown as it came, in capitals.
const MARK: Record<string, string | undefined> = {
  scale: 'SCALE',
  'fix-then-scale': 'FIX→SCALE',
  continue: 'CONTINUE',
  stop: 'STOP',
};

/** What a roadmap entry is short of, by the shortfall's kind. */
const SHORT_OF: Record<string, string | undefined> = { compute: 'pool', budget: 'budget' };

/** Each threshold as a flag: `--trend-days` for trendDays (docs/insight.md, "The plan"). */
const THRESHOLDS = Object.keys(DEFAULT_PLAN_THRESHOLDS) as Array<keyof PlanThresholds>;
const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export async function planCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      ...Object.fromEntries(THRESHOLDS.map((k) => [flag(k).slice(2), { type: 'string' as const }])),
    },
  });
  const given: Partial<PlanThresholds> = {};
  for (const k of THRESHOLDS) {
    const raw = (values as Record<string, unknown>)[flag(k).slice(2)];
    if (typeof raw !== 'string') continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new CliError(`${flag(k)} must be a number, got "${raw}"`, 2);
    given[k] = n;
  }
  // The server checks these too; checked here first to name the flags as typed.
  const conflicts = planThresholdConflicts(given, flag);
  if (conflicts.length > 0) throw new CliError(conflicts.map((c) => c.message).join('; '), 2);
  const p = await ok(connect({ url: values.url }).GET('/v1/plan', { params: { query: given } }));
  process.stdout.write(values.json ? jsonOut(p) : formatPlan(p));
  return 0;
}

const usd = (v: number | null) => (v === null ? 'unmeasured' : `USD ${formatAmount(v, 'whole')}`);

export function formatPlan(p: Plan): string {
  const lines = [`The plan   (evidence ${p.window.from} … ${p.window.to})`, ''];
  for (const i of p.initiatives) {
    lines.push(
      `${(MARK[i.recommendation] ?? i.recommendation.toUpperCase()).padEnd(10)} ${i.name} (${i.stage}, owner ${i.owner})`,
    );
    lines.push(`           ${i.reason}`);
    for (const b of i.blockers)
      lines.push(
        `           ✗ ${b.detail}`,
        `             → ${b.action} (${b.owner}${b.people?.length ? `: ${b.people.join(', ')}` : ''})`,
      );
    lines.push('');
  }
  lines.push('Roadmap');
  for (const e of p.roadmap) {
    // Each word named: one a newer Fulcrum adds is shown as it came, never taken for another (a new
    // action shown as "scale to", a new status as a quarter).
    const when = e.status === 'scheduled' ? (e.quarter ?? '').padEnd(7) : e.status.toUpperCase().padEnd(7);
    const what =
      e.action === 'scale'
        ? `scale to ${e.volume.atScale ?? '?'} tasks/month (${e.volume.basis})`
        : e.action === 'retire'
          ? 'retire'
          : String(e.action).toUpperCase(); // typed as never: the generated client knows no other word
    lines.push(`  ${when} ${e.initiative}: ${what}; net value a year ${usd(e.netValueUsd)}`);
    for (const s of e.shortfalls)
      lines.push(`          ${SHORT_OF[s.kind] ?? s.kind} ${s.what} short by ${s.missing} ${s.unit} in ${s.quarter}`);
    for (const n of e.notes) lines.push(`          ${n}`);
  }
  lines.push('', 'Model mix (per initiative and archetype)');
  for (const g of p.modelUsage) {
    const models = g.models.map(
      (m) =>
        `${m.model} [${m.capabilityClass}] ${m.tasks} tasks, ${m.successRate === null ? '—' : `${(m.successRate * 100).toFixed(1)}%`} resolved, ${m.costPerSuccessfulTaskUsd === null ? 'cost unmeasured' : `USD ${formatAmount(m.costPerSuccessfulTaskUsd, 'exact')} per success`}`,
    );
    lines.push(`  ${g.initiative} / ${g.archetype ?? 'ad hoc'}: ${models.join('; ') || 'no task joined to a model'}`);
    if (g.eventTasks) lines.push(`      ${g.eventTasks} tasks reported as events: no trace joins them to a model`);
  }
  for (const m of p.modelMix.filter((x) => x.verdict !== 'keep'))
    lines.push(
      `  ${m.verdict.toUpperCase()} ${m.initiative}: ${m.from} → ${m.to}${m.annualSavingUsd !== null ? ` saves ${usd(m.annualSavingUsd)} a year` : ''}: ${m.reason}`,
    );
  lines.push('', 'Assumptions', ...p.assumptions.map((a) => `  - ${a}`), '');
  return `${lines.join('\n')}\n`;
}
