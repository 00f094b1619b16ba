// Incidents, retention and the registry: an agent leaving an initiative stays linked to that
// initiative's open incidents (what retention holds, and what the evidence export finds, follow the
// links), and its leaving is recorded with the initiative's tier (retention's high-risk floor).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { latestTiers } from './risk.js';

/**
 * Records each agent leaving an initiative, with the initiative's tier in force as it leaves (the
 * latest assessment, else the descriptor's `riskTier`): retention holds what the agent did before it
 * to the high-risk floor (found by review: the floor followed the agent's initiative at purge, so a
 * move out of a high-risk initiative released its logs). Runs in the registry write's transaction.
 */
export async function recordDepartures(
  trx: Kysely<Database>,
  leaving: ReadonlyArray<{ agent: string; initiative: string }>,
  descriptorTier: (initiative: string) => string | undefined,
  at: string,
): Promise<void> {
  if (leaving.length === 0) return;
  const assessed = await latestTiers(trx);
  for (const { agent, initiative } of leaving)
    await trx
      .insertInto('agent_departures')
      .values({ agent, initiative, tier: assessed.get(initiative) ?? descriptorTier(initiative) ?? null, left_at: at })
      .execute();
}

/**
 * Links to the open (not closed) incidents naming an initiative each agent that leaves it: moved to
 * another initiative or deleted. Retention holds an incident's agents, and those of its initiatives
 * as the registry lists them now; found by review: moving an agent out released its data, so a
 * registry writer could move it, purge, and move it back. Runs in the registry write's transaction.
 */
export async function linkAgentsLeaving(
  trx: Kysely<Database>,
  leaving: ReadonlyArray<{ agent: string; initiative: string; to: string | null }>,
  actor: string,
  at: string,
): Promise<void> {
  for (const { agent, initiative, to } of leaving) {
    const rows = await trx
      .selectFrom('incidents')
      .select(['id', 'agents', 'initiatives'])
      .where('status', '!=', 'closed')
      .where('initiatives', 'like', `%${JSON.stringify(initiative)}%`)
      .execute();
    for (const r of rows) {
      const agents = JSON.parse(r.agents) as string[];
      if (!(JSON.parse(r.initiatives) as string[]).includes(initiative) || agents.includes(agent)) continue;
      await trx
        .updateTable('incidents')
        .set({ agents: JSON.stringify([...agents, agent]), updated_at: at })
        .where('id', '=', r.id)
        .execute();
      const where = to === null ? 'was deleted' : `moved to initiative ${to}`;
      await trx
        .insertInto('incident_timeline')
        .values({
          incident_id: r.id,
          at,
          actor,
          kind: 'linked',
          status: null,
          note: `agent ${agent} left ${initiative} (${where}): linked, so its data stays held`,
        })
        .execute();
    }
  }
}
