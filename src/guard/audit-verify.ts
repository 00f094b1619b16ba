// Walks audit chains and recomputes every hash: a changed, inserted or removed entry breaks the
// chain at that entry. Works on the database (the server may be stopped) and on the chain segments
// of an evidence export. With the public key, it also checks every chain against the signed
// checkpoints (one kept outside, and those in the database) and each retention start's signature,
// so truncation, deleted chains and rewrites with recomputed hashes are named too (docs/audit.md).
import type { Kysely } from 'kysely';
import { adapterOf } from '../db/adapter.js';
import type { AuditChainTable, AuditCheckpointTable, AuditEntryTable, Database } from '../db/schema.js';
import { slicer } from '../registry/slices.js';
import { entryHash, GENESIS } from './audit.js';
import {
  type CheckpointBody,
  latestCheckpoint,
  openCheckpoint,
  type SignedCheckpoint,
  signedKeyId,
  startMessage,
} from './audit-checkpoint.js';
import type { AuditVerifier } from './audit-key.js';
import { hashArguments } from './decide.js';

/** What kind of damage a finding is (docs/audit.md lists them with the tampering each names). */
export type TamperKind =
  | 'missing-entry'
  | 'link-broken'
  | 'content-changed'
  | 'arguments-changed'
  | 'rewritten'
  | 'truncated'
  | 'chain-deleted'
  | 'start-forged'
  | 'appended'
  | 'checkpoint-forged';

export interface Finding {
  chainId: string;
  /** The entry concerned; for a cut chain, the first entry missing. */
  seq: number;
  /** The entry's id, or '-' when there is no such entry. */
  id: string;
  kind?: TamperKind;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Chains holding entries. */
  chains: number;
  /** Entries that verified. */
  entries: number;
  /** The first finding. */
  broken?: Finding;
  findings?: Finding[];
  /** Whether signatures were checked (a public key was given). */
  signatures?: 'checked' | 'unchecked';
  /** Checkpoints in the database signed with other keys before this key's first (a rotation), per key
   *  id: not checked with this key, and not findings. */
  earlierKeys?: Record<string, number>;
  /** The newest signed checkpoint the log was checked against. */
  checkpoint?: { source: string; at: string; chains: number; entries: number };
}

/** Where a chain starts: seq 1 after the genesis hash, or after a retention checkpoint. */
export interface ChainStart {
  seq: number;
  hash: string;
}

/** A hash an entry must have, and who says so (a signed checkpoint, the chain's recorded head). */
export type Expected = Map<number, { hash: string; by: string }>;

const short = (h: string) => h.slice(0, 12);

/** Why a row's kept arguments are not the ones its hash covers, if they are not. The arguments column
 *  is outside the entry's hash (retention redacts it), so a database writer may have put anything
 *  there: what is not JSON is a finding, not a crash of the check. */
function argumentsProblem(row: AuditEntryTable): string | undefined {
  if (row.arguments_hash === null) return 'arguments are kept with no hash to check them against';
  let args: unknown;
  let domains: unknown;
  try {
    args = JSON.parse(row.arguments as string);
    domains = JSON.parse(row.data_domains);
  } catch {
    return 'the stored arguments or data domains are not JSON';
  }
  if (!Array.isArray(domains) || domains.some((d) => typeof d !== 'string'))
    return 'the stored data domains are not a list of names';
  if (hashArguments(args, domains) !== row.arguments_hash) return 'arguments do not match their hash';
  // The writer stores JSON.stringify's text, which reads back to itself. Other text that JSON.parse
  // reads as the same value (a key given twice, the first one other; an escape) reads otherwise to
  // another parser, or a person: it was not written so.
  return JSON.stringify(args) === row.arguments
    ? undefined
    : 'the stored arguments are not the text written (JSON.parse reads them as the hashed value, other readers may not: a repeated key, an escape)';
}

