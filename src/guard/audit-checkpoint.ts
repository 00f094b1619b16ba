// Signed checkpoints over every audit chain's start and head (docs/audit.md). One is written at start,
// then at most every interval when a chain moved, and one on shutdown: nothing here runs on the
// decision path. A checkpoint never signs a chain that went backwards since the last signed one.

import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { adapterOf, deferredSyncOf } from '../db/adapter.js';
import type { AuditCheckpointTable, Database } from '../db/schema.js';
import { InputError } from '../errors.js';
import { readRegularFile } from '../read-file.js';
import { GENESIS } from './audit.js';
import type { AuditSigner, AuditVerifier } from './audit-key.js';

export const CHECKPOINT_FORMAT = 'fulcrum-audit-checkpoint/1';
/** Signed checkpoints kept in the database; an outside witness keeps its own copies. */
export const CHECKPOINTS_KEPT = 100;
/** A checkpoint file or payload larger than this is refused unread (10,000 chains take ~2 MB). */
export const MAX_CHECKPOINT_BYTES = 32 * 1024 * 1024;

export interface Position {
  seq: number;
  hash: string;
}

export interface ChainState {
  id: string;
  /** Where the chain resumes after retention (seq 0 and the genesis hash when nothing was purged). */
  start: Position;
  head: Position;
  /** Entries the chain holds: head.seq - start.seq. */
  entries: number;
}

/** What is signed: `payload` is this object as JSON text. */
export interface CheckpointBody {
  format: typeof CHECKPOINT_FORMAT;
  at: string;
  node: string;
  keyId: string;
  chains: ChainState[];
  entries: number;
}

/** A checkpoint as stored and as exported: the exact text signed and its signature. */
export interface SignedCheckpoint {
  payload: string;
  signature: string;
}

/** The text a retention start's signature covers. */
export function startMessage(chainId: string, seq: number, hash: string): string {
  return `fulcrum-audit-start/1\n${chainId}\n${seq}\n${hash}`;
}

const isPosition = (p: unknown): p is Position =>
  typeof p === 'object' &&
  p !== null &&
  Number.isSafeInteger((p as Position).seq) &&
  (p as Position).seq >= 0 &&
  typeof (p as Position).hash === 'string';

/** The key a checkpoint's payload names, if it is JSON naming one. */
export function signedKeyId(payload: string): string | undefined {
  if (payload.length > MAX_CHECKPOINT_BYTES) return undefined;
  try {
    const keyId = (JSON.parse(payload) as { keyId?: unknown } | null)?.keyId;
    return typeof keyId === 'string' ? keyId : undefined;
  } catch {
    return undefined;
  }
}

/** The body if the signature verifies under `verifier` and the payload is well-formed; else why not. */
export function openCheckpoint(c: SignedCheckpoint, verifier: AuditVerifier): { body: CheckpointBody } | { error: string } {
  if (c.payload.length > MAX_CHECKPOINT_BYTES) return { error: 'its payload is too large' };
  let body: CheckpointBody;
  try {
    body = JSON.parse(c.payload) as CheckpointBody;
  } catch {
    return { error: 'its payload is not JSON' };
  }
  if (!verifier.verify(c.payload, c.signature))
    return {
      error:
        typeof body?.keyId === 'string' && body.keyId !== verifier.keyId
          ? `it names key ${body.keyId}, not this public key (${verifier.keyId})`
          : `its signature does not verify with key ${verifier.keyId}`,
    };
  const wellFormed =
    body.format === CHECKPOINT_FORMAT &&
    typeof body.at === 'string' &&
    Array.isArray(body.chains) &&
    body.chains.every((x) => typeof x?.id === 'string' && isPosition(x.start) && isPosition(x.head));
  return wellFormed ? { body } : { error: `it is not a ${CHECKPOINT_FORMAT} checkpoint` };
}

/** Reads an exported checkpoint file (bounded; the signature is checked by openCheckpoint). */
export function readCheckpointFile(file: string): SignedCheckpoint {
  return parseCheckpointFile(readRegularFile(file, MAX_CHECKPOINT_BYTES, 'a checkpoint file'), file);
}

