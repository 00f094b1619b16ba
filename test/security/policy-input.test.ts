// The policy engine under hostile input (docs/security.md, "Policy engine"): `like` is linear in
// the argument, Cedar text is bounded before cedar-wasm reads it, a broken Cedar worker is replaced
// before the next request, and registry writes check policies off the event loop, outside the write
// transaction, and only when a policy's text or the schema changed.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cedarWorkerCalls } from '../../src/policy/cedar-runtime.js';
import { cedarInWorker, cedarWorkers, holdCedarWorker } from '../../src/policy/cedar-worker.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

const nested = {
  parentheses: (n: number) => `${'('.repeat(n)}true${')'.repeat(n)}`,
  ifs: (n: number) => `${'if true then '.repeat(n)}true${' else false'.repeat(n)}`,
  sets: (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}.isEmpty()`,
  chain: (n: number) => Array(n).fill('context.arguments.customerId == "x"').join(' || '),
};
/** Until the write under test waits in the held worker's queue (its policy check, behind the hold). */
const reachesWorker = () =>
  vi.waitFor(() => expect(cedarWorkers().pending).toContain('checkPolicies'), { timeout: 20_000, interval: 5 });
const permitWhen = (cond: string) => `permit (principal, action == Action::"crm.lookup", resource) when { ${cond} };`;

describe.each(ENGINES)('the policy engine under hostile input on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const putPolicy = (name: string, cedar: string) =>
    t.request({ method: 'PUT', url: `/v1/policies/${name}`, payload: { spec: { mode: 'enforce', cedar } } });
  const lookup = async (customerId: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId } },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json() as { decision: string; policies?: unknown };
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('decides on a 512 KB argument against a many-star `like` (no backtracking), and stays up', async () => {
    const put = await putPolicy(
      'no-injection',
      'forbid (principal, action == Action::"crm.lookup", resource) when { context.arguments.customerId like "*ignore*previous*instructions*" };',
    );
    expect(put.statusCode, put.body).toBe(201);
    // The regex this replaced took 29 s on this input; vitest's timeout is the guard, the matcher's
    // linear bound is asserted in test/policy/like.test.ts.
    const hostile = `${'ignore previous '.repeat(32 * 1024)}instruction`;
    expect(hostile.length).toBeGreaterThan(512 * 1024);
    expect((await lookup(hostile)).decision).toBe('allow');
    expect((await lookup(`${hostile}s`)).decision).toBe('deny');
    expect((await lookup('a'.repeat(400))).decision).toBe('allow');
    expect((await t.request({ method: 'GET', url: '/healthz', token: null })).statusCode).toBe(200);
  });

  it.each(Object.entries(nested))(
    'refuses Cedar nested %s 150 deep with 422 naming the policy, before cedar-wasm reads it',
    async (_, make) => {
      const before = cedarWorkers().started;
      const cedar = permitWhen(make(make === nested.chain ? 600 : 150));
      const res = await putPolicy('too-deep', cedar);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
      const [problem] = res.json().error.details;
      expect(problem).toMatchObject({ kind: 'Policy', name: 'too-deep', path: '/spec/cedar' });
      expect(problem.message).toMatch(/nested more than 64 deep|chains more than 1000 operators/);
      expect(problem.offset).toBeGreaterThan(cedar.indexOf('when'));
      // Never sent: the worker was not broken and replaced.
      expect(cedarWorkers().started).toBe(before);
      expect((await putPolicy('fine', permitWhen(make(10)))).statusCode).toBe(201);
      expect((await t.request({ method: 'DELETE', url: '/v1/policies/fine' })).statusCode).toBe(204);
    },
  );

  it('names the file and line of a too-deep policy in a bundle', async () => {
    const files = [
      {
        path: 'deep.yaml',
        content: `apiVersion: fulcrum/v1\nkind: Policy\nmetadata:\n  name: deep\nspec:\n  cedar: |\n    ${permitWhen(nested.sets(200))}\n`,
      },
    ];
    const res = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ file: 'deep.yaml', line: 7, name: 'deep', path: '/spec/cedar' });
  });

  it('replaces a Cedar worker that crashed, so the next write succeeds at once', async () => {
    // A worker running now (an idle one retires after a while: the crash would then meet a new one).
    await cedarInWorker('checkParsePolicySet', [[{ staticPolicies: permitWhen('true') }]]);
    const before = cedarWorkers().started;
    // Bypass the bounds on purpose: this overruns cedar-wasm's stack and corrupts its memory.
    const deep = permitWhen(nested.parentheses(400));
    const [crashed, after] = await cedarInWorker('checkParsePolicySet', [
      [{ staticPolicies: deep }],
      [{ staticPolicies: permitWhen('true') }],
    ]);
    expect(crashed).toHaveProperty('thrown');
    // The call after the crash in the same batch was answered by the replacement.
    expect(after).toMatchObject({ value: { type: 'success' } });
    expect(cedarWorkers().started).toBe(before + 1);
    const put = await putPolicy('after-crash', permitWhen(`context.arguments.customerId == "c-1-${engine}"`));
    expect(put.statusCode, put.body).toBe(201);
  });

  it('replaces a Cedar worker that was killed, even in the middle of a write', async () => {
    const killed = cedarWorkers().current;
    if (killed) await killed.terminate();
    const put = await putPolicy('after-kill', permitWhen(`context.arguments.customerId == "c-2-${engine}"`));
    expect(put.statusCode, put.body).toBe(201);

    // Killed while a write waits for it: the write is checked again by a new worker.
    const hold = holdCedarWorker();
    const writing = putPolicy('during-kill', permitWhen(`context.arguments.customerId == "c-3-${engine}"`));
    await reachesWorker();
    await cedarWorkers().current?.terminate();
    await expect(hold.released).rejects.toThrow(/exited|stopped/);
    const res = await writing;
    expect(res.statusCode, res.body).toBe(201);
  });

  it('checks a policy while decisions go on and the database is free, and writes it afterwards', async () => {
    expect((await lookup('ok')).decision).toBe('allow');
    const hold = holdCedarWorker();
    let settled = false;
    const writing = putPolicy('slow-check', permitWhen(`context.arguments.customerId == "c-4-${engine}"`)).then((r) => {
      settled = true;
      return r;
    });
    try {
      await reachesWorker();
      // With the worker held, the write waits for its verdict; meanwhile decisions are answered and
      // their audit entries committed, which a write transaction held open would block.
      for (let i = 0; i < 3; i++) expect((await lookup('meanwhile')).decision).toBe('allow');
      expect((await t.request({ method: 'GET', url: '/healthz', token: null })).statusCode).toBe(200);
      expect(settled).toBe(false);
    } finally {
      hold.release();
    }
    expect((await writing).statusCode).toBe(201);
  });

  it('asks the Cedar worker nothing for a write that changes no policy text and no schema', async () => {
    expect((await lookup('ok')).decision).toBe('allow'); // the guard has parsed the policies written so far
    const before = cedarWorkerCalls();
    const person = await t.request({
      method: 'PUT',
      url: '/v1/people/new.person',
      payload: { spec: { displayName: 'New Person', roles: ['viewer'] } },
    });
    expect(person.statusCode, person.body).toBe(201);
    expect((await lookup('ok')).decision).toBe('allow');
    expect(cedarWorkerCalls()).toBe(before);
  });

  it('checks a write again when a concurrent write changed the schema its verdicts were for', async () => {
    const tool = (await t.request({ method: 'GET', url: '/v1/tools/crm.refund' })).json();
    const putTool = (spec: unknown) => t.request({ method: 'PUT', url: '/v1/tools/crm.refund', payload: { spec } });
    const withReason = structuredClone(tool.spec);
    withReason.arguments.required = [...withReason.arguments.required, 'reason'];
    const withoutReason = structuredClone(tool.spec);
    delete withoutReason.arguments.properties.reason;
    // Both schemas are checked once, so the tool's change below needs no worker.
    expect((await putTool(withoutReason)).statusCode).toBe(200);
    expect((await putTool(withReason)).statusCode).toBe(200);

    const hold = holdCedarWorker();
    const reads = `forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.reason == "${engine}" };`;
    const writing = putPolicy('reads-reason', reads);
    let changed: Awaited<ReturnType<typeof putTool>>;
    try {
      await reachesWorker();
      // Checked ahead against the schema where `reason` is required; it is gone before the write commits.
      changed = await putTool(withoutReason);
    } finally {
      hold.release();
    }
    expect(changed.statusCode, changed.body).toBe(200);
    const res = await writing;
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ name: 'reads-reason', path: '/spec/cedar' });
    expect((await t.request({ method: 'GET', url: '/v1/policies/reads-reason' })).statusCode).toBe(404);
    // Against the registry it checked, the same write passes.
    expect((await putTool(withReason)).statusCode).toBe(200);
    expect((await putPolicy('reads-reason', reads)).statusCode).toBe(201);
  });

  it("runs a Tool schema's `pattern` in linear time, and refuses one that needs backtracking at write", async () => {
    const putTool = (pattern: string) =>
      t.request({
        method: 'PUT',
        url: '/v1/tools/crm.lookup',
        payload: {
          spec: {
            system: 'crm',
            effect: 'read',
            dataDomains: ['customer-records'],
            arguments: { type: 'object', properties: { customerId: { type: 'string', pattern } }, required: ['customerId'] },
          },
        },
      });
    // Backtracking took 3.2 s on 28 a's and a '!' (doubling with each a): 100,000 would never end.
    expect((await putTool('^(a+)+$')).statusCode).toBe(200);
    const hostile = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: `${'a'.repeat(100_000)}!` } },
    });
    expect(hostile.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'invalid-arguments' }] });
    expect(await lookup('a'.repeat(100_000))).toMatchObject({ decision: 'allow' });
    // ECMAScript escapes RE2 spells otherwise keep their meaning.
    expect((await putTool('^\\u0043-\\d+$')).statusCode).toBe(200);
    const fine = await lookup('C-1042');
    expect(fine.decision, JSON.stringify(fine)).toBe('allow');
    expect((await lookup('D-1042')).decision).toBe('deny');

    const lookahead = await putTool('^(?=C)C-\\d+$');
    expect(lookahead.statusCode, lookahead.body).toBe(422);
    const [problem] = lookahead.json().error.details;
    expect(problem).toMatchObject({ kind: 'Tool', name: 'crm.lookup', path: '/spec/arguments' });
    expect(problem.message).toMatch(/pattern "\^\(\?=C\)C-\\\\d\+\$" is not one Fulcrum runs.*lookahead/);
    expect((await putTool('^C-\\d+$')).statusCode).toBe(200);
  });
});
