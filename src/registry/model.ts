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

/** JSON with sorted keys: two descriptors are unchanged when these strings are equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function sameDesired(a: Desired, b: Desired): boolean {
  return canonicalJson({ labels: a.labels, spec: a.spec }) === canonicalJson({ labels: b.labels, spec: b.spec });
}
