// The evidence export: one archive per initiative for an auditor — inventory, risk assessments,
// reviews and sign-offs, policies in force, an audit-log excerpt with its chain proof, monitors,
// incidents, outcome metrics — and an index mapping each item to EU AI Act articles, NIST AI RMF
// subcategories and ISO/IEC 42001 Annex A control areas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import * as tar from 'tar';
import { assertCan, type Principal } from '../auth/principal.js';
import { adapterOf, orBatches } from '../db/adapter.js';
import type { AuditEntryTable, Database } from '../db/schema.js';
import { BusyError, NotFoundError } from '../errors.js';
import { computeOutcomes } from '../evidence/outcomes.js';
import { GENESIS } from '../guard/audit.js';
import { checkpointFileText, latestCheckpoint } from '../guard/audit-checkpoint.js';
import type { AuditVerifier } from '../guard/audit-key.js';
import { type ChainStart, type Expected, type VerifyReport, verifyRows } from '../guard/audit-verify.js';
import type { EffectivePolicy } from '../policy/policy-set.js';
import type { RegistrySnapshot } from '../registry/model.js';
import type { IncidentService } from './incidents.js';
import type { MonitorService } from './monitors.js';
import type { ReviewService } from './reviews.js';
import type { RiskService } from './risk.js';

/** What each file evidences. The mappings are indicative, for the auditor to confirm. */
export const INDEX: Record<string, { what: string; euAiAct: string[]; nistAiRmf: string[]; iso42001: string[] }> = {
  'inventory.json': {
    what: 'the initiative, its agents, owners, business unit, data domains and models, and the agents that acted for it and have since moved or been deleted',
    euAiAct: ['Art. 26 (obligations of deployers)'],
    nistAiRmf: ['GOVERN 1.6 (inventory of AI systems)'],
    iso42001: ['A.4 (resources for AI systems)', 'A.6 (AI system life cycle)'],
  },
  'risk-assessments.json': {
    what: 'every risk assessment, newest first; the first is the tier in force',
    euAiAct: ['Art. 9 (risk management system)', 'Art. 6 and Annex III (high-risk classification)'],
    nistAiRmf: ['MAP 5.1 (likelihood and magnitude of impacts)'],
    iso42001: ['A.5 (assessing impacts of AI systems)'],
  },
  'reviews.json': {
    what: 'stage-promotion reviews with every sign-off',
    euAiAct: ['Art. 9 (risk management system)', 'Art. 26 (obligations of deployers)'],
    nistAiRmf: ['GOVERN 1.3 (risk management decisions)', 'GOVERN 2.1 (roles and responsibilities)'],
    iso42001: ['A.3 (internal organization)', 'A.6 (AI system life cycle)'],
  },
  'policies.json': {
    what: 'the policies in force (built-in and custom, enforce and monitor) at the registry revision given',
    euAiAct: ['Art. 14 (human oversight: approval policies)', 'Art. 9 (risk management system)'],
    nistAiRmf: ['GOVERN 1.1 (legal and regulatory requirements)', 'MANAGE 1.3 (responses to risks)'],
    iso42001: ['A.2 (policies related to AI)', 'A.9 (use of AI systems)'],
  },
  'audit/': {
    what: "the audit log's chain segments holding the initiative's decisions, approvals and acts, with the proof",
    euAiAct: ['Art. 12 (record-keeping)', 'Art. 26(6) (keeping logs at least six months)', 'Art. 14 (human oversight)'],
    nistAiRmf: ['MEASURE 2.4 (monitoring in production)', 'GOVERN 4.2 (documenting risks and impacts)'],
    iso42001: ['A.6 (AI system life cycle: event logs)'],
  },
  'monitors.json': {
    what: 'monitors watching the initiative or its agents, with their last results',
    euAiAct: ['Art. 72 (post-market monitoring)'],
    nistAiRmf: ['MEASURE 2.4 (monitoring in production)', 'MANAGE 4.1 (post-deployment monitoring)'],
    iso42001: ['A.6 (AI system life cycle: operation and monitoring)'],
  },
  'incidents.json': {
    what: 'incidents linked to the initiative or its agents, with timelines and Art. 73 reporting clocks',
    euAiAct: ['Art. 73 (reporting of serious incidents)', 'Art. 26 (obligations of deployers)'],
    nistAiRmf: ['MANAGE 4.1 (incident response)', 'MANAGE 4.3 (incidents communicated)'],
    iso42001: ['A.8 (information for interested parties)'],
  },
  'outcomes.json': {
    what: 'outcome metrics against baseline and target, with provenance',
    euAiAct: [],
    nistAiRmf: ['MAP 1.4 (business value defined)', 'MEASURE 4.2 (measurable performance)'],
    iso42001: ['A.6 (AI system life cycle: objectives)'],
  },
};

