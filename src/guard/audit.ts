// The audit log: append-only, hash-chained, written in group commits. Each writer process owns
// a chain (many nodes append without a global lock); a caller's promise resolves only after the
// transaction holding its entry has committed, so an acknowledged decision is never lost. The same
// transaction moves the chain's recorded head (`audit_chains.head_seq/head_hash`, docs/audit.md).
import { hash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { type DeferredSync, withQueryBound } from '../db/adapter.js';
import { bulkInserter } from '../db/bulk-insert.js';
import { isTransactionConflict, pauseAfterConflict } from '../db/conflict.js';
import type { AuditEntryTable, Database } from '../db/schema.js';

export const GENESIS = '0'.repeat(64);

/** What a caller records; the writer adds chain, sequence and hashes. */
export interface AuditRecord {
  id: string;
  kind:
    | 'decision'
    | 'approval.approved'
    | 'approval.denied'
    | 'approval.revoked'
    | 'agent.suspended'
    | 'agent.resumed'
    | 'call.outcome'
    | 'incident.opened'
    | 'incident.status'
    | 'incident.reported'
    | 'risk.assessed'
    | 'review.opened'
    | 'review.signed'
    | 'review.approved'
    | 'review.rejected'
    | 'auth.signed-in'
    | 'auth.refused'
    | 'auth.signed-out'
    | 'credential.issued'
    | 'credential.revoked'
    | 'credential.bound'
    | 'credential.unbound'
    | 'person.roles-changed'
    | 'person.email-changed'
    | 'retention.changed'
    | 'retention.purged'
    | 'spend.imported'
    | 'spend.withdrawn';
  at: string;
  actor: string;
  agent: string | null;
  action: string | null;
  target: string | null;
  decision: string | null;
  reasons: unknown[];
  monitor: unknown[];
  policyVersion: number;
  argumentsHash: string | null;
  arguments: unknown;
  dataDomains: string[];
  taskId: string | null;
  approvalId: string | null;
  detail: Record<string, unknown>;
}

/** What an act's entry says; the writer's caller fills in the rest (id, time, policy version, empties). */
export type ActRecord = Pick<AuditRecord, 'kind' | 'actor'> & Partial<AuditRecord>;

/**
 * Makes a change and the entries that record it in one transaction, the audit writer's: resolves once
 * both committed, with what `make` answered. `make` runs on `trx` alone, may run again (PostgreSQL
 * ended the transaction as a conflict), and throws a FulcrumError to refuse, undoing what it wrote.
 */
export type ChangeWithActs = <R>(make: (trx: Transaction<Database>) => Promise<{ value: R; acts: ActRecord[] }>) => Promise<R>;

/** For a service run without an audit log (tests of it alone): the change in a transaction of `db`'s, its entries dropped. */
export function changeWithoutLog(db: Kysely<Database>): ChangeWithActs {
  return async (make) => (await db.transaction().execute(make)).value;
}

type Row = Omit<AuditEntryTable, 'hash'>;

/**
 * What an entry's hash covers, in a fixed order: every column but the hash and the raw arguments.
 * The arguments are covered through `arguments_hash` (verify checks one against the other while the
 * arguments are kept), so retention can redact them without breaking the chain.
 */
const HASHED: ReadonlyArray<keyof Row> = [
  'chain_id',
  'seq',
  'id',
  'kind',
  'at',
  'actor',
  'agent',
  'action',
  'target',
  'decision',
  'reasons',
  'monitor',
  'policy_version',
  'arguments_hash',
  'data_domains',
  'task_id',
  'approval_id',
  'detail',
  'prev_hash',
];

/** The hash of an entry: SHA-256 over the JSON array of the HASHED columns. */
export function entryHash(row: Row): string {
  return hash('sha256', JSON.stringify(HASHED.map((k) => row[k])));
}

/** A text column as the database will hold it: SQLite and PostgreSQL store UTF-8, in which a lone
 *  UTF-16 surrogate (a JavaScript string may hold one: an agent's task id, an email cut in the middle of
 *  an emoji) becomes U+FFFD. Hashing the string as sent would hash what is not stored, and `audit
 *  verify` would find an honest entry changed, and stop checking its chain there. (The JSON columns are
 *  safe: JSON.stringify escapes a lone surrogate.) */
function stored<T extends string | null>(s: T): T {
  return (s === null || s.isWellFormed() ? s : s.toWellFormed()) as T;
}

export function toRow(r: AuditRecord, chainId: string, seq: number, prevHash: string): Row {
  return {
    chain_id: chainId,
    seq,
    id: stored(r.id),
    kind: stored(r.kind),
    at: stored(r.at),
    actor: stored(r.actor),
    agent: stored(r.agent),
    action: stored(r.action),
    target: stored(r.target),
    decision: stored(r.decision),
    reasons: JSON.stringify(r.reasons),
    monitor: JSON.stringify(r.monitor),
    policy_version: r.policyVersion,
    arguments_hash: r.argumentsHash,
    arguments: r.arguments === undefined || r.arguments === null ? null : JSON.stringify(r.arguments),
    data_domains: JSON.stringify(r.dataDomains),
    task_id: stored(r.taskId),
    approval_id: stored(r.approvalId),
    detail: JSON.stringify(r.detail),
    prev_hash: prevHash,
  };
}

interface Pending<T> {
  item: T;
  resolve(): void;
  reject(err: unknown): void;
}

export interface AuditWriterOptions<T> {
  /** Largest batch per transaction. */
  maxBatch?: number;
  /** Runs inside the batch's transaction before the entries are written: it may change the
   *  records (re-decide against a newer registry, consume approvals) and write rows of its own.
   *  While `mayRetry`, it may throw RetryBatch to have work done outside the transaction first. */
  beforeWrite?(trx: Transaction<Database>, items: T[], mayRetry: boolean): Promise<void>;
  /** The entries an item is written as, after beforeWrite: one (a decision), or as many as a change made
   *  in the batch's transaction records (none, when it changed nothing). */
  record(item: T): AuditRecord | AuditRecord[];
  /** An item written in a batch of its own: a change made in the batch's transaction together with its
   *  entries. Its failure in beforeWrite (a refusal: not found, not allowed; a value the database
   *  refuses) undoes only its own transaction, and is not a failed commit of the log; a change that moves
   *  the registry revision does not make a batch's decisions be decided again. */
  alone?(item: T): boolean;
  /** Hears each batch's commit: how many entries, how long the transaction took, whether it committed. */
  onCommit?(entries: number, seconds: number, ok: boolean): void;
  /** Hears each batch tried again, and why: PostgreSQL ended its transaction (`conflict`: a deadlock or
   *  a serialisation failure), beforeWrite asked for it (`prepare`: the registry moved), or its chain
   *  was retired (`chain_retired`). A conflict on the last try is not retried and is not heard here. */
  onRetry?(reason: AuditRetryReason): void;
  /** SQLite with a DeferredSync: `offLoop` is asked before each batch whether its fsync goes off the
   *  event loop (the callers are answered once it is done) or stays on it (`via.runOnLoop`, timed).
   *  Unset: every batch commits at the connection's own FULL. */
  sync?: { via: DeferredSync; offLoop(batchLength: number): boolean };
  /** Why the database's WAL can no longer be called durable (a sync failed, maybe a background
   *  writer's: src/db/adapter.ts): every batch is then refused, committed on the loop or not. */
  syncFailed?(): Error | undefined;
}

export type AuditRetryReason = 'conflict' | 'prepare' | 'chain_retired';

/**
 * Thrown by beforeWrite before it has changed anything: the transaction is rolled back, `prepare`
 * runs outside it (holding no connection: slow work such as reloading a large registry, which waits
 * on the Cedar worker), and the batch is tried again, at most BATCH_ATTEMPTS times in all (tries
 * PostgreSQL ended as a conflict, isTransactionConflict, count among them).
 */
export class RetryBatch extends Error {
  constructor(readonly prepare: () => Promise<void>) {
    super('the batch is tried again');
  }
}
const BATCH_ATTEMPTS = 3;

/** The writer's chain was retired (docs/audit.md): its `audit_chains` row is gone, so the batch goes to a new chain. */
class ChainRetired extends Error {
  constructor(chainId: string) {
    super(`audit chain ${chainId} was retired`);
  }
}

/** An item written alone failed in beforeWrite, before any entry was written: `cause` is its caller's. */
class ChangeFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the change failed');
  }
}

