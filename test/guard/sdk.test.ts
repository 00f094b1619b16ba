// The agent SDK against a real Fulcrum over HTTP: check, run with a human approval, fail closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, FulcrumDenied } from '../../src/sdk/index.js';
import { startMini, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

describe('the agent SDK', () => {
  let t: TestServer;
  let url: string;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  it('checks a call and runs an allowed one, reporting its outcome', async () => {
    const guard = createGuard({ url, key });
    const d = await guard.check('crm.lookup', { customerId: 'c-1' });
    expect(d.decision).toBe('allow');
    const result = await guard.run('crm.lookup', { customerId: 'c-2' }, async () => 'the customer');
    expect(result).toBe('the customer');
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=call.outcome' })).json().items;
    expect(audit[0]).toMatchObject({ agent: 'support-bot-eu', target: 'crm.lookup', detail: { outcome: 'succeeded' } });
  });

  it('waits for a human, then proceeds with the approved call', async () => {
    const guard = createGuard({ url, key });
    let ran = false;
    const running = guard.run('crm.refund', { amount: 700, orderId: 'o-7' }, async () => {
      ran = true;
      return 'refunded';
    });
    // A supervisor approves the pending request while the agent waits.
    let pending: Array<{ id: string; arguments: unknown }> = [];
    for (let i = 0; i < 50 && pending.length === 0; i++) {
      pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
      if (pending.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(pending[0]?.arguments).toEqual({ amount: 700, orderId: 'o-7' });
    expect(ran).toBe(false);
    await t.request({ method: 'POST', url: `/v1/approvals/${pending[0]?.id}/approve`, payload: { comment: 'fine' } });
    expect(await running).toBe('refunded');
    expect(ran).toBe(true);
  });

  it('throws FulcrumDenied for a denied approval and for a deny, without running the call', async () => {
    const guard = createGuard({ url, key, approvalTimeoutMs: 5000 });
    const running = guard.run('crm.refund', { amount: 5, orderId: 'o-8' }, () => 'never');
    // Attach the expectation now: the rejection may come before the deny request below returns.
    const denied = expect(running).rejects.toThrow(/was denied/);
    let pending: Array<{ id: string }> = [];
    for (let i = 0; i < 50 && pending.length === 0; i++) {
      pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
      if (pending.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await t.request({ method: 'POST', url: `/v1/approvals/${pending[0]?.id}/deny` });
    await denied;
    await expect(guard.run('crm.refund', { amount: 'x' }, () => 'never')).rejects.toBeInstanceOf(FulcrumDenied);
  });

  it('rethrows what the call threw, whatever it is, and reports the failure', async () => {
    // `throw null` (or undefined) in the call was replaced by a TypeError from reading its message,
    // and the failure went unreported.
    const guard = createGuard({ url, key });
    for (const thrown of [null, undefined, 'a string']) {
      const caught = await guard
        .run('crm.lookup', { customerId: 'c-9' }, () => {
          throw thrown;
        })
        .then(
          () => 'no throw',
          (err: unknown) => err,
        );
      expect(caught).toBe(thrown);
    }
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?kind=call.outcome&limit=3' })).json().items;
    expect(audit.map((a: { detail: { outcome: string; error?: string } }) => [a.detail.outcome, a.detail.error])).toEqual([
      ['failed', 'a string'],
      ['failed', 'undefined'],
      ['failed', 'null'],
    ]);
  });

  it('ends a run waiting for a human when its signal aborts, without running the call, and never as an allow', async () => {
    // There was no way to stop `run` while it waited (10 minutes by default) for a person.
    const guard = createGuard({ url, key, failOpen: true });
    const controller = new AbortController();
    let ran = false;
    const running = guard
      .run(
        'crm.refund',
        { amount: 710, orderId: 'o-71' },
        () => {
          ran = true;
        },
        { signal: controller.signal },
      )
      .then(
        () => 'no throw',
        (err: unknown) => err,
      );
    let pending: Array<{ id: string; arguments: { orderId?: string } }> = [];
    await until(async () => {
      pending = (await t.request({ method: 'GET', url: '/v1/approvals?status=pending' })).json().items;
      return pending.some((p) => p.arguments.orderId === 'o-71');
    }, 'the refund of o-71 to wait for a person');
    const reason = new Error('the user went away');
    controller.abort(reason);
    expect(await running).toBe(reason);
    // Approved after the caller left: nothing runs it.
    const id = pending.find((p) => p.arguments.orderId === 'o-71')?.id;
    await t.request({ method: 'POST', url: `/v1/approvals/${id}/approve`, payload: { comment: 'late' } });
    expect(ran).toBe(false);
    // Already aborted: with failOpen, still no decision at all, neither allow nor deny.
    const gone = AbortSignal.abort(reason);
    await expect(guard.check('crm.lookup', { customerId: 'c-1' }, { signal: gone })).rejects.toBe(reason);
    await expect(guard.checkModel('gpt-4o', { signal: gone })).rejects.toBe(reason);
    await expect(guard.waitForApproval(id ?? '', 5000, { signal: gone })).rejects.toBe(reason);
    // A signal that does not abort changes nothing: the body sent is as before.
    expect((await guard.check('crm.lookup', { customerId: 'c-1' }, { signal: new AbortController().signal })).decision).toBe(
      'allow',
    );
  });

  it('fails closed when Fulcrum is unreachable, and open only when configured', async () => {
    const closed = createGuard({ url: 'http://127.0.0.1:9', key, timeoutMs: 500 });
    const d = await closed.check('crm.lookup', {});
    expect(d).toMatchObject({ decision: 'deny', reasons: [{ policy: 'fulcrum-unreachable' }] });
    await expect(closed.run('crm.lookup', {}, () => 'x')).rejects.toBeInstanceOf(FulcrumDenied);
    const open = createGuard({ url: 'http://127.0.0.1:9', key, timeoutMs: 500, failOpen: true });
    expect(await open.run('crm.lookup', {}, () => 'ran anyway')).toBe('ran anyway');
  });
});