/** What `audit/proof.json` says of one chain segment in the archive. */
export interface SegmentProof {
  chainId: string;
  start: ChainStart;
  entries: number;
  relevantEntries: number;
  verified: boolean;
  head?: ChainStart;
  broken?: NonNullable<VerifyReport['broken']>;
  /** The retention start's signature (startMessage), when the segment starts after a purge. */
  startSignature?: string;
  /** The head `audit/checkpoint.json` signed for this chain, when it falls in the segment: the
   *  segment reaches it, so a holder of the public key checks every entry up to it. */
  signed?: ChainStart;
}

/** How an entry's detail names the initiative its agent was in (see guard-service's withInitiative). */
const INITIATIVE_KEY = '"initiative":"';

/**
 * Audit entries read per query while exporting. Each page is read, hashed and serialized in one piece
 * of the event loop (~35 µs an entry here) before its write to the file gives the loop a turn: 100
 * keeps a piece near the 3 ms registry work is held to (src/registry/slices.ts), where 5,000 held the
 * node's decisions for ~150–250 ms a page.
 */
const PAGE = 100;

export interface Deps {
  db: Kysely<Database>;
  /** Checks the signed checkpoint the archive carries (the server's audit key). */
  auditKey: AuditVerifier;
  /** Signs a checkpoint now, so that the archive's segments reach a signed head (docs/governance.md). */
  checkpointNow?: () => Promise<unknown>;
  /** Audit entries per query (tests make it small to cross page boundaries). */
  auditPageSize?: number;
  registry(): Promise<RegistrySnapshot>;
  policies(): Promise<{ revision: number; policies: EffectivePolicy[] }>;
  risk: RiskService;
  reviews: ReviewService;
  incidents: IncidentService;
  monitors: MonitorService;
}

export type EvidenceExportService = ReturnType<typeof createEvidenceExport>;

/** Evidence exports one node runs at once (see export). */
const MAX_EXPORTS = 2;
const EXPORT_RETRY_S = 5;

