// Cost at ingest: the model a span names, resolved to a registry Model, priced with the price that
// was valid on the span's day (Model spec.pricing: per million input, output and cached input tokens).
import type { RegistrySnapshot } from '../registry/model.js';
import type { ModelSpec } from '../registry/schemas.js';

export interface PriceBook {
  /** The registry Model a reported model id means: exact, else the longest registry name it starts with. */
  resolve(reported: string): string | null;
  /** Cost in USD, or null when the model or a USD price for that day is unknown. */
  cost(model: string, day: string, tokens: { input: number; output: number; cached: number }): number | null;
}

export function createPriceBook(registry: RegistrySnapshot): PriceBook {
  const models = new Map(registry.list('Model').map((m) => [m.name.toLowerCase(), { name: m.name, spec: m.spec }]));
  const byLength = [...models.keys()].sort((a, b) => b.length - a.length);
  const cache = new Map<string, string | null>();
  return {
    resolve(reported) {
      const key = reported.toLowerCase();
      if (cache.has(key)) return cache.get(key) ?? null;
      const bare = key.includes('/') ? key.slice(key.lastIndexOf('/') + 1) : key;
      const hit =
        models.get(bare) ?? models.get(byLength.find((n) => bare.startsWith(`${n}-`) || bare.startsWith(`${n}@`)) ?? '');
      const name = hit?.name ?? null;
      if (cache.size < 10_000) cache.set(key, name);
      return name;
    },
    cost(model, day, t) {
      const spec = models.get(model.toLowerCase())?.spec;
      const price = spec && priceOn(spec, day);
      if (price?.currency !== 'USD') return null;
      const cached = Math.min(t.cached, t.input);
      const cachedRate = price.cachedInputPerMillion ?? price.inputPerMillion;
      return ((t.input - cached) * price.inputPerMillion + cached * cachedRate + t.output * price.outputPerMillion) / 1_000_000;
    },
  };
}

/** The price in force on `day`: the latest whose `from` is not after it. */
export function priceOn(spec: ModelSpec, day: string): ModelSpec['pricing'][number] | undefined {
  let best: ModelSpec['pricing'][number] | undefined;
  for (const p of spec.pricing) if (p.from <= day && (!best || p.from > best.from)) best = p;
  return best;
}
