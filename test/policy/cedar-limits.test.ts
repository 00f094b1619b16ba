// Cedar text bounds: whatever the scanner lets through, cedar-wasm parses, converts and validates
// without throwing (a throw there can corrupt its instance); what it refuses, it refuses before the
// worker is asked, with the offset where the limit was passed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCedarBounds, MAX_CEDAR_CHAIN, MAX_CEDAR_DEPTH, MAX_CEDAR_LENGTH } from '../../src/policy/cedar-limits.js';
import { cedarInWorker, cedarWorkers } from '../../src/policy/cedar-worker.js';

const SCHEMA = {
  '': {
    entityTypes: { A: {} },
    actions: { act: { appliesTo: { principalTypes: ['A'], resourceTypes: ['A'], context: { type: 'Record', attributes: {} } } } },
  },
};

const LAYERS = {
  paren: (x: string) => `(${x})`,
  set: (x: string) => `[${x}]`,
  record: (x: string) => `{a: ${x}}`,
  if: (x: string) => `if true then ${x} else ${x === 'true' ? 'false' : x}`,
  contains: (x: string) => `[1].contains(${x})`,
};
const CHAINS = {
  or: (n: number) =>
    Array(n + 1)
      .fill('true')
      .join(' || '),
  dots: (n: number) => `context${'.a'.repeat(n)}`,
  plus: (n: number) =>
    Array(n + 1)
      .fill('1')
      .join(' + '),
  eq: (n: number) =>
    Array(n + 1)
      .fill('1')
      .join(' == '),
};

const when = (body: string) => `permit (principal, action, resource) when { ${body} };`;

/** Parse, JSON, strict validation: the calls the server makes with a policy's text. */
async function cedarReads(text: string) {
  const [parsed] = await cedarInWorker('checkParsePolicySet', [[{ staticPolicies: text }]]);
  const [json] = await cedarInWorker('policyToJson', [[text]]);
  const [checked] = await cedarInWorker('checkPolicy', [[text, SCHEMA]]);
  return [parsed, json, checked];
}

describe('Cedar text bounds', () => {
  it('lets through only what cedar-wasm reads without throwing', async () => {
    await cedarReads(when('true'));
    const started = cedarWorkers().started;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...(Object.keys(LAYERS) as Array<keyof typeof LAYERS>)), { maxLength: 140 }),
        fc.constantFrom(...(Object.keys(CHAINS) as Array<keyof typeof CHAINS>)),
        fc.integer({ min: 0, max: 2_500 }),
        async (layers, chain, n) => {
          // Nest layers around the chain (ifs use their body twice: nest them only a little).
          let body = CHAINS[chain](n);
          for (const l of layers) body = LAYERS[l](l === 'if' && body.length > 20_000 ? 'true' : body);
          const text = when(body);
          const refused = checkCedarBounds(text);
          if (layers.length >= MAX_CEDAR_DEPTH) expect(refused).toBeDefined();
          if (refused) {
            expect(refused.offset).toBeGreaterThan(0);
            expect(refused.offset).toBeLessThan(text.length);
            return;
          }
          for (const answer of await cedarReads(text))
            expect(answer, JSON.stringify(answer).slice(0, 200)).toHaveProperty('value');
        },
      ),
      { numRuns: 400 },
    );
    // No call threw, so no worker was replaced.
    expect(cedarWorkers().started).toBe(started);
  });

  it('accepts the limits themselves, which cedar-wasm reads', async () => {
    const deep = when(`${'('.repeat(MAX_CEDAR_DEPTH - 1)}true${')'.repeat(MAX_CEDAR_DEPTH - 1)}`);
    const long = when(CHAINS.dots(MAX_CEDAR_CHAIN));
    expect(checkCedarBounds(deep)).toBeUndefined();
    expect(checkCedarBounds(long)).toBeUndefined();
    for (const text of [deep, long]) for (const answer of await cedarReads(text)) expect(answer).toHaveProperty('value');
    expect(checkCedarBounds(when(`${'('.repeat(MAX_CEDAR_DEPTH)}true${')'.repeat(MAX_CEDAR_DEPTH)}`))).toMatchObject({
      message: expect.stringMatching(/nested more than 64 deep/),
    });
    expect(checkCedarBounds(when(CHAINS.dots(MAX_CEDAR_CHAIN + 1)))).toMatchObject({
      message: expect.stringMatching(/chains more than 1000 operators/),
    });
  });

  it('skips string literals and comments, and counts what follows them', () => {
    const brackets = '((((('.repeat(30);
    expect(checkCedarBounds(when(`context.a == "${brackets}\\"${brackets}"`))).toBeUndefined();
    expect(checkCedarBounds(`// ${brackets}\n${when('true')}`)).toBeUndefined();
    expect(checkCedarBounds(when(`"if if if" == "x" && ${'if true then '.repeat(70)}1${' else 2'.repeat(70)}`))).toBeDefined();
    // Identifiers that contain `if` are not `if`s.
    expect(checkCedarBounds(when(Array(100).fill('(context.iffy)').join(' + ')))).toBeUndefined();
  });

  it('refuses text longer than the limit, before reading it', () => {
    const text = when(`context.a == "${'x'.repeat(MAX_CEDAR_LENGTH)}"`);
    expect(checkCedarBounds(text)).toMatchObject({ offset: 0 });
  });
});
