// The bounded caches of the policy engine's texts (parts, parsed JSON, verdicts): Maps kept in order
// of use, the least recently used first, so that eviction takes what is no longer asked about.

/** The cached value, made the most recently used. */
export function recall<K, V>(cache: Map<K, V>, key: K): V | undefined {
  const value = cache.get(key);
  if (value !== undefined) {
    cache.delete(key);
    cache.set(key, value);
  }
  return value;
}

/** Caches `value` as the most recently used, evicting the least recently used at `max` entries. */
export function remember<K, V>(cache: Map<K, V>, key: K, value: V, max: number): void {
  if (cache.size >= max) cache.delete(cache.keys().next().value as K);
  cache.set(key, value);
}
