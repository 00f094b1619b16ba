// The compiled evaluator and cedar-wasm must answer every request alike: random policy sets (well- and
// ill-typed) over random entity hierarchies, then a conformance table of Cedar's tricky corners.
// POLICY_FUZZ_RUNS=20000 npx vitest run test/policy fuzzes longer (each run is 25 requests).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CompiledEvaluator } from '../../src/policy/compiled-evaluator.js';
import type { CedarRequest, CedarValueJson, EntityJson, EvalResult, PolicyInput } from '../../src/policy/types.js';
import { WasmEvaluator } from '../../src/policy/wasm-evaluator.js';

// ---------------------------------------------------------------- the world the policies talk about

const BUS = ['retail', 'finance'];
const ARCHETYPES = ['support-agent', 'finance-agent', 'ops-agent'];
const INITIATIVES = ['init-a', 'init-b'];
const AGENTS = ['ag0', 'ag1', 'ag2', 'ag3'];
const TOOLS = ['crm', 'erp', 'mail'];
const ACTIONS = ['crm.lookup', 'crm.refund', 'email.send', 'model.call'];
const MODELS = ['gpt', 'claude'];
const DOMAINS = ['payments', 'hr', 'public'];

const ref = (type: string, id: string) => ({ type, id });
const escaped = (type: string, id: string): CedarValueJson => ({ __entity: { type, id } });
const decimal = (arg: string): CedarValueJson => ({ __extn: { fn: 'decimal', arg } });
/** Decimals as the guard sends JSON numbers, some negative, some equal under different spellings. */
const decimalArb = fc.constantFrom('0.0', '12.5', '12.50', '-3.25', '499.9999', '500.0', '1000.0').map(decimal);

/** Mostly true: entities are usually there, sometimes missing to provoke "entity does not exist". */
const present = fc.integer({ min: 0, max: 9 }).map((n) => n > 0);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
/** Either JSON form of a uid: Cedar accepts both in `uid` and `parents`. */
const uidForm = (type: string, id: string) => fc.boolean().map((b) => (b ? ref(type, id) : escaped(type, id)));

function entity(
  type: string,
  id: string,
  attrs: fc.Arbitrary<Record<string, CedarValueJson | undefined>>,
  parents: fc.Arbitrary<Array<[string, string]>>,
) {
  return fc
    .record({ present, uid: uidForm(type, id), attrs, parents })
    .chain(({ present, uid, attrs, parents }) =>
      fc
        .tuple(...parents.map(([t, i]) => uidForm(t, i)))
        .map((ps) => (present ? [{ uid, attrs, parents: ps } as EntityJson] : [])),
    );
}

const pick = <T>(xs: T[]) => fc.subarray(xs);
const tagged = (type: string, ids: string[]) => ids.map((id) => [type, id] as [string, string]);

const entitiesArb: fc.Arbitrary<EntityJson[]> = fc
  .tuple(
    ...BUS.map((id) => entity('BusinessUnit', id, fc.constant({}), fc.constant([]))),
    ...ARCHETYPES.map((id) => entity('Archetype', id, fc.constant({}), pick(tagged('BusinessUnit', BUS)))),
    ...INITIATIVES.map((id) =>
      entity('Initiative', id, fc.record({ budget: fc.integer({ min: 0, max: 5000 }) }), pick(tagged('BusinessUnit', BUS))),
    ),
    ...AGENTS.map((id) =>
      entity(
        'Agent',
        id,
        fc.record({
          status: fc.constantFrom('active', 'suspended'),
          stage: fc.constantFrom('proposed', 'pilot', 'production', 'retired'),
          riskTier: optional(fc.oneof(fc.constantFrom('low', 'medium', 'high'), fc.integer({ min: 1, max: 3 }))),
          autonomy: optional(fc.constantFrom('supervised', 'autonomous')),
          budget: fc.integer({ min: -5, max: 2000 }),
          tags: pick(['pii', 'beta', 'internal']),
          manager: optional(fc.constantFrom(...AGENTS).map((a) => escaped('Agent', a))),
        }),
        pick([...tagged('Archetype', ARCHETYPES), ...tagged('Initiative', INITIATIVES), ...tagged('BusinessUnit', BUS)]),
      ),
    ),
    ...TOOLS.map((id) =>
      entity(
        'Tool',
        id,
        fc.record({
          effect: fc.constantFrom('read', 'write', 'financial', 'destructive'),
          system: fc.constantFrom('crm', 'erp', 'email'),
        }),
        fc.constant([]),
      ),
    ),
    entity('Action', 'tool.call', fc.constant({}), fc.constant([])),
    ...ACTIONS.map((id) => entity('Action', id, fc.constant({}), pick([['Action', 'tool.call'] as [string, string]]))),
    ...MODELS.map((id) =>
      entity(
        'Model',
        id,
        fc.record({
          provider: fc.constantFrom('openai', 'anthropic'),
          maxClassification: fc.integer({ min: 0, max: 5 }),
          cost: decimalArb,
        }),
        fc.constant([]),
      ),
    ),
    ...DOMAINS.map((id) =>
      entity(
        'DataDomain',
        id,
        fc.record({ classificationLevel: fc.integer({ min: 0, max: 5 }), regions: pick(['eu', 'us', 'apac']) }),
        fc.constant([]),
      ),
    ),
  )
  .map((lists) => lists.flat());

