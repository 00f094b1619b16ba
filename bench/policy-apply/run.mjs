// bench/policy-apply: do registry writes stop decisions? A loop of applies of examples/acme, each
// adding one Person (a write that changes no policy and no schema), while two closed-loop clients
// time GET /healthz and POST /v1/decisions one request at a time. Prints their p99 per round
// (target < 50 ms). With --against DIR, the same rounds run against that checkout's build too (a copy
// of the tree before a change, built), alternating, each pair back to back. Not a test.
//
//   npm run build && node bench/policy-apply/run.mjs [--seconds 6] [--rounds 5] [--against DIR] [--put] [--rate 5]
//                                                    [--tools 2000]
//
// --tools N: every apply also carries a file of N Tools whose labels change each time (N objects
// parsed, checked and written per apply: a large enterprise's registry).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root, startFulcrum } from '../lib.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '5' },
    against: { type: 'string' },
    // Write the Person alone (PUT /v1/people/NAME) instead of applying the whole bundle with it.
    put: { type: 'boolean', default: false },
    // Writes a second at most (0: back to back). A fixed rate compares builds at the same load.
    rate: { type: 'string', default: '0' },
    tools: { type: 'string', default: '0' },
  },
});
const rate = Number(values.rate);
const tools = Number(values.tools);
/** A file of `tools` Tools, labelled with the apply that sent it (so each apply changes them all). */
const toolFile = (n) => ({
  path: 'bench-tools.yaml',
  content: Array.from(
    { length: tools },
    (_, i) =>
      `---\napiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: crm.bench_tool_${i}, labels: { apply: "${n}" } }\n` +
      'spec:\n  system: crm\n  effect: read\n  dataDomains: [customer-profiles]\n' +
      '  arguments: { type: object, properties: { id: { type: string, maxLength: 40 } } }\n',
  ).join(''),
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const builds = [...(values.against ? [{ name: 'against', root: values.against }] : []), { name: 'this tree', root }];

const decision = {
  action: 'tool.call',
  tool: 'crm.lookup_customer',
  arguments: { customerId: 'C-1042' },
  dataDomains: ['customer-profiles'],
};
for (const b of builds) {
  b.fulcrum = await startFulcrum(`apply-${b.name.replace(/\W/g, '')}`, { root: b.root });
  b.key = (await b.fulcrum.api('POST', '/v1/agents/support-bot-eu/keys', {})).key;
  b.rounds = [];
  b.people = 0;
}
const acme = fs
  .readdirSync(path.join(root, 'examples/acme'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ path: f, content: fs.readFileSync(path.join(root, 'examples/acme', f), 'utf8') }));
// Each build's org.yaml: each apply re-sends what the last one wrote, plus one new Person.
for (const b of builds) b.org = acme.find((f) => f.path === 'org.yaml').content;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/** Sends requests one after another until `until`; returns each one's latency in ms. */
async function closedLoop(until, send) {
  const times = [];
  while (performance.now() < until) {
    const t = performance.now();
    const res = await send();
    if (!res.ok) throw new Error(`status ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return times;
}

async function round(b) {
  const { url } = b.fulcrum;
  const until = performance.now() + seconds * 1000;
  const applier = (async () => {
    const times = [];
    const start = performance.now();
    while (performance.now() < until) {
      if (rate > 0) {
        const next = start + (times.length * 1000) / rate;
        if (next > performance.now()) await new Promise((r) => setTimeout(r, next - performance.now()));
      }
      const n = ++b.people;
      const person = `---\napiVersion: fulcrum/v1\nkind: Person\nmetadata:\n  name: bench.person-${n}\nspec:\n  displayName: Bench Person ${n}\n  roles: [viewer]\n`;
      const files = acme.map((f) => (f.path === 'org.yaml' ? { ...f, content: `${b.org}\n${person}` } : f));
      if (tools > 0) files.push(toolFile(n));
      const t = performance.now();
      const res = values.put
        ? await b.fulcrum.api('PUT', `/v1/people/bench.person-${n}`, {
            spec: { displayName: `Bench Person ${n}`, roles: ['viewer'] },
          })
        : await b.fulcrum.api('POST', '/v1/apply', { files });
      if (values.put ? res.metadata?.name !== `bench.person-${n}` : !res.created?.includes(`Person/bench.person-${n}`))
        throw new Error(`write: ${JSON.stringify(res).slice(0, 300)}`);
      times.push(performance.now() - t);
      b.org += `\n${person}`;
    }
    return times;
  })();
  const [applies, healthz, decisions] = await Promise.all([
    applier,
    closedLoop(until, () => fetch(`${url}/healthz`)),
    closedLoop(until, () =>
      fetch(`${url}/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${b.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(decision),
      }),
    ),
  ]);
  return {
    applies: applies.length,
    applyP50: quantile(applies, 0.5),
    healthzP99: quantile(healthz, 0.99),
    decisionsP99: quantile(decisions, 0.99),
    healthzMax: Math.max(...healthz),
    decisionsMax: Math.max(...decisions),
  };
}

const fmt = (x) => x.toFixed(1);
for (let i = 0; i < rounds; i++) {
  for (const b of builds) {
    const r = await round(b);
    b.rounds.push(r);
    console.log(
      `round ${i + 1} ${b.name.padEnd(9)}: ${r.applies} applies (p50 ${fmt(r.applyP50)} ms) | healthz p99 ${fmt(r.healthzP99)} ms (max ${fmt(r.healthzMax)}) | decisions p99 ${fmt(r.decisionsP99)} ms (max ${fmt(r.decisionsMax)})`,
    );
  }
}
const median = (xs) => quantile(xs, 0.5);
const span = (xs) => `median ${fmt(median(xs))} ms (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})`;
console.log('');
for (const b of builds) {
  console.log(`${b.name}:`);
  console.log(`  healthz p99     ${span(b.rounds.map((r) => r.healthzP99))}`);
  console.log(`  decisions p99   ${span(b.rounds.map((r) => r.decisionsP99))}`);
  console.log(
    `  apply p50       ${span(b.rounds.map((r) => r.applyP50))}, ${median(b.rounds.map((r) => r.applies))} applies a round`,
  );
  const worst = Math.max(median(b.rounds.map((r) => r.healthzP99)), median(b.rounds.map((r) => r.decisionsP99)));
  console.log(`  target p99 < 50 ms: ${worst < 50 ? 'MET' : 'NOT MET'}`);
  b.fulcrum.stop();
}
