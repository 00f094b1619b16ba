// Property tests: random and mangled descriptors never crash the validator, and a set that
// fails validation is never partly applied.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseFiles, parseFilesSliced, parseYamlValue, parseYamlValueSliced } from '../../src/registry/descriptors.js';
import { validateDescriptor } from '../../src/registry/validate.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const bundle = readBundle(MINI);
const descriptors = bundle.flatMap((f) => YAML.parseAllDocuments(f.content).map((d) => d.toJS() as Record<string, unknown>));

/** A JSON path to some node inside a value, chosen by the random index. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => paths(v, [...prefix, i])));
  if (value && typeof value === 'object') return here.concat(Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k])));
  return here;
}

type Mutation = { kind: 'delete' | 'replace' | 'add'; at: number; value: unknown; key: string };

function mutate(doc: Record<string, unknown>, m: Mutation): unknown {
  const copy = structuredClone(doc);
  const all = paths(copy).filter((p) => p.length > 0);
  const target = all[m.at % all.length] as Array<string | number>;
  const parent = target.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const last = target[target.length - 1] as string | number;
  if (m.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (m.kind === 'replace') parent[last] = m.value;
  else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) parent[last][m.key] = m.value;
  else parent[last] = m.value;
  return copy;
}

const mutation = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'add') as fc.Arbitrary<Mutation['kind']>,
  at: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }),
  key: fc.string({ maxLength: 12 }),
});

describe('descriptor validation under random input', () => {
  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (value) => {
        const r = validateDescriptor(value);
        if (!r.ok) for (const p of r.problems) expect(typeof p.message).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mangled real descriptors, and every problem has a message and a path', () => {
    fc.assert(
      fc.property(fc.nat({ max: descriptors.length - 1 }), mutation, (i, m) => {
        const r = validateDescriptor(mutate(descriptors[i] as Record<string, unknown>, m));
        if (!r.ok) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) {
            expect(p.message.length).toBeGreaterThan(0);
            expect(typeof p.path).toBe('string');
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on mangled YAML text, and locates every problem inside the file', () => {
    const file = bundle[0] as { path: string; content: string };
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 8 }), (at, cut, insert) => {
        const pos = at % file.content.length;
        const content = file.content.slice(0, pos) + insert + file.content.slice(pos + cut);
        const { documents, problems } = parseFiles([{ path: 'x.yaml', content }]);
        const lines = content.split('\n').length;
        for (const p of problems) expect(p.line).toBeLessThanOrEqual(lines + 1);
        for (const d of documents) {
          const r = validateDescriptor(d.value);
          if (!r.ok) for (const p of r.problems) expect(d.locate(p.path ?? '').line).toBeLessThanOrEqual(lines + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parsing in pieces', () => {
  const located = (r: ReturnType<typeof parseFiles>) => ({
    problems: r.problems,
    documents: r.documents.map((d) => ({
      file: d.file,
      value: d.value,
      name: d.locate('/metadata/name'),
      spec: d.locate('/spec'),
    })),
  });

  it('reads what parsing in one piece reads, problems and positions alike, and lets other work run between pieces', async () => {
    const files = [...bundle, { path: 'bad.yaml', content: 'kind: [unclosed\n---\nmetadata: {name: x}\n' }];
    let turns = 0;
    let stop = false;
    const tick = () => {
      turns++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      // Pieces of 0 ms: the event loop runs at every pause point.
      expect(located(await parseFilesSliced(files, 0))).toEqual(located(parseFiles(files)));
    } finally {
      stop = true;
    }
    expect(turns).toBeGreaterThan(files.length);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 8 }), async (at, cut, insert) => {
        const file = bundle[0] as { path: string; content: string };
        const pos = at % file.content.length;
        const content = file.content.slice(0, pos) + insert + file.content.slice(pos + cut);
        const one = [{ path: 'x.yaml', content }];
        expect(located(await parseFilesSliced(one, 0))).toEqual(located(parseFiles(one)));
        const value = (f: () => unknown) => {
          try {
            return { ok: f() };
          } catch (err) {
            return { error: (err as Error).message };
          }
        };
        const sliced = await parseYamlValueSliced(content, 0).then(
          (ok) => ({ ok }),
          (err: Error) => ({ error: err.message }),
        );
        expect(sliced).toEqual(value(() => parseYamlValue(content)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('applying mangled bundles', () => {
  let t: TestServer;
  let baseline: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle } })).statusCode).toBe(200);
    baseline = (await t.request({ method: 'GET', url: '/v1/export' })).body;
  });
  afterAll(async () => t?.close());

  it('applies all of a set or none of it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: descriptors.length - 1 }), mutation), { minLength: 1, maxLength: 3 }),
        async (edits) => {
          const docs = descriptors.map((d) => d as unknown);
          for (const [i, m] of edits) docs[i] = mutate(descriptors[i] as Record<string, unknown>, m);
          // Rename everything so a valid mutation would create new objects rather than touch the baseline.
          const renamed = docs.map((d) => renameAll(d));
          const content = renamed.map((d) => YAML.stringify(d)).join('---\n');
          const res = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: [{ path: 'm.yaml', content }] } });
          expect([200, 422]).toContain(res.statusCode);
          const after = await t.request({ method: 'GET', url: '/v1/export' });
          if (res.statusCode === 422) {
            expect(after.body).toBe(baseline);
          } else {
            // Everything in the set is there now; clean it up again for the next run.
            expect(res.json().created.length + res.json().unchanged.length + res.json().updated.length).toBeGreaterThan(0);
            const restore = await t.request({ method: 'POST', url: '/v1/apply?prune=true', payload: { files: bundle } });
            expect(restore.statusCode, restore.body).toBe(200);
            expect((await t.request({ method: 'GET', url: '/v1/export' })).body).toBe(baseline);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Prefixes every name and reference-looking string so a mangled set lives beside the baseline. */
function renameAll(doc: unknown): unknown {
  const names = new Set(descriptors.map((d) => (d.metadata as { name: string }).name));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && names.has(v)) return `m-${v}`;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(doc) as Record<string, unknown>;
  // Cedar text names tools inside strings: keep the policy pointing at the renamed tool.
  const spec = out?.spec as { cedar?: unknown } | undefined;
  if (spec && typeof spec.cedar === 'string') spec.cedar = spec.cedar.replaceAll('"crm.refund"', '"m-crm.refund"');
  return out;
}
