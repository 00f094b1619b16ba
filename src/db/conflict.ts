// PostgreSQL's transaction conflicts: what they are, and trying a transaction again after one.

/**
 * PostgreSQL ended the transaction to break a deadlock (40P01), or because it could not be serialised
 * with one that committed meanwhile (40001: under REPEATABLE READ or SERIALIZABLE, which an operator's
 * default_transaction_isolation may set). Either way it was rolled back whole, and the same work tried
 * again very likely commits (PostgreSQL's documentation, "Serialization Failure Handling").
 */
export function isTransactionConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** Tries of a transaction ended by conflicts, in all, before the conflict is answered (503, try again). */
const ATTEMPTS = 3;
/** Before a try after a conflict: about this long, times the tries made, jittered. */
const PAUSE_MS = 25;

/**
 * The pause before try `attempt` + 1 after a conflict (also the audit writer's, src/guard/audit.ts):
 * the transaction that survived a deadlock waits for a lock the ended one held, and a try made at once
 * could take it again before the survivor woke, and deadlock with it again.
 */
export function pauseAfterConflict(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, PAUSE_MS * attempt * (0.5 + Math.random())));
}

/**
 * `transaction` (one whole transaction, which reads what it needs inside it and has no effect outside
 * the database) run again when PostgreSQL ends it as a conflict, up to ATTEMPTS tries in all, each
 * after pauseAfterConflict. The last conflict is thrown as it is: the HTTP layer answers it 503 with
 * Retry-After (src/http/errors.ts).
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      if (!isTransactionConflict(err) || attempt >= ATTEMPTS) throw err;
      await pauseAfterConflict(attempt);
    }
  }
}
