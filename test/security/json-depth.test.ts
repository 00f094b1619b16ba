// JSON bodies are bounded in depth before they are parsed: 10,000 nested arrays in a decision's
// arguments overflowed the stack (500); now every JSON route answers 400 saying where.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonTooDeepAt, MAX_JSON_DEPTH } from '../../src/http/json-depth.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('the depth scan', () => {
  const depthOf = (v: unknown): number =>
    v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0;

  it('agrees with the parsed value on any JSON, brackets inside strings included', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a') }),
        fc.integer(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ unit: fc.constantFrom('[', '{', '"', '\\', 'k') }), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 6 }), (v, max) => {
        const text = JSON.stringify(v);
        expect(jsonTooDeepAt(text, max) >= 0).toBe(depthOf(v) > max);
      }),
      { numRuns: 2000 },
    );
  });
});

describe.each(ENGINES)('JSON bodies nested too deeply on %s', (engine) => {
  let t: TestServer;
  let key: string;

  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  const post = (url: string, body: string, token = key) =>
    t.request({ method: 'POST', url, token, headers: { 'content-type': 'application/json' }, payload: body });

  it('answers a decision with arguments 10,000 deep with 400, and the next decision as usual', async () => {
    const head = '{"action":"tool.call","tool":"crm.lookup","arguments":{"customerId":"C-1","x":';
    const res = await post('/v1/decisions', `${head}${nested(10_000)}}}`);
    expect(res.statusCode).toBe(400);
    // Two levels are open when x starts: the bracket that goes one past the limit is x's (MAX - 1)th.
    expect(res.json().error).toEqual({
      code: 'bad_request',
      message: `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels (at character ${head.length + MAX_JSON_DEPTH - 2})`,
    });
    const fine = await post('/v1/decisions', '{"action":"tool.call","tool":"crm.lookup","arguments":{"customerId":"C-1"}}');
    expect(fine.json().decision).toBe('allow');
  });

  it('accepts nesting up to the limit (an answer, not a failure)', async () => {
    const inner = nested(MAX_JSON_DEPTH - 3); // body, arguments and x are three levels
    const res = await post(
      '/v1/decisions',
      `{"action":"tool.call","tool":"crm.lookup","arguments":{"customerId":"C-1","x":${inner}}}`,
    );
    expect(res.statusCode, res.body).toBe(200);
  });

  it('bounds every JSON route: the registry, MCP and apply', async () => {
    const deep = `{"spec":${nested(5_000)}}`;
    const put = await t.request({
      method: 'PUT',
      url: '/v1/compute-pools/x',
      headers: { 'content-type': 'application/json' },
      payload: deep,
    });
    expect(put.statusCode).toBe(400);
    const mcp = await t.request({
      method: 'POST',
      url: '/mcp',
      token: key,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: '127.0.0.1' },
      payload: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${nested(100_000)}}`,
    });
    expect(mcp.statusCode).toBe(400);
    expect(mcp.body).toContain('nests deeper than');
  });
});

describe.each(ENGINES)('YAML descriptors nested too deeply on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t?.close());

  // 10,000 nested flow sequences ran the yaml parser out of memory: the process died.
  const bomb = `apiVersion: fulcrum/v1\nkind: ComputePool\nmetadata: { name: p }\nspec:\n  region: ${nested(10_000)}\n`;

  it('refuses an apply whose file nests too deeply, with its file and line, and applies nothing', async () => {
    const files = [
      {
        path: 'ok.yaml',
        content:
          'apiVersion: fulcrum/v1\nkind: ComputePool\nmetadata: { name: fine }\nspec: { region: eu, unit: u, capacity: 1 }\n',
      },
      { path: 'bomb.yaml', content: bomb },
    ];
    const res = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      { file: 'bomb.yaml', line: 5, col: 10 + 64 + 1, message: 'YAML: nested deeper than 64 flow collections ([ and {)' },
    ]);
    expect((await t.request({ method: 'GET', url: '/v1/compute-pools/fine' })).statusCode).toBe(404);
  });

  it('refuses a YAML PUT that nests too deeply with 400; brackets inside strings do not count', async () => {
    const put = (body: string) =>
      t.request({ method: 'PUT', url: '/v1/compute-pools/p', headers: { 'content-type': 'application/yaml' }, payload: body });
    const res = await put(bomb);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^the YAML body nests deeper than 64 flow collections/);
    const broken = await put('spec:\n  region: [eu, us\n');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toMatch(/^malformed YAML body: .+ at line \d+, column \d+$/);
    const quoted = await put(`spec:\n  region: "${nested(200)}"\n  unit: '${nested(200)}'\n  capacity: 1\n`);
    expect(quoted.statusCode, quoted.body).toBe(201);
  });
});
