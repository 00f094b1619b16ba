// Policy evaluation benchmark: the compiled evaluator against cedar-wasm on a Fulcrum-like policy set
// (~40 policies shaped as src/policy/builtin.ts generates them), measured in the same run, after
// checking that both give the same answer to every request. Run: npm run build && node bench/policy/run.mjs
import { CompiledEvaluator } from '../../dist/policy/compiled-evaluator.js';
import { WasmEvaluator } from '../../dist/policy/wasm-evaluator.js';

const q = (s) => JSON.stringify(s);
const uid = (type, id) => ({ type, id });
const decimal = (n) => ({ __extn: { fn: 'decimal', arg: n.toFixed(2) } });

// A deterministic pseudo-random sequence, so every run measures the same requests.
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

// ---------------------------------------------------------------- the registry

const BUS = ['retail', 'finance', 'operations'];
const DOMAINS = [
  { name: 'payments', level: 3, regions: ['eu'] },
  { name: 'customers', level: 2, regions: ['eu', 'us'] },
  { name: 'hr', level: 3, regions: ['eu'] },
  { name: 'catalog', level: 0, regions: [] },
  { name: 'logs', level: 1, regions: ['us'] },
];
const TOOLS = [
  ['crm.lookup', 'read', 'crm'],
  ['crm.update', 'write', 'crm'],
  ['crm.refund', 'financial', 'crm'],
  ['erp.invoice', 'financial', 'erp'],
  ['erp.stock', 'read', 'erp'],
  ['mail.send', 'write', 'mail'],
  ['mail.read', 'read', 'mail'],
  ['db.drop', 'destructive', 'db'],
  ['db.query', 'read', 'db'],
  ['hr.lookup', 'read', 'hr'],
  ['hr.payroll', 'financial', 'hr'],
  ['wiki.search', 'read', 'wiki'],
];
const MODELS = [
  { name: 'gpt-4o', status: 'approved', level: 3, regions: ['eu', 'us'] },
  { name: 'claude', status: 'approved', level: 2, regions: ['us'] },
  { name: 'llama-local', status: 'restricted', level: 3, regions: ['eu'] },
  { name: 'old-model', status: 'banned', level: 1, regions: ['us'] },
];
const ARCHETYPES = [
  {
    name: 'support-agent',
    autonomy: 'supervised',
    tools: ['crm.lookup', 'crm.update', 'crm.refund', 'mail.send'],
    models: ['gpt-4o', 'claude'],
    domains: ['customers', 'payments'],
  },
  {
    name: 'finance-agent',
    autonomy: 'supervised',
    tools: ['erp.invoice', 'erp.stock', 'crm.lookup'],
    models: ['gpt-4o'],
    domains: ['payments'],
  },
  {
    name: 'ops-agent',
    autonomy: 'autonomous',
    tools: ['db.query', 'db.drop', 'erp.stock'],
    models: ['llama-local'],
    domains: ['logs'],
  },
  { name: 'hr-agent', autonomy: 'suggest', tools: ['hr.lookup', 'hr.payroll', 'mail.send'], models: ['gpt-4o'], domains: ['hr'] },
  {
    name: 'research-agent',
    autonomy: 'autonomous',
    tools: ['wiki.search', 'mail.read'],
    models: ['claude', 'old-model'],
    domains: ['catalog'],
  },
  { name: 'mail-agent', autonomy: 'supervised', tools: ['mail.send', 'mail.read'], models: ['claude'], domains: ['customers'] },
];
const INITIATIVES = [
  { name: 'support-automation', stage: 'production', bu: 'retail' },
  { name: 'close-books', stage: 'pilot', bu: 'finance' },
  { name: 'self-healing', stage: 'production', bu: 'operations' },
  { name: 'hr-assist', stage: 'proposed', bu: 'operations' },
];
const AGENTS = Array.from({ length: 30 }, (_, i) => ({
  name: `agent-${i}`,
  archetype: i % 7 === 6 ? undefined : ARCHETYPES[i % ARCHETYPES.length],
  initiative: INITIATIVES[i % INITIATIVES.length],
  status: i % 11 === 10 ? 'suspended' : 'active',
  extraTools: i % 8 === 0 ? ['wiki.search'] : [],
}));

