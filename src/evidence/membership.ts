// Which initiative an agent's evidence of a day belongs to: the one it worked for that day, not the
// one the registry places it in now. The registry records each agent leaving an initiative
// (agent_departures, written with the move), so the history is rebuilt from those records.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RegistrySnapshot } from '../registry/model.js';

export interface Membership {
  /** The agents whose evidence may belong to the initiative: those in it now and those that left it. */
  agentsOf(initiative: string): string[];
  /**
   * The initiative the agent's evidence of `day` (YYYY-MM-DD, UTC) belongs to: the one it was in at the
   * end of that day, so the day of a move is the new initiative's (rollups are daily and cannot be
   * split within a day). A deleted agent's is the initiative it was last in; undefined for an agent
   * the registry never held.
   */
  initiativeOn(agent: string, day: string): string | undefined;
}

/**
 * The membership history as of now. Found by review: outcomes and cost were read by the agents an
 * initiative has now, so an agent moved to another initiative took its past cost and results with it
 * (the board report showed the old initiative with neither, and credited the new one with both).
 * Departures older than retention's floor are purged (src/governance/retention.ts); evidence from
 * before the earliest one kept follows the agent's next recorded initiative, as it did before.
 */
export async function loadMembership(db: Kysely<Database>, registry: RegistrySnapshot): Promise<Membership> {
  const rows = await db.selectFrom('agent_departures').select(['agent', 'initiative', 'left_at']).orderBy('left_at').execute();
  const departures = new Map<string, Array<{ initiative: string; day: string }>>();
  const left = new Map<string, Set<string>>();
  for (const r of rows) {
    const list = departures.get(r.agent) ?? [];
    list.push({ initiative: r.initiative, day: r.left_at.slice(0, 10) });
    departures.set(r.agent, list);
    const agents = left.get(r.initiative) ?? new Set<string>();
    agents.add(r.agent);
    left.set(r.initiative, agents);
  }
  const now = new Map<string, string>();
  for (const a of registry.list('Agent')) now.set(a.name, a.spec.initiative);
  return {
    agentsOf(initiative) {
      const agents = new Set(left.get(initiative));
      for (const [agent, i] of now) if (i === initiative) agents.add(agent);
      return [...agents].sort();
    },
    initiativeOn(agent, day) {
      // The first departure after the day names where the agent was then; none: where it is now, or,
      // for an agent deleted since, the initiative it was last in (its last day's work, and spans that
      // arrive after it, are that initiative's cost: they were no one's when it was deleted).
      const list = departures.get(agent) ?? [];
      for (const d of list) if (d.day > day) return d.initiative;
      return now.get(agent) ?? list.at(-1)?.initiative;
    },
  };
}
