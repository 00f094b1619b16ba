// Monitors: each Monitor descriptor's metric over its window, evaluated on a timer (every minute by
// default) or on demand. A breach opens an incident — one per monitor while it is open or mitigated —
// and a sev1 monitor with suspendOnBreach suspends the agents in its scope (the kill switch).

import type { Kysely } from 'kysely';
import { actorName, assertCan, type Principal } from '../auth/principal.js';
import { withoutQueryBound } from '../db/adapter.js';
import type { Database } from '../db/schema.js';
import { UNBOOKED } from '../evidence/attribution.js';
import { type Observability, unobserved } from '../observability.js';
import type { Desired, RegistrySnapshot } from '../registry/model.js';
import { type MonitorSpec, windowMs } from '../registry/schemas.js';
import { type Every, every } from '../timers.js';
import type { IncidentService } from './incidents.js';

export interface MonitorResult {
  monitor: string;
  metric: MonitorSpec['metric'];
  value: number;
  samples: number;
  threshold: number;
  breached: boolean;
  incident?: string;
  /** The breach's incident was already open: nothing new was opened. */
  deduplicated?: boolean;
  suspended?: string[];
  /** The monitor could not be evaluated this time (the others were): why. */
  error?: string;
  evaluatedAt: string;
}

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  incidents: IncidentService;
  suspend(agent: string, reason: string): Promise<void>;
  /** Writes shadow sightings still counted in memory (the guard batches them). */
  flushShadows?(): Promise<void>;
  /** Counts and logs each timed evaluation (src/observability.ts). */
  observe?: Observability;
}

export type MonitorService = ReturnType<typeof createMonitorService>;

const SYSTEM: Principal = { type: 'system', id: 'monitors' };
const RATES = new Set(['deny_rate', 'approval_rate', 'error_rate', 'escalation_rate']);

function scopeOf(registry: RegistrySnapshot, m: MonitorSpec): string[] | undefined {
  if (m.agent) return [m.agent];
  if (m.initiative)
    return registry
      .list('Agent')
      .filter((a) => a.spec.initiative === m.initiative)
      .map((a) => a.name);
  return undefined; // every agent
}

/** A rate (hits / samples), or the hit count itself; `sum` is NULL over no rows, and may come back as a string. */
function rateOf(r: { n: number; hit: number | string | null } | undefined, count: boolean): { value: number; samples: number } {
  const samples = Number(r?.n ?? 0);
  const hit = Number(r?.hit ?? 0);
  return { value: count ? hit : samples ? hit / samples : 0, samples };
}

