// The guard's hot path: Cedar policies compiled to JS closures, answering exactly as cedar-wasm does.
// Policies the compiler does not support, and requests touching data it does not model, are answered
// by cedar-wasm (WasmEvaluator), so the price of an unusual policy is speed, never a wrong answer.

import { cedarHere, policiesToJson } from './cedar-runtime.js';
import { type ActionScope, actionScopeMatches, actionScopeOf, compilePolicy, type PolicyFn } from './compile.js';
import type { CedarRequest, EntityJson, EvalResult, PolicyEvaluator, PolicyInput, TypeAndId } from './types.js';
import {
  CedarEvalError,
  CedarRecord,
  EntityRef,
  type EntityStore,
  isPlainObject,
  isPlainTypeName,
  isWellFormed,
  NEEDS_WASM,
  NO_ANCESTORS,
  type Req,
  type StoredEntity,
  UNMODELLED,
  type Unmodelled,
  uidFromJson,
  type Value,
  valueFromJson,
} from './values.js';
import { WasmEvaluator } from './wasm-evaluator.js';

/** Entities as the compiled closures read them, plus the JSON for whatever cedar-wasm must answer. */
export class PreparedEntities implements EntityStore {
  constructor(
    readonly json: EntityJson[],
    readonly byKey: ReadonlyMap<string, StoredEntity>,
    private readonly byType: ReadonlyMap<string, ReadonlyMap<string, StoredEntity>>,
    /** The entities hold something the compiled evaluator does not model: every request goes to cedar-wasm. */
    readonly wasmOnly: boolean,
  ) {}

  /** Two-level lookup: no key string to build per request. */
  lookup(type: string, id: string): StoredEntity | undefined {
    return this.byType.get(type)?.get(id);
  }
}

interface Entry {
  id: string;
  forbid: boolean;
  body: PolicyFn;
}

/** What to run for one action: the compiled policies whose action scope admits it, in input order. */
interface Plan {
  policies: Entry[];
  /** Some fallback policy admits the action, so cedar-wasm must be asked too. */
  fallback: boolean;
}

// Plans are cached per action; an unbounded stream of unknown action ids must not grow memory forever.
const MAX_PLANS = 4096;

export class CompiledEvaluator implements PolicyEvaluator<PreparedEntities> {
  /** Policies the compiler does not support (extension functions, tags ...), answered by cedar-wasm. */
  readonly fallbackIds: string[] = [];
  /** Why each fallback policy was not compiled. */
  readonly fallbackReasons: Record<string, string> = {};

  private readonly entries: Array<Entry & { action: ActionScope }> = [];
  private readonly fallbackScopes: ActionScope[] = [];
  private readonly fallback: WasmEvaluator | undefined;
  private readonly order = new Map<string, number>();
  private readonly plans = new WeakMap<PreparedEntities, Map<string, Plan>>();
  // The snapshot in use is nearly always the last one: skip the WeakMap lookup for it.
  private lastPrepared: PreparedEntities | undefined;
  private lastPlans: Map<string, Plan> | undefined;
  private wasmAll: WasmEvaluator | undefined;

  constructor(private readonly policies: PolicyInput[]) {
    const fallback: PolicyInput[] = [];
    const json = policiesToJson(policies.map((p) => p.text));
    for (const [index, p] of policies.entries()) {
      if (this.order.has(p.id)) throw new Error(`Duplicate policy id ${p.id}`);
      this.order.set(p.id, index);
      const parsed = json[index] as (typeof json)[number];
      if ('error' in parsed) throw new Error(`Policy ${p.id} does not parse: ${parsed.error}`);
      const compiled = compilePolicy(parsed.json);
      if (compiled.ok) {
        const { effect, action, body } = compiled.policy;
        this.entries.push({ id: p.id, forbid: effect === 'forbid', action, body });
      } else {
        fallback.push(p);
        this.fallbackIds.push(p.id);
        this.fallbackReasons[p.id] = compiled.reason;
        this.fallbackScopes.push(actionScopeOf(parsed.json.action));
      }
    }
    this.fallback = fallback.length > 0 ? new WasmEvaluator(fallback) : undefined;
  }

  prepareEntities(entities: EntityJson[]): PreparedEntities {
    return prepare(entities);
  }

