// Whether any arguments could let a call through: Cedar's partial evaluation (cedar-wasm) with the
// call's arguments left unknown. The compiled evaluator cannot answer this; it is asked rarely (a
// denied call of a Tool the agent is not shown), so cedar-wasm's cost is paid only there, and in
// cedar-wasm's worker thread (cedar-worker.ts): a few milliseconds each, which an agent probing names
// could otherwise make every other call of the node wait for.
import { policiesToJsonAsync } from './cedar-runtime.js';
import { cedarInWorker } from './cedar-worker.js';
import { actionScopeMatches, actionScopeOf } from './compile.js';
import type { CedarValueJson, EntityJson, PolicyInput, TypeAndId } from './types.js';
import { EntityRef } from './values.js';

type Ref = { type: string; id: string };
const keyOf = (r: Ref) => `${r.type}\u0000${r.id}`;

/** An entity reference in Cedar's JSON: `{__entity: {type, id}}`, or `{type, id}` where an entity is expected. */
function asRef(v: unknown): Ref | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = (v as { __entity?: unknown }).__entity ?? v;
  const { type, id } = o as { type?: unknown; id?: unknown };
  return typeof type === 'string' && typeof id === 'string' ? { type, id } : undefined;
}

const indexes = new WeakMap<EntityJson[], Map<string, EntityJson>>();

function indexOf(entities: EntityJson[]): Map<string, EntityJson> {
  let index = indexes.get(entities);
  if (!index) {
    index = new Map();
    for (const e of entities) {
      const r = asRef(e.uid);
      if (r) index.set(keyOf(r), e);
    }
    indexes.set(entities, index);
  }
  return index;
}

/**
 * The texts of the policies whose action scope admits `action` (its action groups counted; read from
 * their JSON forms, parsed once per text, cached): the others cannot apply, and parsing them again on
 * every question is most of its cost. A policy that does not parse here is kept. Texts, not JSON
 * forms: cedar-wasm reads a call's JSON with serde_json, which refuses anything nested deeper than
 * 128 levels (an operator chain of ~60 in a policy's JSON form) by throwing, while its parser takes
 * any text within cedar-limits.ts; it is faster too.
 */
async function applying(policies: PolicyInput[], action: Ref, index: Map<string, EntityJson>): Promise<Record<string, string>> {
  const ancestors = new Set<string>();
  const pending = [...((index.get(keyOf(action))?.parents as unknown[]) ?? [])];
  while (pending.length > 0) {
    const r = asRef(pending.pop());
    if (!r || ancestors.has(keyOf(r))) continue;
    ancestors.add(keyOf(r));
    pending.push(...((index.get(keyOf(r))?.parents as unknown[]) ?? []));
  }
  const ref = new EntityRef(action.type, action.id);
  const parsed = await policiesToJsonAsync(policies.map((p) => p.text));
  const out: Record<string, string> = {};
  for (const [i, p] of policies.entries()) {
    const json = parsed[i];
    if (!json || 'error' in json || actionScopeMatches(actionScopeOf(json.json.action), ref, ancestors)) out[p.id] = p.text;
  }
  return out;
}

/**
 * The entities a request can reach: its principal, action, resource and the context's entities,
 * their parents and every entity their attributes name, transitively, plus those a policy names by
 * uid. Handing cedar-wasm the whole registry costs it ~140 ms for 8,000 entities; this is a few.
 * Were one still missing, the policy reading it errs, and an error makes the answer "might".
 */
function reachable(entities: EntityJson[], start: unknown[], policies: PolicyInput[]): EntityJson[] {
  const index = indexOf(entities);
  const out = new Map<string, EntityJson>();
  const queue: Ref[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object') {
      const r = asRef(v);
      if (r) queue.push(r);
      else for (const x of Object.values(v)) visit(x);
    }
  };
  visit(start);
  // Entities a policy names by uid (`Initiative::"support"`). An id Cedar escapes otherwise than JSON is
  // not found here: the policy then errs, and the answer is "might".
  for (const p of policies)
    for (const m of p.text.matchAll(/([A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*)::("(?:[^"\\]|\\.)*")/g)) {
      try {
        queue.push({ type: m[1] as string, id: JSON.parse(m[2] as string) as string });
      } catch {
        // not a JSON string: see above
      }
    }
  while (queue.length > 0) {
    const r = queue.pop() as Ref;
    const key = keyOf(r);
    const e = index.get(key);
    if (!e || out.has(key)) continue;
    out.set(key, e);
    visit(e.parents);
    visit(e.attrs);
  }
  return [...out.values()];
}

/**
 * True when Cedar denies `principal` doing `action` on `resource` whatever `context.arguments` holds
 * (the rest of the context as given). False when some arguments might be allowed, and whenever Cedar
 * cannot say for sure (an error, a policy that erred): the caller must then treat the call as one
 * that might be allowed.
 */
export async function deniedWhateverArguments(
  policies: PolicyInput[],
  entities: EntityJson[],
  request: { principal: TypeAndId; action: TypeAndId; resource: TypeAndId; context: Record<string, CedarValueJson> },
): Promise<boolean> {
  try {
    const staticPolicies = await applying(policies, request.action, indexOf(entities));
    const texts = policies.filter((p) => p.id in staticPolicies);
    const call = JSON.stringify({
      ...request,
      context: { ...request.context, arguments: { __extn: { fn: 'unknown', arg: 'arguments' } } },
      policies: { staticPolicies },
      entities: reachable(entities, [request.principal, request.action, request.resource, request.context], texts),
    });
    const [answer] = await cedarInWorker('partialDecision', [[call]]);
    if (!answer || 'thrown' in answer || 'failure' in answer.value) return false;
    return answer.value.decision === 'deny' && answer.value.errored === 0;
  } catch {
    return false;
  }
}
