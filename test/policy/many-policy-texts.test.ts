// Two caches keep the guard and registry writes from asking cedar-wasm again about Policy texts they
// have seen: one of each text's policies (cedar-runtime.ts) and one of each text's verdict against a
// schema (cedar.ts). Each held 5,000 texts, the oldest evicted first whether used or not, and both
// are read in the registry's order: with 6,000 Policies each rebuild of the guard's snapshot (a new
// key, a suspension) evicted every text just before it was read again, and asked the worker about
// all 6,000, one synchronous round trip each with the event loop held; each registry write asked
// again about 1,000 texts it had checked. Counted here in calls to the worker, not timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cedarWorkerCalls } from '../../src/policy/cedar-runtime.js';
import { startMini, type TestServer } from '../support/server.js';

const POLICIES = 6_000;

describe(`a registry of ${POLICIES} Policies`, () => {
  let t: TestServer;
  let key: string;

  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
    const policies = Array.from(
      { length: POLICIES },
      (_, i) => `apiVersion: fulcrum/v1
kind: Policy
metadata:
  name: blocked-${i}
spec:
  cedar: 'forbid (principal, action == Action::"crm.lookup", resource) when { context.arguments.customerId == "blocked-${i}" };'
`,
    ).join('---\n');
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [{ path: 'policies.yaml', content: policies }] },
    });
    expect(applied.statusCode, applied.body.slice(0, 500)).toBe(200);
  }, 600_000);
  afterAll(async () => t?.close());

  const lookup = async (customerId: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId } },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return res.json();
  };

  it('decides with every one of them', async () => {
    expect(await lookup('blocked-0')).toMatchObject({ decision: 'deny', reasons: [{ policy: 'blocked-0' }] });
    expect(await lookup(`blocked-${POLICIES - 1}`)).toMatchObject({
      decision: 'deny',
      reasons: [{ policy: `blocked-${POLICIES - 1}` }],
    });
    expect((await lookup('c-1')).decision).toBe('allow');
  }, 120_000);

  it("rebuilds the guard's snapshot without asking cedar-wasm about texts it has read", async () => {
    await lookup('c-2');
    const before = cedarWorkerCalls();
    // A new key moves the registry revision: the next decision is made on a snapshot built again.
    const issued = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' });
    expect(issued.statusCode).toBe(201);
    expect(await lookup('blocked-1')).toMatchObject({ decision: 'deny', reasons: [{ policy: 'blocked-1' }] });
    expect(cedarWorkerCalls() - before).toBe(0);
  }, 120_000);

  it('checks a registry write that changes no Policy and no schema without asking cedar-wasm', async () => {
    const write = () =>
      t.request({
        method: 'PUT',
        url: '/v1/people/pat.new',
        payload: { spec: { displayName: `Pat ${Date.now()}`, roles: ['viewer'] } },
      });
    // The first write may check what the apply left unchecked; the second has nothing new to check.
    expect((await write()).statusCode).toBeLessThan(300);
    const before = cedarWorkerCalls();
    expect((await write()).statusCode).toBeLessThan(300);
    expect(await lookup('blocked-2')).toMatchObject({ decision: 'deny', reasons: [{ policy: 'blocked-2' }] });
    expect(cedarWorkerCalls() - before).toBe(0);
  }, 120_000);
});
