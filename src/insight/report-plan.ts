// The board report's plan section: the plan's calls as plain lines, the same in Markdown, HTML and PDF.

import { formatAmount } from '../money.js';
import type { Plan } from './plan.js';

const LABEL = { scale: 'Scale', 'fix-then-scale': 'Fix, then scale', continue: 'Keep going', stop: 'Stop' } as const;
const usd = (v: number | null) => (v === null ? 'unmeasured' : `USD ${formatAmount(v, 'whole')}`);

/** One line per initiative (its call, why, and its blockers), then the roadmap and the model switches. */
export function planLines(p: Plan): string[] {
  const lines = p.initiatives.map((i) => {
    const blockers = i.blockers.length
      ? ` Blockers: ${i.blockers.map((b) => `${b.detail} (${b.action}; ${b.owner})`).join('; ')}.`
      : '';
    return `${LABEL[i.recommendation]}: ${i.title} (${i.name}): ${i.reason}.${blockers}`;
  });
  for (const e of p.roadmap) {
    const when = e.status === 'waits' ? 'waits' : `from ${e.quarter}`;
    const short = e.shortfalls.map((s) => `${s.what} short by ${s.missing} ${s.unit} in ${s.quarter}`).join('; ');
    lines.push(
      e.action === 'retire'
        ? `Roadmap: retire ${e.initiative} in ${e.quarter}.`
        : `Roadmap: scale ${e.initiative} ${when}; net value a year ${usd(e.netValueUsd)} (value ${e.value.provenance}, cost ${e.cost.provenance})${short ? `: ${short}` : ''}.`,
    );
  }
  const switches = p.modelMix.filter((m) => m.verdict === 'switch');
  lines.push(
    switches.length
      ? `Model mix: ${switches.map((m) => `${m.initiative} ${m.from} → ${m.to} saves ${usd(m.annualSavingUsd)} a year`).join('; ')}.`
      : `Model mix: no switch is supported by the evidence yet (${p.modelMix.filter((m) => m.verdict === 'undecided').length} comparison(s) need more tasks).`,
  );
  return lines;
}
