// Whether any arguments could let a call through (src/policy/partial.ts): "deny whatever the
// arguments" only when Cedar's partial evaluation says so for certain; anything doubtful is "might".
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { checkCedarBounds, MAX_CEDAR_CHAIN, MAX_CEDAR_DEPTH } from '../../src/policy/cedar-limits.js';
import { cedarInWorker, cedarOffThread, cedarWorkerCalls, cedarWorkers, holdCedarWorker } from '../../src/policy/cedar-worker.js';
import { deniedWhateverArguments } from '../../src/policy/partial.js';
import type { EntityJson } from '../../src/policy/types.js';

const entities: EntityJson[] = [
  { uid: { type: 'Initiative', id: 'support' }, attrs: { stage: 'pilot' }, parents: [] },
  { uid: { type: 'Agent', id: 'bot' }, attrs: { status: 'active' }, parents: [{ type: 'Initiative', id: 'support' }] },
  { uid: { type: 'Action', id: 't' }, attrs: {}, parents: [] },
  { uid: { type: 'Tool', id: 't' }, attrs: {}, parents: [] },
  // Unrelated: never handed to Cedar.
  ...Array.from({ length: 50 }, (_, i) => ({ uid: { type: 'Tool', id: `x${i}` }, attrs: {}, parents: [] })),
];
const request = {
  principal: { type: 'Agent', id: 'bot' },
  action: { type: 'Action', id: 't' },
  resource: { type: 'Tool', id: 't' },
  context: { dataDomains: [] },
};
const denied = (...texts: string[]) =>
  deniedWhateverArguments(
    texts.map((text, i) => ({ id: `p${i}`, text })),
    entities,
    request,
  );

describe('denied whatever the arguments', () => {
  it('is so with no permit for the action, or a forbid that reads no arguments', async () => {
    expect(await denied('permit (principal, action == Action::"other", resource);')).toBe(true);
    expect(await denied('permit (principal, action, resource);', 'forbid (principal, action == Action::"t", resource);')).toBe(
      true,
    );
  });

  it('is not so when a permit reads the arguments, or nothing forbids', async () => {
    expect(await denied('permit (principal, action == Action::"t", resource) when { context.arguments.n < 5 };')).toBe(false);
    expect(await denied('permit (principal, action, resource);')).toBe(false);
  });

  it('reads the entities the request reaches and those a policy names', async () => {
    // Through the agent's parent: the initiative is a pilot, so this permit never applies.
    expect(
      await denied(
        'permit (principal in Initiative::"support", action, resource) when { Initiative::"support".stage == "production" };',
      ),
    ).toBe(true);
    expect(
      await denied(
        'permit (principal in Initiative::"support", action, resource) when { Initiative::"support".stage == "pilot" };',
      ),
    ).toBe(false);
  });

  it('is not so when a policy errs (an entity it reads is missing): Cedar cannot say', async () => {
    expect(await denied('permit (principal, action, resource) when { Initiative::"gone".stage == "pilot" };')).toBe(false);
  });

  it('is worked out for policies as deep as a Policy may hold, without breaking the worker', async () => {
    // Past ~60 chained operators, a policy's JSON form nests deeper than cedar-wasm reads JSON
    // (serde_json stops at 128 levels, by throwing): the answer was "might", and the worker replaced.
    const chain = (n: number) => Array.from({ length: n }, () => 'true').join(' && ');
    const nested = `${'('.repeat(MAX_CEDAR_DEPTH - 1)}true${')'.repeat(MAX_CEDAR_DEPTH - 1)}`;
    for (const c of [chain(MAX_CEDAR_CHAIN), nested]) expect(checkCedarBounds(c)).toBeUndefined(); // a Policy may hold them
    const started = cedarWorkers().started;
    expect(
      await denied('permit (principal, action, resource);', `forbid (principal, action, resource) when { ${chain(80)} };`),
    ).toBe(true);
    expect(await denied(`forbid (principal, action, resource) when { ${chain(MAX_CEDAR_CHAIN)} };`)).toBe(true);
    expect(await denied(`forbid (principal, action, resource) when { ${nested} };`)).toBe(true);
    const reads = `permit (principal, action, resource) when { ${chain(MAX_CEDAR_CHAIN - 3)} && context.arguments.n == 1 };`;
    expect(await denied(reads)).toBe(false);
    expect(cedarWorkers().started).toBe(started);
  });

  it("is worked out in cedar-wasm's worker thread: the event loop goes on meanwhile", async () => {
    const text = 'permit (principal, action == Action::"t", resource) when { context.arguments.n < 7 };';
    expect(await denied(text)).toBe(false); // its parse is cached from here on: only the evaluation is asked
    const calls = cedarWorkerCalls();
    const held = holdCedarWorker();
    let answer: boolean | undefined;
    const asked = denied(text, 'forbid (principal, action, resource) when { context has dataDomains };').then((a) => {
      answer = a;
    });
    try {
      // Turns of the event loop pass, timers and I/O included, with the worker held and no answer yet.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
      expect(answer).toBeUndefined();
    } finally {
      held.release();
    }
    await asked;
    expect(answer).toBe(true); // the forbid reads no arguments
    expect(cedarWorkerCalls() - calls).toBe(2); // the new forbid's parse, then the partial evaluation
  });
});

describe("cedar-wasm's worker", () => {
  it('answers a synchronous call (its caller blocks the event loop) before the asynchronous ones queued ahead of it', async () => {
    // Two asynchronous calls queued (partial evaluations of probes, say), the first holding the worker;
    // another thread lets it go once this one is blocked on the synchronous call.
    const gates = [0, 1].map(() => new Int32Array(new SharedArrayBuffer(4)));
    const open = (g: Int32Array) => {
      Atomics.store(g, 0, 1);
      Atomics.notify(g, 0);
    };
    await cedarInWorker('policyToJson', [['permit (principal, action, resource);']]); // the worker is up
    const queued = gates.map((g) => cedarInWorker('hold', [[g]]));
    const releaser = new Worker(
      "const { workerData: g } = require('node:worker_threads'); setTimeout(() => { Atomics.store(g, 0, 1); Atomics.notify(g, 0); }, 100);",
      { eval: true, workerData: gates[0] },
    );
    try {
      // Before, it waited behind the second (held until this thread could open it: never), gave up
      // after 15 s and threw.
      const [answer] = cedarOffThread('policyToJson', [['permit (principal, action, resource) when { true };']]);
      expect(answer && 'value' in answer && answer.value.type).toBe('success');
    } finally {
      for (const g of gates) open(g);
      await releaser.terminate();
    }
    expect(await Promise.all(queued)).toEqual([[{ value: true }], [{ value: true }]]);
  });
});
