// Runtime values of the compiled Cedar evaluator (Long, String, Bool, Set, Record, entity reference,
// decimal), their conversion from Cedar's JSON value form, and Cedar equality.
//
// Longs are JS numbers. Cedar's Long is an i64, but a number is exact only up to 2^53, so the compiled
// evaluator never guesses beyond that: input integers that are not safe integers become UNMODELLED
// and arithmetic results that are not safe integers throw NEEDS_WASM. Either way the request is
// answered by cedar-wasm, which knows the exact i64 result or the overflow error. So values beyond
// 2^53 are slower, never different. Decimals get the same treatment (beyond ±900719925474.0991).

/** Cedar's runtime values, as the compiled closures pass them around. */
export type Value = number | string | boolean | EntityRef | CedarSet | CedarRecord | Decimal;

/** An entity reference. `key` is unique per (type, id) because a type name can never contain NUL. */
export class EntityRef {
  readonly key: string;
  constructor(
    readonly type: string,
    readonly id: string,
  ) {
    this.key = `${type}\0${id}`;
  }
}

/** Cedar's `decimal` extension value: an i64 count of ten-thousandths, here while it is a safe integer. */
export class Decimal {
  constructor(readonly scaled: number) {}
}

const DECIMAL = /^(-?)([0-9]+)\.([0-9]+)$/;
/** Up to 11 integer digits, 10^4 × the value stays below 2^53, so the arithmetic below is exact. */
const SAFE_DECIMAL_DIGITS = 11;
/** A decimal's integer part has at most 15 digits (922337203685477): more is out of range whatever they
 *  are, and is refused before BigInt reads them, whose parse grows faster than the text (an agent's
 *  string of 900,000 digits took ~230 ms to refuse, per evaluation). */
const MAX_DECIMAL_DIGITS = 15;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Parses a decimal as Cedar's `decimal("…")` does: `-?digits.digits` with 1 to 4 fractional digits,
 *  within i64 once scaled. 'invalid' is Cedar's error; UNMODELLED a valid value too big to hold exactly. */
export function parseDecimal(text: string): Decimal | 'invalid' | Unmodelled {
  const m = DECIMAL.exec(text);
  if (!m) return 'invalid';
  const [, sign = '', whole = '', fraction = ''] = m;
  if (fraction.length > 4) return 'invalid';
  const digits = whole.replace(/^0+(?=[0-9])/, '');
  const scaledFraction = fraction.padEnd(4, '0');
  if (digits.length > MAX_DECIMAL_DIGITS) return 'invalid';
  if (digits.length > SAFE_DECIMAL_DIGITS) {
    const big = BigInt(digits) * 10_000n + BigInt(scaledFraction);
    const signed = sign ? -big : big;
    return signed < I64_MIN || signed > I64_MAX ? 'invalid' : UNMODELLED;
  }
  const scaled = Number(digits) * 10_000 + Number(scaledFraction);
  return new Decimal(sign && scaled !== 0 ? -scaled : scaled);
}

/** A record value: attribute name → value. */
export class CedarRecord {
  constructor(readonly attrs: ReadonlyMap<string, Value>) {}
}

/** A set of distinct values (distinct by Cedar equality), in first-seen order. */
export class CedarSet {
  // Built on first lookup, and only for larger sets: a linear scan is faster for the few elements
  // policies usually deal in, and most sets are never searched at all.
  private index: ValueIndex | undefined;
  private constructor(readonly items: readonly Value[]) {}

  static of(values: readonly Value[]): CedarSet {
    if (values.length <= SCAN_LIMIT) {
      const items: Value[] = [];
      for (const v of values) if (!scanHas(items, v)) items.push(v);
      return new CedarSet(items);
    }
    const index = new ValueIndex();
    const items: Value[] = [];
    for (const v of values) if (index.add(v)) items.push(v);
    const set = new CedarSet(items);
    set.index = index;
    return set;
  }

  get size(): number {
    return this.items.length;
  }

  has(v: Value): boolean {
    if (this.items.length <= SCAN_LIMIT) return scanHas(this.items, v);
    if (this.index === undefined) {
      this.index = new ValueIndex();
      for (const item of this.items) this.index.add(item);
    }
    return this.index.has(v);
  }

  /** True when every element of `other` is in this set. */
  containsAll(other: CedarSet): boolean {
    for (const v of other.items) if (!this.has(v)) return false;
    return true;
  }

  /** True when some element of `other` is in this set. */
  containsAny(other: CedarSet): boolean {
    for (const v of other.items) if (this.has(v)) return true;
    return false;
  }
}

const SCAN_LIMIT = 8;