/** A new chain for this process, starting at the genesis hash. */
async function newChain(db: Kysely<Database>): Promise<string> {
  const chainId = `chain_${randomBytes(8).toString('hex')}`;
  await db
    .insertInto('audit_chains')
    .values({
      id: chainId,
      node: `${os.hostname()}:${process.pid}`,
      started_at: new Date().toISOString(),
      head_seq: 0,
      head_hash: GENESIS,
      retirable: 1,
    })
    .execute();
  return chainId;
}

/** A value the database refuses: PostgreSQL's data exceptions, class 22 (a NUL in text, a number out of range). */
export function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

export class AuditWriter<T> {
  private queue: Array<Pending<T>> = [];
  private flushing = false;
  private seq = 0;
  private lastHash = GENESIS;
  private closed = false;
  /** A batch failed: its commit may have happened all the same (the connection lost while it
   *  committed), so the next one reads the chain's head from the database instead of trusting
   *  `seq` and `lastHash`. */
  private headUnknown = false;
  /** Batches committed whose sync (off the event loop) is not done yet. */
  private syncing = 0;
  /** A sync failed: nothing committed after it can be answered as durable, so nothing more is taken. */
  private broken: Error | undefined;
  private readonly insert;
  /** One UPDATE by primary key per batch, compiled once like the insert; binds head_seq, head_hash, id. */
  private readonly headSql: string;

