// Cost at ingest: the model a span names, resolved to a registry Model (src/registry/model-names.ts),
// priced with the price that was valid on the span's day (Model spec.pricing: per million input,
// output, cached and cache-written input tokens; a long-context tariff's rates past its threshold). A model call that cannot be priced says why, never costs $0.
import type { RegistrySnapshot } from '../registry/model.js';
import { resolveModelName } from '../registry/model-names.js';
import type { ModelSpec } from '../registry/schemas.js';

/**
 * The most tokens one call may report (docs/evidence.md); more is not a model call, it is an attack.
 * 2^31 − 1: what a span's count column holds on PostgreSQL (`integer`), where a larger one (10^10
 * was allowed) failed the whole export with "integer out of range" while SQLite stored it.
 */
export const MAX_TOKENS = 2_147_483_647;

/**
 * A token count as providers and instrumentations send it: a whole number from 0 to MAX_TOKENS, or a
 * string of its digits (spaces around them allowed); anything else is no count (undefined). One rule
 * for the LLM gateway's usage objects and OTLP spans' attributes.
 */
export function tokenCount(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\s*\d{1,11}\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TOKENS ? n : undefined;
}

/** Why a model call has no cost (docs/evidence.md "Unpriced model calls"). */
export const UNPRICED_REASONS = ['unknown_model', 'no_price', 'no_usage', 'service_tier'] as const;
export type UnpricedReason = (typeof UNPRICED_REASONS)[number];

/**
 * Service tiers a provider reports having billed above a Model's price: OpenAI's `priority` and
 * `scale`, Anthropic's `priority`. A call billed at one is unpriced (`service_tier`).
 */
const ABOVE_PRICE_TIERS: ReadonlySet<string> = new Set(['priority', 'scale']);

/** The tier reported (an answer's, a span's) when it is billed above the Model's price, else undefined. */
export function tierAbovePrice(tier: unknown): string | undefined {
  return typeof tier === 'string' && ABOVE_PRICE_TIERS.has(tier) ? tier : undefined;
}

export interface Tokens {
  /** Every input token, cache reads and writes included (OpenTelemetry's gen_ai.usage.input_tokens). */
  input: number | null;
  output: number | null;
  /** Of the input, read from a prompt cache. */
  cached: number | null;
  /** Of the input, written to a prompt cache (priced at cacheWriteInputPerMillion, else the input price). */
  cacheWrite?: number | null;
  /** A call that has no output to count (embeddings): its input alone prices it. */
  inputOnly?: boolean;
}

export type Priced = { cost: number; unpriced: null } | { cost: null; unpriced: UnpricedReason };

export interface PriceBook {
  /** The registry Model a reported model id means (name or alias, see model-names.ts), else null. */
  resolve(reported: string): string | null;
  /**
   * The cost in USD of one model call of `model` (a registry Model's name, or null when the id was
   * unknown) on `day`, or why it has none: the model is unknown, it has no USD price that day, or the
   * call did not report both its input and output counts (a streaming span without usage is not a
   * free call).
   */
  price(model: string | null, day: string, tokens: Tokens): Priced;
}

export function createPriceBook(registry: RegistrySnapshot): PriceBook {
  return {
    resolve: (reported) => resolveModelName(registry, reported) ?? null,
    price(model, day, t) {
      const spec = model === null ? undefined : registry.get('Model', model)?.spec;
      if (!spec) return { cost: null, unpriced: 'unknown_model' };
      const price = priceOn(spec, day);
      if (price?.currency !== 'USD') return { cost: null, unpriced: 'no_price' };
      // A count missing is a cost unknown, not a count of 0 (found by review: a stream cut off after its
      // first usage chunk, input only, was priced as if it had no output).
      if (t.input === null || (t.output === null && !t.inputOnly)) return { cost: null, unpriced: 'no_usage' };
      // Input counts the cache reads and writes (OpenTelemetry's convention); a source whose cache
      // counts add up to more than its input reports them apart (Anthropic's raw usage): added.
      const cached = t.cached ?? 0;
      const written = t.cacheWrite ?? 0;
      const input = cached + written > (t.input ?? 0) ? (t.input ?? 0) + cached + written : (t.input ?? 0);
      // A long-context tariff bills the whole call at its rates once the input is over its threshold.
      const rates = price.longContext && input > price.longContext.aboveInputTokens ? price.longContext : price;
      const cachedRate = rates.cachedInputPerMillion ?? rates.inputPerMillion;
      const writeRate = rates.cacheWriteInputPerMillion ?? rates.inputPerMillion;
      const cost =
        ((input - cached - written) * rates.inputPerMillion +
          cached * cachedRate +
          written * writeRate +
          (t.output ?? 0) * rates.outputPerMillion) /
        1_000_000;
      return { cost, unpriced: null };
    },
  };
}

/** The price in force on `day`: the latest whose `from` is not after it. */
export function priceOn(spec: ModelSpec, day: string): ModelSpec['pricing'][number] | undefined {
  let best: ModelSpec['pricing'][number] | undefined;
  for (const p of spec.pricing) if (p.from <= day && (!best || p.from > best.from)) best = p;
  return best;
}