function scanHas(items: readonly Value[], v: Value): boolean {
  // Primitives and entities (nearly every lookup) compare without the general equality.
  if (typeof v !== 'object') {
    for (const item of items) if (item === v) return true;
    return false;
  }
  if (v instanceof EntityRef) {
    for (const item of items) if (item instanceof EntityRef && item.key === v.key) return true;
    return false;
  }
  for (const item of items) if (cedarEquals(item, v)) return true;
  return false;
}

/**
 * Membership in O(1) for primitives and entities, and by structural key (valueKey) for decimals,
 * sets and records. Those were scanned, each against every one held: a set of 40,000 distinct
 * decimals (an agent's array of amounts) took ~10 s to build, holding the event loop throughout.
 */
class ValueIndex {
  private readonly primitives = new Set<number | string | boolean>();
  private readonly entities = new Set<string>();
  private readonly others = new Set<string>();

  /** Adds `v`; false when it was already there. */
  add(v: Value): boolean {
    if (typeof v !== 'object') return addNew(this.primitives, v);
    if (v instanceof EntityRef) return addNew(this.entities, v.key);
    return addNew(this.others, valueKey(v));
  }

  has(v: Value): boolean {
    if (typeof v !== 'object') return this.primitives.has(v);
    if (v instanceof EntityRef) return this.entities.has(v.key);
    return this.others.has(valueKey(v));
  }
}

function addNew<T>(held: Set<T>, x: T): boolean {
  if (held.has(x)) return false;
  held.add(x);
  return true;
}

/**
 * A text that two values share exactly when Cedar holds them equal: a set's elements and a
 * record's attributes are written in an order of their own (sorted), each element once (a set's
 * items are distinct already), strings and names quoted, so the text is read back one way only.
 */
export function valueKey(v: Value): string {
  switch (typeof v) {
    case 'number':
      return `l${v}`;
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 'T' : 'F';
  }
  if (v instanceof EntityRef) return `e${JSON.stringify(v.key)}`;
  if (v instanceof Decimal) return `d${v.scaled}`;
  if (v instanceof CedarSet) return `[${v.items.map(valueKey).sort().join(',')}]`;
  const attrs: string[] = [];
  for (const [k, x] of v.attrs) attrs.push(`${JSON.stringify(k)}:${valueKey(x)}`);
  return `{${attrs.sort().join(',')}}`;
}

/** Cedar `==`: values of different types are simply unequal (never an error). */
export function cedarEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof EntityRef) return b instanceof EntityRef && a.key === b.key;
  if (a instanceof CedarSet) return b instanceof CedarSet && a.size === b.size && a.containsAll(b);
  if (a instanceof Decimal) return b instanceof Decimal && a.scaled === b.scaled;
  if (!(a instanceof CedarRecord) || !(b instanceof CedarRecord) || a.attrs.size !== b.attrs.size) return false;
  for (const [k, v] of a.attrs) {
    const w = b.attrs.get(k);
    if (w === undefined || !cedarEquals(v, w)) return false;
  }
  return true;
}

/** Cedar's name for a value's type, for error messages. */
export function typeName(v: Value): string {
  if (typeof v === 'number') return 'long';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof EntityRef) return `entity of type \`${v.type}\``;
  if (v instanceof Decimal) return 'decimal';
  return v instanceof CedarSet ? 'set' : 'record';
}

/**
 * Stands for input the compiled evaluator does not model: extension values other than decimal,
 * integers beyond 2^53, escapes it does not recognise, anything cedar-wasm might read differently.
 * It is only ever stored as a whole entity attribute, and reading that attribute hands the request to
 * cedar-wasm; a context holding one sends the whole request there.
 */
export const UNMODELLED: unique symbol = Symbol('unmodelled');
export type Unmodelled = typeof UNMODELLED;

/** Thrown (as this one instance: no stack to capture) when only cedar-wasm can answer a request. */
export class NeedsWasm {
  private constructor() {}
  static readonly instance = new NeedsWasm();
}
export const NEEDS_WASM = NeedsWasm.instance;

/** A Cedar runtime error: the policy is not satisfied and is reported among the errors. */
export class CedarEvalError extends Error {
  override name = 'CedarEvalError';
}

/** Builds a CedarEvalError without a stack trace: policies that error on every request are common
 *  (an unguarded optional attribute) and capturing a stack would dominate the cost of evaluation. */
export function evalError(message: string): CedarEvalError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CedarEvalError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const IDENT = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'is', 'like', 'has']);

// Requests name the same few types over and over: remember the verdicts (boundedly).
const typeNames = new Map<string, boolean>();

/** Whether Cedar would parse `name` as an entity type name exactly as written (`A` or `NS::A`). Names
 *  that fail are not necessarily invalid (Cedar may accept spaces around `::`), just left to cedar-wasm. */