/** An exported checkpoint file's text, read from `file` (a path, or a member of an archive). */
export function parseCheckpointFile(text: string, file: string): SignedCheckpoint {
  let c: Partial<SignedCheckpoint>;
  try {
    c = JSON.parse(text) as Partial<SignedCheckpoint>;
  } catch (err) {
    throw new InputError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (typeof c?.payload !== 'string' || typeof c.signature !== 'string')
    throw new InputError(`${file} is not a checkpoint file: it needs "payload" and "signature"`);
  // The summary is for people reading the file and is not signed: one that says other than the signed
  // payload was edited, and a reader trusting it would be misled (the payload's signature is checked later).
  const summary = (c as { summary?: unknown }).summary;
  if (summary !== undefined) {
    let body: Partial<CheckpointBody> | undefined;
    try {
      body = JSON.parse(c.payload) as Partial<CheckpointBody>;
    } catch {
      body = undefined; // openCheckpoint names a payload that is not JSON
    }
    const signed = body && { at: body.at, keyId: body.keyId, chains: body.chains?.length, entries: body.entries };
    if (signed && JSON.stringify(summary) !== JSON.stringify(signed))
      throw new InputError(
        `${file}: its summary ${JSON.stringify(summary)} is not what its signed payload says ${JSON.stringify(signed)}: the file was edited`,
      );
  }
  return { payload: c.payload, signature: c.signature };
}

/** The export file's text: the signed payload and signature, with a readable summary beside them. */
export function checkpointFileText(c: SignedCheckpoint, body: CheckpointBody): string {
  const summary = { at: body.at, keyId: body.keyId, chains: body.chains.length, entries: body.entries };
  return `${JSON.stringify({ format: CHECKPOINT_FORMAT, summary, payload: c.payload, signature: c.signature }, null, 2)}\n`;
}

/** The newest checkpoint in the database that verifies under `verifier` (any newest one without it). */
export async function latestCheckpoint(
  db: Kysely<Database>,
  verifier?: AuditVerifier,
): Promise<{ id: number; checkpoint: SignedCheckpoint; body: CheckpointBody; skipped: number } | undefined> {
  // Ids first, then one payload at a time: the newest usually verifies, and payloads can be large.
  const ids = await db
    .selectFrom('audit_signed_checkpoints')
    .select('id')
    .orderBy('id', 'desc')
    .limit(CHECKPOINTS_KEPT)
    .execute();
  let skipped = 0;
  for (const { id } of ids) {
    const row = await db.selectFrom('audit_signed_checkpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) continue; // pruned meanwhile
    const checkpoint = { payload: row.payload, signature: row.signature };
    if (!verifier) {
      try {
        return { id: Number(row.id), checkpoint, body: JSON.parse(row.payload) as CheckpointBody, skipped };
      } catch {
        skipped++;
        continue;
      }
    }
    const opened = openCheckpoint(checkpoint, verifier);
    if ('body' in opened) return { id: Number(row.id), checkpoint, body: opened.body, skipped };
    skipped++;
  }
  return undefined;
}

/**
 * Why a node must not generate a new signing key at `file`, if it must not: the file is missing but
 * the database holds checkpoints (so a key signed them, and the node was not given it: a wrong
 * FULCRUM_AUDIT_KEY_FILE, a secret not mounted, a data directory restored without it). A key made
 * then would sign nothing (the node refuses to sign under another key), yet be served as the public
 * key, and be taken for the key at the next start. A rotation says the new key is wanted.
 */
export async function missingKeyProblem(db: Kysely<Database>, file: string, rotating: boolean): Promise<string | undefined> {
  if (rotating || fs.existsSync(file)) return undefined;
  const newest = await db
    .selectFrom('audit_signed_checkpoints')
    .select(['key_id', 'at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return undefined;
  return (
    `the audit signing key ${file} does not exist, but the database's checkpoints are signed with key ${newest.key_id} ` +
    `(the newest at ${newest.at}): give this node that key file (FULCRUM_AUDIT_KEY_FILE), or start it once with ` +
    'FULCRUM_AUDIT_KEY_ROTATE=1 to replace the key on purpose (docs/audit.md)'
  );
}

export interface CheckpointerDeps {
  db: Kysely<Database>;
  signer: AuditSigner;
  /** Who writes (host:pid), recorded in the checkpoint. */
  node: string;
  /**
   * Sign even though the latest checkpoint names another key (FULCRUM_AUDIT_KEY_ROTATE=1): the
   * operator replaced the key on purpose. Good for this process's first checkpoint only.
   */
  rotateKey?: boolean;
  /**
   * The old key's public key (FULCRUM_AUDIT_KEY_ROTATE_FROM): a rotation then takes only the retention
   * starts it signed. Without it, a start with any signature is taken as found (docs/audit.md).
   */
  rotateFrom?: AuditVerifier;
  /** Told about every chain it refused to advance, every checkpoint it refused to sign, every failed run. */
  onProblem(message: string): void;
  /** How long a chain that holds no entries must have existed before it is retired (default a day). */
  retireAfterMs?: number;
}

/** A chain that holds nothing is retired once it is this old: a day (docs/audit.md, "Retired chains"). */
export const RETIRE_AFTER_MS = 24 * 3600_000;

export type Checkpointer = ReturnType<typeof createCheckpointer>;

/** The newest checkpoint this key signed, and the key of any newer one signed with another key. */
async function lastSigned(db: Kysely<Database>, signer: AuditSigner): Promise<{ prev?: CheckpointBody; otherKey?: string }> {
  const rows = await db
    .selectFrom('audit_signed_checkpoints')
    .select(['id', 'key_id'])
    .orderBy('id', 'desc')
    .limit(CHECKPOINTS_KEPT)
    .execute();
  let otherKey: string | undefined;
  for (const { id, key_id } of rows) {
    // Another key's signature cannot be checked here: naming it is enough to stop signing (the
    // operator is told, and decides: same key file everywhere, or a deliberate rotation).
    if (key_id !== signer.keyId) {
      otherKey ??= key_id;
      continue;
    }
    const row = await db.selectFrom('audit_signed_checkpoints').selectAll().where('id', '=', id).executeTakeFirst();
    const opened = row && openCheckpoint(row, signer);
    if (opened && 'body' in opened) return { prev: opened.body, ...(otherKey ? { otherKey } : {}) };
  }
  return otherKey ? { otherKey } : {};
}

export function createCheckpointer(deps: CheckpointerDeps) {
  const { db, signer } = deps;
  const adapter = adapterOf(db);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let rotate = deps.rotateKey === true;
  /** written; failures: runs that threw; refused: checkpoints not signed because another key signs this database;
   *  retired: chains that held nothing and left the checkpoints. */
  const stats = { written: 0, failures: 0, refused: 0, retired: 0 };

  /** Where each chain is now, never behind `prev` for a chain `prev` signed. */
  async function currentChains(trx: Kysely<Database>, prev: CheckpointBody | undefined): Promise<ChainState[]> {
    const heads = new Map(
      (await trx.selectFrom('audit_chains').select(['id', 'head_seq', 'head_hash']).execute()).map((c) => [c.id, c]),
    );
    const starts = new Map((await trx.selectFrom('audit_checkpoints').selectAll().execute()).map((s) => [s.chain_id, s]));
    const before = new Map((prev?.chains ?? []).map((c) => [c.id, c]));
    const ids = [...new Set([...heads.keys(), ...before.keys()])].sort();
    const out: ChainState[] = [];
    for (const id of ids) {
      const was = before.get(id);
      let start: Position = was?.start ?? { seq: 0, hash: GENESIS };
      const s = starts.get(id);
      const h = heads.get(id);
      if (!h && was && retired(id, was, s)) continue;
      if (s && (s.seq < start.seq || (s.seq === start.seq && s.hash !== start.hash)))
        // Purges only move a start forward: one behind what was signed is a replay or a forgery.
        deps.onProblem(
          `audit chain ${id}: its retention start (entry ${s.seq}) is behind or other than the signed one (entry ${start.seq}); not checkpointed`,
        );
      else if (s && s.seq > start.seq) {
        // A start moves only by a purge, which signs it. The unsigned starts the migration found
        // (legacy) are taken on the first checkpoint only (trust on first use, docs/audit.md); an
        // unsigned start written since is a forgery, whatever the checkpoints say.
        // On a rotation the new key's first checkpoint takes the starts the old key signed as it finds
        // them, as it takes the database (docs/audit.md: verify with the old key just before); the
        // checkpoints from then on vouch for them. One signed by no key is a forgery still.
        const signed = s.signature !== null && signer.verify(startMessage(id, s.seq, s.hash), s.signature);
        const legacy = !prev && s.signature === null && s.legacy === 1;
        const rotated =
          !prev &&
          rotate &&
          s.signature !== null &&
          (deps.rotateFrom === undefined || deps.rotateFrom.verify(startMessage(id, s.seq, s.hash), s.signature));
        if (signed || legacy || rotated) start = { seq: s.seq, hash: s.hash };
        else
          deps.onProblem(
            `audit chain ${id}: its retention start (entry ${s.seq}) is not signed${!prev && rotate && s.signature !== null ? ' with the old key (FULCRUM_AUDIT_KEY_ROTATE_FROM)' : ''}; not checkpointed`,
          );
      }
      let head: Position = h ? { seq: Number(h.head_seq), hash: h.head_hash } : (was?.head ?? start);
      if (was) head = await notBehind(trx, id, was, head, start);
      if (head.seq < start.seq) head = start;
      out.push({ id, start, head, entries: head.seq - start.seq });
    }
    return out;
  }

  /** Whether `s` is the start `was` signed, with this key's signature on it (a purge this key signed). */
  function signedStart(id: string, was: ChainState, s: Pick<AuditCheckpointTable, 'seq' | 'hash' | 'signature'> | undefined) {
    return (
      s !== undefined &&
      Number(s.seq) === was.start.seq &&
      s.hash === was.start.hash &&
      s.signature !== null &&
      signer.verify(startMessage(id, was.start.seq, was.start.hash), s.signature)
    );
  }

  /**
   * Whether a chain whose `audit_chains` row is gone was retired (and leaves the checkpoints): the last
   * checkpoint signed it holding no entries, and it never held any, or where it starts is signed with
   * this key (a chain purged whole). A row deleted any other way keeps the chain as signed, so a
   * deletion is never laundered (a writer whose row is gone starts a new chain; nothing of the old
   * one is lost).
   */
  function retired(id: string, was: ChainState, s: AuditCheckpointTable | undefined): boolean {
    return was.entries === 0 && (was.start.seq === 0 || signedStart(id, was, s));
  }

  /**
   * Retires the chains the last checkpoint signed holding no entries (never written to, or purged
   * whole by a purge this key signed) that are older than `retireAfterMs`: deletes their
   * `audit_chains` row, so that the checkpoints, rewritten every minute, list the chains that hold
   * something rather than every process that ever started. What proves a purged chain's end stays:
   * its signed retention start. A start this key did not sign (taken on first use after the upgrade,
   * or as found on a rotation) is not enough: such a chain stays listed. A chain that moved meanwhile
   * is left alone (the delete is conditional on its head).
   */
  async function retire(prev: CheckpointBody): Promise<number> {
    const idle = new Map(prev.chains.filter((c) => c.entries === 0).map((c) => [c.id, c]));
    if (idle.size === 0) return 0;
    const cutoff = new Date(Date.now() - (deps.retireAfterMs ?? RETIRE_AFTER_MS)).toISOString();
    let n = 0;
    const ids = [...idle.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      const part = ids.slice(i, i + 200);
      const rows = await db
        .selectFrom('audit_chains')
        .select(['id', 'head_seq', 'head_hash'])
        .where('id', 'in', part)
        .where('started_at', '<=', cutoff)
        .where('retirable', '=', 1)
        .execute();
      const starts = new Map(
        (await db.selectFrom('audit_checkpoints').selectAll().where('chain_id', 'in', part).execute()).map((s) => [
          s.chain_id,
          s,
        ]),
      );
      const due = rows
        .map((r) => ({ r, c: idle.get(r.id) as ChainState }))
        .filter(({ r, c }) => Number(r.head_seq) === c.head.seq && r.head_hash === c.head.hash)
        .filter(({ c }) => c.start.seq === 0 || signedStart(c.id, c, starts.get(c.id)))
        .map(({ c }) => c);
      if (due.length === 0) continue;
      // One commit for the part (an upgraded database may retire thousands at once).
      n += await db.transaction().execute(async (trx) => {
        let gone = 0;
        for (const c of due) {
          const r = await trx
            .deleteFrom('audit_chains')
            .where('id', '=', c.id)
            .where('retirable', '=', 1)
            .where('head_seq', '=', c.head.seq)
            .where('head_hash', '=', c.head.hash)
            .executeTakeFirst();
          gone += Number(r.numDeletedRows);
        }
        return gone;
      });
    }
    return n;
  }

  /** `head` if it extends what `was` signed, else what `was` signed (and the problem is told). */
  async function notBehind(
    trx: Kysely<Database>,
    id: string,
    was: ChainState,
    head: Position,
    start: Position,
  ): Promise<Position> {
    const problem = (why: string) => {
      deps.onProblem(`audit chain ${id}: ${why}; the checkpoint keeps entry ${was.head.seq} as signed before`);
      return was.head;
    };
    if (head.seq < was.head.seq) return problem(`its head went back from entry ${was.head.seq} to ${head.seq}`);
    if (head.seq === was.head.seq) return head.hash === was.head.hash ? head : problem(`entry ${head.seq} changed`);
    if (start.seq >= was.head.seq) return head; // purged past the entry signed before
    const row = await trx
      .selectFrom('audit_entries')
      .select('hash')
      .where('chain_id', '=', id)
      .where('seq', '=', was.head.seq)
      .executeTakeFirst();
    return row?.hash === was.head.hash ? head : problem(`entry ${was.head.seq} is ${row ? 'changed' : 'gone'}`);
  }

  async function write(): Promise<CheckpointBody | undefined> {
    // After a failed sync of the WAL (any writer's: src/db/adapter.ts) the committed heads may sit on
    // frames that never reach the disk: signed, a head past what SQLite recovers at restart.
    const failed = deferredSyncOf(db)?.failed;
    if (failed) throw failed;
    // Chains that hold nothing leave first (never on a node that may not sign).
    const last = await lastSigned(db, signer);
    if (last.prev && (!last.otherKey || rotate)) stats.retired += await retire(last.prev);
    // One snapshot: a purge or a batch committing between the reads cannot make a start and a head
    // disagree (a start past the head, or a head compared with an entry just purged).
    const seen = await adapter.readSnapshot(db, async (trx) => {
      const last = await lastSigned(trx, signer);
      if (last.otherKey && !rotate) return { refused: last.otherKey };
      return { prev: last.prev, chains: await currentChains(trx, last.prev) };
    });
    if ('refused' in seen) {
      stats.refused++;
      deps.onProblem(
        `audit checkpoint NOT signed: the latest one in the database was signed with key ${seen.refused}, this node has key ` +
          `${signer.keyId}. Every node on one database must use the same key file (FULCRUM_AUDIT_KEY_FILE); to replace ` +
          'the key on purpose, start one node once with FULCRUM_AUDIT_KEY_ROTATE=1 (docs/audit.md)',
      );
      return undefined;
    }
    const { prev, chains } = seen;
    if (prev ? JSON.stringify(prev.chains) === JSON.stringify(chains) : chains.length === 0) return undefined; // nothing moved
    const body: CheckpointBody = {
      format: CHECKPOINT_FORMAT,
      at: new Date().toISOString(),
      node: deps.node,
      keyId: signer.keyId,
      chains,
      entries: chains.reduce((n, c) => n + c.entries, 0),
    };
    const payload = JSON.stringify(body);
    const { id } = await db
      .insertInto('audit_signed_checkpoints')
      .values({ at: body.at, node: body.node, key_id: body.keyId, payload, signature: signer.sign(payload) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .deleteFrom('audit_signed_checkpoints')
      .where('id', '<=', Number(id) - CHECKPOINTS_KEPT)
      .execute();
    stats.written++;
    rotate = false; // the new key signs from here on: a later checkpoint by another key stops this node again
    return body;
  }

  return {
    stats,
    /** Why this node may not sign where a chain starts (retention), if it may not: the latest
     *  checkpoint in the database is signed with another key, and this node is not rotating to its own. */
    async startsHeld(): Promise<string | undefined> {
      if (rotate) return undefined;
      const { otherKey } = await lastSigned(db, signer);
      return otherKey
        ? `audit entries not purged: the latest checkpoint in the database is signed with key ${otherKey}, this node has key ${signer.keyId} (FULCRUM_AUDIT_KEY_FILE, docs/audit.md)`
        : undefined;
    },
    /** Writes a checkpoint now if any chain moved since the last one; runs one at a time. */
    checkpointNow(): Promise<CheckpointBody | undefined> {
      const run = running.then(write);
      running = run.catch(() => undefined);
      return run;
    },
    /** Every `intervalMs` (0: never; shutdown and checkpointNow still write). */
    start(intervalMs: number): void {
      // One at start as well: what this node starts from is signed before it appends anything, and a
      // node with another key than the database's is told at once.
      running = running.then(write).catch((err) => {
        stats.failures++;
        deps.onProblem(`audit checkpoint not written at start: ${(err as Error).message}`);
      });
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        this.checkpointNow().catch((err) => {
          stats.failures++;
          deps.onProblem(`audit checkpoint not written: ${(err as Error).message}`);
        });
      }, intervalMs);
      timer.unref();
    },
    /**
     * Stops the timer and writes the final checkpoint (call after the audit writer has closed). A
     * failure is counted, reported and thrown: a node whose last checkpoint was not written does not
     * exit 0 (`fulcrum serve` names it and exits 1).
     */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      try {
        await this.checkpointNow();
      } catch (err) {
        stats.failures++;
        deps.onProblem(`audit checkpoint not written at shutdown: ${(err as Error).message}`);
        throw err;
      }
    },
  };
}
