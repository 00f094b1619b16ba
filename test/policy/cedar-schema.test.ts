// The generated Cedar schema is a function of the registry's contents, not of the order its
// objects arrived in: policy verdicts are cached under the schema's digest.
import { describe, expect, it } from 'vitest';
import { schemaKey } from '../../src/policy/cedar.js';
import { generateCedarSchema } from '../../src/policy/cedar-schema.js';
import { type Desired, RegistrySnapshot } from '../../src/registry/model.js';

const tool = (i: number, label: string): Desired =>
  ({
    kind: 'Tool',
    name: `crm.tool_${i}`,
    labels: { apply: label },
    spec: {
      system: 'crm',
      effect: 'read',
      dataDomains: ['customer-profiles'],
      arguments: { type: 'object', properties: { id: { type: 'string' }, n: { type: 'integer' } } },
    },
  }) as Desired;

describe('generated Cedar schema', () => {
  it('is the same text for the same Tools in any order (a bundle’s order, the database’s)', () => {
    const n = 30;
    // A bundle lists tool_0 … tool_29; the database returns them sorted as text (tool_0, tool_1, tool_10 …).
    const bundleOrder = Array.from({ length: n }, (_, i) => tool(i, 'v1'));
    const databaseOrder = [...bundleOrder]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((t) => ({ ...t, labels: { apply: 'v2' } }));
    expect(databaseOrder.map((t) => t.name)).not.toEqual(bundleOrder.map((t) => t.name));
    const a = generateCedarSchema(new RegistrySnapshot(bundleOrder));
    const b = generateCedarSchema(new RegistrySnapshot(databaseOrder));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(schemaKey(a)).toBe(schemaKey(b));
    // And the digest still tells different registries apart.
    expect(schemaKey(generateCedarSchema(new RegistrySnapshot(bundleOrder.slice(1))))).not.toBe(schemaKey(a));
  });
});
