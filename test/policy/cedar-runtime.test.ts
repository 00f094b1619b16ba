// cedar-wasm parses in a worker thread; parse results are cached by text, so a guard snapshot
// rebuilt for an unchanged policy set (a suspension, a resume) asks the worker nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cedarWorkerCalls } from '../../src/policy/cedar-runtime.js';
import { startMini, type TestServer } from '../support/server.js';

describe('the cedar-wasm worker', () => {
  let t: TestServer;
  let key: string;
  const decide = async () =>
    (
      await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: key,
        payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c' } },
      })
    ).json().decision;
  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
  });
  afterAll(() => t.close());

  it('is not asked again when the snapshot is rebuilt for the same policies', async () => {
    expect(await decide()).toBe('allow');
    const before = cedarWorkerCalls();
    expect(before).toBeGreaterThan(0);
    await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/suspend', payload: { reason: 'drill' } });
    expect(await decide()).toBe('deny');
    await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/resume', payload: { reason: 'drill over' } });
    expect(await decide()).toBe('allow');
    expect(cedarWorkerCalls()).toBe(before);
  });

  it('parses a changed policy there', async () => {
    const before = cedarWorkerCalls();
    const put = await t.request({
      method: 'PUT',
      url: '/v1/policies/no-big-lookups',
      payload: { spec: { mode: 'monitor', cedar: 'forbid (principal, action == Action::"crm.lookup", resource);' } },
    });
    expect(put.statusCode, put.body).toBe(201);
    expect(await decide()).toBe('allow');
    expect(cedarWorkerCalls()).toBeGreaterThan(before);
  });
});
