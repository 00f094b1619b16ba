// Holding the code under test at a chosen point while the test does something, then letting it go on.
import { type Kysely, type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { until } from './wait.js';

/** `stop()`, awaited by the code under test, resolves `reached` and waits for `release()`. */
export function gate() {
  let release!: () => void;
  const opened = new Promise<void>((r) => {
    release = r;
  });
  let arrive!: () => void;
  const reached = new Promise<void>((r) => {
    arrive = r;
  });
  return {
    reached,
    release,
    stop: () => {
      arrive();
      return opened;
    },
  };
}

/** A plugin that stops the first query `stops` picks (by its operation, or by its first row), after
 *  it ran and before its caller sees the rows, until released; `paused` resolves when it stops. */
export function pauseQuery(stops: {
  query?: (node: RootOperationNode) => boolean;
  row?: (row: Record<string, unknown>) => boolean;
}) {
  const g = gate();
  const picked = new Set<unknown>();
  let armed = true;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      if (armed && (!stops.query || stops.query(node))) picked.add(queryId);
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (!picked.delete(queryId) || !armed) return result;
      const row = result.rows[0] as Record<string, unknown> | undefined;
      if (stops.row && !(row && stops.row(row))) return result;
      armed = false;
      await g.stop();
      return result;
    },
  };
  return { plugin, paused: g.reached, release: g.release };
}

/** Whether `node` is a SELECT from `table`. */
export const selectsFrom = (table: string) => (node: RootOperationNode) =>
  node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes(`"${table}"`);

/**
 * Lets `started` (a request to another node) run until it has finished or waits for a lock some
 * other transaction holds, as PostgreSQL's pg_stat_activity shows through `db`; its outcome is `done`.
 */
export async function finishedOrWaitingOnLock<T>(
  db: Kysely<any>,
  started: Promise<T>,
  what: string,
): Promise<{ done: Promise<T> }> {
  let finished = false;
  const done = started.finally(() => {
    finished = true;
  });
  await until(async () => {
    if (finished) return true;
    const waiting = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(
      db,
    );
    return (waiting.rows[0]?.n ?? 0) > 0;
  }, what);
  return { done };
}

/**
 * Whether a timer set as `work` starts fires before it ends, and what the work answered: a long task on
 * the event loop (a walk of the audit log on SQLite, whose reads resolve without giving the loop a turn)
 * either lets other work in between its pieces or holds everything until it ends.
 */
export async function timerFiresDuring<T>(work: () => Promise<T>): Promise<{ fired: boolean; result: T }> {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
  }, 0);
  const result = await work();
  clearTimeout(timer);
  return { fired, result };
}
