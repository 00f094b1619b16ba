// Risk tiering from a questionnaire, following the EU AI Act's classes: Art. 5 prohibited practices,
// Art. 6(2) with Annex III high-risk areas, Art. 50 transparency. Assessments are versioned; the
// latest is the tier in force.
import type { Kysely } from 'kysely';
import { actorName, assertCan, can, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { ActRecord, ChangeWithActs } from '../guard/audit.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { createRegistryStore } from '../registry/registry-store.js';

/** Yes/no questions; every one must be answered. */
export const QUESTIONS = {
  employment: 'Affects access to employment or workers’ management (recruitment, promotion, termination, task allocation)?',
  creditOrEssentialServices: 'Affects access to credit, insurance or essential public and private services?',
  education: 'Affects access to education or vocational training, or evaluates learners?',
  lawEnforcement: 'Used by or for law enforcement?',
  migration: 'Used in migration, asylum or border control?',
  justice: 'Used in the administration of justice or democratic processes?',
  criticalInfrastructure: 'A safety component of critical infrastructure (energy, water, transport, digital)?',
  biometricIdentification: 'Identifies or categorises people from biometric data?',
  interactsWithPublic: 'Interacts with members of the public?',
  generatesContent: 'Generates text, images, audio or video that people see?',
  actsAutonomouslyOnMoneyOrSystems: 'Acts autonomously on money or on systems (payments, refunds, changes to production)?',
  usesPersonalOrRestrictedData: 'Uses personal or restricted data?',
} as const;
export type Question = keyof typeof QUESTIONS;

/** Art. 5(1)(a)–(h). */
export const PROHIBITED_PRACTICES = {
  'subliminal-manipulation': 'Art. 5(1)(a) manipulative or deceptive techniques that distort behaviour',
  'exploiting-vulnerabilities': 'Art. 5(1)(b) exploiting vulnerabilities of age, disability or social situation',
  'social-scoring': 'Art. 5(1)(c) social scoring',
  'predictive-policing': 'Art. 5(1)(d) predicting criminal offences from profiling alone',
  'face-scraping': 'Art. 5(1)(e) untargeted scraping of facial images',
  'emotion-recognition-work-education': 'Art. 5(1)(f) emotion recognition in the workplace or education',
  'biometric-categorisation-sensitive': 'Art. 5(1)(g) biometric categorisation inferring sensitive traits',
  'realtime-remote-biometric-id': 'Art. 5(1)(h) real-time remote biometric identification in public spaces for law enforcement',
} as const;
export type Practice = keyof typeof PROHIBITED_PRACTICES;

const ANNEX_III: Partial<Record<Question, string>> = {
  biometricIdentification: 'Annex III point 1 (biometrics)',
  criticalInfrastructure: 'Annex III point 2 (critical infrastructure)',
  education: 'Annex III point 3 (education and vocational training)',
  employment: 'Annex III point 4 (employment, workers’ management)',
  creditOrEssentialServices: 'Annex III point 5 (essential private and public services, credit, insurance)',
  lawEnforcement: 'Annex III point 6 (law enforcement)',
  migration: 'Annex III point 7 (migration, asylum, border control)',
  justice: 'Annex III point 8 (administration of justice and democratic processes)',
};

export type Tier = 'prohibited' | 'high' | 'medium' | 'low' | 'minimal';

export interface Answers extends Record<Question, boolean> {
  prohibitedPractices: Practice[];
}

/** The tier and every reason for it; the strictest class wins. */
export function classify(a: Answers): { tier: Tier; reasons: string[] } {
  if (a.prohibitedPractices.length > 0)
    return { tier: 'prohibited', reasons: a.prohibitedPractices.map((p) => `prohibited practice: ${PROHIBITED_PRACTICES[p]}`) };
  const annex = (Object.keys(ANNEX_III) as Question[])
    .filter((q) => a[q])
    .map((q) => `high-risk area, Art. 6(2) and ${ANNEX_III[q]}`);
  if (annex.length > 0) return { tier: 'high', reasons: annex };
  const transparency = a.interactsWithPublic || a.generatesContent;
  const reasons: string[] = [];
  if (a.interactsWithPublic) reasons.push('interacts with people: Art. 50(1) transparency (they must know it is AI)');
  if (a.generatesContent) reasons.push('generates content: Art. 50(2) marking of synthetic content');
  if (a.actsAutonomouslyOnMoneyOrSystems)
    reasons.push('acts autonomously on money or systems: needs human oversight and approvals');
  if (a.usesPersonalOrRestrictedData) reasons.push('uses personal or restricted data: GDPR and data-domain controls apply');
  if (a.actsAutonomouslyOnMoneyOrSystems || (transparency && a.usesPersonalOrRestrictedData)) return { tier: 'medium', reasons };
  if (transparency || a.usesPersonalOrRestrictedData) return { tier: 'low', reasons };
  return {
    tier: 'minimal',
    reasons: ['no high-risk area, no transparency obligation, no autonomy over money or systems, no personal data'],
  };
}

/** One of the eight, by its own key: `in` would also take "constructor" or "__proto__" for one. */
const isPractice = (p: unknown): p is Practice => typeof p === 'string' && Object.hasOwn(PROHIBITED_PRACTICES, p);

/** Every missing or mistyped answer, by name. */
export function checkAnswers(raw: unknown): Answers {
  const a = (raw ?? {}) as Record<string, unknown>;
  const missing = (Object.keys(QUESTIONS) as Question[]).filter((q) => typeof a[q] !== 'boolean');
  const practices = a.prohibitedPractices ?? [];
  const badPractices = Array.isArray(practices) ? practices.filter((p) => !isPractice(p)) : ['(not a list)'];
  if (missing.length > 0 || badPractices.length > 0) {
    const details = [
      ...missing.map((q) => ({ path: `/answers/${q}`, message: `missing answer (true or false): ${QUESTIONS[q]}` })),
      ...badPractices.map((p) => ({
        path: '/answers/prohibitedPractices',
        message: `unknown practice "${String(p)}" (one of: ${Object.keys(PROHIBITED_PRACTICES).join(', ')})`,
      })),
    ];
    throw new InputError(
      `the questionnaire is incomplete: ${missing.length} unanswered${badPractices.length ? `, ${badPractices.length} unknown practice(s)` : ''}`,
      details,
    );
  }
  return { ...(a as Record<Question, boolean>), prohibitedPractices: practices as Practice[] };
}

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  /** The assessment and its audit entry, in one transaction (src/guard/audit.ts). */
  changeWithActs: ChangeWithActs;
  /** The tier changed: caches of it (the guard's snapshot) must refresh. */
  onChange(): void;
}

