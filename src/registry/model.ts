// Registry objects and an immutable snapshot of the whole registry, the form every
// reader (validation, the Cedar schema, later the guard) works from.
import type { Kind, SpecByKind } from './kinds.js';
import { KINDS } from './kinds.js';

export const API_VERSION = 'fulcrum/v1';

export interface RegistryObject<K extends Kind = Kind> {
  kind: K;
  name: string;
  labels: Record<string, string>;
  spec: SpecByKind[K];
  generation: number;
  createdAt: string;
  updatedAt: string;
}

/** What a user writes: the descriptor without server-managed metadata. */
export interface Desired<K extends Kind = Kind> {
  kind: K;
  name: string;
  labels: Record<string, string>;
  spec: SpecByKind[K];
}

export class RegistrySnapshot {
  private readonly byKind: Map<Kind, Map<string, Desired>>;

  constructor(
    objects: Iterable<Desired>,
    readonly revision = 0,
  ) {
    this.byKind = new Map(KINDS.map((k) => [k, new Map()]));
    for (const o of objects) this.byKind.get(o.kind)?.set(o.name, o);
  }

  get<K extends Kind>(kind: K, name: string): Desired<K> | undefined {
    return this.byKind.get(kind)?.get(name) as Desired<K> | undefined;
  }

  has(kind: Kind, name: string): boolean {
    return this.byKind.get(kind)?.has(name) ?? false;
  }

  list<K extends Kind>(kind: K): Desired<K>[] {
    return [...(this.byKind.get(kind)?.values() ?? [])] as Desired<K>[];
  }

  *all(): IterableIterator<Desired> {
    for (const k of KINDS) yield* this.byKind.get(k)?.values() ?? [];
  }

  /** A new snapshot with these objects put (replacing same kind+name) and these removed. */
  with(put: Iterable<Desired>, remove: Iterable<{ kind: Kind; name: string }> = []): RegistrySnapshot {
    const next = new Map<string, Desired>();
    for (const o of this.all()) next.set(keyOf(o), o);
    for (const r of remove) next.delete(keyOf(r));
    for (const o of put) next.set(keyOf(o), o);
    return new RegistrySnapshot(next.values(), this.revision);
  }
}

export function keyOf(o: { kind: Kind; name: string }): string {
  return `${o.kind}/${o.name}`;
}

/** Whether two lists hold the same strings, in any order (duplicates count once). */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...y].every((v) => x.has(v));
}

/**
 * JSON with sorted keys: two descriptors are unchanged when these strings are equal, and approvals
 * bind a call's arguments by their hash. Written out directly (no sorted copy of the value): it is on
 * the decision path. The output is exactly `JSON.stringify` of a copy whose keys were inserted in
 * sorted order, which JavaScript then enumerates with integer-like keys first, in numeric order.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) as string; // undefined for undefined, as JSON.stringify
}

function canonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols: left out, as JSON.stringify does
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonical(value[i]) ?? 'null');
    return `${out}]`;
  }
  const keys = Object.keys(value);
  // Object.keys lists integer-like keys first, in numeric order; the rest need sorting.
  let ints = 0;
  while (ints < keys.length && isIndex(keys[ints] as string)) ints++;
  const ordered = ints === 0 ? keys.sort() : [...keys.slice(0, ints), ...keys.slice(ints).sort()];
  let out = '{';
  for (const k of ordered) {
    const v = canonical((value as Record<string, unknown>)[k]);
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${v}`;
  }
  return `${out}}`;
}

function isIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

export function sameDesired(a: Desired, b: Desired): boolean {
  return canonicalJson({ labels: a.labels, spec: a.spec }) === canonicalJson({ labels: b.labels, spec: b.spec });
}
