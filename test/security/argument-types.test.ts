// What policies see of a call's arguments is what the call carries. A Tool's argument schema may
// allow a value several JSON types (`type: [number, string]`); Cedar types the argument as the first
// of them, and a value of another type used to vanish from `context.arguments`, so a policy on it
// (`has amount && amount > 100`, `has ref`) was skipped: an approval bypassed by sending "150" for 150.
// Such a value is now refused (`invalid-arguments`, naming it), on every engine; a policy on an
// argument the schema does not declare (additionalProperties) is refused when it is written (strict
// validation), so leaving such arguments out of `context.arguments` skips no policy.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

const PAY = `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: pay.transfer }
spec:
  system: pay
  effect: write
  dataDomains: []
  arguments:
    type: object
    properties:
      amount: { type: [number, string] }
      ref: { type: [string, integer] }
      qty: { type: [integer, number] }
      tags: { type: array, items: { type: [string, integer] } }
      note: { type: [string, "null"] }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: pay-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [pay.transfer]
---
apiVersion: fulcrum/v1
kind: Policy
metadata: { name: transfer-approval }
spec:
  cedar: |
    @approval("Transfers over 100 need a person")
    forbid (principal, action == Action::"pay.transfer", resource) when { context.arguments has amount && context.arguments.amount.greaterThan(decimal("100.0")) };
    @approval("A transfer with a reference needs a person")
    forbid (principal, action == Action::"pay.transfer", resource) when { context.arguments has ref };
    @approval("Ten or more need a person")
    forbid (principal, action == Action::"pay.transfer", resource) when { context.arguments has qty && context.arguments.qty >= 10 };
    @approval("A tagged transfer needs a person")
    forbid (principal, action == Action::"pay.transfer", resource) when { context.arguments has tags && !context.arguments.tags.isEmpty() };
`;

describe.each(ENGINES)('arguments of a type the schema allows second, on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const decide = async (args: Record<string, unknown>) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'pay.transfer', arguments: args },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const body = res.json() as { decision: string; reasons: Array<{ policy: string; message?: string }> };
    return { decision: body.decision, policy: body.reasons[0]?.policy, message: body.reasons[0]?.message };
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [...readBundle(MINI), { path: 'pay.yaml', content: PAY }] },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/pay-bot/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it('decides on a value of the type policies see, as before', async () => {
    const needs = (message: string) => ({
      decision: 'approval_required',
      policy: expect.stringMatching(/^transfer-approval/),
      message,
    });
    expect(await decide({ amount: 150 })).toEqual(needs('Transfers over 100 need a person'));
    expect(await decide({ amount: 50 })).toMatchObject({ decision: 'allow' });
    expect(await decide({ ref: 'r-1' })).toEqual(needs('A transfer with a reference needs a person'));
    expect(await decide({ qty: 12 })).toEqual(needs('Ten or more need a person'));
    expect(await decide({ tags: ['vip'] })).toEqual(needs('A tagged transfer needs a person'));
    // null is no value: as absent (a policy reads it with `has`).
    expect(await decide({ note: null, amount: 5 })).toMatchObject({ decision: 'allow' });
    expect(await decide({ note: 'x', amount: 5 })).toMatchObject({ decision: 'allow' });
  });

  it('refuses, naming the argument, a value policies would not have seen; it never skips the approval', async () => {
    const refused = (at: string, is: string, read: string) => ({
      decision: 'deny',
      policy: 'invalid-arguments',
      message: `arguments of pay.transfer: ${at} is ${is}, but policies read it as ${read} (the first type its schema gives): send ${read}`,
    });
    expect(await decide({ amount: '150' })).toEqual(refused('/amount', 'a string', 'a number'));
    expect(await decide({ ref: 42 })).toEqual(refused('/ref', 'a number', 'a string'));
    expect(await decide({ qty: 12.5 })).toEqual(refused('/qty', 'a number with a fraction', 'an integer'));
    expect(await decide({ tags: [7] })).toEqual(refused('/tags/0', 'a number', 'a string'));
  });

  it('refuses a policy on an argument the schema does not declare, when it is written', async () => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/policies/undeclared',
      payload: {
        spec: {
          mode: 'enforce',
          cedar: 'forbid (principal, action == Action::"pay.transfer", resource) when { context.arguments.extra == 1 };',
        },
      },
    });
    expect(put.statusCode, put.body).toBe(422);
  });
});
