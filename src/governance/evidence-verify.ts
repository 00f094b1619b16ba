// Verifies the audit part of an evidence archive without Fulcrum's database, as `fulcrum audit
// verify --archive` does: the chain segments by their links, and with the public key, against the
// signed checkpoint the archive carries (docs/governance.md, "Evidence export").
import type { AuditEntryTable } from '../db/schema.js';
import { InputError } from '../errors.js';
import { GENESIS } from '../guard/audit.js';
import {
  type CheckpointBody,
  MAX_CHECKPOINT_BYTES,
  openCheckpoint,
  parseCheckpointFile,
  startMessage,
} from '../guard/audit-checkpoint.js';
import type { AuditVerifier } from '../guard/audit-key.js';
import { type ChainStart, type Expected, type Finding, verifyRows } from '../guard/audit-verify.js';
import { linesOf, type Member, readMembers, wholeText } from './archive-members.js';
import type { SegmentProof } from './evidence-export.js';

/** Audit entries checked at a time. */
const PAGE = 5000;
/** A page is checked once its lines hold this many bytes, however few entries that is. */
const PAGE_BYTES = 64 * 1024 * 1024;
/**
 * The longest line a segment may have. Far past any entry Fulcrum writes (a call's arguments, the
 * largest part, are bounded by the request body limit, 1 MiB unless raised, and escaped once more in
 * a line, which at most doubles them), and well short of the longest string V8 makes (~512 MiB),
 * which a hostile line reached.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
/** proof.json is read whole: one short object per chain segment. */
const MAX_PROOF_BYTES = 32 * 1024 * 1024;

const PROOF = 'audit/proof.json';
const CHECKPOINT = 'audit/checkpoint.json';
const SEGMENT = /^audit\/([A-Za-z0-9_-]{1,100})\.jsonl$/;

export interface ArchiveVerifyOptions {
  pageSize?: number;
  /** The audit public key, obtained apart from the archive: checks `audit/checkpoint.json` and each segment against it. */
  verifier?: AuditVerifier;
}

export type ArchiveReport =
  | {
      ok: true;
      chains: number;
      entries: number;
      /** With a public key: the checkpoint checked against, and how many entries come after the heads it signed. */
      signed?: { at: string; keyId: string; unsignedEntries: number };
    }
  | { ok: false; chains: number; entries: number; broken: Finding };

const short = (h: string) => h.slice(0, 12);

/** A chain id as Fulcrum makes them: it names a file in the archive, so nothing that leaves `audit/`. */
const CHAIN_ID = /^[A-Za-z0-9_-]{1,100}$/;

function readProofs(text: string): SegmentProof[] {
  let proofs: unknown;
  try {
    proofs = JSON.parse(text);
  } catch (err) {
    throw new InputError(`audit/proof.json is not JSON: ${(err as Error).message}`);
  }
  const isStart = (s: unknown) =>
    typeof s === 'object' &&
    s !== null &&
    Number.isSafeInteger((s as ChainStart).seq) &&
    typeof (s as ChainStart).hash === 'string';
  if (
    !Array.isArray(proofs) ||
    !proofs.every((p) => typeof p?.chainId === 'string' && CHAIN_ID.test(p.chainId) && isStart(p.start))
  )
    throw new InputError('audit/proof.json is not a list of chain segments (chainId, start)');
  // Each chain has one segment, in one file: a chain listed twice would have that file checked twice.
  const chains = new Set<string>();
  for (const p of proofs as SegmentProof[]) {
    if (chains.has(p.chainId)) throw new InputError(`audit/proof.json lists chain ${p.chainId} twice`);
    chains.add(p.chainId);
  }
  return proofs as SegmentProof[];
}

/** The archive's signed checkpoint (its text, if it has one), opened with `verifier`; a finding when it is missing or does not verify. */
function signedCheckpoint(text: string | undefined, verifier: AuditVerifier): { body: CheckpointBody } | { broken: Finding } {
  const broken = (problem: string) =>
    ({ broken: { chainId: '-', seq: 0, id: '-', kind: 'checkpoint-forged', problem } }) as const;
  if (text === undefined)
    return broken('the archive holds no signed checkpoint (audit/checkpoint.json): it cannot be checked with the public key');
  let opened: ReturnType<typeof openCheckpoint>;
  try {
    opened = openCheckpoint(parseCheckpointFile(text, CHECKPOINT), verifier);
  } catch (err) {
    return broken((err as Error).message); // it names audit/checkpoint.json
  }
  return 'body' in opened ? opened : broken(`audit/checkpoint.json: ${opened.error}`);
}

/** Why a segment's start is not one the key vouches for, if it is not: the genesis, a signed retention
 *  start, or the start the signed checkpoint lists for the chain. */
function startProblem(p: SegmentProof, body: CheckpointBody, verifier: AuditVerifier): string | undefined {
  if (p.start.seq === 0)
    return p.start.hash === GENESIS ? undefined : 'the segment starts at entry 0 with another hash than the genesis';
  if (p.startSignature && verifier.verify(startMessage(p.chainId, p.start.seq, p.start.hash), p.startSignature)) return undefined;
  const listed = body.chains.find((c) => c.id === p.chainId)?.start;
  if (listed?.seq === p.start.seq && listed.hash === p.start.hash) return undefined;
  return `the segment starts after entry ${p.start.seq}, and neither a retention signature nor the signed checkpoint says the chain starts there`;
}

/**
 * Every entry follows the one before from the segment's start, and each segment ends where its proof
 * says (so entries cut from its end are noticed). With the public key, the archive's checkpoint must
 * verify, each segment must start where the key says the chain starts and reach the head the
 * checkpoint signed with the hash it signed: a forger without the key cannot rewrite, cut or invent
 * entries up to there. Reads the archive twice as a stream (proof.json and the checkpoint may come
 * after the segments), each segment a line at a time, and writes nothing to disk.
 */