export function createMonitorService(deps: Deps) {
  const { db } = deps;
  let last: MonitorResult[] = [];
  let timer: Every | undefined;

  async function measure(
    registry: RegistrySnapshot,
    m: MonitorSpec,
    agents: string[] | undefined,
    since: string,
    until: string,
  ): Promise<{ value: number; samples: number }> {
    if (agents?.length === 0) return { value: 0, samples: 0 };
    switch (m.metric) {
      case 'deny_rate':
      case 'approval_rate':
      case 'monitor_policy_hits': {
        // Counted by the database: a window holds as many decisions as the guard made in it
        // (millions at full speed), which must never be loaded to be counted.
        let q = db
          .selectFrom('audit_entries')
          .select((eb) => [
            eb.fn.countAll<number>().as('n'),
            eb.fn
              .sum<number>(
                m.metric === 'monitor_policy_hits'
                  ? eb.case().when('monitor', '!=', '[]').then(1).else(0).end()
                  : eb
                      .case()
                      .when('decision', '=', m.metric === 'deny_rate' ? 'deny' : 'approval_required')
                      .then(1)
                      .else(0)
                      .end(),
              )
              .as('hit'),
          ])
          .where('kind', '=', 'decision')
          .where('at', '>=', since)
          .where('at', '<=', until);
        if (agents) q = q.where('agent', 'in', agents);
        return rateOf(await q.executeTakeFirst(), m.metric === 'monitor_policy_hits');
      }
      case 'error_rate':
      case 'escalation_rate': {
        let q = db
          .selectFrom('task_events')
          .select((eb) => [
            eb.fn.countAll<number>().as('n'),
            eb.fn
              .sum<number>(
                eb
                  .case()
                  .when('outcome', '=', m.metric === 'error_rate' ? 'failed' : 'escalated')
                  .then(1)
                  .else(0)
                  .end(),
              )
              .as('hit'),
          ])
          .where('type', '=', 'task.completed')
          .where('ended_at', '>=', since)
          .where('ended_at', '<=', until);
        // Fleet-wide: every booked agent's tasks, never telemetry booked to no agent (docs/evidence.md).
        q = agents ? q.where('agent', 'in', agents) : q.where('agent', '!=', UNBOOKED);
        return rateOf(await q.executeTakeFirst(), false);
      }
      case 'cost_per_day': {
        let spans = db
          .selectFrom('spans')
          .select((eb) => [
            eb.fn.sum<number>('cost_usd').as('c'),
            // Model calls without a price (unknown model, no price that day, no usage): a cost unknown, not 0.
            eb.fn.sum<number>(eb.case().when('unpriced_reason', 'is not', null).then(1).else(0).end()).as('unpriced'),
          ])
          .where('start_at', '>=', since)
          .where('start_at', '<=', until)
          .where('duplicate', '=', 0); // a second record of one call costs nothing more
        let events = db
          .selectFrom('task_events')
          .select((eb) => eb.fn.sum<number>('cost_usd').as('c'))
          .where('ended_at', '>=', since)
          .where('ended_at', '<=', until);
        if (agents) {
          spans = spans.where('agent', 'in', agents);
          events = events.where('agent', 'in', agents);
        } else {
          spans = spans.where('agent', '!=', UNBOOKED);
          events = events.where('agent', '!=', UNBOOKED);
        }
        const priced = await spans.executeTakeFirst();
        const unpriced = Number(priced?.unpriced ?? 0);
        const cost = Number(priced?.c ?? 0) + Number((await events.executeTakeFirst())?.c ?? 0);
        const perDay = (cost * 86_400_000) / windowMs(m.window);
        /**
         * With calls of unknown cost the value is a lower bound: above the threshold it is a breach all
         * the same, under it nothing is known (found by review: an agent on an unpriced model read a
         * cost of 0 a day, and its monitor never fired). Not evaluated then, saying why.
         */
        const known = (value: number, what: string) => {
          if (unpriced > 0 && !(value > m.threshold))
            throw new Error(
              `${unpriced} model call${unpriced === 1 ? '' : 's'} in the window ha${unpriced === 1 ? 's' : 've'} no price (GET /v1/signals lists them): ${what} is at least ${Math.round(value * 1e4) / 1e4}, not known`,
            );
          return { value, samples: 1 };
        };
        const budget = m.budget ? registry.get('Budget', m.budget)?.spec : undefined;
        if (!budget) return known(perDay, 'the cost per day');
        // Against a budget: the share of its daily allocation (the whole budget spread over its period).
        // Found by review: USD cost over a budget in yen read as a tiny share (never a breach), and a
        // budget allocating nothing as 0. Neither is a measure: the monitor is not evaluated, and says why.
        if (budget.currency !== 'USD')
          throw new Error(
            `budget ${m.budget} is in ${budget.currency}: cost is measured in USD and Fulcrum converts no currency`,
          );
        const days = (Date.parse(budget.period.to) - Date.parse(budget.period.from)) / 86_400_000 + 1;
        const daily = budget.allocations.reduce((sum, a) => sum + a.amount, 0) / days;
        if (!(daily > 0)) throw new Error(`budget ${m.budget} allocates nothing: there is no share of it to measure`);
        return known(perDay / daily, `the share of budget ${m.budget}'s daily allocation`);
      }
      case 'shadow_agents': {
        await deps.flushShadows?.();
        const r = await db
          .selectFrom('shadow_agents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('last_seen', '>=', since)
          .where('last_seen', '<=', until)
          .executeTakeFirst();
        return { value: Number(r?.n ?? 0), samples: 1 };
      }
    }
  }

  async function evaluate(registry: RegistrySnapshot, monitor: Desired<'Monitor'>, now: Date): Promise<MonitorResult> {
    const m = monitor.spec;
    const agents = scopeOf(registry, m);
    // The window is [now − window, now]: evidence dated later (refused at ingest since, but older rows
    // may hold it) is not in every window for ever.
    const { value, samples } = await measure(
      registry,
      m,
      agents,
      new Date(now.getTime() - windowMs(m.window)).toISOString(),
      now.toISOString(),
    );
    const breached = value > m.threshold && (!RATES.has(m.metric) || samples >= m.minSamples);
    const result: MonitorResult = {
      monitor: monitor.name,
      metric: m.metric,
      value: Math.round(value * 1e4) / 1e4,
      samples,
      threshold: m.threshold,
      breached,
      evaluatedAt: now.toISOString(),
    };
    if (!breached) return result;
    const source = `monitor:${monitor.name}`;
    const openIncident = () =>
      db
        .selectFrom('incidents')
        .select('id')
        .where('source', '=', source)
        .where('status', 'in', ['open', 'mitigated'])
        .executeTakeFirst();
    const kill = m.suspendOnBreach && m.severity === 'sev1' ? (agents ?? []) : [];
    /** Suspends `kill` for the incident, then says so in its timeline: the suspension is no longer owed. */
    async function suspendFor(id: string): Promise<string[]> {
      for (const a of kill) await deps.suspend(a, `monitor ${monitor.name} breached (${id})`);
      await db
        .insertInto('incident_timeline')
        .values({
          incident_id: id,
          at: new Date().toISOString(),
          actor: actorName(SYSTEM),
          kind: 'suspended',
          status: null,
          note: kill.join(', '),
        })
        .execute();
      return [...kill];
    }
    const open = await openIncident();
    if (open) {
      const owed = kill.length > 0 && (await suspensionOwed(open.id));
      return {
        ...result,
        incident: open.id,
        deduplicated: true,
        ...(owed ? { suspended: await suspendFor(open.id) } : {}),
      };
    }
    const incident = await deps.incidents
      .open(
        SYSTEM,
        {
          title: `${monitor.name}: ${m.metric} ${result.value} above ${m.threshold} over ${m.window}`,
          description:
            m.description ??
            `Monitor ${monitor.name} breached: ${m.metric} was ${result.value} (threshold ${m.threshold}, ${samples} samples, window ${m.window}).`,
          severity: m.severity,
          ...(m.agent ? { agents: [m.agent] } : {}),
          ...(m.initiative ? { initiatives: [m.initiative] } : {}),
          source,
        },
        { suspending: kill },
      )
      .catch(async (err) => {
        // Another node opened it between our look and our insert (one open incident per monitor is
        // a unique index): that one is the incident, and that node suspends.
        const winner = await openIncident();
        if (!winner) throw err;
        return { id: winner.id, deduplicated: true as const };
      });
    if ('deduplicated' in incident) return { ...result, incident: incident.id, deduplicated: true };
    const suspended = kill.length > 0 ? await suspendFor(incident.id) : [];
    return { ...result, incident: incident.id, ...(suspended.length ? { suspended } : {}) };
  }

  /**
   * Whether the incident's kill switch is owed: it was opened to suspend (`suspending`) and no run has
   * suspended yet (`suspended`). Opening and suspending are two writes; when the suspension failed (a
   * PostgreSQL conflict three times, the database or the node gone), every later run found the
   * incident open and reported the breach deduplicated, and the kill switch never tripped (found by
   * review). Once made, it is not made again: a suspension a person lifted stays lifted.
   */
  async function suspensionOwed(id: string): Promise<boolean> {
    const kinds = (
      await db
        .selectFrom('incident_timeline')
        .select('kind')
        .where('incident_id', '=', id)
        .where('kind', 'in', ['suspending', 'suspended'])
        .execute()
    ).map((r) => r.kind);
    return kinds.includes('suspending') && !kinds.includes('suspended');
  }

  async function evaluateAll(now: Date): Promise<MonitorResult[]> {
    const registry = await deps.registry();
    const results: MonitorResult[] = [];
    // One monitor that cannot be evaluated never keeps the others from firing.
    for (const monitor of registry.list('Monitor'))
      results.push(
        await evaluate(registry, monitor, now).catch((err: unknown) => ({
          monitor: monitor.name,
          metric: monitor.spec.metric,
          value: 0,
          samples: 0,
          threshold: monitor.spec.threshold,
          breached: false,
          error: err instanceof Error ? err.message : String(err),
          evaluatedAt: now.toISOString(),
        })),
      );
    last = results;
    return results;
  }

  return {
    /** Evaluates every monitor now (a registry writer's act: a breach may suspend agents). */
    async evaluateAll(actor: Principal, now = new Date()): Promise<MonitorResult[]> {
      assertCan(actor, 'registry.write');
      return evaluateAll(now);
    },
    lastResults(actor: Principal): MonitorResult[] {
      assertCan(actor, 'registry.read');
      return last;
    },
    start(intervalMs: number): void {
      if (intervalMs <= 0 || timer) return;
      const observe = deps.observe ?? unobserved();
      timer = every(intervalMs, () => observe.job('monitors', () => withoutQueryBound(() => evaluateAll(new Date()))));
    },
    stop(): void {
      timer?.stop();
      timer = undefined;
    },
  };
}
