// Work undone alone inside a larger transaction: group commits run several callers' work in one
// transaction (the guard's decisions with what they carry, concurrent OTLP exports), and one that
// fails must not take the others with it.
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

// The statements per savepoint name (the same SQL on both engines), compiled once.
const statements = new Map<string, { open: CompiledQuery; release: CompiledQuery; undo: CompiledQuery }>();

/** Runs `work` in savepoint `name` of `trx`: if it throws, what it wrote is undone and the error returned. */
export async function inSavepoint<T>(trx: Transaction<Database>, name: string, work: () => Promise<T>): Promise<Settled<T>> {
  let s = statements.get(name);
  if (!s) {
    s = {
      open: CompiledQuery.raw(`SAVEPOINT ${name}`),
      release: CompiledQuery.raw(`RELEASE SAVEPOINT ${name}`),
      undo: CompiledQuery.raw(`ROLLBACK TO SAVEPOINT ${name}`),
    };
    statements.set(name, s);
  }
  await trx.executeQuery(s.open);
  try {
    const value = await work();
    await trx.executeQuery(s.release);
    return { ok: true, value };
  } catch (error) {
    await trx.executeQuery(s.undo);
    await trx.executeQuery(s.release);
    return { ok: false, error };
  }
}