// ---------------------------------------------------------------- policies, as builtin.ts writes them

const policies = [];
const add = (id, text) => policies.push({ id, text });
const actions = (tools) => `[${tools.map((t) => `Action::${q(t)}`).join(', ')}]`;
for (const a of ARCHETYPES) {
  add(`archetype-tools/${a.name}`, `permit (principal in Archetype::${q(a.name)}, action in ${actions(a.tools)}, resource);`);
  add(
    `archetype-models/${a.name}`,
    `permit (principal in Archetype::${q(a.name)}, action == Action::"model.call", resource)\nwhen { [${a.models.map((m) => `Model::${q(m)}`).join(', ')}].contains(resource) };`,
  );
  add(
    `archetype-data-domains/${a.name}`,
    `forbid (principal in Archetype::${q(a.name)}, action, resource)\nunless { [${a.domains.map((d) => `DataDomain::${q(d)}`).join(', ')}].containsAll(context.dataDomains) };`,
  );
}
for (const agent of AGENTS.filter((x) => x.extraTools.length > 0)) {
  add(
    `extra-tools/${agent.name}`,
    `permit (principal == Agent::${q(agent.name)}, action in ${actions(agent.extraTools)}, resource);`,
  );
}
add(
  'ad-hoc-data-domains',
  'forbid (principal, action, resource)\nwhen { !(principal has archetype) && !context.dataDomains.isEmpty() };',
);
add('agent-status', 'forbid (principal, action, resource) when { principal.status != "active" };');
add(
  'initiative-stage',
  'forbid (principal, action, resource) when { principal.stage == "proposed" || principal.stage == "retired" };',
);
add(
  'autonomy-suggest',
  'forbid (principal, action in Action::"tool.call", resource)\nwhen { principal has autonomy && principal.autonomy == "suggest" && resource.effect != "read" };',
);
add(
  'autonomy-supervised',
  '@approval("Supervised agents need a human for financial and destructive tools")\nforbid (principal, action in Action::"tool.call", resource)\nwhen { principal has autonomy && principal.autonomy == "supervised" && (resource.effect == "financial" || resource.effect == "destructive") };',
);
add('model-banned', 'forbid (principal, action == Action::"model.call", resource) when { resource.status == "banned" };');
add(
  'model-restricted',
  '@approval("Restricted models need approval for each use")\nforbid (principal, action == Action::"model.call", resource) when { resource.status == "restricted" };',
);
for (const d of DOMAINS) {
  add(
    `model-classification/${d.name}`,
    `forbid (principal, action == Action::"model.call", resource)\nwhen { context.dataDomains.contains(DataDomain::${q(d.name)}) && resource.classificationLevel < ${d.level} };`,
  );
  if (d.regions.length > 0)
    add(
      `model-regions/${d.name}`,
      `forbid (principal, action == Action::"model.call", resource)\nwhen { context.dataDomains.contains(DataDomain::${q(d.name)}) && !resource.regions.containsAny([${d.regions.map(q).join(', ')}]) };`,
    );
}
add(
  'refund-limit',
  '@approval("Refunds over 500 need a supervisor")\nforbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount.greaterThan(decimal("500.00")) };',
);
add(
  'invoice-limit',
  'forbid (principal, action == Action::"erp.invoice", resource) when { context.arguments has total && context.arguments.total > 100000 };',
);
add('no-drop-in-prod', 'forbid (principal, action == Action::"db.drop", resource) when { principal.stage == "production" };');

// ---------------------------------------------------------------- entities, as entities.ts builds them

const entities = [];
for (const bu of BUS) entities.push({ uid: uid('BusinessUnit', bu), attrs: {}, parents: [] });
for (const a of ARCHETYPES) entities.push({ uid: uid('Archetype', a.name), attrs: { autonomy: a.autonomy }, parents: [] });
for (const i of INITIATIVES)
  entities.push({
    uid: uid('Initiative', i.name),
    attrs: { stage: i.stage, type: 'automation' },
    parents: [uid('BusinessUnit', i.bu)],
  });
