// What the guard decides with, held in memory per node: the registry, the effective policies
// compiled for evaluation, the Cedar entities, agent keys and each tool's argument validator.
// Rebuilt whenever the registry revision moves.
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { latestTiers } from '../governance/risk.js';
import { buildEntities } from '../policy/entities.js';
import { createEvaluator } from '../policy/evaluator.js';
import { type EffectivePolicy, effectivePolicies, preparePolicies } from '../policy/policy-set.js';
import type { PolicyEvaluator } from '../policy/types.js';
import { schemaCompilers } from '../registry/json-schema.js';
import { RegistrySnapshot } from '../registry/model.js';
import { createRegistryStore } from '../registry/registry-store.js';

export interface CompiledSet {
  evaluator: PolicyEvaluator<unknown>;
  entities: unknown;
}

export interface AgentKey {
  agent: string;
  keyId: string;
  revoked: boolean;
}

export interface GuardSnapshot {
  revision: number;
  registry: RegistrySnapshot;
  policies: EffectivePolicy[];
  byId: Map<string, EffectivePolicy>;
  /** Enforced permits and plain forbids: Cedar's allow or deny. */
  enforce: CompiledSet;
  /** Enforced forbids annotated @approval, asked only when `enforce` allows: do they need a human? */
  approval: CompiledSet | undefined;
  /** Monitor-mode policies, evaluated beside the enforced set: what would have happened. */
  monitor: CompiledSet | undefined;
  keys: Map<string, AgentKey>;
  /** The ids of the agent keys revoked at this revision (a key issued since is in neither). */
  revokedKeys: Set<string>;
  suspended: Map<string, { reason: string; actor: string; at: string }>;
  status(agent: string): string;
  /** The risk tier in force of an initiative. */
  riskTier(initiative: string): string | undefined;
  validateArguments(tool: string): ValidateFunction;
}

export async function loadSnapshot(db: Kysely<Database>): Promise<GuardSnapshot> {
  const store = createRegistryStore(db);
  const revision = await store.revision();
  const [objects, controls, credentials, tiers] = await Promise.all([
    store.loadAll(),
    db.selectFrom('agent_controls').selectAll().execute(),
    db
      .selectFrom('credentials')
      .select(['id', 'subject', 'token_hash', 'revoked_at'])
      .where('subject_kind', '=', 'agent')
      // Live keys, and those revoked in the last day (a request authenticated before its key's
      // revocation is refused at commit by them). Older revoked keys are found in the database when
      // presented: every node would otherwise hold every key ever revoked.
      .where((eb) =>
        eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>=', new Date(Date.now() - REVOKED_HELD_MS).toISOString())]),
      )
      .execute(),
    latestTiers(db),
  ]);
  const registry = new RegistrySnapshot(objects, revision);
  // Parse changed policies in the Cedar worker without blocking the event loop; buildSnapshot then
  // finds them cached.
  await preparePolicies(registry);
  return buildSnapshot(registry, controls, credentials, tiers);
}

// Argument validators outlive the snapshot while their tool's schema is unchanged: a registry write
// rebuilds the snapshot, and a fresh Ajv compiles its meta-schema before anything else (~10 ms, in
// the group commit when the revision moved: measured as most of the main thread's time under a loop
// of registry writes). Ajv keeps what it compiled for its lifetime, so each set of compilers serves
// COMPILERS_SERVE schemas and is then replaced, and the validators kept are bounded too.
/** How long a revoked agent key stays in the snapshot (the commit-time check's window is seconds). */
const REVOKED_HELD_MS = 86_400_000;
const COMPILERS_SERVE = 500;
const VALIDATORS_MAX = 1_000;
const argumentCompilers = () => schemaCompilers({ allErrors: true, strict: false }, (a) => addFormats.default(a));
let compilers = argumentCompilers();
let served = 0;
const validatorsBySchema = new Map<string, ValidateFunction>();

function argumentValidator(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = validatorsBySchema.get(key);
  if (!v) {
    if (++served > COMPILERS_SERVE) {
      compilers = argumentCompilers();
      served = 1;
    }
    try {
      v = compilers.compile(schema);
    } catch (err) {
      // Checked at apply, so only a Tool written before a rule tightened (a backtracking pattern)
      // lands here: its calls are refused, saying why, rather than failing the decision.
      v = refuseAll(`the Tool's argument schema cannot be used: ${(err as Error).message}`);
    }
    if (validatorsBySchema.size >= VALIDATORS_MAX) validatorsBySchema.delete(validatorsBySchema.keys().next().value as string);
    validatorsBySchema.set(key, v);
  }
  return v;
}

function refuseAll(message: string): ValidateFunction {
  const v = (() => {
    v.errors = [{ instancePath: '', schemaPath: '#', keyword: 'schema', params: {}, message }];
    return false;
  }) as unknown as ValidateFunction;
  return v;
}

export function buildSnapshot(
  registry: RegistrySnapshot,
  controls: Array<{ agent: string; reason: string; actor: string; at: string }>,
  credentials: Array<{ id: string; subject: string; token_hash: string; revoked_at: string | null }>,
  assessedTiers: ReadonlyMap<string, string> = new Map(),
): GuardSnapshot {
  const suspended = new Map(controls.map((c) => [c.agent, { reason: c.reason, actor: c.actor, at: c.at }]));
  const status = (agent: string) =>
    suspended.has(agent) ? 'suspended' : (registry.get('Agent', agent)?.spec.status ?? 'retired');
  // A Policy written before ids were checked at write may repeat one: it stays in force under
  // another id (a skipped forbid would allow what it forbids), and the operator hears of it.
  const policies = effectivePolicies(registry, (id, renamed) =>
    process.emitWarning(`policy id ${id} is given twice: the second is in force as ${renamed}; rename it (give it another @id)`),
  );
  // The tier in force: the latest risk assessment, else the descriptor's riskTier.
  const riskTier = (initiative: string) => assessedTiers.get(initiative) ?? registry.get('Initiative', initiative)?.spec.riskTier;
  const entities = buildEntities(registry, status, riskTier);
  // The three sets are evaluators of one kind, so they read one prepared copy of the entities (and a
  // request compiled for one is valid for the others).
  let prepared: unknown;
  const compile = (set: EffectivePolicy[]): CompiledSet => {
    const evaluator = createEvaluator(set.map((p) => ({ id: p.id, text: p.text })));
    prepared ??= evaluator.prepareEntities(entities);
    return { evaluator, entities: prepared };
  };
  const enforced = policies.filter((p) => p.mode === 'enforce');
  const approvals = enforced.filter((p) => p.approval !== undefined);
  const monitored = policies.filter((p) => p.mode === 'monitor');
  const validators = new Map<string, ValidateFunction>();
  return {
    revision: registry.revision,
    registry,
    policies,
    byId: new Map(policies.map((p) => [p.id, p])),
    enforce: compile(enforced.filter((p) => p.approval === undefined)),
    approval: approvals.length > 0 ? compile(approvals) : undefined,
    monitor: monitored.length > 0 ? compile(monitored) : undefined,
    keys: new Map(credentials.map((c) => [c.token_hash, { agent: c.subject, keyId: c.id, revoked: c.revoked_at !== null }])),
    revokedKeys: new Set(credentials.filter((c) => c.revoked_at !== null).map((c) => c.id)),
    suspended,
    status,
    riskTier,
    validateArguments(tool) {
      let v = validators.get(tool);
      if (!v) {
        v = argumentValidator(registry.get('Tool', tool)?.spec.arguments ?? {});
        validators.set(tool, v);
      }
      return v;
    },
  };
}
