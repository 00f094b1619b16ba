// Verifies the audit part of an evidence archive without Fulcrum's database, as `fulcrum audit
// verify --archive` does: the chain segments by their links, and with the public key, against the
// signed checkpoint the archive carries (docs/governance.md, "Evidence export").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import * as tar from 'tar';
import type { AuditEntryTable } from '../db/schema.js';
import { InputError } from '../errors.js';
import { GENESIS } from '../guard/audit.js';
import { type CheckpointBody, openCheckpoint, readCheckpointFile, startMessage } from '../guard/audit-checkpoint.js';
import type { AuditVerifier } from '../guard/audit-key.js';
import { type ChainStart, type Expected, type Finding, verifyRows } from '../guard/audit-verify.js';
import type { SegmentProof } from './evidence-export.js';

/** Audit entries checked at a time. */
const PAGE = 5000;

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

function readProofs(file: string): SegmentProof[] {
  let proofs: unknown;
  try {
    proofs = JSON.parse(fs.readFileSync(file, 'utf8'));
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
  return proofs as SegmentProof[];
}

/** The archive's signed checkpoint, opened with `verifier`; a finding when it is missing or does not verify. */
function signedCheckpoint(dir: string, verifier: AuditVerifier): { body: CheckpointBody } | { broken: Finding } {
  const broken = (problem: string) =>
    ({ broken: { chainId: '-', seq: 0, id: '-', kind: 'checkpoint-forged', problem } }) as const;
  const file = path.join(dir, 'audit', 'checkpoint.json');
  if (!fs.existsSync(file))
    return broken('the archive holds no signed checkpoint (audit/checkpoint.json): it cannot be checked with the public key');
  let opened: ReturnType<typeof openCheckpoint>;
  try {
    opened = openCheckpoint(readCheckpointFile(file), verifier);
  } catch (err) {
    return broken(`audit/checkpoint.json: ${(err as Error).message}`);
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
 * entries up to there. Reads each segment a line at a time.
 */
export async function verifyArchive(file: string, opts: ArchiveVerifyOptions = {}): Promise<ArchiveReport> {
  const pageSize = opts.pageSize ?? PAGE;
  const { verifier } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-verify-'));
  try {
    try {
      await tar.x({ file, cwd: dir, strict: true });
    } catch (err) {
      throw new InputError(`${file} is not a readable tar.gz archive: ${(err as Error).message}`);
    }
    const proofFile = path.join(dir, 'audit', 'proof.json');
    if (!fs.existsSync(proofFile)) throw new InputError(`${file} is not a Fulcrum evidence archive: it has no audit/proof.json`);
    const proofs = readProofs(proofFile);
    let entries = 0;
    let unsignedEntries = 0;
    const fail = (broken: Finding) => ({ ok: false, chains: proofs.length, entries, broken }) as const;
    const checkpoint = verifier ? signedCheckpoint(dir, verifier) : undefined;
    if (checkpoint && 'broken' in checkpoint) return fail(checkpoint.broken);
    const body = checkpoint?.body;
    for (const p of proofs) {
      const segment = path.join(dir, 'audit', `${p.chainId}.jsonl`);
      if (!fs.existsSync(segment))
        return fail({ chainId: p.chainId, seq: p.start.seq + 1, id: '-', problem: `audit/${p.chainId}.jsonl is missing` });
      const expected: Expected = new Map();
      let signedHead: ChainStart | undefined;
      if (body && verifier) {
        const problem = startProblem(p, body, verifier);
        if (problem) return fail({ chainId: p.chainId, seq: p.start.seq, id: '-', kind: 'start-forged', problem });
        const head = body.chains.find((c) => c.id === p.chainId)?.head;
        if (head && head.seq > p.start.seq) {
          signedHead = head;
          expected.set(head.seq, { hash: head.hash, by: `the signed checkpoint of ${body.at} (audit/checkpoint.json)` });
        }
      }
      let at = p.start;
      let lastRow: AuditEntryTable | undefined;
      let page: AuditEntryTable[] = [];
      const check = () => {
        const r = verifyRows(p.chainId, page, at, expected);
        entries += r.count;
        lastRow = page.at(-1) ?? lastRow;
        page = [];
        if (r.ok) at = r.next;
        return r.ok ? undefined : r.broken;
      };
      const lines = readline.createInterface({ input: fs.createReadStream(segment), crlfDelay: Number.POSITIVE_INFINITY });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (!line) continue;
        try {
          page.push(JSON.parse(line) as AuditEntryTable);
        } catch {
          // Entries before it are checked first: a break there is the better answer.
          const broken = check() ?? {
            chainId: p.chainId,
            seq: at.seq + 1,
            id: '-',
            problem: `line ${n} of audit/${p.chainId}.jsonl is not a JSON entry (cut or changed)`,
          };
          lines.close();
          return fail(broken);
        }
        if (page.length < pageSize) continue;
        const broken = check();
        if (broken) return fail(broken);
      }
      const broken = check();
      if (broken) return fail(broken);
      if (signedHead && at.seq < signedHead.seq)
        return fail({
          chainId: p.chainId,
          seq: at.seq + 1,
          id: '-',
          kind: 'truncated',
          problem: `the segment ends at entry ${at.seq}, but the signed checkpoint of ${body?.at} goes to entry ${signedHead.seq}`,
        });
      unsignedEntries += at.seq - Math.max(signedHead?.seq ?? p.start.seq, p.start.seq);
      // The proof is in the same archive: without the public key this catches a cut or lost tail, not
      // a forger who also rewrites proof.json (the signed checkpoint does).
      if (p.head && (at.seq !== p.head.seq || at.hash !== p.head.hash))
        return fail({
          chainId: p.chainId,
          seq: at.seq,
          id: lastRow?.id ?? '-',
          problem: `the segment ends at entry ${at.seq} (hash ${short(at.hash)}…); its proof says entry ${p.head.seq} (hash ${short(p.head.hash)}…)`,
        });
    }
    return {
      ok: true,
      chains: proofs.length,
      entries,
      ...(body ? { signed: { at: body.at, keyId: body.keyId, unsignedEntries } } : {}),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