  evaluate(request: CedarRequest, prepared: PreparedEntities): EvalResult {
    const req = prepared.wasmOnly ? undefined : this.compiledRequest(request, prepared);
    if (req === undefined) return this.wasm().evaluate(request, prepared.json);
    const plan = this.planFor(req, prepared);
    let forbids: string[] | undefined;
    let permits: string[] | undefined;
    let errors: EvalResult['errors'] | undefined;
    for (const p of plan.policies) {
      let satisfied: boolean;
      try {
        satisfied = p.body(req, prepared);
      } catch (err) {
        if (err === NEEDS_WASM) return this.wasm().evaluate(request, prepared.json);
        if (!(err instanceof CedarEvalError)) throw err;
        errors = append(errors, { policy: p.id, message: err.message });
        continue;
      }
      if (!satisfied) continue;
      if (p.forbid) forbids = append(forbids, p.id);
      else permits = append(permits, p.id);
    }
    if (plan.fallback) return this.withFallback(request, prepared, forbids ?? [], permits ?? [], errors ?? []);
    if (forbids) return { decision: 'deny', determining: forbids, errors: errors ?? [] };
    if (permits) return { decision: 'allow', determining: permits, errors: errors ?? [] };
    return { decision: 'deny', determining: [], errors: errors ?? [] };
  }

  /** The request in compiled form; undefined when it holds something only cedar-wasm reads right.
   *  The guard asks up to three policy sets about one request, against one prepared copy of the
   *  entities: the last request compiled is kept for the next set (requests are not changed). */
  private compiledRequest(request: CedarRequest, prepared: PreparedEntities): Req | undefined {
    if (request === lastRequest.request && prepared === lastRequest.prepared) return lastRequest.req;
    const req = compileRequest(request, prepared);
    lastRequest = { request, prepared, req };
    return req;
  }

  private planFor(req: Req, prepared: PreparedEntities): Plan {
    let plans = prepared === this.lastPrepared ? this.lastPlans : undefined;
    if (!plans) {
      plans = this.plans.get(prepared);
      if (!plans) {
        plans = new Map();
        this.plans.set(prepared, plans);
      }
      this.lastPrepared = prepared;
      this.lastPlans = plans;
    }
    let plan = plans.get(req.action.key);
    if (!plan) {
      if (plans.size >= MAX_PLANS) plans.clear();
      const ancestors = req.actionEntity?.ancestors ?? NO_ANCESTORS;
      plan = {
        policies: this.entries.filter((p) => actionScopeMatches(p.action, req.action, ancestors)),
        fallback: this.fallbackScopes.some((s) => actionScopeMatches(s, req.action, ancestors)),
      };
      plans.set(req.action.key, plan);
    }
    return plan;
  }

  /**
   * Merges cedar-wasm's answer for the fallback policies. Its determining policies are exactly its
   * satisfied forbids when it denies, its satisfied permits when it allows; when it denies, its
   * satisfied permits do not matter, as the merged answer is a deny as well.
   */
  private withFallback(
    request: CedarRequest,
    prepared: PreparedEntities,
    forbids: string[],
    permits: string[],
    errors: EvalResult['errors'],
  ): EvalResult {
    const other = this.fallback!.evaluate(request, prepared.json);
    const byOrder = (a: string, b: string) => this.order.get(a)! - this.order.get(b)!;
    const allErrors = [...errors, ...other.errors].sort((a, b) => byOrder(a.policy, b.policy));
    const allForbids = other.decision === 'deny' ? [...forbids, ...other.determining].sort(byOrder) : forbids;
    if (allForbids.length > 0) return { decision: 'deny', determining: allForbids, errors: allErrors };
    const allPermits = other.decision === 'allow' ? [...permits, ...other.determining].sort(byOrder) : permits;
    if (allPermits.length > 0) return { decision: 'allow', determining: allPermits, errors: allErrors };
    return { decision: 'deny', determining: [], errors: allErrors };
  }

  /** cedar-wasm over every policy, built on first need. */
  private wasm(): WasmEvaluator {
    this.wasmAll ??= new WasmEvaluator(this.policies);
    return this.wasmAll;
  }
}

/** A reference to an entity not in the entities; undefined when Cedar might read its uid differently. */
function looseRef(uid: TypeAndId): EntityRef | undefined {
  const { type, id } = uid;
  if (typeof type !== 'string' || typeof id !== 'string' || !isWellFormed(id) || !isPlainTypeName(type)) return undefined;
  return new EntityRef(type, id);
}

/** Result lists are allocated only when something lands in them: most requests leave two of three empty. */
function append<T>(list: T[] | undefined, item: T): T[] {
  if (!list) return [item];
  list.push(item);
  return list;
}

