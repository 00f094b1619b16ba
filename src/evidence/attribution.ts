// Telemetry attribution (docs/evidence.md): what a credential sends is booked to an agent it may
// speak for, never to another one. A span or event naming an agent its sender may not speak for
// keeps the name it claimed and is reported as an attribution mismatch.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RegistrySnapshot } from '../registry/model.js';

/** Who sent telemetry, as authentication resolved it: an agent key's agent, or a telemetry collector. */
export interface Sender {
  type: 'agent' | 'collector';
  id: string;
}

/** The `agent` of a row booked to no agent. Not a valid registry name, so never a real agent's. */
export const UNBOOKED = '';

export type Attribution =
  /** `claimed`: the name the span or event gave when it is not the agent it was booked to. */
  { agent: string; claimed: string | null } | { rejected: string };

/**
 * How one sender's spans and events are booked, from the name each gives (null: none):
 * - an agent key: always to its own agent; another name is kept as claimed;
 * - a collector key: to the named agent if the collector lists it, else to no agent (claimed kept);
 *   without a name there is no one to book it to, and it is rejected.
 */
export function attributor(sender: Sender, registry: RegistrySnapshot): (named: string | null) => Attribution {
  if (sender.type === 'agent')
    return (named) => ({ agent: sender.id, claimed: named !== null && named !== sender.id ? named : null });
  const listed = new Set(registry.get('TelemetryCollector', sender.id)?.spec.agents ?? []);
  return (named) => {
    if (named === null) return { rejected: `telemetry collector "${sender.id}" must say which agent this is from` };
    return listed.has(named) ? { agent: named, claimed: null } : { agent: UNBOOKED, claimed: named };
  };
}

export function sentBy(sender: Sender): string {
  return `${sender.type}:${sender.id}`;
}

export interface AttributionMismatch {
  /** The credential that sent it: `agent:NAME` or `collector:NAME`. */
  sentBy: string;
  /** The agent the telemetry named. */
  claimedAgent: string;
  /** The agent it was booked to (the sending agent), or null: booked to no agent. */
  bookedTo: string | null;
  spans: number;
  events: number;
  /** Measured cost of those spans (USD), booked to `bookedTo`, never to the claimed agent. */
  costUsd: number;
  lastDay: string;
}

/** Every (sender, claimed agent) pair seen since `from` (a YYYY-MM-DD day), most recent first. */
export async function attributionMismatches(db: Kysely<Database>, from: string): Promise<AttributionMismatch[]> {
  const [spans, events] = await Promise.all([
    db
      .selectFrom('spans')
      .select((eb) => [
        'sent_by',
        'claimed_agent',
        'agent',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('cost_usd').as('cost'),
        eb.fn.max('day').as('last'),
      ])
      .where('claimed_agent', 'is not', null)
      .where('day', '>=', from)
      .where('duplicate', '=', 0)
      .groupBy(['sent_by', 'claimed_agent', 'agent'])
      .execute(),
    db
      .selectFrom('task_events')
      .select((eb) => ['sent_by', 'claimed_agent', 'agent', eb.fn.countAll<number>().as('n'), eb.fn.max('day').as('last')])
      .where('claimed_agent', 'is not', null)
      .where('day', '>=', from)
      .groupBy(['sent_by', 'claimed_agent', 'agent'])
      .execute(),
  ]);
  const out = new Map<string, AttributionMismatch>();
  const entry = (r: { sent_by: string | null; claimed_agent: string | null; agent: string; last: string }) => {
    const sender = r.sent_by ?? `agent:${r.agent}`;
    const key = `${sender}\u0000${r.claimed_agent}\u0000${r.agent}`;
    let m = out.get(key);
    if (!m) {
      m = {
        sentBy: sender,
        claimedAgent: r.claimed_agent as string,
        bookedTo: r.agent === UNBOOKED ? null : r.agent,
        spans: 0,
        events: 0,
        costUsd: 0,
        lastDay: r.last,
      };
      out.set(key, m);
    }
    if (r.last > m.lastDay) m.lastDay = r.last;
    return m;
  };
  for (const r of spans) {
    const m = entry(r);
    m.spans += Number(r.n);
    m.costUsd = Math.round((m.costUsd + Number(r.cost ?? 0)) * 1e6) / 1e6;
  }
  for (const r of events) entry(r).events += Number(r.n);
  return [...out.values()].sort(
    (a, b) =>
      b.lastDay.localeCompare(a.lastDay) || a.sentBy.localeCompare(b.sentBy) || a.claimedAgent.localeCompare(b.claimedAgent),
  );
}
