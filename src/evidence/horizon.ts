// How far back evidence may be dated. A span or task event from before what Fulcrum keeps (1970: an
// unset clock, or a forgery) skewed insight's averages and day buckets until the next purge reached
// it; it is refused at ingest instead, naming the field and the time (docs/evidence.md).
import { EVIDENCE_KEPT_AT_LEAST_DAYS } from '../governance/retention.js';

const DAY = 86_400_000;
/** Nothing is dated before this, whatever the retention periods say. */
export const EVIDENCE_EPOCH = Date.UTC(2000, 0, 1);

/** The refusal for a time before what is kept, or null. */
export type TooOld = (ms: number, field: string) => string | null;

/**
 * The check for one request whose earliest time is `earliest`. The retention periods are read only
 * when something is older than the least they can keep: most requests read nothing.
 */
export async function tooOldCheck(earliest: number, keptDays: () => Promise<number>, now = Date.now()): Promise<TooOld> {
  if (!(earliest < now - EVIDENCE_KEPT_AT_LEAST_DAYS * DAY)) return () => null;
  const days = await keptDays();
  const since = Math.max(now - days * DAY, EVIDENCE_EPOCH);
  return (ms, field) =>
    ms < since
      ? `${field} ${new Date(ms).toISOString()} is older than Fulcrum keeps evidence (${days} days, since ${new Date(since).toISOString()})`
      : null;
}

/** The least a retention period can be: no purge ever deleted evidence younger than this. */
const LEAST_PERIOD_DAYS = 1;

/**
 * The check against what retention purged: `purgedUpTo` the time up to which a purge may have deleted
 * this kind of evidence (governance/retention.ts readPurgedUpTo). Evidence from before it is refused:
 * the rollups kept what it counted, and its duplicate record is gone, so a re-send counted it again.
 * Read only when something is older than the shortest period: most requests read nothing.
 */
export async function purgedCheck(earliest: number, purgedUpTo: () => Promise<number | null>, now = Date.now()): Promise<TooOld> {
  if (!(earliest < now - LEAST_PERIOD_DAYS * DAY)) return () => null;
  const upTo = await purgedUpTo();
  if (upTo === null || Number.isNaN(upTo)) return () => null;
  return (ms, field) =>
    ms < upTo
      ? `${field} ${new Date(ms).toISOString()} is before ${new Date(upTo).toISOString()}, up to which retention has purged this evidence: what it counted is kept in the rollups, so it is not counted again (docs/evidence.md)`
      : null;
}