/** Checks consecutive rows of one chain from `start`; returns the first problem, or where it ended. */
export function verifyRows(
  chainId: string,
  rows: Iterable<AuditEntryTable>,
  start: ChainStart,
  expected?: Expected,
): { ok: true; next: ChainStart; count: number } | { ok: false; broken: Finding; count: number } {
  let prev = start.hash;
  let expectedSeq = start.seq + 1;
  let count = 0;
  const fail = (row: AuditEntryTable, kind: TamperKind, problem: string) =>
    ({ ok: false, broken: { chainId, seq: row.seq, id: row.id, kind, problem }, count }) as const;
  for (const row of rows) {
    const { hash, ...rest } = row;
    if (row.seq !== expectedSeq) return fail(row, 'missing-entry', `entry ${expectedSeq} is missing`);
    if (row.prev_hash !== prev) return fail(row, 'link-broken', 'does not follow the previous entry');
    if (entryHash(rest) !== hash) return fail(row, 'content-changed', 'content does not match its hash');
    if (row.arguments !== null) {
      const problem = argumentsProblem(row);
      if (problem) return fail(row, 'arguments-changed', problem);
    }
    const want = expected?.get(row.seq);
    if (want && want.hash !== hash)
      return fail(
        row,
        'rewritten',
        `is not the entry ${want.by} holds (hash ${short(hash)}…, signed ${short(want.hash)}…): ` +
          `the chain was rewritten up to here with recomputed hashes`,
      );
    prev = hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, next: { seq: expectedSeq - 1, hash: prev }, count };
}

/** Entries a read of a walk (one statement: its rows are read in one piece on SQLite). */
const PAGE = 500;
/** Entries hashed between two looks at the clock (walk). */
const CHUNK = 50;

export interface VerifyOptions {
  /** Checks the signatures of checkpoints and retention starts; without it they are not read. */
  verifier?: AuditVerifier;
  /** A checkpoint kept outside the database (needs `verifier`). */
  checkpoint?: SignedCheckpoint;
}

/** What the signed checkpoints say about one chain. */
interface Signed {
  expected: Expected;
  starts: Set<string>;
  /** The lowest start any checkpoint signed, and which one: a start only moves forward, by a signed purge. */
  lowest?: { seq: number; by: string };
  /** The furthest head any checkpoint signed. */
  head?: { seq: number; entries: number; by: string };
}

type Trusted = { body: CheckpointBody; source: string };
type StartRow = AuditCheckpointTable;
type HeadRow = Pick<AuditChainTable, 'id' | 'head_seq' | 'head_hash'>;
const RECORDED_HEAD = 'the chain’s recorded head (audit_chains)';

const forged = (problem: string): Finding => ({ chainId: '-', seq: 0, id: '-', kind: 'checkpoint-forged', problem });

/** Checkpoints in the database signed with other keys before this key's first one: key id → how many. */
type EarlierKeys = Map<string, number>;

/** The checkpoints whose signature verifies (the file given first); the others become findings. */
async function trustedCheckpoints(
  db: Kysely<Database>,
  opts: VerifyOptions,
  findings: Finding[],
  earlier: EarlierKeys,
): Promise<Trusted[]> {
  const { verifier } = opts;
  const trusted: Trusted[] = [];
  if (opts.checkpoint) {
    if (!verifier) throw new Error('verifying against a checkpoint needs the public key');
    const opened = openCheckpoint(opts.checkpoint, verifier);
    if ('body' in opened) trusted.push({ body: opened.body, source: 'file' });
    else findings.push(forged(`the checkpoint file: ${opened.error}`));
  }
  if (!verifier) return trusted;
  let first: number | undefined;
  const refused: Array<{ id: number; keyId: string | undefined; relabelled: boolean; finding: Finding }> = [];
  for (const row of await db.selectFrom('audit_signed_checkpoints').selectAll().orderBy('id').execute()) {
    const opened = openCheckpoint(row, verifier);
    if ('body' in opened) {
      trusted.push({ body: opened.body, source: `database #${row.id}` });
      first ??= Number(row.id);
    } else {
      // The key is the one the signed payload names: the key_id column is outside the signature, and a
      // database writer could relabel one of this key's checkpoints as an earlier key's (found by review).
      const named = signedKeyId(row.payload);
      const finding =
        named === row.key_id
          ? forged(`checkpoint #${row.id} in the database (${row.at}): ${opened.error}`)
          : forged(
              `checkpoint #${row.id} in the database (${row.at}): its row says key ${row.key_id}, its signed payload key ${named ?? '(none)'}`,
            );
      refused.push({ id: Number(row.id), keyId: named, relabelled: named !== row.key_id, finding });
    }
  }
  // A key rotation leaves the old key's checkpoints before this key's first one until they are pruned:
  // they are the old key's to check (with its public key and checkpoint files), not a forgery. Passing
  // over them hides nothing, as a checkpoint that does not verify is never trusted; one naming another
  // key after this key's first, or naming this key with a bad signature, is still a finding.
  for (const r of refused)
    if (!r.relabelled && r.keyId !== undefined && first !== undefined && r.id < first && r.keyId !== verifier.keyId)
      earlier.set(r.keyId, (earlier.get(r.keyId) ?? 0) + 1);
    else findings.push(r.finding);
  return trusted;
}

