// Compiles one Cedar policy's JSON AST into plain JS closures with Cedar's semantics: a policy is
// satisfied when the closure returns true, and a Cedar runtime error is a thrown CedarEvalError.
// What the compiler does not know (extensions but decimal, tags, slots) is reported as unsupported so the
// evaluator can leave that policy to cedar-wasm instead of risking a wrong answer.
import type { ActionConstraint, Expr, PatternElem, PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { likeMatcher } from './like.js';
import {
  CedarRecord,
  CedarSet,
  cedarEquals,
  Decimal,
  EntityRef,
  type EntityStore,
  evalError,
  NEEDS_WASM,
  NO_ANCESTORS,
  parseDecimal,
  type Req,
  type StoredEntity,
  typeName,
  UNMODELLED,
  uidFromJson,
  type Value,
  valueFromJson,
} from './values.js';

/** A compiled expression. */
type Ev = (req: Req, entities: EntityStore) => Value;
/** A compiled scope constraint or whole policy: never throws for scopes, may throw for conditions. */
export type PolicyFn = (req: Req, entities: EntityStore) => boolean;

/** Which actions a policy's scope admits: lets the evaluator skip policies that cannot apply. */
export type ActionScope = { kind: 'all' } | { kind: 'in'; keys: string[]; eq: boolean };

export interface CompiledPolicy {
  effect: 'permit' | 'forbid';
  action: ActionScope;
  /** Principal and resource scope plus conditions: for a request whose action the scope admits. */
  body: PolicyFn;
  /** The whole policy, action scope included. */
  matches: PolicyFn;
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; reason: string };

class Unsupported extends Error {}

export function compilePolicy(json: PolicyJson): CompileResult {
  try {
    return { ok: true, policy: compile(json) };
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Whether an action (with its ancestors) satisfies an action scope. */
export function actionScopeMatches(scope: ActionScope, action: EntityRef, ancestors: ReadonlySet<string>): boolean {
  if (scope.kind === 'all') return true;
  for (const k of scope.keys) if (k === action.key || (!scope.eq && ancestors.has(k))) return true;
  return false;
}

function compile(json: PolicyJson): CompiledPolicy {
  const checks: PolicyFn[] = [];
  const principal = scopeCheck(json.principal, PRINCIPAL_SCOPE);
  const resource = scopeCheck(json.resource, RESOURCE_SCOPE);
  if (principal) checks.push(principal);
  if (resource) checks.push(resource);
  for (const clause of json.conditions) checks.push(conditionCheck(clause.kind, compileExpr(clause.body)));
  const body = allOf(checks);
  const action = actionScope(json.action);
  const matches: PolicyFn = (r, e) =>
    actionScopeMatches(action, r.action, r.actionEntity?.ancestors ?? NO_ANCESTORS) && body(r, e);
  return { effect: json.effect, action, body, matches };
}

/** Cedar joins scope and clauses with `&&`, so evaluation stops at the first false one. */
function allOf(checks: PolicyFn[]): PolicyFn {
  const [a, b, c] = checks;
  if (checks.length === 0) return () => true;
  if (checks.length === 1 && a) return a;
  if (checks.length === 2 && a && b) return (r, e) => a(r, e) && b(r, e);
  if (checks.length === 3 && a && b && c) return (r, e) => a(r, e) && b(r, e) && c(r, e);
  return (r, e) => {
    for (const check of checks) if (!check(r, e)) return false;
    return true;
  };
}

function conditionCheck(kind: 'when' | 'unless', body: Ev): PolicyFn {
  // `unless { e }` is `!e`: a non-Bool body is a type error either way.
  const wanted = kind === 'when';
  return (r, e) => {
    const v = body(r, e);
    if (typeof v !== 'boolean') throw typeError('bool', v);
    return v === wanted;
  };
}

type Scope = PolicyJson['principal'];

/** Scope checks written out once for principal and once for resource: these run for every candidate
 *  policy on every request, so they read the request's fields directly rather than through a getter. */
interface ScopeChecks {
  eq(key: string): PolicyFn;
  in(key: string): PolicyFn;
  is(type: string): PolicyFn;
  isIn(type: string, key: string): PolicyFn;
}

const PRINCIPAL_SCOPE: ScopeChecks = {
  eq: (key) => (r) => r.principal.key === key,
  in: (key) => (r) => r.principal.key === key || (r.principalEntity?.ancestors.has(key) ?? false),
  is: (type) => (r) => r.principal.type === type,
  isIn: (type, key) => (r) =>
    r.principal.type === type && (r.principal.key === key || (r.principalEntity?.ancestors.has(key) ?? false)),
};

const RESOURCE_SCOPE: ScopeChecks = {
  eq: (key) => (r) => r.resource.key === key,
  in: (key) => (r) => r.resource.key === key || (r.resourceEntity?.ancestors.has(key) ?? false),
  is: (type) => (r) => r.resource.type === type,
  isIn: (type, key) => (r) =>
    r.resource.type === type && (r.resource.key === key || (r.resourceEntity?.ancestors.has(key) ?? false)),
};

function scopeCheck(scope: Scope, checks: ScopeChecks): PolicyFn | undefined {
  switch (scope.op) {
    case 'All':
      return undefined;
    case '==':
      return checks.eq(scopeEntity(scope).key);
    case 'in':
      return checks.in(scopeEntity(scope).key);
    case 'is':
      return scope.in ? checks.isIn(scope.entity_type, scopeEntity(scope.in).key) : checks.is(scope.entity_type);
  }
}

function scopeEntity(c: object): EntityRef {
  if (!('entity' in c)) throw new Unsupported('template slot in the scope');
  const ref = uidFromJson(c.entity);
  if (!ref) throw new Unsupported(`scope entity ${JSON.stringify(c.entity)}`);
  return ref;
}

/** The action scope of any parsed policy, compiled or not (so fallback policies are indexed too). */
export function actionScopeOf(c: ActionConstraint): ActionScope {
  try {
    return actionScope(c);
  } catch {
    return { kind: 'all' };
  }
}

function actionScope(c: ActionConstraint): ActionScope {
  if (c.op === 'All') return { kind: 'all' };
  if (c.op === '==') return { kind: 'in', keys: [scopeEntity(c).key], eq: true };
  if ('entities' in c) return { kind: 'in', keys: c.entities.map((u) => scopeEntity({ entity: u }).key), eq: false };
  return { kind: 'in', keys: [scopeEntity(c).key], eq: false };
}

interface Binary {
  left: Expr;
  right: Expr;
}
interface Unary {
  arg: Expr;
}

function compileExpr(x: Expr): Ev {
  const keys = Object.keys(x);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined) throw new Unsupported(`expression ${JSON.stringify(x)}`);
  const node = (x as Record<string, unknown>)[op];
  switch (op) {
    case 'Value': {
      const v = valueFromJson(node);
      if (v === UNMODELLED) throw new Unsupported(`literal ${JSON.stringify(node)}`);
      return constantEv(v);
    }
    case 'Var':
      return variable(node as string);
    case '!': {
      const a = compileExpr((node as Unary).arg);
      return (r, e) => {
        const v = a(r, e);
        if (typeof v !== 'boolean') throw typeError('bool', v);
        return !v;
      };
    }
    case 'neg': {
      const a = compileExpr((node as Unary).arg);
      return (r, e) => {
        const v = a(r, e);
        if (typeof v !== 'number') throw typeError('long', v);
        return -v;
      };
    }
    case '==':
      return equality(node as Binary, true);
    case '!=':
      return equality(node as Binary, false);
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '+':
    case '-':
    case '*':
      return longOp(op, node as Binary);
    case '&&':
    case '||':
      return logical(op === '&&', node as Binary);
    case 'in': {
      const { left, right } = binary(node as Binary);
      return (r, e) => entityIn(left(r, e), right(r, e), e);
    }
    case 'contains': {
      const { left, right } = binary(node as Binary);
      return (r, e) => {
        const s = left(r, e);
        const v = right(r, e);
        if (!(s instanceof CedarSet)) throw typeError('set', s);
        return s.has(v);
      };
    }
    case 'containsAll':
    case 'containsAny': {
      const { left, right } = binary(node as Binary);
      const all = op === 'containsAll';
      return (r, e) => {
        const s = left(r, e);
        const t = right(r, e);
        if (!(s instanceof CedarSet)) throw typeError('set', s);
        if (!(t instanceof CedarSet)) throw typeError('set', t);
        return all ? s.containsAll(t) : s.containsAny(t);
      };
    }
    case 'isEmpty': {
      const a = compileExpr((node as Unary).arg);
      return (r, e) => {
        const s = a(r, e);
        if (!(s instanceof CedarSet)) throw typeError('set', s);
        return s.size === 0;
      };
    }
    case '.': {
      const { left, attr } = node as { left: Expr; attr: string };
      return attribute(left, attr);
    }
    case 'has': {
      const { left, attr } = node as { left: Expr; attr: string | string[] };
      return hasPath(left, typeof attr === 'string' ? [attr] : attr);
    }
    case 'like': {
      const { left, pattern } = node as { left: Expr; pattern: PatternElem[] };
      return like(compileExpr(left), pattern);
    }
    case 'is':
      return isType(node as { left: Expr; entity_type: string; in?: Expr });
    case 'if-then-else': {
      const n = node as { if: Expr; then: Expr; else: Expr };
      const [c, t, f] = [compileExpr(n.if), compileExpr(n.then), compileExpr(n.else)];
      return (r, e) => {
        const v = c(r, e);
        if (typeof v !== 'boolean') throw typeError('bool', v);
        return v ? t(r, e) : f(r, e);
      };
    }
    case 'Set':
      return setLiteral((node as Expr[]).map(compileExpr));
    case 'Record':
      return recordLiteral(Object.entries(node as Record<string, Expr>).map(([k, v]) => [k, compileExpr(v)] as const));
    case 'decimal':
      return decimal(extensionArgs(op, node, 1));
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'greaterThan':
    case 'greaterThanOrEqual':
      return decimalComparison(op, extensionArgs(op, node, 2));
    default:
      // Slots, getTag/hasTag and the other extensions (ip, datetime, duration and their methods).
      throw new Unsupported(`\`${op}\``);
  }
}

function binary(n: Binary): { left: Ev; right: Ev } {
  return { left: compileExpr(n.left), right: compileExpr(n.right) };
}

function variable(name: string): Ev {
  switch (name) {
    case 'principal':
      return (r) => r.principal;
    case 'action':
      return (r) => r.action;
    case 'resource':
      return (r) => r.resource;
    case 'context':
      return (r) => r.context;
    default:
      throw new Unsupported(`variable ${name}`);
  }
}

function constant(x: Expr): Value | undefined {
  if (!('Value' in x)) return undefined;
  const v = valueFromJson(x.Value);
  return v === UNMODELLED ? undefined : v;
}

function isPrimitive(v: Value | undefined): v is number | string | boolean {
  return v !== undefined && typeof v !== 'object';
}

function equality(n: Binary, equal: boolean): Ev {
  // Against a primitive literal, Cedar equality is `===`: another type is simply unequal.
  const l = constant(n.left);
  const r = constant(n.right);
  const [lit, otherExpr] = isPrimitive(r) ? [r, n.left] : isPrimitive(l) ? [l, n.right] : [undefined, undefined];
  if (lit !== undefined && otherExpr !== undefined) {
    const other = compileExpr(otherExpr);
    return equal ? (q, e) => other(q, e) === lit : (q, e) => other(q, e) !== lit;
  }
  const { left, right } = binary(n);
  return equal ? (q, e) => cedarEquals(left(q, e), right(q, e)) : (q, e) => !cedarEquals(left(q, e), right(q, e));
}

function longOp(op: '<' | '<=' | '>' | '>=' | '+' | '-' | '*', n: Binary): Ev {
  const { left, right } = binary(n);
  const apply = LONG_OPS[op];
  return (r, e) => {
    const a = left(r, e);
    const b = right(r, e);
    if (typeof a !== 'number') throw typeError('long', a);
    if (typeof b !== 'number') throw typeError('long', b);
    return apply(a, b);
  };
}

/** Arithmetic beyond 2^53 is inexact in a double: cedar-wasm gives the i64 answer (or the overflow error). */
function exact(v: number): number {
  if (!Number.isSafeInteger(v)) throw NEEDS_WASM;
  return v;
}

const LONG_OPS: Record<'<' | '<=' | '>' | '>=' | '+' | '-' | '*', (a: number, b: number) => Value> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '+': (a, b) => exact(a + b),
  '-': (a, b) => exact(a - b),
  '*': (a, b) => exact(a * b),
};

function logical(and: boolean, n: Binary): Ev {
  const { left, right } = binary(n);
  // The right operand is evaluated only when the left does not decide: its errors stay hidden otherwise.
  return (r, e) => {
    const a = left(r, e);
    if (typeof a !== 'boolean') throw typeError('bool', a);
    if (a !== and) return a;
    const b = right(r, e);
    if (typeof b !== 'boolean') throw typeError('bool', b);
    return b;
  };
}

/** `a in b`: b an entity (a is b or a descendant of it) or a set that must hold only entities. */
function entityIn(a: Value, b: Value, entities: EntityStore): boolean {
  if (!(a instanceof EntityRef)) throw typeError('entity', a);
  const ancestors = entities.byKey.get(a.key)?.ancestors ?? NO_ANCESTORS;
  if (b instanceof EntityRef) return a.key === b.key || ancestors.has(b.key);
  if (!(b instanceof CedarSet)) throw typeError('set or entity', b);
  // Cedar checks every element is an entity before looking for a match.
  for (const v of b.items) if (!(v instanceof EntityRef)) throw typeError('entity', v);
  for (const v of b.items) if (a.key === (v as EntityRef).key || ancestors.has((v as EntityRef).key)) return true;
  return false;
}

function attribute(left: Expr, attr: string): Ev {
  // Reading a request entity's attribute skips the entity lookup, done once per request.
  if ('Var' in left && left.Var === 'principal') return (r) => entityAttr(r.principal, r.principalEntity, attr);
  if ('Var' in left && left.Var === 'resource') return (r) => entityAttr(r.resource, r.resourceEntity, attr);
  const l = compileExpr(left);
  return (r, e) => getAttr(l(r, e), attr, e);
}

function getAttr(v: Value, attr: string, entities: EntityStore): Value {
  if (v instanceof CedarRecord) {
    const x = v.attrs.get(attr);
    if (x === undefined) throw evalError(`record does not have the attribute \`${attr}\``);
    return x;
  }
  if (v instanceof EntityRef) return entityAttr(v, entities.byKey.get(v.key), attr);
  throw typeError('record or entity', v);
}

function entityAttr(ref: EntityRef, stored: StoredEntity | undefined, attr: string): Value {
  if (stored === undefined) throw evalError(`entity \`${show(ref)}\` does not exist`);
  const x = stored.attrs.get(attr);
  if (x === undefined) throw evalError(`\`${show(ref)}\` does not have the attribute \`${attr}\``);
  if (x === UNMODELLED) throw NEEDS_WASM;
  return x;
}

function hasAttr(v: Value, attr: string, entities: EntityStore): boolean {
  if (v instanceof CedarRecord) return v.attrs.has(attr);
  // A missing entity has no attributes (not an error, unlike reading one).
  if (v instanceof EntityRef) return entities.byKey.get(v.key)?.attrs.has(attr) ?? false;
  throw typeError('record or entity', v);
}

/** `e has a.b.c` is `e has a && e.a has b && e.a.b has c`. */
function hasPath(leftExpr: Expr, path: string[]): Ev {
  const [first] = path;
  if (path.length === 1 && first !== undefined && 'Var' in leftExpr) {
    // `principal has x`, the usual guard for an optional attribute: no entity lookup.
    if (leftExpr.Var === 'principal') return (r) => r.principalEntity?.attrs.has(first) ?? false;
    if (leftExpr.Var === 'resource') return (r) => r.resourceEntity?.attrs.has(first) ?? false;
  }
  const left = compileExpr(leftExpr);
  if (path.length === 1 && first !== undefined) return (r, e) => hasAttr(left(r, e), first, e);
  return (r, e) => {
    let v = left(r, e);
    for (let i = 0; i < path.length; i++) {
      const attr = path[i]!;
      if (!hasAttr(v, attr, e)) return false;
      if (i < path.length - 1) v = getAttr(v, attr, e);
    }
    return true;
  };
}

function like(left: Ev, pattern: PatternElem[]): Ev {
  const test = likeMatcher(pattern);
  return (r, e) => {
    const s = left(r, e);
    if (typeof s !== 'string') throw typeError('string', s);
    return test(s);
  };
}

function isType(n: { left: Expr; entity_type: string; in?: Expr }): Ev {
  const left = compileExpr(n.left);
  const type = n.entity_type;
  const inExpr = n.in === undefined ? undefined : compileExpr(n.in);
  return (r, e) => {
    const v = left(r, e);
    if (!(v instanceof EntityRef)) throw typeError('entity', v);
    // `e is T in x` is `e is T && e in x`: x is not evaluated when the type differs.
    if (v.type !== type) return false;
    return inExpr === undefined || entityIn(v, inExpr(r, e), e);
  };
}

function extensionArgs(name: string, node: unknown, arity: number): Ev[] {
  // Cedar's parser lets a wrong argument count through to evaluation; leave that rarity to cedar-wasm.
  if (!Array.isArray(node) || node.length !== arity) throw new Unsupported(`\`${name}\` with ${String(node)} arguments`);
  return (node as Expr[]).map(compileExpr);
}

function decimal([arg]: Ev[]): Ev {
  const a = arg!;
  if (CONSTANTS.has(a)) {
    // A literal is parsed once. A malformed one stays a runtime error, raised only if it is evaluated.
    const v = a(NO_REQ, NO_ENTITIES);
    const d = typeof v === 'string' ? parseDecimal(v) : undefined;
    if (d === UNMODELLED) throw new Unsupported(`decimal("${v}") beyond 2^53 ten-thousandths`);
    if (d instanceof Decimal) return constantEv(d);
  }
  return (r, e) => {
    const v = a(r, e);
    if (typeof v !== 'string') throw typeError('string', v);
    const d = parseDecimal(v);
    if (d === 'invalid') throw evalError(`\`${v}\` is not a well-formed decimal value`);
    if (d === UNMODELLED) throw NEEDS_WASM;
    return d;
  };
}

const DECIMAL_COMPARISONS = {
  lessThan: (a: number, b: number) => a < b,
  lessThanOrEqual: (a: number, b: number) => a <= b,
  greaterThan: (a: number, b: number) => a > b,
  greaterThanOrEqual: (a: number, b: number) => a >= b,
};

function decimalComparison(op: keyof typeof DECIMAL_COMPARISONS, [left, right]: Ev[]): Ev {
  const compare = DECIMAL_COMPARISONS[op];
  const [l, r] = [left!, right!];
  return (q, e) => {
    const a = l(q, e);
    const b = r(q, e);
    if (!(a instanceof Decimal)) throw typeError('decimal', a);
    if (!(b instanceof Decimal)) throw typeError('decimal', b);
    return compare(a.scaled, b.scaled);
  };
}

function setLiteral(items: Ev[]): Ev {
  if (items.every((f) => CONSTANTS.has(f))) return constantEv(CedarSet.of(items.map((f) => f(NO_REQ, NO_ENTITIES))));
  // A plain loop, not items.map: a throwing callback inside an inlined array builtin, under the
  // evaluator's try/catch, crashed V8 11.3 (Node 20) in the deoptimizer during a long fuzz run.
  return (r, e) => {
    const values: Value[] = [];
    for (const f of items) values.push(f(r, e));
    return CedarSet.of(values);
  };
}

function recordLiteral(fields: ReadonlyArray<readonly [string, Ev]>): Ev {
  return (r, e) => {
    const attrs = new Map<string, Value>();
    for (const [k, f] of fields) attrs.set(k, f(r, e));
    return new CedarRecord(attrs);
  };
}

function show(ref: EntityRef): string {
  return `${ref.type}::${JSON.stringify(ref.id)}`;
}

function typeError(expected: string, got: Value) {
  return evalError(`type error: expected ${expected}, got ${typeName(got)}`);
}

// Closures of literals (and sets of them): they read neither argument, so they can run at compile time.
const CONSTANTS = new WeakSet<Ev>();

function constantEv(v: Value): Ev {
  const f: Ev = () => v;
  CONSTANTS.add(f);
  return f;
}

const NO_REQ = undefined as unknown as Req;
const NO_ENTITIES = undefined as unknown as EntityStore;