for (const a of AGENTS) {
  const attrs = { status: a.status, owner: 'team@example.com', initiative: a.initiative.name, stage: a.initiative.stage };
  const parents = [uid('Initiative', a.initiative.name), uid('BusinessUnit', a.initiative.bu)];
  if (a.archetype) {
    attrs.archetype = a.archetype.name;
    attrs.autonomy = a.archetype.autonomy;
    parents.push(uid('Archetype', a.archetype.name));
  }
  entities.push({ uid: uid('Agent', a.name), attrs, parents });
}
for (const [name, effect, system] of TOOLS) {
  entities.push({ uid: uid('Tool', name), attrs: { effect, system }, parents: [] });
  entities.push({ uid: uid('Action', name), attrs: {}, parents: [uid('Action', 'tool.call')] });
}
entities.push({ uid: uid('Action', 'tool.call'), attrs: {}, parents: [] });
entities.push({ uid: uid('Action', 'model.call'), attrs: {}, parents: [] });
for (const m of MODELS)
  entities.push({
    uid: uid('Model', m.name),
    attrs: { status: m.status, provider: 'x', classificationLevel: m.level, regions: m.regions },
    parents: [],
  });
for (const d of DOMAINS)
  entities.push({ uid: uid('DataDomain', d.name), attrs: { classificationLevel: d.level, regions: d.regions }, parents: [] });

// ---------------------------------------------------------------- requests: mostly tool calls, some model calls

function request() {
  const agent = pick(AGENTS);
  const domains = agent.archetype && rand() < 0.8 ? agent.archetype.domains : DOMAINS.map((d) => d.name);
  const dataDomains = domains.filter(() => rand() < 0.4).map((d) => ({ __entity: uid('DataDomain', d) }));
  if (rand() < 0.25) {
    const model = pick(MODELS).name;
    return {
      principal: uid('Agent', agent.name),
      action: uid('Action', 'model.call'),
      resource: uid('Model', model),
      context: { dataDomains },
    };
  }
  const tool = agent.archetype && rand() < 0.8 ? pick(agent.archetype.tools) : pick(TOOLS)[0];
  const args =
    tool === 'crm.refund'
      ? { amount: decimal(rand() * 1000) }
      : tool === 'erp.invoice'
        ? { total: Math.floor(rand() * 200000) }
        : { query: 'x' };
  return {
    principal: uid('Agent', agent.name),
    action: uid('Action', tool),
    resource: uid('Tool', tool),
    context: { dataDomains, arguments: args },
  };
}
const requests = Array.from({ length: 1000 }, request);

/**
 * The entities one request can reach: its principal, action and resource with their ancestors, and
 * the entities its context names. Giving cedar-wasm only these is its best case (its cost grows with
 * the entity JSON it parses per call); the policies here read no attribute of any other entity.
 */
const byKey = new Map(entities.map((e) => [`${e.uid.type}::${e.uid.id}`, e]));
function slice(r) {
  const out = new Map();
  const visit = (u) => {
    const key = `${u.type}::${u.id}`;
    const e = byKey.get(key);
    if (!e || out.has(key)) return;
    out.set(key, e);
    for (const p of e.parents) visit(p);
  };
  for (const u of [r.principal, r.action, r.resource, ...(r.context.dataDomains ?? []).map((d) => d.__entity)]) visit(u);
  return [...out.values()];
}

// ---------------------------------------------------------------- agree first, then measure

const wasm = new WasmEvaluator(policies);
const compiled = new CompiledEvaluator(policies);
const wasmEntities = wasm.prepareEntities(entities);
const prepared = compiled.prepareEntities(entities);

const slices = new Map(requests.map((r) => [r, slice(r)]));
const comparable = (r) => JSON.stringify([r.decision, r.determining, [...new Set(r.errors.map((e) => e.policy))].sort()]);
let agree = 0;
const decisions = { allow: 0, deny: 0 };
for (const r of requests) {
  const expected = comparable(wasm.evaluate(r, wasmEntities));
  const sliced = comparable(wasm.evaluate(r, slices.get(r)));
  const actual = comparable(compiled.evaluate(r, prepared));
  if (expected === actual && sliced === actual) agree++;
  else console.error('DISAGREE', JSON.stringify(r), expected, sliced, actual);
  decisions[JSON.parse(expected)[0]]++;
}

