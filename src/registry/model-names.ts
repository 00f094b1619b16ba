// Which registry Model a model id means, as telemetry and API callers spell it: the Model's name or
// one of its `aliases` (Bedrock's `anthropic.claude-sonnet-4-20250514-v1:0`), with a `provider/`
// prefix, a Bedrock cross-region prefix (`eu.`, `us.`, …) or a dated version suffix
// (`gpt-4o-mini-2024-07-18`). Shared by cost at ingest and the LLM gateway.
import type { RegistrySnapshot } from './model.js';

/** Bedrock cross-region inference profiles put a geography before the model id. */
const REGION_PREFIX = /^(?:us|eu|apac|ap|jp|au|ca|us-gov|global)\./;
/**
 * What may follow a known id in a longer one that is a snapshot of the same model, and nothing else
 * (the whole rest of the id): a date (`-2024-07-18`, `-20250514`, `@20240620`, Bedrock's
 * `-20240620-v1:0`), OpenAI's four-digit snapshots (`-0613`), Google's three-digit ones (`-002`),
 * `-latest`, `-preview`, `:latest`. Not another word or number: `gpt-4o-mini` is no version of
 * `gpt-4o`, nor `claude-opus-4-5` (another model, another price) of `claude-opus-4`, `gpt-4-32k-0613`
 * of `gpt-4`, `gpt-4-0125-preview` (GPT-4 Turbo) of `gpt-4`, or `llama3:70b` of `llama3`. Priced as
 * the shorter one, each would be a wrong price that looks right, and the LLM gateway would call the
 * shorter one in its place.
 */
const VERSION_SUFFIX = /^(?:[-@]\d{8}(?:-v\d+:\d+)?|-\d{4}-\d{2}-\d{2}|-\d{3,4}|-latest|-preview|:latest)$/;
/** Ids longer than this are no model id; they are not looked up (nor cached). */
const MAX_ID = 256;

interface Index {
  /** Name or alias as written → the Model's name: a Model's own spelling is never another's. */
  asWritten: Map<string, string>;
  /** Lower-cased name or alias → the Model's name. */
  exact: Map<string, string>;
  /** The same keys, longest first, for the versioned-suffix rule. */
  byLength: string[];
  /** Answers already given (bounded: telemetry can send any number of distinct ids). */
  cache: Map<string, string | undefined>;
}

// A snapshot never changes, so its index can be kept with it and dropped with it.
const indexes = new WeakMap<RegistrySnapshot, Index>();

function indexOf(registry: RegistrySnapshot): Index {
  let index = indexes.get(registry);
  if (!index) {
    const exact = new Map<string, string>();
    const asWritten = new Map<string, string>();
    for (const m of registry.list('Model')) {
      // validate.ts refuses names and aliases that are another Model's, case aside, so no key is
      // taken twice; a registry stored before that rule keeps the first, and each name resolves to itself.
      asWritten.set(m.name, m.name);
      if (!exact.has(m.name.toLowerCase())) exact.set(m.name.toLowerCase(), m.name);
    }
    for (const m of registry.list('Model'))
      for (const alias of m.spec.aliases ?? []) {
        if (!asWritten.has(alias)) asWritten.set(alias, m.name);
        if (!exact.has(alias.toLowerCase())) exact.set(alias.toLowerCase(), m.name);
      }
    index = { asWritten, exact, byLength: [...exact.keys()].sort((a, b) => b.length - a.length), cache: new Map() };
    indexes.set(registry, index);
  }
  return index;
}

/**
 * The name of the registry Model `id` means, or undefined. Tried in order, each first exactly (case
 * aside) against names and aliases, then as a known id followed by a snapshot suffix (VERSION_SUFFIX:
 * `-2024-07-18`, `-20250514`, `-0613`, `-latest`, …; the longest known id wins): the id as given,
 * without a `provider/` prefix, without a Bedrock region prefix.
 */
export function resolveModelName(registry: RegistrySnapshot, id: string): string | undefined {
  if (id.length === 0 || id.length > MAX_ID) return undefined;
  const index = indexOf(registry);
  const named = index.asWritten.get(id);
  if (named !== undefined) return named;
  const key = id.toLowerCase();
  if (index.cache.has(key)) return index.cache.get(key);
  const bare = key.includes('/') ? key.slice(key.lastIndexOf('/') + 1) : key;
  const candidates = [key, bare, bare.replace(REGION_PREFIX, '')];
  let found: string | undefined;
  for (const c of candidates) found ??= index.exact.get(c);
  for (const c of candidates) {
    if (found) break;
    const known = index.byLength.find((k) => c.length > k.length && c.startsWith(k) && VERSION_SUFFIX.test(c.slice(k.length)));
    if (known) found = index.exact.get(known);
  }
  if (index.cache.size < 10_000) index.cache.set(key, found);
  return found;
}

/**
 * Every id that is two Models' (a name or alias of one that is also another's name or alias, case
 * aside: ids are matched case-insensitively), for validation: `[{model, id, other, field}]`, `other`
 * being the Model that already has it, `field` whether `id` is `model`'s name or one of its aliases.
 */
export function aliasConflicts(
  registry: RegistrySnapshot,
): Array<{ model: string; alias: string; other: string; field: 'name' | 'alias' }> {
  const owner = new Map<string, string>();
  const conflicts: Array<{ model: string; alias: string; other: string; field: 'name' | 'alias' }> = [];
  for (const m of registry.list('Model')) {
    const other = owner.get(m.name.toLowerCase());
    if (other !== undefined) conflicts.push({ model: m.name, alias: m.name, other, field: 'name' });
    else owner.set(m.name.toLowerCase(), m.name);
  }
  for (const m of registry.list('Model'))
    for (const alias of m.spec.aliases ?? []) {
      const other = owner.get(alias.toLowerCase());
      if (other !== undefined && other !== m.name) conflicts.push({ model: m.name, alias, other, field: 'alias' });
      else owner.set(alias.toLowerCase(), m.name);
    }
  return conflicts;
}