export function isPlainTypeName(name: string): boolean {
  let ok = typeNames.get(name);
  if (ok === undefined) {
    ok = !name.includes('__cedar') && name.split('::').every((part) => IDENT.test(part) && !RESERVED.has(part));
    if (typeNames.size >= 10_000) typeNames.clear();
    typeNames.set(name, ok);
  }
  return ok;
}

/** A string cedar-wasm reads back unchanged (lone surrogates would be replaced on the way in). */
export function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Parses an entity uid in either JSON form (`{type, id}` or `{__entity: {type, id}}`); undefined
 *  when it is not exactly one of those clean forms. */
export function uidFromJson(v: unknown): EntityRef | undefined {
  if (!isPlainObject(v)) return undefined;
  if ('__entity' in v) return keyCount(v) === 1 ? typeAndId(v.__entity) : undefined;
  return typeAndId(v);
}

function typeAndId(v: unknown): EntityRef | undefined {
  if (!isPlainObject(v)) return undefined;
  const { type, id } = v;
  if (typeof type !== 'string' || typeof id !== 'string' || keyCount(v) !== 2) return undefined;
  return isPlainTypeName(type) && isWellFormed(id) ? new EntityRef(type, id) : undefined;
}

/** Own enumerable keys, without the array Object.keys would allocate (per context value, per request). */
function keyCount(v: Record<string, unknown>): number {
  let n = 0;
  for (const _ in v) n++;
  return n;
}

/**
 * Converts a CedarValueJson as cedar-wasm would read it without a schema: arrays are sets, objects are
 * records, `{__entity: {type, id}}` is an entity (a bare `{type, id}` is a record, as in Cedar).
 * Anything else (extension values, nulls, fractions, unsafe integers, odd escapes) is UNMODELLED.
 */
export function valueFromJson(v: unknown): Value | Unmodelled {
  switch (typeof v) {
    case 'number':
      return Number.isSafeInteger(v) ? v : UNMODELLED;
    case 'string':
      return isWellFormed(v) ? v : UNMODELLED;
    case 'boolean':
      return v;
    case 'object': {
      if (Array.isArray(v)) {
        const items: Value[] = [];
        for (const item of v) {
          const x = valueFromJson(item);
          if (x === UNMODELLED) return UNMODELLED;
          items.push(x);
        }
        return CedarSet.of(items);
      }
      if (!isPlainObject(v)) return UNMODELLED;
      if ('__entity' in v) return uidFromJson(v) ?? UNMODELLED;
      if ('__extn' in v) return extensionFromJson(v);
      if ('__expr' in v) return UNMODELLED;
      return recordFromJson(v);
    }
    default:
      return UNMODELLED;
  }
}

/** `{__extn: {fn: "decimal", arg: "1.5"}}` is a decimal; other extension values are left to cedar-wasm,
 *  and so is a malformed decimal, which cedar-wasm refuses (as it refuses the whole request). */
function extensionFromJson(v: Record<string, unknown>): Value | Unmodelled {
  const call = v.__extn;
  if (keyCount(v) !== 1 || !isPlainObject(call) || keyCount(call) !== 2) return UNMODELLED;
  if (call.fn !== 'decimal' || typeof call.arg !== 'string') return UNMODELLED;
  const d = parseDecimal(call.arg);
  return d === 'invalid' ? UNMODELLED : d;
}

/** A record from a JSON object (entity attrs, context): keys whose value is undefined are absent. */
export function recordFromJson(v: Record<string, unknown>): CedarRecord | Unmodelled {
  const attrs = new Map<string, Value>();
  for (const k in v) {
    const raw = v[k];
    if (raw === undefined) continue;
    const x = valueFromJson(raw);
    if (x === UNMODELLED || !isWellFormed(k)) return UNMODELLED;
    attrs.set(k, x);
  }
  return new CedarRecord(attrs);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** One entity as the compiled closures read it. */
export interface StoredEntity {
  readonly ref: EntityRef;
  readonly attrs: ReadonlyMap<string, Value | Unmodelled>;
  /** Keys of all ancestors (transitively); not the entity itself. */
  readonly ancestors: ReadonlySet<string>;
}

/** The entity lookup compiled closures evaluate against (built by CompiledEvaluator.prepareEntities). */
export interface EntityStore {
  readonly byKey: ReadonlyMap<string, StoredEntity>;
}

/** A request in compiled form; the three entities are looked up once per request. */
export interface Req {
  readonly principal: EntityRef;
  readonly action: EntityRef;
  readonly resource: EntityRef;
  readonly context: CedarRecord;
  readonly principalEntity: StoredEntity | undefined;
  readonly actionEntity: StoredEntity | undefined;
  readonly resourceEntity: StoredEntity | undefined;
}

export const NO_ANCESTORS: ReadonlySet<string> = new Set();