  private constructor(
    private readonly db: Kysely<Database>,
    private chain: string,
    private readonly opts: AuditWriterOptions<T>,
  ) {
    this.insert = bulkInserter('audit_entries', [...HASHED, 'arguments', 'hash']);
    this.headSql = db.updateTable('audit_chains').set({ head_seq: 0, head_hash: '' }).where('id', '=', chain).compile().sql;
  }

  static async start<T>(db: Kysely<Database>, opts: AuditWriterOptions<T>): Promise<AuditWriter<T>> {
    return new AuditWriter(db, await newChain(db), opts);
  }

  /** The chain this writer appends to now (a new one after its chain was retired). */
  get chainId(): string {
    return this.chain;
  }

  /** Resolves once the entry is committed. */
  append(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the audit writer is closed'));
    const broken = this.broken ?? this.opts.syncFailed?.();
    if (broken) return Promise.reject(broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Group commit: the batch stays open for this turn of the event loop and the next, so the
        // requests read in both share one commit (and its fsync). Closing it after one turn made
        // ~22 decisions per commit at 32 connections, after two ~32, and +8-15 % decisions/s
        // (bench/decide, alternating runs); keeping it open longer, or on a timer, measured worse.
        // Bounded whoever appended: the loop goes on to commit other callers' entries.
        withQueryBound(() => setImmediate(() => setImmediate(() => void this.flush())));
      }
    });
  }

  /** Waits for everything queued to be written, and made durable. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.queue.length > 0 || this.syncing > 0) await new Promise((r) => setTimeout(r, 1));
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, this.nextBatchLength()));
    } finally {
      this.flushing = false;
    }
  }

  /** Up to maxBatch items from the queue's head, in order: an item that goes alone is a batch of one. */
  private nextBatchLength(): number {
    const max = this.opts.maxBatch ?? 500;
    const alone = this.opts.alone;
    if (!alone) return max;
    let n = 0;
    while (n < max && n < this.queue.length && !alone((this.queue[n] as Pending<T>).item)) n++;
    return n === 0 ? 1 : n;
  }

  /** One batch, committed together; one entry the database refuses as data fails only itself. */
  private async write(batch: Array<Pending<T>>): Promise<void> {
    const broken = this.broken ?? this.opts.syncFailed?.();
    if (broken) {
      for (const p of batch) p.reject(broken);
      return;
    }
    // beforeWrite may change the items (re-decided, an approval spent) by assigning their fields:
    // as they were, for writing them one by one if the batch fails on one's data, or again on a new
    // chain or after a conflict (their fields are assigned, never changed inside, so a shallow copy
    // restores them).
    const before = batch.map((p) => ({ ...(p.item as object) }));
    const restore = () =>
      batch.forEach((p, i) => {
        const item = p.item as Record<string, unknown>;
        const was = before[i] as object;
        for (const k of Object.keys(item)) if (!(k in was)) delete item[k];
        Object.assign(item, was);
      });
    let seq = this.seq;
    let prev = this.lastHash;
    // The commit's time is its last try's transaction: a reload between tries is not the commit.
    let started = process.hrtime.bigint();
    const took = () => Number(process.hrtime.bigint() - started) / 1e9;
    let rechained = false;
    let durable: Promise<void> | undefined;
    let entries = 0;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          ({ durable } = await this.transaction(batch, attempt < BATCH_ATTEMPTS, (s, h, n) => {
            seq = s;
            prev = h;
            entries = n;
          }));
          break;
        } catch (err) {
          if (err instanceof ChainRetired && !rechained) {
            // The chain held nothing and was idle, so a checkpoint retired it (audit-checkpoint.ts);
            // nothing of it was lost. The batch goes to a new chain, and is not counted as a try.
            // beforeWrite ran and its writes were undone (an approval it spent is unspent): the items
            // go back to what they were, so that it decides them again from the start.
            restore();
            this.opts.onRetry?.('chain_retired');
            rechained = true;
            this.chain = await newChain(this.db);
            this.seq = 0;
            this.lastHash = GENESIS;
            attempt--;
            started = process.hrtime.bigint();
            continue;
          }
          if (isTransactionConflict(err) && attempt < BATCH_ATTEMPTS) {
            // Ended by PostgreSQL and rolled back whole (a deadlock with another writer's transaction,
            // or, under SERIALIZABLE, a failure to serialise): before, every decision in it was
            // answered 500. As for a retired chain, the items go back to what they were (beforeWrite
            // decides them again from the start), and the chain's head to what it was before this try
            // (`done` may have heard a head whose commit then failed). After a pause: the transaction
            // that survived a deadlock waits for a lock this try held (often its first), and a try made
            // at once could take it again before the survivor woke, and deadlock with it again (1 run in
            // ~40 of test/guard/audit-retry.test.ts did).
            restore();
            this.opts.onRetry?.('conflict');
            seq = this.seq;
            prev = this.lastHash;
            await pauseAfterConflict(attempt);
            started = process.hrtime.bigint();
            continue;
          }
          if (!(err instanceof RetryBatch) || attempt >= BATCH_ATTEMPTS) throw err;
          this.opts.onRetry?.('prepare');
          await err.prepare();
          started = process.hrtime.bigint();
        }
      }
      this.seq = seq;
      this.lastHash = prev;
      this.headUnknown = false;
      if (durable) {
        // Committed, not yet durable: the next batch goes on meanwhile (the WAL is written in
        // order, so its own sync covers this one too); these callers hear once this sync is done.
        this.syncing++;
        durable
          .then(
            () => {
              this.opts.onCommit?.(entries, took(), true);
              for (const p of batch) p.resolve();
            },
            (err) => {
              this.broken ??= err instanceof Error ? err : new Error(String(err));
              this.opts.onCommit?.(entries, took(), false);
              for (const p of batch) p.reject(err);
            },
          )
          .finally(() => this.syncing--);
        return;
      }
      this.opts.onCommit?.(entries, took(), true);
      for (const p of batch) p.resolve();
    } catch (err) {
      // A change (alone: its batch holds nothing else) that failed was undone by its own throw: nothing
      // of it committed, and the log did not fail to commit (FulcrumAuditCommitFailing is critical).
      if (err instanceof ChangeFailed) {
        for (const p of batch) p.reject(err.cause);
        return;
      }
      this.headUnknown = true;
      this.opts.onCommit?.(batch.length, took(), false);
      // A value the database refuses (PostgreSQL's data exceptions, class 22: a NUL in text, a
      // number out of range) is one request's; the others in its group commit are written
      // without it. Anything else (the database unreachable) fails the batch as it is.
      if (batch.length > 1 && isDataException(err)) {
        restore();
        for (const p of batch) await this.write([p]);
        return;
      }
      for (const p of batch) p.reject(err);
    }
  }

  /** One try at writing `batch`: its transaction; `done` hears the chain's new head (and the entries
   *  written) before the commit. */
  private async transaction(
    batch: Array<Pending<T>>,
    mayRetry: boolean,
    done: (seq: number, hash: string, entries: number) => void,
  ): Promise<{ durable?: Promise<void> }> {
    const sync = this.opts.sync;
    const commit = (db: Kysely<Database>) => this.commit(db, batch, mayRetry, done);
    if (!sync) {
      await commit(this.db);
      return {};
    }
    if (!sync.offLoop(batch.length)) {
      await sync.via.runOnLoop(commit);
      return {};
    }
    return { durable: (await sync.via.run(commit)).durable };
  }

  private async commit(
    db: Kysely<Database>,
    batch: Array<Pending<T>>,
    mayRetry: boolean,
    done: (seq: number, hash: string, entries: number) => void,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      if (this.headUnknown) await this.readHead(trx);
      let seq = this.seq;
      let prev = this.lastHash;
      const items = batch.map((p) => p.item);
      try {
        await this.opts.beforeWrite?.(trx, items, mayRetry);
      } catch (err) {
        // A conflict is the transaction's, tried again as any batch's.
        const alone = batch.length === 1 && this.opts.alone?.((batch[0] as Pending<T>).item);
        throw alone && !isTransactionConflict(err) ? new ChangeFailed(err) : err;
      }
      const rows = items
        .flatMap((item) => this.opts.record(item))
        .map((record) => {
          const row = toRow(record, this.chain, ++seq, prev);
          prev = entryHash(row);
          return Object.assign(row, { hash: prev });
        });
      await this.insert(trx, rows);
      const moved = await trx.executeQuery(CompiledQuery.raw(this.headSql, [seq, prev, this.chain]));
      // No row: the chain was retired meanwhile; the transaction is undone, entries included.
      if (moved.numAffectedRows === BigInt(0)) throw new ChainRetired(this.chain);
      done(seq, prev, rows.length);
    });
  }

  /** The chain's head as committed. Without this, a batch whose commit happened but whose answer
   *  was lost left the writer one batch behind its chain: every later batch reused a sequence number
   *  already written, and the node refused every decision until it was restarted. */
  private async readHead(trx: Transaction<Database>): Promise<void> {
    const head = await trx
      .selectFrom('audit_chains')
      .select(['head_seq', 'head_hash'])
      .where('id', '=', this.chain)
      .executeTakeFirst();
    if (!head) throw new ChainRetired(this.chain);
    this.seq = Number(head.head_seq);
    this.lastHash = head.head_hash;
  }
}