export type RiskService = ReturnType<typeof createRiskService>;

export function createRiskService(deps: Deps) {
  const { db } = deps;
  const toAssessment = (r: Database['risk_assessments']) => ({
    initiative: r.initiative,
    version: r.version,
    tier: r.tier as Tier,
    reasons: JSON.parse(r.reasons) as string[],
    answers: JSON.parse(r.answers) as Answers,
    notes: r.notes,
    assessedBy: r.assessed_by,
    assessedAt: r.assessed_at,
  });
  return {
    async assess(actor: Principal, initiative: string, body: { answers: unknown; notes?: string }) {
      // The initiative as committed, not as this node's cached view has it: it may have been written
      // through another node a moment ago.
      const i = await createRegistryStore(db).get('Initiative', initiative);
      if (!i) throw new NotFoundError(`no Initiative named "${initiative}"`);
      if (!can(actor, 'risk.assess')) throw new NotAllowedError(`only platform, reviewer:risk or admin may assess ${initiative}`);
      const answers = checkAnswers(body.answers);
      const { tier, reasons } = classify(answers);
      const at = new Date().toISOString();
      const assessment = await deps.changeWithActs(async (trx) => {
        // The tier is part of what the guard decides with, on every node: the revision moves, and
        // taking it first serialises this with registry writes, so the owner is read as it is now.
        const registryTx = createRegistryStore(trx);
        await registryTx.bumpRevision();
        const current = await registryTx.get('Initiative', initiative);
        if (!current) throw new NotFoundError(`no Initiative named "${initiative}"`);
        const owner = current.spec.owner;
        const owners = (await registryTx.stewardsOf([initiative])).get(initiative)?.owners;
        // Separation of duties: the tier decides which sign-offs a promotion needs (a minimal tier needs
        // only the owner's), so nobody sets the tier of an initiative they own, or have owned (handing
        // the ownership away for the assessment would change nothing). Read under the lock.
        if (actor.type === 'person' && (owner === actor.id || owners?.has(actor.id)))
          throw new NotAllowedError(
            `separation of duties: ${actor.id} ${owner === actor.id ? 'owns' : 'has owned'} ${initiative}, so may not assess its risk; platform or reviewer:risk must`,
          );
        const last = await trx
          .selectFrom('risk_assessments')
          .select((eb) => eb.fn.max<number>('version').as('v'))
          .where('initiative', '=', initiative)
          .executeTakeFirst();
        const row = {
          initiative,
          version: Number(last?.v ?? 0) + 1,
          tier,
          reasons: JSON.stringify(reasons),
          answers: JSON.stringify(answers),
          notes: body.notes ?? null,
          assessed_by: actorName(actor),
          assessed_at: at,
        };
        await trx.insertInto('risk_assessments').values(row).execute();
        const act: ActRecord = {
          kind: 'risk.assessed',
          actor: actorName(actor),
          detail: { initiative, version: row.version, tier, previous: i.spec.riskTier ?? null },
        };
        return { value: toAssessment(row), acts: [act] };
      });
      deps.onChange();
      const activeAgents = (await deps.registry())
        .list('Agent')
        .filter((a) => a.spec.initiative === initiative && a.spec.status === 'active');
      return {
        ...assessment,
        ...(tier === 'prohibited' && activeAgents.length > 0
          ? { warning: `prohibited: the guard now denies every call of ${activeAgents.map((a) => a.name).join(', ')}` }
          : {}),
      };
    },

    /** The questions every assessment answers, and the prohibited practices. */
    questionnaire(actor: Principal) {
      assertCan(actor, 'registry.read');
      return QUESTIONNAIRE;
    },

    /** Every assessment of an initiative, newest (the tier in force) first. */
    async history(actor: Principal, initiative: string) {
      assertCan(actor, 'registry.read');
      const rows = await db
        .selectFrom('risk_assessments')
        .selectAll()
        .where('initiative', '=', initiative)
        .orderBy('version', 'desc')
        .execute();
      return rows.map(toAssessment);
    },

    /** The tier in force per initiative: the latest assessment's. */
    async tiers(): Promise<Map<string, Tier>> {
      return latestTiers(db);
    },
  };
}

export async function latestTiers(db: Kysely<Database>): Promise<Map<string, Tier>> {
  const rows = await db.selectFrom('risk_assessments').select(['initiative', 'version', 'tier']).orderBy('version').execute();
  return new Map(rows.map((r) => [r.initiative, r.tier as Tier]));
}

export const QUESTIONNAIRE = { questions: QUESTIONS, prohibitedPractices: PROHIBITED_PRACTICES };