/** Per chain: the hash each signed head must have, the signed starts, and the furthest signed head. */
function byChain(trusted: Trusted[]): Map<string, Signed> {
  const signed = new Map<string, Signed>();
  for (const { body, source } of trusted)
    for (const c of body.chains) {
      const s: Signed = signed.get(c.id) ?? { expected: new Map(), starts: new Set() };
      signed.set(c.id, s);
      const by = `the signed checkpoint of ${body.at} (${source})`;
      if (c.head.seq > c.start.seq && !s.expected.has(c.head.seq)) s.expected.set(c.head.seq, { hash: c.head.hash, by });
      s.starts.add(`${c.start.seq}:${c.start.hash}`);
      if (!s.lowest || c.start.seq < s.lowest.seq) s.lowest = { seq: c.start.seq, by };
      if (!s.head || c.head.seq > s.head.seq) s.head = { seq: c.head.seq, entries: c.head.seq - c.start.seq, by };
    }
  return signed;
}

/**
 * A retention start is a purge only if it is signed, or a signed checkpoint recorded it (an unsigned
 * start from before signing, taken on first use) and no trusted checkpoint — the file kept outside
 * included — has the chain start earlier: a checkpoint taking an unsigned start later proves nothing.
 */
function checkStart(chainId: string, row: StartRow, verifier: AuditVerifier, s: Signed | undefined): Finding | undefined {
  if (row.signature !== null && verifier.verify(startMessage(chainId, row.seq, row.hash), row.signature)) return undefined;
  const earlier = s?.lowest && s.lowest.seq < row.seq ? s.lowest : undefined;
  const recorded = s?.starts.has(`${row.seq}:${row.hash}`) ?? false;
  if (recorded && !earlier) return undefined;
  const why = row.signature === null ? 'that start is not signed' : 'its signature does not verify';
  // Said when a later checkpoint took the start: which earlier one shows the chain starting before it.
  const despite = recorded && earlier ? `, and ${earlier.by} has the chain start after entry ${earlier.seq}` : '';
  const from = (earlier?.seq ?? 0) + 1;
  return {
    chainId,
    seq: row.seq,
    id: '-',
    kind: 'start-forged',
    problem:
      `the chain starts after entry ${row.seq} (audit_checkpoints) but ${why}${despite}: ` +
      `entries ${from === row.seq ? from : `${from}–${row.seq}`} were deleted outside retention`,
  };
}