export function createEvidenceExport(deps: Deps) {
  const { db } = deps;
  let running = 0;
  const pageSize = deps.auditPageSize ?? PAGE;

  /**
   * Writes each chain segment that holds the initiative's entries — from the chain's start (or its
   * retention checkpoint) up to its last relevant entry — to `auditDir/<chain>.jsonl`, verifying it on
   * the way. Chains are read a page at a time, so memory stays flat however long the log is, and all
   * in one snapshot (as `audit verify` reads): a retention purge committing meanwhile would move a
   * chain's start after it was read and delete the entries that follow it, and the archive would
   * prove a break the log does not have.
   */
  function writeSegments(auditDir: string, agents: string[], incidentIds: string[], initiative: string) {
    return adapterOf(deps.db).readSnapshot(deps.db, (trx) => writeSegmentsIn(trx, auditDir, agents, incidentIds, initiative));
  }

  async function writeSegmentsIn(
    db: Kysely<Database>,
    auditDir: string,
    agents: string[],
    incidentIds: string[],
    initiative: string,
  ) {
    const marks = [`"initiative":"${initiative}"`, ...incidentIds.map((id) => `"incident":"${id}"`)];
    // An entry about an agent names the initiative the agent was in when it was written: it belongs
    // here by that, wherever the agent is now (moved, or deleted). An entry written before entries
    // named it (2026-12-05) belongs to the agent's initiative of today.
    const relevant = (e: AuditEntryTable) =>
      marks.some((m) => e.detail.includes(m)) ||
      (e.agent !== null && agents.includes(e.agent) && !e.detail.includes(INITIATIVE_KEY));
    /** Agents whose entries are here and which are no longer the initiative's. */
    const former = new Set<string>();
    const chains = await db.selectFrom('audit_entries').select('chain_id').distinct().orderBy('chain_id').execute();
    const checkpoints = new Map((await db.selectFrom('audit_checkpoints').selectAll().execute()).map((c) => [c.chain_id, c]));
    // The newest checkpoint signed with the server's key, read in the same snapshot: it travels in the
    // archive, and each segment goes on to the head it signed, so the public key alone proves it.
    const latest = await latestCheckpoint(db, deps.auditKey);
    const signedHeads = new Map(latest?.body.chains.map((c) => [c.id, c.head]) ?? []);
    const proofs: SegmentProof[] = [];
    for (const { chain_id: chainId } of chains) {
      // The database finds where the segment can end at the latest (LIKE ignores case on SQLite, so
      // this may overshoot); `relevant` then decides exactly, row by row. The LIKEs go a few hundred
      // to a query.
      let last: number | undefined;
      for (const [i, batch] of orBatches(marks).entries()) {
        const found = await db
          .selectFrom('audit_entries')
          .select((eb) => eb.fn.max('seq').as('last'))
          .where('chain_id', '=', chainId)
          .where((eb) =>
            eb.or([
              ...(i === 0 && agents.length ? [eb('agent', 'in', agents)] : []),
              ...batch.map((m) => eb('detail', 'like', `%${m}%`)),
            ]),
          )
          .executeTakeFirst();
        if (found?.last != null) last = Math.max(last ?? 0, Number(found.last));
      }
      if (last === undefined) continue;
      const cp = checkpoints.get(chainId);
      const start: ChainStart = { seq: cp?.seq ?? 0, hash: cp?.hash ?? GENESIS };
      const head = signedHeads.get(chainId);
      const signed = head && head.seq > start.seq ? head : undefined;
      if (signed) last = Math.max(last, signed.seq);
      const expected: Expected = new Map(
        signed ? [[signed.seq, { hash: signed.hash, by: `the signed checkpoint of ${latest?.body.at}` }]] : [],
      );
      const file = path.join(auditDir, `${chainId}.jsonl`);
      const out = await fs.promises.open(file, 'w');
      // Where the segment ends so far: after the last relevant row written.
      let end: { bytes: number; entries: number; relevant: number; head: ChainStart } | undefined;
      let broken: NonNullable<VerifyReport['broken']> | undefined;
      try {
        let verified = start;
        let cursor = start.seq;
        let bytes = 0;
        let entries = 0;
        let relevantEntries = 0;
        while (cursor < last) {
          const page = await db
            .selectFrom('audit_entries')
            .selectAll()
            .where('chain_id', '=', chainId)
            .where('seq', '>', cursor)
            .where('seq', '<=', last)
            .orderBy('seq')
            .limit(pageSize)
            .execute();
          if (page.length === 0) break;
          if (!broken) {
            const r = verifyRows(chainId, page, verified, expected);
            if (r.ok) verified = r.next;
            else broken = r.broken;
          }
          let chunk = '';
          for (const row of page) {
            const line = `${JSON.stringify(row)}\n`;
            chunk += line;
            bytes += Buffer.byteLength(line);
            entries++;
            const isRelevant = relevant(row);
            if (isRelevant && row.agent !== null && !agents.includes(row.agent)) former.add(row.agent);
            if (isRelevant) relevantEntries++;
            // The segment ends at its last relevant entry, or at the signed head if that comes later.
            if (isRelevant || row.seq === signed?.seq)
              end = { bytes, entries, relevant: relevantEntries, head: { seq: row.seq, hash: row.hash } };
          }
          await out.writeFile(chunk); // all of it, from the current position
          cursor = (page.at(-1) as AuditEntryTable).seq;
        }
        if (end) await out.truncate(end.bytes);
      } finally {
        await out.close();
      }
      if (!end || end.relevant === 0) {
        fs.rmSync(file);
        continue;
      }
      // A break after the segment's end is not part of what the archive proves.
      const intact = !broken || broken.seq > end.head.seq;
      proofs.push({
        chainId,
        start,
        entries: end.entries,
        relevantEntries: end.relevant,
        verified: intact,
        ...(intact ? { head: end.head } : { broken }),
        ...(start.seq > 0 && cp?.signature ? { startSignature: cp.signature } : {}),
        ...(signed && end.head.seq >= signed.seq ? { signed } : {}),
      });
    }
    return { proofs, former: [...former].sort(), checkpoint: latest };
  }

  return {
    /**
     * Writes the archive (tar.gz) for one initiative to `file`. At most MAX_EXPORTS at once on a node:
     * each walks every audit chain in one snapshot (on PostgreSQL, a pooled connection held for the
     * walk) and writes a checkpoint, and any registry reader may ask; one more is answered 503 with
     * Retry-After rather than queued.
     */
    async export(actor: Principal, initiative: string, file: string) {
      assertCan(actor, 'registry.read');
      if (running >= MAX_EXPORTS)
        throw new BusyError(
          `${running} evidence exports are running on this node, the most it runs at once (each walks the audit log): try again shortly`,
          EXPORT_RETRY_S,
        );
      running++;
      try {
        return await exportOne(actor, initiative, file);
      } finally {
        running--;
      }
    },
  };

  async function exportOne(actor: Principal, initiative: string, file: string) {
    const registry = await deps.registry();
    const i = registry.get('Initiative', initiative);
    if (!i) throw new NotFoundError(`no Initiative named "${initiative}"`);
    const agents = registry.list('Agent').filter((a) => a.spec.initiative === initiative);
    const names = agents.map((a) => a.name);
    const archetypes = [...new Set(agents.map((a) => a.spec.archetype).filter((x): x is string => !!x))];
    const domains = [...new Set(archetypes.flatMap((a) => registry.get('Archetype', a)?.spec.dataDomains ?? []))];
    const models = [...new Set(archetypes.flatMap((a) => registry.get('Archetype', a)?.spec.models ?? []))];
    const incidents = await deps.incidents.related(actor, initiative, names);
    const incidentsFull = await Promise.all(incidents.map((x) => deps.incidents.get(actor, x.id)));
    const reviews = await deps.reviews.list(actor, { initiative });
    const { revision, policies } = await deps.policies();
    const last = new Map(deps.monitors.lastResults(actor).map((r) => [r.monitor, r]));
    const monitors = registry
      .list('Monitor')
      .filter(
        (m) =>
          m.spec.initiative === initiative ||
          (m.spec.agent && names.includes(m.spec.agent)) ||
          (!m.spec.agent && !m.spec.initiative),
      )
      .map((m) => ({ name: m.name, spec: m.spec, lastResult: last.get(m.name) ?? null }));
    const inventory = {
      initiative: {
        name: initiative,
        spec: i.spec,
        riskTierInForce: (await deps.risk.history(actor, initiative))[0]?.tier ?? i.spec.riskTier ?? null,
      },
      businessUnit: registry.get('BusinessUnit', i.spec.businessUnit) ?? null,
      agents: agents.map((a) => ({ name: a.name, spec: a.spec })),
      archetypes: archetypes.map((a) => ({ name: a, spec: registry.get('Archetype', a)?.spec })),
      dataDomains: domains.map((d) => ({ name: d, spec: registry.get('DataDomain', d)?.spec })),
      models: models.map((m) => ({ name: m, spec: registry.get('Model', m)?.spec })),
      /** Filled from the audit segments below. */
      formerAgents: [] as Array<{ name: string; now: { initiative: string | null } | 'deleted' }>,
    };
    const files: Record<string, unknown> = {
      'inventory.json': inventory,
      'risk-assessments.json': await deps.risk.history(actor, initiative),
      'reviews.json': reviews,
      'policies.json': { registryRevision: revision, policies },
      'monitors.json': monitors,
      'incidents.json': incidentsFull,
      'outcomes.json': await computeOutcomes(db, registry, initiative, new Date()),
      'index.json': {
        initiative,
        generatedAt: new Date().toISOString(),
        generatedBy: actor.type === 'person' ? `person:${actor.id}` : actor.type,
        files: INDEX,
      },
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-evidence-'));
    try {
      fs.mkdirSync(path.join(dir, 'audit'));
      // A checkpoint first (the server's, when it may sign): the segments then reach a signed head.
      await deps.checkpointNow?.();
      const { proofs, former, checkpoint } = await writeSegments(
        path.join(dir, 'audit'),
        names,
        incidents.map((x) => x.id),
        initiative,
      );
      files['audit/proof.json'] = proofs;
      if (checkpoint)
        fs.writeFileSync(path.join(dir, 'audit', 'checkpoint.json'), checkpointFileText(checkpoint.checkpoint, checkpoint.body));
      // Agents that acted for the initiative and have since moved or been deleted: their entries
      // are in the audit segments, and the inventory says where they are now.
      inventory.formerAgents = former.map((name) => {
        const now = registry.get('Agent', name);
        return { name, now: now ? { initiative: now.spec.initiative ?? null } : 'deleted' };
      });
      for (const [name, content] of Object.entries(files))
        fs.writeFileSync(path.join(dir, name), `${JSON.stringify(content, null, 2)}\n`);
      fs.writeFileSync(
        path.join(dir, 'policies.cedar'),
        policies.map((p) => `// ${p.id} (${p.mode}, ${p.source})\n${p.text}\n`).join('\n'),
      );
      const verified = proofs.every((p) => p.verified);
      fs.writeFileSync(path.join(dir, 'README.md'), readme(initiative, verified, checkpoint?.body.keyId));
      await tar.c({ gzip: true, file, cwd: dir, portable: true }, fs.readdirSync(dir));
      return { file, chains: proofs.length, entries: proofs.reduce((n, p) => n + p.entries, 0), verified };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function readme(initiative: string, verified: boolean, keyId: string | undefined): string {
  const signed = keyId
    ? `\`audit/checkpoint.json\` is the log's latest checkpoint, signed with Fulcrum's audit key ${keyId}; each
segment goes on to the head it signed. With the public key, obtained from the operator apart from
this archive (\`GET /v1/audit/public-key\`, or the copy you keep), the segments are checked against it:

    fulcrum audit verify --archive THIS_FILE.tar.gz --public-key audit-public-key.pem
`
    : `No signed checkpoint was available at export: the segments prove themselves by their links only.
`;
  return `# Evidence: ${initiative}

Exported by Fulcrum. \`index.json\` maps each file to EU AI Act articles, NIST AI RMF subcategories and
ISO/IEC 42001 Annex A control areas (indicative mappings, for the auditor to confirm).

The audit log is hash-chained: \`audit/<chain>.jsonl\` holds each chain segment that contains this
initiative's entries, from the chain's start (or its retention checkpoint, given in
\`audit/proof.json\`) up to the last relevant entry, so it can be verified without Fulcrum's database:

    fulcrum audit verify --archive THIS_FILE.tar.gz

${signed}
Segments include other entries of the same chains: a hash chain can only be proven whole.
At export, every segment ${verified ? 'verified' : 'did NOT verify'}.
`;
}