interface RawEntity {
  ref: EntityRef;
  attrs: Map<string, Value | Unmodelled>;
  parents: EntityRef[];
}

/** The last request compiled, and against which entities (see compiledRequest). */
let lastRequest: { request?: CedarRequest; prepared?: PreparedEntities; req?: Req | undefined } = {};

function compileRequest(request: CedarRequest, prepared: PreparedEntities): Req | undefined {
  const principalEntity = prepared.lookup(request.principal.type, request.principal.id);
  const actionEntity = prepared.lookup(request.action.type, request.action.id);
  const resourceEntity = prepared.lookup(request.resource.type, request.resource.id);
  const principal = principalEntity?.ref ?? looseRef(request.principal);
  const action = actionEntity?.ref ?? looseRef(request.action);
  const resource = resourceEntity?.ref ?? looseRef(request.resource);
  const context = valueFromJson(request.context);
  if (!principal || !action || !resource || !(context instanceof CedarRecord)) return undefined;
  return { principal, action, resource, context, principalEntity, actionEntity, resourceEntity };
}

/**
 * Converts entity JSON and precomputes each entity's transitive ancestors. Whatever looks unusual
 * (duplicates, cycles, values it does not model, uids in odd forms) is checked by cedar-wasm, so bad
 * entities are refused here just as cedar-wasm would refuse them on every request.
 */
function prepare(json: EntityJson[]): PreparedEntities {
  let check = false; // cedar-wasm must confirm the entities parse
  let opaque = false; // ...and some part only cedar-wasm can read
  const raw = new Map<string, RawEntity>();
  for (const e of Array.isArray(json) ? json : []) {
    const ref = isPlainObject(e) ? uidFromJson(e.uid) : undefined;
    if (!ref || !isPlainObject(e.attrs) || !Array.isArray(e.parents)) {
      opaque = true;
      continue;
    }
    // Cedar accepts a repeated entity only when both copies are the same; cedar-wasm judges.
    if (raw.has(ref.key)) {
      check = true;
      continue;
    }
    const attrs = new Map<string, Value | Unmodelled>();
    for (const k in e.attrs) {
      const v = e.attrs[k];
      if (v === undefined) continue;
      const x = valueFromJson(v);
      if (x === UNMODELLED) check = true;
      if (!isWellFormed(k)) opaque = true;
      attrs.set(k, x);
    }
    const parents: EntityRef[] = [];
    for (const p of e.parents) {
      const parent = uidFromJson(p);
      if (parent) parents.push(parent);
      else opaque = true;
    }
    // Tags are read only by fallback policies, but cedar-wasm refuses the entities if one is malformed.
    if (e.tags !== undefined && !(isPlainObject(e.tags) && Object.keys(e.tags).length === 0)) check = true;
    raw.set(ref.key, { ref, attrs, parents });
  }
  if (!Array.isArray(json)) opaque = true;

  const ancestors = new Map<string, ReadonlySet<string>>();
  const visiting = new Set<string>();
  let cycle = false;
  const visit = (key: string): ReadonlySet<string> => {
    const known = ancestors.get(key);
    if (known) return known;
    const node = raw.get(key);
    if (!node) return NO_ANCESTORS; // a parent that is not an entity: no further ancestors known
    if (visiting.has(key)) {
      cycle = true;
      return NO_ANCESTORS;
    }
    visiting.add(key);
    let set: Set<string> | undefined;
    for (const p of node.parents) {
      set ??= new Set();
      set.add(p.key);
      for (const a of visit(p.key)) set.add(a);
    }
    visiting.delete(key);
    const result = set ?? NO_ANCESTORS;
    ancestors.set(key, result);
    return result;
  };

  const byKey = new Map<string, StoredEntity>();
  const byType = new Map<string, Map<string, StoredEntity>>();
  for (const [key, { ref, attrs }] of raw) {
    const stored: StoredEntity = { ref, attrs, ancestors: visit(key) };
    byKey.set(key, stored);
    const ids = byType.get(ref.type) ?? new Map<string, StoredEntity>();
    byType.set(ref.type, ids);
    ids.set(ref.id, stored);
  }
  if (cycle || check || opaque) {
    const verdict = cedarHere().checkParseEntities({ entities: json });
    if (verdict.type === 'failure') throw new Error(`Cedar entities: ${verdict.errors.map((e) => e.message).join('; ')}`);
    // Cedar refuses cycles; should it ever accept one, it reads the hierarchy its own way.
    if (cycle) opaque = true;
  }
  return new PreparedEntities(json, byKey, byType, opaque);
}
