// When the one-call check of many policy texts cannot answer text by text, each text is checked in
// a call and a message of its own: a message's answer is waited for at most a minute, and with a
// large registry each check reads the schema for most of a second.
import { describe, expect, it, vi } from 'vitest';
import type * as workerModule from '../../src/policy/cedar-worker.js';

const messages: Array<{ fn: string; calls: number }> = [];
vi.mock('../../src/policy/cedar-worker.js', async (importOriginal) => {
  const real = await importOriginal<typeof workerModule>();
  const cedarInWorker = (async (fn, calls) => {
    messages.push({ fn, calls: calls.length });
    // The batch answers null, as it does when it cannot map an error back to its text.
    if (fn === 'checkPolicies') return calls.map(() => ({ value: null }));
    return real.cedarInWorker(fn, calls);
  }) as typeof real.cedarInWorker;
  return { ...real, cedarInWorker };
});

const { checkPolicyTexts } = await import('../../src/policy/cedar.js');
const { generateCedarSchema } = await import('../../src/policy/cedar-schema.js');
const { RegistrySnapshot } = await import('../../src/registry/model.js');

const schema = generateCedarSchema(
  new RegistrySnapshot([
    {
      kind: 'Tool',
      name: 'crm.refund',
      labels: {},
      spec: {
        system: 'crm',
        effect: 'write',
        dataDomains: [],
        arguments: { type: 'object', properties: { amount: { type: 'integer' } } },
      },
    } as never,
  ]),
);
const TEXTS = [
  'permit (principal, action, resource);',
  'forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.nope > 1 };',
  'permit (principal, action, resource) when { 1 + };',
];

describe('policy checks when the one call cannot answer', () => {
  it('checks each text in a message of its own, with the problems it gets alone', async () => {
    const verdicts = await checkPolicyTexts(TEXTS, schema);
    const checks = messages.filter((m) => m.fn === 'checkPolicy');
    expect(messages[0]?.fn).toBe('checkPolicies');
    expect(checks).toEqual(TEXTS.map(() => ({ fn: 'checkPolicy', calls: 1 })));
    expect(verdicts.schemaProblems).toEqual([]);
    expect(verdicts.byText.get(TEXTS[0] as string)).toEqual([]);
    expect(verdicts.byText.get(TEXTS[1] as string)?.[0]?.message).toMatch(/nope/);
    expect(verdicts.byText.get(TEXTS[1] as string)?.[0]?.offset).toBe(TEXTS[1]?.indexOf('context.arguments.nope'));
    expect(verdicts.byText.get(TEXTS[2] as string)?.length).toBeGreaterThan(0);
  });
});