const requestArb: fc.Arbitrary<CedarRequest> = fc.record({
  principal: fc.constantFrom(...AGENTS, 'ghost').map((id) => ref('Agent', id)),
  action: fc.constantFrom(...ACTIONS, 'tool.call', 'unknown.act').map((id) => ref('Action', id)),
  resource: fc.oneof(
    fc.constantFrom(...TOOLS).map((id) => ref('Tool', id)),
    fc.constantFrom(...MODELS).map((id) => ref('Model', id)),
    fc.constantFrom(...DOMAINS).map((id) => ref('DataDomain', id)),
  ),
  context: fc.record(
    {
      dataDomains: pick(DOMAINS).map((ds) => ds.map((d) => escaped('DataDomain', d))),
      arguments: fc.record(
        {
          amount: fc.oneof(
            { arbitrary: fc.integer({ min: -10, max: 1000 }), weight: 5 },
            { arbitrary: fc.constant('500'), weight: 1 },
          ),
          currency: fc.constantFrom('usd', 'eur'),
          price: decimalArb,
        },
        { requiredKeys: ['amount'] },
      ),
      region: fc.constantFrom('eu', 'us'),
      riskScore: fc.integer({ min: 0, max: 10 }),
      tags: pick(['pii', 'beta', 'urgent']),
    },
    { requiredKeys: ['dataDomains', 'arguments', 'tags'] },
  ) as fc.Arbitrary<Record<string, CedarValueJson>>,
});

// ---------------------------------------------------------------- random policies, rendered as Cedar text

const D = { maxDepth: 3, depthIdentifier: 'expr' };
const lit = (xs: string[]) => fc.constantFrom(...xs);
const w = <T>(arbitrary: fc.Arbitrary<T>, weight: number) => ({ arbitrary, weight });

const ENTITY_TYPES = ['Agent', 'Tool', 'Model', 'DataDomain', 'Archetype', 'Action'];
const ATTRS = [
  'status',
  'stage',
  'riskTier',
  'autonomy',
  'budget',
  'tags',
  'manager',
  'effect',
  'amount',
  'currency',
  '"odd key"',
];

