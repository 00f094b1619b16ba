// Named lists a CIO acts on: pilot paralysis, agent sprawl, where AI is not ready yet, and telemetry
// that claimed to be another agent's.
import type { AttributionMismatch } from '../evidence/attribution.js';
import type { UnpricedModelCalls } from '../evidence/unpriced.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { ACTIVE_STAGES, daysInStage } from '../registry/stages.js';
import { type NearDuplicate, nearDuplicates } from './near-duplicates.js';

export interface Signals {
  stalledPilots: Array<{ initiative: string; since: string; days: number }>;
  agentSprawl: {
    perArchetype: Array<{ archetype: string; agents: string[] }>;
    adHoc: string[];
    /** Agents of different initiatives calling (nearly) the same tools: candidates to consolidate; the
     *  first NEAR_DUPLICATE_LIMIT, most alike first. */
    nearDuplicates: NearDuplicate[];
    /** How many such pairs there are in all. */
    nearDuplicatePairs: number;
  };
  notReady: {
    onUnreadyData: Array<{ initiative: string; dataDomains: string[] }>;
    withoutMeasuredOutcomes: string[];
  };
  /** Telemetry (last 30 days) that named an agent its sender may not speak for: booked to the sender's
   *  agent, or to no agent when a collector sent it, never to the agent it named (docs/evidence.md). */
  attributionMismatches: AttributionMismatch[];
  /** Model calls (last 30 days) Fulcrum could not price, per agent and model, with the reason: spend
   *  figures leave them out, so they are named rather than counted as $0 (docs/evidence.md). */
  unpricedModelCalls: UnpricedModelCalls[];
  /** How many (agent, model) pairs had unpriced calls: the list holds the most calls' first. */
  unpricedModelCallsTotal: number;
}

const ACTIVE = ACTIVE_STAGES;

function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

export function computeSignals(
  r: RegistrySnapshot,
  opts: {
    now: Date;
    stalledPilotDays: number;
    measuredInitiatives: ReadonlySet<string>;
    agentStatus(a: string): string;
    attributionMismatches: AttributionMismatch[];
    unpricedModelCalls?: UnpricedModelCalls[];
    unpricedModelCallsTotal?: number;
  },
): Signals {
  const stalledPilots = r
    .list('Initiative')
    .filter(
      (i) => i.spec.stage === 'pilot' && i.spec.stageSince && daysInStage(i.spec.stageSince, opts.now) > opts.stalledPilotDays,
    )
    .map((i) => ({
      initiative: i.name,
      since: i.spec.stageSince as string,
      days: daysInStage(i.spec.stageSince as string, opts.now),
    }))
    .sort((a, b) => b.days - a.days);

  const active = r.list('Agent').filter((a) => opts.agentStatus(a.name) === 'active');
  const toolsOf = (a: (typeof active)[number]) =>
    new Set([...((a.spec.archetype && r.get('Archetype', a.spec.archetype)?.spec.tools) || []), ...a.spec.extraTools]);
  const byArchetype = new Map<string, string[]>();
  for (const a of active) if (a.spec.archetype) listIn(byArchetype, a.spec.archetype).push(a.name);
  const perArchetype = r.list('Archetype').map((x) => ({ archetype: x.name, agents: byArchetype.get(x.name) ?? [] }));
  const adHoc = active.filter((a) => !a.spec.archetype).map((a) => a.name);
  const near = nearDuplicates(active.map((a) => ({ name: a.name, initiative: a.spec.initiative, tools: toolsOf(a) })));

  const activeInitiatives = r.list('Initiative').filter((i) => ACTIVE.has(i.spec.stage));
  const agentsOf = new Map<string, Array<(typeof active)[number]>>();
  for (const a of r.list('Agent')) listIn(agentsOf, a.spec.initiative).push(a);
  const onUnreadyData = activeInitiatives
    .map((i) => {
      const domains = new Set<string>();
      for (const a of agentsOf.get(i.name) ?? []) {
        for (const d of (a.spec.archetype && r.get('Archetype', a.spec.archetype)?.spec.dataDomains) || []) domains.add(d);
        for (const t of a.spec.extraTools) for (const d of r.get('Tool', t)?.spec.dataDomains ?? []) domains.add(d);
      }
      return {
        initiative: i.name,
        dataDomains: [...domains].filter((d) => !r.get('DataDomain', d)?.spec.maturity?.productionReady).sort(),
      };
    })
    .filter((x) => x.dataDomains.length > 0);
  return {
    stalledPilots,
    agentSprawl: { perArchetype, adHoc, nearDuplicates: near.pairs, nearDuplicatePairs: near.total },
    notReady: {
      onUnreadyData,
      withoutMeasuredOutcomes: activeInitiatives.filter((i) => !opts.measuredInitiatives.has(i.name)).map((i) => i.name),
    },
    attributionMismatches: opts.attributionMismatches,
    unpricedModelCalls: opts.unpricedModelCalls ?? [],
    unpricedModelCallsTotal: opts.unpricedModelCallsTotal ?? opts.unpricedModelCalls?.length ?? 0,
  };
}