/** Decisions per second: repeats the request list until at least `ms` milliseconds have passed. */
function measure(evaluate, ms) {
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 100; i++) sink += evaluate(requests[n++ % requests.length]).determining.length;
    now = process.hrtime.bigint();
  }
  if (sink < 0) console.log(sink); // keeps the work observable
  const ns = Number(now - start) / n;
  return { perSecond: 1e9 / ns, ns };
}

measure((r) => wasm.evaluate(r, slices.get(r)), 300); // warm-up
measure((r) => compiled.evaluate(r, prepared), 500);
const all = measure((r) => wasm.evaluate(r, wasmEntities), 2000);
const sliced = measure((r) => wasm.evaluate(r, slices.get(r)), 2000);
const c = measure((r) => compiled.evaluate(r, prepared), 3000);

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const row = (label, m) =>
  console.log(`${label.padEnd(44)} ${fmt(m.perSecond).padStart(10)} decisions/s ${fmt(m.ns).padStart(10)} ns/op`);
console.log(
  `policies: ${policies.length} (${policies.length - compiled.fallbackIds.length} compiled, ${compiled.fallbackIds.length} on cedar-wasm)`,
);
console.log(
  `entities: ${entities.length}; requests: ${requests.length} distinct (${decisions.allow} allow, ${decisions.deny} deny)`,
);
console.log(`agreement with cedar-wasm: ${agree}/${requests.length}`);
row('WasmEvaluator, all entities per call', all);
row("cedar-wasm, only the request's entities", sliced);
row('CompiledEvaluator', c);
console.log(
  `ratio vs cedar-wasm on the request's entities: ${(c.perSecond / sliced.perSecond).toFixed(0)}x (target >= 100x, issue 14)`,
);
console.log(`ratio vs WasmEvaluator as written:            ${(c.perSecond / all.perSecond).toFixed(0)}x`);
if (agree !== requests.length) process.exitCode = 1;

// ---------------------------------------------------------------- hostile `like` (issue 14)
// One decision each, timed: a prompt-injection pattern on a 512 KB argument, and many stars on a
// short one. `like` compiled to a backtracking RegExp took 29 s and 2.6 s here; it is now linear.
// cedar-wasm's time for the same request is printed beside it.
const hostileCases = [
  [
    '*ignore*previous*instructions* on 512 KB',
    '*ignore*previous*instructions*',
    `${'ignore previous '.repeat(32 * 1024)}instruction`,
  ],
  ['*a*a*a*b* on 400 characters', '*a*a*a*b*', 'a'.repeat(400)],
  ['*a*a*a*a*a*a*a*a*b* on 512 KB', '*a*a*a*a*a*a*a*a*b*', 'a'.repeat(512 * 1024)],
];
for (const [label, pattern, s] of hostileCases) {
  const like = [{ id: 'like', text: `forbid (principal, action, resource) when { context.arguments.q like "${pattern}" };` }];
  const r = { ...requests[0], context: { ...requests[0].context, arguments: { q: s } } };
  const c = new CompiledEvaluator(like);
  const w = new WasmEvaluator(like);
  const cp = c.prepareEntities(entities);
  const wp = w.prepareEntities(entities);
  const time = (f) => {
    const t = process.hrtime.bigint();
    const answer = f();
    return { answer, ms: Number(process.hrtime.bigint() - t) / 1e6 };
  };
  const compiledRun = time(() => c.evaluate(r, cp));
  const wasmRun = time(() => w.evaluate(r, wp));
  const same = comparable(compiledRun.answer) === comparable(wasmRun.answer);
  console.log(
    `hostile like, ${label.padEnd(44)} CompiledEvaluator ${compiledRun.ms.toFixed(2).padStart(9)} ms | cedar-wasm ${wasmRun.ms.toFixed(2).padStart(8)} ms | ${same ? 'same answer' : 'DIFFERENT ANSWERS'}`,
  );
  if (!same) process.exitCode = 1;
}