const { bool, any } = fc.letrec<{
  bool: string;
  long: string;
  str: string;
  ent: string;
  set: string;
  rec: string;
  dec: string;
  any: string;
}>((tie) => ({
  bool: fc.oneof(
    D,
    w(
      lit([
        'true',
        'false',
        'principal.status == "active"',
        'principal has riskTier',
        'principal has autonomy',
        'principal has manager',
        'context has riskScore',
        'context has arguments.currency',
        'resource has effect',
        'principal in Archetype::"support-agent"',
        'resource.system == "crm"',
        'context.flag',
      ]).map((b) => `(${b})`),
      4,
    ),
    w(
      tie('bool').map((b) => `!(${b})`),
      1,
    ),
    w(
      fc.tuple(tie('bool'), lit(['&&', '||']), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      4,
    ),
    w(
      fc.tuple(tie('long'), lit(['<', '<=', '>', '>=']), tie('long')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      2,
    ),
    w(
      fc
        .tuple(fc.oneof(tie('str'), tie('long'), tie('ent')), lit(['==', '!=']), fc.oneof(tie('str'), tie('long'), tie('ent')))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      3,
    ),
    w(
      fc.tuple(tie('any'), lit(['==', '!=']), tie('any')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      1,
    ),
    w(
      fc
        .tuple(tie('str'), lit(['"a*"', '"*"', '"act*"', '"*ive"', '"fin*ial"', '"\\*"', '""', '"s*p*d"', '"*e*"']))
        .map(([s, p]) => `(${s} like ${p})`),
      2,
    ),
    w(
      fc.tuple(tie('ent'), fc.oneof(tie('ent'), tie('set'))).map(([a, b]) => `(${a} in ${b})`),
      2,
    ),
    w(
      fc.tuple(tie('set'), tie('any')).map(([s, x]) => `(${s}).contains(${x})`),
      2,
    ),
    w(
      fc.tuple(tie('set'), lit(['containsAll', 'containsAny']), tie('set')).map(([a, m, b]) => `(${a}).${m}(${b})`),
      2,
    ),
    w(
      tie('set').map((s) => `(${s}).isEmpty()`),
      1,
    ),
    w(
      fc.tuple(fc.oneof(tie('ent'), tie('rec')), lit(ATTRS)).map(([e, a]) => `(${e} has ${a})`),
      2,
    ),
    w(
      fc
        .tuple(
          lit(['principal', 'context', 'principal.manager']),
          lit(['manager.status', 'arguments.amount', 'budget.x', 'status.x']),
        )
        .map(([e, p]) => `(${e} has ${p})`),
      1,
    ),
    w(
      fc.tuple(tie('ent'), lit(ENTITY_TYPES)).map(([e, t]) => `(${e} is ${t})`),
      1,
    ),
    w(
      fc.tuple(tie('ent'), lit(ENTITY_TYPES), fc.oneof(tie('ent'), tie('set'))).map(([e, t, x]) => `(${e} is ${t} in ${x})`),
      1,
    ),
    w(
      fc.tuple(tie('bool'), tie('bool'), tie('bool')).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
      1,
    ),
    w(
      fc.tuple(fc.oneof(tie('ent'), tie('rec')), lit(['status', 'flag'])).map(([e, a]) => `(${e}).${a}`),
      1,
    ),
    w(
      fc
        .tuple(
          fc.oneof(w(tie('dec'), 5), w(tie('long'), 1)),
          lit(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual']),
          tie('dec'),
        )
        .map(([a, m, b]) => `(${a}).${m}(${b})`),
      2,
    ),
    w(
      fc.tuple(tie('dec'), lit(['==', '!=']), tie('dec')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      1,
    ),
    // Ill-typed on purpose: a non-Bool where a Bool is needed.
    w(fc.oneof(tie('long'), tie('str'), tie('set')), 1),
  ),
  long: fc.oneof(
    D,
    w(
      lit([
        '0',
        '1',
        '3',
        '500',
        '-7',
        '100000000',
        '4000000000',
        'principal.budget',
        'context.arguments.amount',
        'resource.classificationLevel',
        'resource.maxClassification',
        'context.riskScore',
        'principal.riskTier',
        'principal.manager.budget',
        // Beyond 2^53 (exact only in cedar-wasm) and beyond i64 (overflow errors).
        '(principal.budget * 10000000000000)',
        '(context.arguments.amount * 9000000000000000)',
      ]),
      6,
    ),
    w(
      fc.tuple(tie('long'), lit(['+', '-', '*']), tie('long')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      3,
    ),
    w(
      tie('long').map((a) => `(-(${a}))`),
      1,
    ),
    w(
      fc.tuple(tie('bool'), tie('long'), tie('long')).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
      1,
    ),
    w(
      fc.tuple(tie('rec'), lit(['amount', 'riskScore'])).map(([r, a]) => `(${r}).${a}`),
      1,
    ),
  ),
  str: fc.oneof(
    D,
    w(
      lit([
        '"active"',
        '"supervised"',
        '"financial"',
        '"crm"',
        '"eu"',
        '""',
        '"fin*ial"',
        'principal.status',
        'principal.stage',
        'principal.riskTier',
        'principal.autonomy',
        'resource.effect',
        'resource.system',
        'context.region',
        'context.arguments.currency',
        'principal.budget',
      ]),
      6,
    ),
    w(
      fc.tuple(tie('bool'), tie('str'), tie('str')).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
      1,
    ),
  ),
  ent: fc.oneof(
    D,
    w(
      lit([
        'principal',
        'resource',
        'action',
        'Archetype::"support-agent"',
        'BusinessUnit::"retail"',
        'Agent::"ag1"',
        'Agent::"ghost"',
        'Action::"tool.call"',
        'DataDomain::"payments"',
        'Tool::"crm"',
        'principal.manager',
      ]),
      6,
    ),
    w(
      fc.tuple(tie('bool'), tie('ent'), tie('ent')).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
      1,
    ),
  ),
  set: fc.oneof(
    D,
    w(
      lit([
        'context.dataDomains',
        'resource.regions',
        'principal.tags',
        'context.tags',
        '[]',
        '["eu", "us"]',
        '[DataDomain::"payments", DataDomain::"hr"]',
        '[1, 2, 3]',
        '[Archetype::"support-agent", BusinessUnit::"finance"]',
        'context.arguments.amount',
      ]),
      5,
    ),
    w(
      fc.array(tie('any'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
      2,
    ),
  ),
  rec: fc.oneof(
    D,
    w(lit(['context.arguments', 'context', '{amount: 500, currency: "usd"}', '{}', 'principal.status']), 3),
    w(
      fc.tuple(tie('long'), tie('str')).map(([a, c]) => `{amount: ${a}, currency: ${c}, "odd key": true}`),
      1,
    ),
  ),
  dec: fc.oneof(
    D,
    lit([
      'decimal("12.5")',
      'decimal("500.0")',
      'decimal("-0.0001")',
      'decimal("1.00000")',
      'context.arguments.price',
      'resource.cost',
      'decimal(context.region)',
      'decimal(principal.budget)',
    ]),
    fc.tuple(tie('bool'), tie('dec'), tie('dec')).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
  ),
  any: fc.oneof(D, tie('long'), tie('str'), tie('bool'), tie('ent'), tie('set'), tie('rec'), tie('dec')),
}));

const principalScope = lit([
  'principal',
  'principal == Agent::"ag1"',
  'principal in Archetype::"support-agent"',
  'principal in BusinessUnit::"finance"',
  'principal is Agent',
  'principal is Agent in BusinessUnit::"retail"',
]);
const actionScope = lit([
  'action',
  'action == Action::"crm.refund"',
  'action in Action::"tool.call"',
  'action in [Action::"crm.lookup", Action::"crm.refund"]',
  'action == Action::"model.call"',
]);
const resourceScope = lit([
  'resource',
  'resource == Tool::"crm"',
  'resource is Tool',
  'resource is DataDomain',
  'resource in DataDomain::"payments"',
]);

/** Policies Fulcrum itself generates, so the common shapes are always well represented. */
const REALISTIC = [
  'permit (principal in Archetype::"support-agent", action in [Action::"crm.lookup", Action::"crm.refund"], resource);',
  'forbid (principal, action, resource) when { principal.status != "active" };',
  'forbid (principal, action, resource) when { principal.stage == "proposed" || principal.stage == "retired" };',
  '@approval("x") forbid (principal, action in Action::"tool.call", resource) when { principal has autonomy && principal.autonomy == "supervised" && (resource.effect == "financial" || resource.effect == "destructive") };',
  'forbid (principal, action == Action::"model.call", resource) when { context.dataDomains.contains(DataDomain::"payments") && resource.classificationLevel < 3 };',
  '@approval("Refunds over 500 need a supervisor") forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount > 500 };',
  'permit (principal is Agent, action, resource is Tool) when { resource.system == "crm" };',
  'forbid (principal, action, resource) unless { principal.riskTier == "low" };',
];

/** Policies the compiler leaves to cedar-wasm. */
const FALLBACK = [
  'permit (principal, action, resource) when { datetime("2024-01-01").toDate() == datetime("2024-01-01") && principal.status == "active" };',
  'forbid (principal, action in Action::"tool.call", resource) when { ip("10.0.0.1").isInRange(ip("10.0.0.0/8")) && context.riskScore > 5 };',
  'forbid (principal, action, resource) when { principal.hasTag("x") };',
  'permit (principal, action, resource) when { principal.budget < 9007199254740993 };',
];

const generated = fc
  .tuple(
    principalScope,
    actionScope,
    resourceScope,
    fc.array(fc.tuple(lit(['when', 'unless']), fc.oneof(w(bool, 9), w(any, 1))), { maxLength: 3 }),
  )
  .chain(([p, a, r, clauses]) =>
    fc.tuple(lit(['permit', 'forbid']), fc.boolean()).map(([effect, annotated]) => {
      const body = clauses.map(([kind, e]) => ` ${kind} { ${e} }`).join('');
      return `${annotated ? '@approval("review") ' : ''}${effect} (${p}, ${a}, ${r})${body};`;
    }),
  );

const policyArb = fc.oneof(w(generated, 12), w(lit(REALISTIC), 3), w(lit(FALLBACK), 1));
const policySetArb = fc
  .array(policyArb, { minLength: 1, maxLength: 10 })
  .map((texts) => texts.map((text, i) => ({ id: `p${i}`, text })));

// ---------------------------------------------------------------- the comparison

/** What the differential test compares: decision, determining policies, and which policies errored. */
function comparable(r: EvalResult) {
  return { decision: r.decision, determining: r.determining, errors: [...new Set(r.errors.map((e) => e.policy))].sort() };
}

const RUNS = Number(process.env.POLICY_FUZZ_RUNS ?? 420);
const stats = { requests: 0, allow: 0, deny: 0, determiningDeny: 0, withErrors: 0, fallbackPolicies: 0 };

describe('compiled evaluator vs cedar-wasm (differential)', () => {
  afterAll(() => {
    // The generator must exercise every outcome, or 100% agreement proves little.
    expect(stats.requests).toBeGreaterThanOrEqual(10_000);
    expect(stats.allow).toBeGreaterThan(stats.requests / 50);
    expect(stats.determiningDeny).toBeGreaterThan(stats.requests / 50);
    expect(stats.withErrors).toBeGreaterThan(stats.requests / 50);
    expect(stats.fallbackPolicies).toBeGreaterThan(0);
  });

  it('answers 10,000+ random requests exactly as cedar-wasm does', async () => {
    await fc.assert(
      fc.asyncProperty(
        policySetArb,
        entitiesArb,
        fc.array(requestArb, { minLength: 25, maxLength: 25 }),
        async (policies, entities, requests) => {
          // Let vitest's worker RPC breathe: a long synchronous run (POLICY_FUZZ_RUNS) would time it out.
          await new Promise((resolve) => setImmediate(resolve));
          const compiled = new CompiledEvaluator(policies);
          const wasm = new WasmEvaluator(policies);
          stats.fallbackPolicies += compiled.fallbackIds.length;
          const prepared = compiled.prepareEntities(entities);
          for (const request of requests) {
            const expected = comparable(wasm.evaluate(request, entities));
            const actual = comparable(compiled.evaluate(request, prepared));
            expect(actual, JSON.stringify({ request, policies })).toEqual(expected);
            stats.requests++;
            stats[actual.decision]++;
            if (actual.decision === 'deny' && actual.determining.length > 0) stats.determiningDeny++;
            if (actual.errors.length > 0) stats.withErrors++;
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 3_600_000);
});

// ---------------------------------------------------------------- Cedar's corners, one case at a time

const AGENT: EntityJson = {
  uid: ref('Agent', 'a'),
  attrs: {
    status: 'active',
    budget: 40,
    tags: ['pii', 'beta'],
    limit: { __extn: { fn: 'decimal', arg: '1.50' } },
    limit2: { __extn: { fn: 'decimal', arg: '1.5' } },
  },
  parents: [ref('Archetype', 'support-agent')],
};
const WORLD: EntityJson[] = [
  AGENT,
  { uid: ref('Archetype', 'support-agent'), attrs: {}, parents: [ref('BusinessUnit', 'retail')] },
  { uid: ref('BusinessUnit', 'retail'), attrs: {}, parents: [] },
  { uid: ref('Tool', 'crm'), attrs: { effect: 'financial' }, parents: [], tags: { owner: 'x' } },
  { uid: ref('Action', 'crm.refund'), attrs: {}, parents: [ref('Action', 'tool.call')] },
  { uid: ref('Action', 'tool.call'), attrs: {}, parents: [] },
];
const REQUEST: CedarRequest = {
  principal: ref('Agent', 'a'),
  action: ref('Action', 'crm.refund'),
  resource: ref('Tool', 'crm'),
  context: { arguments: { amount: 700 }, ip: '10.1.2.3' },
};

/** Runs one case through both evaluators, checks they agree, returns the compiled answer. */
function both(policies: PolicyInput[], request: CedarRequest = REQUEST, entities: EntityJson[] = WORLD) {
  const compiled = new CompiledEvaluator(policies);
  const answer = compiled.evaluate(request, compiled.prepareEntities(entities));
  expect(comparable(answer)).toEqual(comparable(new WasmEvaluator(policies).evaluate(request, entities)));
  return { ...comparable(answer), fallbackIds: compiled.fallbackIds };
}

const when = (cond: string, effect = 'permit') => [
  { id: 'p', text: `${effect} (principal, action, resource) when { ${cond} };` },
];

describe('compiled evaluator: Cedar semantics', () => {
  const cases: Array<[string, 'allow' | 'deny' | 'error']> = [
    ['false && principal.nope', 'deny'],
    ['true || principal.nope', 'allow'],
    ['true && principal.nope', 'error'],
    ['1 && true', 'error'],
    ['false || 1', 'error'],
    ['principal.nope == 1', 'error'],
    ['principal has nope', 'deny'],
    ['!(principal has nope)', 'allow'],
    ['Agent::"ghost" has status', 'deny'],
    ['Agent::"ghost".status == "active"', 'error'],
    ['Agent::"ghost" in Agent::"ghost"', 'allow'],
    ['Agent::"ghost" in Archetype::"support-agent"', 'deny'],
    ['principal in BusinessUnit::"retail"', 'allow'],
    ['principal in [BusinessUnit::"retail", 1]', 'error'],
    ['1 in [1]', 'error'],
    ['principal in "x"', 'error'],
    ['"a" < "b"', 'error'],
    ['1 == "1"', 'deny'],
    ['1 != "1"', 'allow'],
    ['[2, 1, 1] == [1, 2]', 'allow'],
    ['{a: 1, b: [1]} == {b: [1, 1], a: 1}', 'allow'],
    ['{a: 1} == {a: 1, b: 2}', 'deny'],
    ['[[1, 2]].contains([2, 1])', 'allow'],
    ['[1].containsAll(1)', 'error'],
    ['{}.isEmpty()', 'error'],
    ['principal.tags.containsAny(["beta", 7])', 'allow'],
    ['"a*b" like "a\\*b"', 'allow'],
    ['"axb" like "a\\*b"', 'deny'],
    ['"multi\nline" like "multi*"', 'allow'],
    ['"😀x" like "*x"', 'allow'],
    ['1 like "1"', 'error'],
    ['principal is Tool in 1', 'deny'],
    ['principal is Agent in 1', 'error'],
    ['1 is Agent', 'error'],
    ['principal is Agent in Archetype::"support-agent"', 'allow'],
    ['context has arguments.amount', 'allow'],
    ['context has arguments.nope', 'deny'],
    ['principal has budget.x', 'error'],
    ['if 1 then true else false', 'error'],
    ['if false then principal.nope else true', 'allow'],
    ['principal.budget * 4000000000 * 4000000000 > 0', 'error'],
    ['100000000 * 100000000 == 10000000000000000', 'allow'],
    ['100000000 * 100000000 + 1 == 10000000000000000', 'deny'],
    ['-(-9223372036854775807 - 1) > 0', 'error'],
    ['principal.limit == principal.limit2', 'allow'],
    ['principal.limit.lessThanOrEqual(decimal("1.5")) && principal.limit.greaterThan(decimal("-1.5"))', 'allow'],
    ['decimal("-0.5").lessThan(decimal("0.0")) && decimal("-0.0") == decimal("0.0")', 'allow'],
    ['decimal("-00.1") == decimal("0.1")', 'deny'],
    ['decimal("007.50") == decimal("7.5") && [decimal("1.0"), decimal("1.00")] == [decimal("1.0")]', 'allow'],
    ['decimal("1.0") == 1', 'deny'],
    ['decimal("1") == decimal("1.0")', 'error'],
    ['decimal("1.00000") == decimal("1.0")', 'error'],
    ['decimal("+1.0") == decimal("1.0")', 'error'],
    ['decimal("922337203685477.5807").greaterThan(decimal("0.0"))', 'allow'],
    ['decimal("922337203685477.5808").greaterThan(decimal("0.0"))', 'error'],
    ['decimal("1.0") < decimal("2.0")', 'error'],
    ['decimal("1.0").lessThan(1)', 'error'],
    ['decimal(context.arguments.amount) == decimal("1.0")', 'error'],
    ['false && decimal("nope") == decimal("1.0")', 'deny'],
    ['principal.status == "active"', 'allow'],
    ['context.arguments.amount > 500', 'allow'],
    ['principal.budget', 'error'],
  ];
  it.each(cases)('%s → %s', (cond, outcome) => {
    const r = both(when(cond));
    expect(r.errors.length > 0 ? 'error' : r.decision).toBe(outcome);
  });

  it('reads `unless` as a negated clause, and a non-Bool unless body as an error', () => {
    expect(both(when('true } unless { principal.status == "active"')).decision).toBe('deny');
    expect(both(when('true } unless { 1')).errors).toEqual(['p']);
  });

  it('matches action scopes through the action hierarchy, lists and equality', () => {
    const scope = (a: string) => both([{ id: 'p', text: `permit (principal, ${a}, resource);` }]).decision;
    expect(scope('action in Action::"tool.call"')).toBe('allow');
    expect(scope('action == Action::"tool.call"')).toBe('deny');
    expect(scope('action in [Action::"x", Action::"tool.call"]')).toBe('allow');
    expect(scope('action in [Action::"x"]')).toBe('deny');
  });

  it('reports forbids as determining when denying and permits when allowing, in input order', () => {
    const policies = [
      { id: 'permit-2', text: 'permit (principal, action, resource);' },
      { id: 'forbid-1', text: 'forbid (principal, action, resource) when { context.arguments.amount > 500 };' },
      { id: 'broken', text: 'permit (principal, action, resource) when { principal.nope };' },
      { id: 'forbid-0', text: 'forbid (principal in Archetype::"support-agent", action, resource);' },
    ];
    expect(both(policies)).toMatchObject({ decision: 'deny', determining: ['forbid-1', 'forbid-0'], errors: ['broken'] });
    const small = { ...REQUEST, context: { arguments: { amount: 3 } } };
    expect(both(policies.slice(0, 3), small)).toMatchObject({ decision: 'allow', determining: ['permit-2'], errors: ['broken'] });
  });
});

describe('compiled evaluator vs cedar-wasm: `like` on long inputs and many wildcards', () => {
  // One policy set, many requests: a pattern's answer depends on the string only.
  const likeCase = (pattern: string, strings: string[]) => {
    const policies = [{ id: 'p', text: `permit (principal, action, resource) when { context.s like "${pattern}" };` }];
    const compiled = new CompiledEvaluator(policies);
    const wasm = new WasmEvaluator(policies);
    const prepared = compiled.prepareEntities(WORLD);
    return strings.map((s) => {
      const request = { ...REQUEST, context: { s } };
      const answer = comparable(compiled.evaluate(request, prepared));
      expect(answer, `${JSON.stringify(pattern)} on ${s.length} characters`).toEqual(comparable(wasm.evaluate(request, WORLD)));
      return answer.decision;
    });
  };
  const piece = fc.constantFrom('a', 'b', 'ab', '*', '😀', 'é', '\n');
  // Cedar pattern text: `*` a wildcard, `\\*` a literal star, and no quote or other backslash.
  const patternArb = fc
    .array(fc.constantFrom('a', 'b', '*', '*', '*', '\\*', '😀', 'é'), { maxLength: 40 })
    .map((xs) => xs.join(''));
  const stringArb = fc.oneof(
    fc.array(piece, { maxLength: 40 }).map((xs) => xs.join('')),
    // Long: a run of one piece, then a random tail (where the last literal may or may not be).
    fc
      .tuple(piece, fc.integer({ min: 500, max: 20_000 }), fc.array(piece, { maxLength: 8 }))
      .map(([p, n, tail]) => p.repeat(n) + tail.join('')),
  );

  it('answers random many-wildcard patterns on long strings as cedar-wasm does', () => {
    fc.assert(
      fc.property(patternArb, fc.array(stringArb, { minLength: 1, maxLength: 6 }), (pattern, strings) => {
        likeCase(pattern, strings);
      }),
      { numRuns: Math.max(60, Math.round(RUNS / 3)) },
    );
  });

  it('answers hostile patterns on 512 KB arguments as cedar-wasm does', () => {
    const big = `${'ignore previous '.repeat(32 * 1024)}instruction`;
    expect(likeCase('*ignore*previous*instructions*', [big, `${big}s`, `${big}s!`])).toEqual(['deny', 'allow', 'allow']);
    expect(likeCase('*a*a*a*b*', ['a'.repeat(400), `${'a'.repeat(400)}b`, 'a'.repeat(512 * 1024)])).toEqual([
      'deny',
      'allow',
      'deny',
    ]);
    expect(likeCase(`${'*a'.repeat(30)}*😀`, [`${'a'.repeat(512 * 1024)}😀`, `${'😀'.repeat(1024)}a`])).toEqual([
      'allow',
      'deny',
    ]);
    expect(likeCase('\\**\\*', ['**', '*', `*${'x'.repeat(100_000)}*`])).toEqual(['allow', 'deny', 'allow']);
  });
});

describe('compiled evaluator: fallback to cedar-wasm', () => {
  it('leaves extension functions, tags and huge literals to cedar-wasm and merges its answer', () => {
    const policies = [
      { id: 'compiled-permit', text: 'permit (principal, action, resource);' },
      { id: 'duration', text: 'permit (principal, action, resource) when { duration("1h") < duration("2h") };' },
      { id: 'ip', text: 'forbid (principal, action, resource) when { ip(context.ip).isInRange(ip("10.0.0.0/8")) };' },
      { id: 'tag', text: 'forbid (principal, action, resource) when { resource.getTag("owner") == "x" };' },
      { id: 'huge', text: 'forbid (principal, action, resource) when { principal.budget > 9223372036854775807 };' },
      { id: 'compiled-forbid', text: 'forbid (principal, action, resource) when { principal.status == "active" };' },
    ];
    const r = both(policies);
    expect(r.fallbackIds).toEqual(['duration', 'ip', 'tag', 'huge']);
    expect(r).toMatchObject({ decision: 'deny', determining: ['ip', 'tag', 'compiled-forbid'], errors: [] });
    const outside = both(policies, { ...REQUEST, context: { ...REQUEST.context, ip: '192.168.0.1' } }, WORLD.slice(0, 3));
    expect(outside).toMatchObject({ decision: 'deny', determining: ['compiled-forbid'] });
    expect(both(policies.slice(0, 2))).toMatchObject({ decision: 'allow', determining: ['compiled-permit', 'duration'] });
    expect(both([policies[1]!, policies[2]!], { ...REQUEST, context: { ip: 'nonsense' } })).toMatchObject({
      decision: 'allow',
      errors: ['ip'],
    });
  });

  it('answers a request whose context holds an extension value it does not model through cedar-wasm', () => {
    const ctx = { ...REQUEST, context: { ip: { __extn: { fn: 'ip', arg: '10.0.0.1' } }, price: decimal('2.0') } };
    expect(both(when('context has ip'), ctx).decision).toBe('allow');
    expect(both(when('context.ip == context.ip'), ctx).decision).toBe('allow');
    expect(both(when('context.price == decimal("2.00")'), ctx).decision).toBe('allow');
  });

  it('hands decimals beyond 2^53 ten-thousandths to cedar-wasm, which holds them exactly', () => {
    const big = { ...REQUEST, context: { price: decimal('900719925474.0993') } };
    expect(both(when('context.price.greaterThan(decimal("900719925474.0992"))'), big).decision).toBe('allow');
    expect(both(when('decimal("900719925474.0993") == decimal("900719925474.0992")')).fallbackIds).toEqual(['p']);
  });
});

describe('compiled evaluator: refusing what cedar-wasm refuses', () => {
  const policies = when('true');
  it('names the policy that does not parse and refuses duplicate ids', () => {
    expect(() => new CompiledEvaluator([{ id: 'bad-one', text: 'permit (principal, action, resource) when { ( };' }])).toThrow(
      /bad-one/,
    );
    expect(() => new CompiledEvaluator([...policies, ...policies])).toThrow(/Duplicate policy id p/);
  });

  it('refuses cyclic hierarchies and conflicting duplicate entities, accepts identical duplicates', () => {
    const evaluator = new CompiledEvaluator(policies);
    const a = (parent: string) => ({ uid: ref('A', '1'), attrs: {}, parents: [ref('A', parent)] });
    expect(() => evaluator.prepareEntities([a('1')])).toThrow(/cycle/);
    expect(() => evaluator.prepareEntities([a('2'), a('3')])).toThrow(/duplicate/);
    expect(both(when('principal.status == "active"'), REQUEST, [...WORLD, AGENT]).decision).toBe('allow');
  });

  it('throws, as cedar-wasm does, on contexts Cedar cannot read', () => {
    const compiled = new CompiledEvaluator(policies);
    const wasm = new WasmEvaluator(policies);
    for (const context of [{ x: null }, { x: 1.5 }, { x: [1, undefined] }, { x: decimal('1') }] as unknown as Array<
      Record<string, CedarValueJson>
    >) {
      const request = { ...REQUEST, context };
      expect(() => wasm.evaluate(request, WORLD)).toThrow();
      expect(() => compiled.evaluate(request, compiled.prepareEntities(WORLD))).toThrow();
    }
  });
});

describe('compiled evaluator vs cedar-wasm: sets past the scan limit', () => {
  // Sets of more than 8 elements are indexed, decimals, records and sets by a structural key: equal
  // values spelled differently (decimal("1.0") and ("1.00"), records in another attribute order,
  // sets in another order or with repeats) must land on one key, and unequal values never (1,
  // "1", decimal("1.0") and true are four values).
  const leaf = fc.constantFrom<CedarValueJson>(
    0,
    1,
    '1',
    'a"b',
    true,
    decimal('1.0'),
    decimal('0.0'),
    decimal('0.0001'),
    escaped('Agent', 'a'),
    escaped('Agent', '1'),
  );
  const value = fc.letrec<{ v: CedarValueJson }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      leaf,
      fc.record({ x: tie('v'), y: tie('v') }, { requiredKeys: ['x'] }) as fc.Arbitrary<CedarValueJson>,
      fc.array(tie('v'), { maxLength: 3 }),
    ),
  })).v;
  /** The same value written otherwise: decimals respelled, attributes and elements reordered, elements repeated. */
  const respell = (v: CedarValueJson): CedarValueJson => {
    if (Array.isArray(v)) return [...v].reverse().flatMap((x, i) => (i % 2 === 0 ? [respell(x), x] : [respell(x)]));
    if (v === null || typeof v !== 'object') return v;
    if ('__extn' in v) {
      const arg = (v.__extn as { arg: string }).arg;
      return decimal(arg === '0.0' ? '-0.0000' : arg.length < 6 ? `0${arg}0` : `00${arg}`);
    }
    if ('__entity' in v) return v;
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, respell(x)]),
    );
  };
  const bigSet = fc.array(value, { minLength: 9, maxLength: 16 });

  it('answers ==, contains, containsAll and containsAny on such sets as cedar-wasm does', () => {
    const policies = [
      'context.a == context.b',
      'context.a.contains(context.x)',
      'context.a.containsAll(context.b)',
      'context.b.containsAll(context.a)',
      'context.a.containsAny(context.b)',
      'context.x == context.literal',
    ].map((cond, i) => ({ id: `p${i}`, text: `permit (principal, action, resource) when { ${cond} };` }));
    const compiled = new CompiledEvaluator(policies);
    const wasm = new WasmEvaluator(policies);
    const prepared = compiled.prepareEntities(WORLD);
    let equal = 0;
    fc.assert(
      fc.property(bigSet, fc.oneof(bigSet, fc.array(value, { maxLength: 4 })), value, fc.boolean(), (a, other, x, same) => {
        const request = { ...REQUEST, context: { a, b: same ? respell(a) : other, x, literal: respell(x) } };
        const answer = comparable(compiled.evaluate(request, prepared));
        expect(answer, JSON.stringify(request.context)).toEqual(comparable(wasm.evaluate(request, WORLD)));
        if (answer.determining.includes('p0')) equal++;
      }),
      { numRuns: Math.max(300, RUNS) },
    );
    // The respelled sets must be seen equal, or the case proves little.
    expect(equal).toBeGreaterThan(50);
  });

  it('reads a context array as the same set whatever its order and repeats', () => {
    const records = Array.from({ length: 12 }, (_, i) => ({ sku: `s${i % 10}`, qty: i % 3 }));
    const decimals = Array.from({ length: 12 }, (_, i) => decimal(i % 2 === 0 ? `${i % 5}.50` : `${i % 5}.5`));
    const request = { ...REQUEST, context: { records, decimals, sets: [...records.map((r) => [r, r]), [records[0]!]] } };
    expect(both(when('context.records.contains({qty: 0, sku: "s0"})'), request).decision).toBe('allow');
    expect(both(when('context.records.contains({qty: 1, sku: "s0"})'), request).decision).toBe('allow');
    expect(both(when('context.records.contains({qty: 2, sku: "s0"})'), request).decision).toBe('deny');
    expect(both(when('context.decimals.contains(decimal("4.5000"))'), request).decision).toBe('allow');
    expect(both(when('context.decimals.contains(decimal("5.5"))'), request).decision).toBe('deny');
    expect(both(when('context.sets.contains([{sku: "s1", qty: 1}])'), request).decision).toBe('allow');
    expect(both(when('context.sets == context.records'), request).decision).toBe('deny');
  });
});

describe('compiled evaluator: decimal() of a long digit string', () => {
  // An agent's string argument read as a decimal: past 15 integer digits it is out of a Cedar
  // decimal's range whatever the digits, and is refused without reading them as a BigInt, whose
  // parse grows faster than the text (900,000 digits: ~230 ms per evaluation, on the event loop).
  it('errors as cedar-wasm does, in time linear in the text', () => {
    const policies = when('decimal(context.s).greaterThan(decimal("500.0"))', 'forbid');
    for (const s of ['922337203685477.5807', '922337203685478.0', '0000000000000000001.5', '9999999999999999.0']) {
      both(policies, { ...REQUEST, context: { s } });
    }
    const compiled = new CompiledEvaluator(policies);
    const prepared = compiled.prepareEntities(WORLD);
    const request = { ...REQUEST, context: { s: `${'1'.repeat(900_000)}.5` } };
    const started = performance.now();
    const answer = compiled.evaluate(request, prepared);
    const took = performance.now() - started;
    expect(answer.errors.map((e) => e.policy)).toEqual(['p']);
    expect(took, 'ms for 900,000 digits').toBeLessThan(50);
  });
});
