// Model names are case-sensitive in the registry, but the LLM gateway and cost attribution resolve a
// model id case-insensitively. Two Models whose names differ only in case were both accepted
// (aliasConflicts compared aliases with names, never names with names), and a request naming one
// exactly was decided, forwarded and priced as the other.
import { describe, expect, it } from 'vitest';
import type { Desired } from '../../src/registry/model.js';
import { RegistrySnapshot } from '../../src/registry/model.js';
import { aliasConflicts, resolveModelName } from '../../src/registry/model-names.js';
import { checkCrossRules } from '../../src/registry/validate.js';

const model = (name: string, status: 'approved' | 'banned', aliases: string[] = []): Desired =>
  ({
    kind: 'Model',
    name,
    labels: {},
    spec: { provider: 'openai', hosting: 'vendor', regions: [], status, maxClassification: 'internal', pricing: [], aliases },
  }) as unknown as Desired;

describe('Model names that differ only in case', () => {
  // In the database's order on SQLite (binary collation: upper case first).
  const registry = new RegistrySnapshot([model('GPT-4O', 'approved'), model('gpt-4o', 'banned')]);

  it('are refused, naming both', () => {
    expect(aliasConflicts(registry)).toEqual([{ model: 'gpt-4o', alias: 'gpt-4o', other: 'GPT-4O', field: 'name' }]);
    expect(checkCrossRules(registry)).toEqual([
      {
        kind: 'Model',
        name: 'gpt-4o',
        path: '/metadata/name',
        message: 'Model gpt-4o and Model GPT-4O differ only in case, and model ids are matched case-insensitively: rename one',
      },
    ]);
  });

  it('each resolve to itself in a registry stored before the rule', () => {
    expect(resolveModelName(registry, 'gpt-4o')).toBe('gpt-4o');
    expect(resolveModelName(registry, 'GPT-4O')).toBe('GPT-4O');
    // Another spelling, a prefix, a snapshot suffix: case aside, as before (the first listed).
    expect(resolveModelName(registry, 'Gpt-4o')).toBe('GPT-4O');
    expect(resolveModelName(registry, 'openai/gpt-4o-2024-08-06')).toBe('GPT-4O');
  });

  it('aliases are still matched case-insensitively, and a name wins over another Model’s alias', () => {
    const r = new RegistrySnapshot([model('claude-sonnet-4', 'approved', ['Sonnet', 'gpt-4o']), model('gpt-4o', 'approved')]);
    expect(resolveModelName(r, 'sonnet')).toBe('claude-sonnet-4');
    expect(resolveModelName(r, 'gpt-4o')).toBe('gpt-4o');
    expect(aliasConflicts(r)).toEqual([{ model: 'claude-sonnet-4', alias: 'gpt-4o', other: 'gpt-4o', field: 'alias' }]);
  });
});