async function entriesAfter(db: Kysely<Database>, chainId: string, seq: number): Promise<boolean> {
  const row = await db
    .selectFrom('audit_entries')
    .select('seq')
    .where('chain_id', '=', chainId)
    .where('seq', '>', seq)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Walks one chain from `start` a page at a time (up to entry `upTo` when given), in pieces of at most
 * SLICE_MS of the event loop: a walk reads and hashes every entry (~20–35 µs each here), and in one
 * piece a log of 100,000 entries held the node for 1.8–3.7 s, no decision or health check answered
 * meanwhile (bench/audit-verify). The reads run on their own connection (readSnapshot), so what the
 * pieces let through is the node's other work, its decisions' commits included.
 */
async function walk(db: Kysely<Database>, chainId: string, start: ChainStart, expected: Expected, upTo?: number) {
  const pause = slicer();
  let at = start;
  let count = 0;
  for (;;) {
    let query = db.selectFrom('audit_entries').selectAll().where('chain_id', '=', chainId).where('seq', '>', at.seq);
    if (upTo !== undefined) query = query.where('seq', '<=', upTo);
    const page = await query.orderBy('seq').limit(PAGE).execute();
    for (let i = 0; i < page.length; i += CHUNK) {
      const r = verifyRows(chainId, page.slice(i, i + CHUNK), at, expected);
      count += r.count;
      if (!r.ok) {
        if (r.broken.kind === 'rewritten') {
          const seq = r.broken.seq;
          const matched = [...expected.keys()].filter((q) => q < seq && q > start.seq).sort((a, b) => b - a)[0];
          if (matched !== undefined) r.broken.problem += ` (entry ${matched} still matches what was signed)`;
        }
        return { count, end: at.seq, broken: r.broken };
      }
      at = r.next;
      await pause();
    }
    if (page.length < PAGE) return { count, end: at.seq };
  }
}

/** Where a chain that verified ends, against the furthest signed head and its recorded head. */
function checkEnd(chain: {
  id: string;
  start: ChainStart;
  end: number;
  count: number;
  signed?: Signed['head'];
  head?: HeadRow;
}): Finding | undefined {
  const { id: chainId, start, end, count, head } = chain;
  // Entries a checkpoint signed, or the recorded head counts, that are no longer there.
  const cut = (seq: number, n: number, by: string): Finding =>
    count === 0
      ? {
          chainId,
          seq: start.seq + 1,
          id: '-',
          kind: 'chain-deleted',
          problem: `every entry of the chain is gone: ${by} has ${n} entr${n === 1 ? 'y' : 'ies'} up to entry ${seq}`,
        }
      : {
          chainId,
          seq: end + 1,
          id: '-',
          kind: 'truncated',
          problem: `the chain ends at entry ${end} but ${by} goes to entry ${seq}: entries ${end + 1}–${seq} were deleted`,
        };
  if (chain.signed && chain.signed.seq > end) return cut(chain.signed.seq, chain.signed.entries, chain.signed.by);
  // Every chain the writer appends to has its row, and a retired chain held nothing when it lost its
  // row (the writer then starts a new chain): entries in a chain without one were not written by it.
  if (!head)
    return count === 0
      ? undefined
      : {
          chainId,
          seq: start.seq + 1,
          id: '-',
          kind: 'appended',
          problem: `entries ${start.seq + 1}–${end} are in a chain with no recorded head (audit_chains): they were written around Fulcrum’s writer, or the chain’s row was deleted`,
        };
  if (head.head_seq > end) return cut(head.head_seq, head.head_seq - start.seq, RECORDED_HEAD);
  // The writer moves the head in the same transaction as its entries, and verify reads one snapshot:
  // entries past the head were not written by the writer.
  if (end <= head.head_seq) return undefined;
  return {
    chainId,
    seq: head.head_seq + 1,
    id: '-',
    kind: 'appended',
    problem: `entries after the chain’s recorded head (entry ${head.head_seq}) up to entry ${end} were not written by Fulcrum’s writer`,
  };
}

/**
 * Why the entries of a chain from its start up to `upTo` may not be purged, if they may not: they do
 * not verify from the start (a field changed, an entry missing), or an entry a signed checkpoint
 * holds is not the one signed (the segment rewritten with recomputed hashes). Retention asks before
 * it signs a new start: a purge must not vouch for what was tampered with (an entry backdated so that
 * it falls out of its period would otherwise be deleted under a signed start, and the deletion read
 * as retention's). The latest signed checkpoint is read once, for every chain a purge asks about.
 */
export async function segmentChecker(db: Kysely<Database>, verifier: AuditVerifier) {
  const heads = new Map((await latestCheckpoint(db, verifier))?.body.chains.map((c) => [c.id, c.head]) ?? []);
  return async (chainId: string, upTo: number): Promise<string | undefined> => {
    const row = await db.selectFrom('audit_checkpoints').selectAll().where('chain_id', '=', chainId).executeTakeFirst();
    const start: ChainStart = { seq: row ? Number(row.seq) : 0, hash: row?.hash ?? GENESIS };
    if (upTo <= start.seq) return undefined;
    const expected: Expected = new Map();
    const signed = heads.get(chainId);
    if (signed && signed.seq > start.seq && signed.seq <= upTo)
      expected.set(signed.seq, { hash: signed.hash, by: 'the latest signed checkpoint' });
    const walked = await walk(db, chainId, start, expected, upTo);
    if (walked.broken) return `entry ${walked.broken.seq} ${walked.broken.problem} [${walked.broken.kind}]`;
    return walked.end < upTo ? `entry ${walked.end + 1} is missing` : undefined;
  };
}

/**
 * Verifies the whole log as of one moment: every read runs in one read-only snapshot, so a purge or
 * a batch committing meanwhile cannot show a start that has moved beside entries that have not.
 */
export function verifyAudit(db: Kysely<Database>, opts: VerifyOptions = {}): Promise<VerifyReport> {
  return adapterOf(db).readSnapshot(db, (trx) => verifySnapshot(trx, opts));
}

async function verifySnapshot(db: Kysely<Database>, opts: VerifyOptions): Promise<VerifyReport> {
  const { verifier } = opts;
  const findings: Finding[] = [];
  const earlier: EarlierKeys = new Map();
  const trusted = await trustedCheckpoints(db, opts, findings, earlier);
  const signed = byChain(trusted);
  const newest = trusted.reduce<Trusted | undefined>((a, b) => (!a || b.body.at > a.body.at ? b : a), undefined);

  const heads = new Map<string, HeadRow>(
    (await db.selectFrom('audit_chains').select(['id', 'head_seq', 'head_hash']).execute()).map((c) => [c.id, c]),
  );
  const starts = new Map((await db.selectFrom('audit_checkpoints').selectAll().execute()).map((c) => [c.chain_id, c]));
  const withEntries = (await db.selectFrom('audit_entries').select('chain_id').distinct().execute()).map((r) => r.chain_id);
  const ids = [...new Set([...withEntries, ...heads.keys(), ...starts.keys(), ...signed.keys()])].sort();

  let entries = 0;
  let chains = 0;
  for (const id of ids) {
    const s = signed.get(id);
    const row = starts.get(id);
    // Retention removed the entries up to a checkpoint: the chain goes on from its hash, if signed.
    const start: ChainStart = { seq: row?.seq ?? 0, hash: row?.hash ?? GENESIS };
    const head = heads.get(id);
    // A start with nothing after it, of a chain no trusted checkpoint lists and no writer holds (one
    // retired before a key rotation, its start signed with the old key): it proves and hides nothing.
    const inert = row && !s && !head && !(await entriesAfter(db, id, row.seq));
    const badStart = row && verifier && !inert ? checkStart(id, row, verifier, s) : undefined;
    if (badStart) {
      findings.push(badStart);
      continue;
    }
    const expected: Expected = new Map(s?.expected);
    if (head && head.head_seq > start.seq && !expected.has(head.head_seq))
      expected.set(head.head_seq, { hash: head.head_hash, by: RECORDED_HEAD });
    const walked = await walk(db, id, start, expected);
    entries += walked.count;
    if (walked.count > 0 || walked.broken) chains++;
    const finding = walked.broken ?? checkEnd({ id, start, end: walked.end, count: walked.count, signed: s?.head, head });
    if (finding) findings.push(finding);
  }
  return {
    ok: findings.length === 0,
    chains,
    entries,
    ...(findings.length ? { broken: findings[0] } : {}),
    findings,
    signatures: verifier ? 'checked' : 'unchecked',
    ...(earlier.size ? { earlierKeys: Object.fromEntries(earlier) } : {}),
    ...(newest
      ? {
          checkpoint: {
            source: newest.source,
            at: newest.body.at,
            chains: newest.body.chains.length,
            entries: newest.body.entries,
          },
        }
      : {}),
  };
}
