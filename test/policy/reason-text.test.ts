// A Policy's description and an @approval's text are the message of every reason the policy gives:
// copied into each decision it denies or sends for approval, into its answer and its audit row. They
// were unbounded, so a registry writer's 1 MB description made every such decision write 1 MB to
// the audit log and send it back. At most 2,000 characters each, refused at write naming the place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMini, type TestServer } from '../support/server.js';

describe('the text a policy gives as its reason', () => {
  let t: TestServer;
  beforeAll(async () => {
    ({ t } = await startMini('sqlite'));
  });
  afterAll(async () => t?.close());
  const putPolicy = (spec: object) => t.request({ method: 'PUT', url: '/v1/policies/big-refunds', payload: { spec } });
  const CAP = 'forbid (principal, action == Action::"crm.refund", resource) when { context.arguments.amount > 10000 };';

  it('is at most 2,000 characters: a description', async () => {
    const long = await putPolicy({ cedar: CAP, description: 'x'.repeat(2_001) });
    expect(long.statusCode, long.body.slice(0, 300)).toBe(422);
    expect(long.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Policy',
        name: 'big-refunds',
        path: '/spec/description',
        message: expect.stringMatching(/2000/),
      }),
    ]);
    expect((await putPolicy({ cedar: CAP, description: 'x'.repeat(2_000) })).statusCode).toBe(201);
  });

  it('is at most 2,000 characters: an @approval', async () => {
    const long = await putPolicy({ cedar: `@approval("${'y'.repeat(2_001)}")\n${CAP}` });
    expect(long.statusCode, long.body.slice(0, 300)).toBe(422);
    expect(long.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Policy',
        name: 'big-refunds',
        path: '/spec/cedar',
        message: '@approval of its policy 1 is 2001 characters long; a reason is at most 2000',
      }),
    ]);
    expect((await putPolicy({ cedar: `@approval("${'y'.repeat(2_000)}")\n${CAP}` })).statusCode).toBe(200);
  });
});