export async function verifyArchive(file: string, opts: ArchiveVerifyOptions = {}): Promise<ArchiveReport> {
  const pageSize = opts.pageSize ?? PAGE;
  const { verifier } = opts;
  const texts = new Map<string, string>();
  await readMembers(
    file,
    (name) => name === PROOF || name === CHECKPOINT,
    async (name, member) => {
      texts.set(name, await wholeText(file, name, member, name === PROOF ? MAX_PROOF_BYTES : MAX_CHECKPOINT_BYTES));
      return texts.size === 2 ? 'stop' : undefined;
    },
  );
  const proofText = texts.get(PROOF);
  if (proofText === undefined) throw new InputError(`${file} is not a Fulcrum evidence archive: it has no audit/proof.json`);
  const proofs = readProofs(proofText);
  let entries = 0;
  let unsignedEntries = 0;
  const fail = (broken: Finding) => ({ ok: false, chains: proofs.length, entries, broken }) as const;
  const checkpoint = verifier ? signedCheckpoint(texts.get(CHECKPOINT), verifier) : undefined;
  if (checkpoint && 'broken' in checkpoint) return fail(checkpoint.broken);
  const body = checkpoint?.body;
  if (body && verifier)
    for (const p of proofs) {
      const problem = startProblem(p, body, verifier);
      if (problem) return fail({ chainId: p.chainId, seq: p.start.seq, id: '-', kind: 'start-forged', problem });
    }

  /** Checks one segment against its proof: the first finding, if any. */
  async function checkSegment(p: SegmentProof, member: Member): Promise<Finding | undefined> {
    const expected: Expected = new Map();
    let signedHead: ChainStart | undefined;
    const head = body?.chains.find((c) => c.id === p.chainId)?.head;
    if (body && head && head.seq > p.start.seq) {
      signedHead = head;
      expected.set(head.seq, { hash: head.hash, by: `the signed checkpoint of ${body.at} (audit/checkpoint.json)` });
    }
    let at = p.start;
    let lastRow: AuditEntryTable | undefined;
    let page: AuditEntryTable[] = [];
    let pageBytes = 0;
    const check = () => {
      const r = verifyRows(p.chainId, page, at, expected);
      entries += r.count;
      lastRow = page.at(-1) ?? lastRow;
      page = [];
      pageBytes = 0;
      if (r.ok) at = r.next;
      return r.ok ? undefined : r.broken;
    };
    let n = 0;
    for await (const line of linesOf(member, MAX_LINE_BYTES)) {
      n++;
      // Entries before a bad line are checked first: a break there is the better answer.
      if (line === null)
        return (
          check() ?? {
            chainId: p.chainId,
            seq: at.seq + 1,
            id: '-',
            problem: `line ${n} of audit/${p.chainId}.jsonl is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, longer than any entry Fulcrum writes (cut or changed)`,
          }
        );
      if (!line.length) continue;
      try {
        page.push(JSON.parse(line.toString('utf8')) as AuditEntryTable);
      } catch {
        return (
          check() ?? {
            chainId: p.chainId,
            seq: at.seq + 1,
            id: '-',
            problem: `line ${n} of audit/${p.chainId}.jsonl is not a JSON entry (cut or changed)`,
          }
        );
      }
      pageBytes += line.length;
      if (page.length < pageSize && pageBytes < PAGE_BYTES) continue;
      const broken = check();
      if (broken) return broken;
    }
    const broken = check();
    if (broken) return broken;
    if (signedHead && at.seq < signedHead.seq)
      return {
        chainId: p.chainId,
        seq: at.seq + 1,
        id: '-',
        kind: 'truncated',
        problem: `the segment ends at entry ${at.seq}, but the signed checkpoint of ${body?.at} goes to entry ${signedHead.seq}`,
      };
    unsignedEntries += at.seq - Math.max(signedHead?.seq ?? p.start.seq, p.start.seq);
    // The proof is in the same archive: without the public key this catches a cut or lost tail, not
    // a forger who also rewrites proof.json (the signed checkpoint does).
    if (p.head && (at.seq !== p.head.seq || at.hash !== p.head.hash))
      return {
        chainId: p.chainId,
        seq: at.seq,
        id: lastRow?.id ?? '-',
        problem: `the segment ends at entry ${at.seq} (hash ${short(at.hash)}…); its proof says entry ${p.head.seq} (hash ${short(p.head.hash)}…)`,
      };
    return undefined;
  }

  // The segments, as they come in the archive. proof.json and the checkpoint are named too, so that a
  // second copy of either is refused here when the first pass stopped before it.
  const byChain = new Map(proofs.map((p) => [p.chainId, p]));
  const chainOf = (name: string) => byChain.get(SEGMENT.exec(name)?.[1] ?? '');
  const checked = new Set<string>();
  let broken: Finding | undefined;
  await readMembers(
    file,
    (name) => name === PROOF || name === CHECKPOINT || chainOf(name) !== undefined,
    async (name, member) => {
      const p = chainOf(name);
      if (!p) return undefined;
      checked.add(p.chainId);
      broken = await checkSegment(p, member);
      return broken ? 'stop' : undefined;
    },
  );
  if (broken) return fail(broken);
  const missing = proofs.find((p) => !checked.has(p.chainId));
  if (missing)
    return fail({
      chainId: missing.chainId,
      seq: missing.start.seq + 1,
      id: '-',
      problem: `audit/${missing.chainId}.jsonl is missing`,
    });
  return {
    ok: true,
    chains: proofs.length,
    entries,
    ...(body ? { signed: { at: body.at, keyId: body.keyId, unsignedEntries } } : {}),
  };
}
