// Policy texts checked against one schema in one cedar-wasm call (the schema read once) must give
// each text exactly the problems it gets checked alone: same messages, offsets into its own text.
import { describe, expect, it } from 'vitest';
import { charOffset, checkPolicyTexts, toProblems } from '../../src/policy/cedar.js';
import { cedarWorkerCalls } from '../../src/policy/cedar-runtime.js';
import { generateCedarSchema } from '../../src/policy/cedar-schema.js';
import { cedarInWorker } from '../../src/policy/cedar-worker.js';
import { type Desired, RegistrySnapshot } from '../../src/registry/model.js';

const tools: Desired[] = ['crm.refund', 'crm.lookup', 'erp.post'].map(
  (name) =>
    ({
      kind: 'Tool',
      name,
      labels: {},
      spec: {
        system: name.split('.')[0],
        effect: 'write',
        dataDomains: [],
        arguments: {
          type: 'object',
          required: ['amount'],
          properties: { amount: { type: 'integer' }, 'note ü': { type: 'string' } },
        },
      },
    }) as Desired,
);
const schema = generateCedarSchema(new RegistrySnapshot(tools));

const TEXTS = [
  'permit (principal, action, resource);',
  // two statements, the second wrong: its offset must be into this text
  'forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount > 500 };\n' +
    'forbid (principal, action == Action::"crm.lookup", resource) when { context.arguments.nope > 1 };',
  // does not parse
  'permit (principal, action, resource) when { 1 + };',
  // non-ASCII before the problem: bytes and characters differ
  '// Überprüfung — ünïcödé\nforbid (principal, action == Action::"erp.post", resource) when { principal.nope == "é" };',
  // several problems in one policy, and an unknown action
  'forbid (principal, action == Action::"crm.nothing", resource) when { resource.x && context.y };',
  // attribute names that need quoting, used correctly
  'forbid (principal, action == Action::"crm.refund", resource) when { context.arguments has "note ü" };',
  'permit (principal, action in Action::"tool.call", resource) unless { context.arguments.amount == 1 };',
  // a type mismatch, whose message names the policy in its middle (by its id in this text: policy1)
  'permit (principal, action, resource);\nforbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount == "x" };',
];

describe('policy checks in one call', () => {
  it('give each text the problems it gets alone', async () => {
    const alone = await cedarInWorker(
      'checkPolicy',
      TEXTS.map((t) => [t, schema]),
    );
    const [together] = await cedarInWorker('checkPolicies', [[TEXTS, schema]]);
    if (!together || !('value' in together) || !together.value) throw new Error(`no answer: ${JSON.stringify(together)}`);
    const { answers, schemaRead } = together.value;
    expect(schemaRead).toBe(true);
    expect(answers).toHaveLength(TEXTS.length);
    const expected = TEXTS.map((t, i) => toProblems(alone[i] as never, t));
    const got = TEXTS.map((t, i) => toProblems({ value: answers[i] as never }, t));
    expect(got).toEqual(expected);
    // The cases above are what they claim to be: some clean, some with problems, one unparsed.
    expect(expected.map((p) => p.length > 0)).toEqual([false, true, true, true, true, false, false, true]);
    expect(got[7]?.[0]?.message).toMatch(/`policy1`/);
    expect(expected[1]?.[0]?.offset).toBeGreaterThan(TEXTS[1]?.indexOf('\n') ?? 0);
  });

  it('give offsets in characters, where the problem is', async () => {
    const text = TEXTS[3] as string;
    const [answer] = await cedarInWorker('checkPolicy', [[text, schema]]);
    const [problem] = toProblems(answer as never, text);
    expect(text.slice(problem?.offset)).toMatch(/^principal\.nope/);
    expect(charOffset('aé', 3)).toBe(2);
    expect(charOffset('abc', 2)).toBe(2);
  });

  it('say when the schema itself is not valid, and check texts that do not parse without it', async () => {
    const broken = { '': { entityTypes: { A: { memberOfTypes: ['Nowhere'] } }, actions: {} } } as never;
    const bad = await checkPolicyTexts([TEXTS[0] as string, TEXTS[6] as string], broken);
    expect(bad.schemaProblems.join(' ')).toMatch(/Nowhere/);
    expect(bad.byText.size).toBe(0);
    // Nothing validated (no text parses), so the schema is checked on its own.
    const unparsed = await checkPolicyTexts(['permit (principal,', 'forbid ('], schema);
    expect(unparsed.schemaProblems).toEqual([]);
    expect([...unparsed.byText.values()].map((p) => p[0]?.message)).toEqual([
      expect.stringMatching(/failed to parse/),
      expect.stringMatching(/failed to parse/),
    ]);
  });

  it('ask the worker once for a schema not seen before: validating proves the schema', async () => {
    const fresh = generateCedarSchema(new RegistrySnapshot([...tools, { ...tools[0], name: 'crm.fresh' } as Desired]));
    const before = cedarWorkerCalls();
    const verdicts = await checkPolicyTexts(TEXTS, fresh);
    expect(cedarWorkerCalls() - before).toBe(1);
    expect(verdicts.schemaProblems).toEqual([]);
    expect(verdicts.byText.size).toBe(TEXTS.length);
  });
});
