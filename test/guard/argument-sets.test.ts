// An array argument becomes a Cedar set, and a set holds each value once: building it must not
// compare every element with every other. Decimals (JSON numbers) and records were kept in a list
// that each new element was scanned against, so an agent sending 40,000 distinct amounts held the
// node's event loop for seconds, every decision of every agent waiting behind it. A Tool's
// `uniqueItems` was as slow in Ajv, which compares every object item with every other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMini, type TestServer } from '../support/server.js';

describe('array arguments of many distinct values', () => {
  let t: TestServer;
  let key: string;
  const put = (plural: string, name: string, spec: unknown) =>
    t.request({ method: 'PUT', url: `/v1/${plural}/${name}`, payload: { spec } });

  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
    const tool = await put('tools', 'erp.bulk_pay', {
      system: 'erp',
      effect: 'read',
      arguments: {
        type: 'object',
        properties: {
          amounts: { type: 'array', items: { type: 'number' } },
          lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
          batches: { type: 'array', uniqueItems: true, items: { type: 'object' } },
        },
      },
    });
    expect(tool.statusCode, tool.body).toBe(201);
    const agent = (await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu' })).json().spec;
    expect((await put('agents', 'support-bot-eu', { ...agent, extraTools: ['erp.bulk_pay'] })).statusCode).toBe(200);
    const policy = await put('policies', 'no-big-amounts', {
      cedar:
        'forbid (principal, action == Action::"erp.bulk_pay", resource) when { context.arguments has amounts && context.arguments.amounts.contains(decimal("99999.5")) };',
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(async () => t?.close());

  const pay = (args: object) =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'erp.bulk_pay', arguments: args },
    });

  it('decides on 40,000 distinct amounts, or records, in linear time', async () => {
    const amounts = Array.from({ length: 40_000 }, (_, i) => i + 0.5);
    let started = performance.now();
    const paid = await pay({ amounts });
    const tookAmounts = performance.now() - started;
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().decision).toBe('allow');
    const denied = await pay({ amounts: [...amounts, 99_999.5] });
    expect(denied.json()).toMatchObject({ decision: 'deny', reasons: [{ policy: 'no-big-amounts' }] });

    started = performance.now();
    const lines = await pay({ lines: Array.from({ length: 40_000 }, (_, i) => ({ sku: `s${i}` })) });
    const tookLines = performance.now() - started;
    expect(lines.json().decision).toBe('allow');
    // Linear: well under a second here; quadratic, 40,000 decimals took ~10 s and records ~35 s.
    expect(tookAmounts, 'ms for 40,000 amounts').toBeLessThan(3_000);
    expect(tookLines, 'ms for 40,000 lines').toBeLessThan(3_000);
  }, 120_000);

  it('checks `uniqueItems` on 40,000 objects in linear time, and still refuses a repeat', async () => {
    // Ajv compares every item with every other unless they are all of one primitive type: 20,000
    // distinct objects took ~16 s to validate, on the event loop.
    const batches = Array.from({ length: 40_000 }, (_, i) => ({ id: i }));
    const started = performance.now();
    const checked = await pay({ batches });
    const took = performance.now() - started;
    expect(checked.statusCode, checked.body.slice(0, 500)).toBe(200);
    expect(checked.json().decision).toBe('allow');
    expect(took, 'ms for 40,000 batches').toBeLessThan(3_000);

    const repeated = await pay({ batches: [{ id: 1, rows: [1, 2] }, { id: 2 }, { rows: [1, 2], id: 1 }] });
    expect(repeated.json()).toMatchObject({
      decision: 'deny',
      reasons: [
        {
          policy: 'invalid-arguments',
          message: expect.stringMatching(/\/batches must NOT have duplicate items \(items ## 0 and 2 are identical\)/),
        },
      ],
    });
    const distinct = await pay({
      batches: [
        { id: 1, rows: [1, 2] },
        { id: 1, rows: [2, 1] },
        { id: '1', rows: [1, 2] },
      ],
    });
    expect(distinct.json().decision).toBe('allow');
  }, 120_000);
});
