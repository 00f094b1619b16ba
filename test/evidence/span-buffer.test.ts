// The span buffer the gateways record their calls through: a batch the database refuses does not
// lose the records of the batch it could store, only the one it cannot (counted and reported).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/adapter.js';
import { createSpanBuffer } from '../../src/evidence/span-buffer.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { gatewaySpan } from '../support/gateway-span.js';

const span = (agent: string, input: number) => gatewaySpan(agent, { input_tokens: input });

describe.each(ENGINES.filter((e) => e === 'postgres'))('span buffer (%s)', (engine) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    handle = database.open();
  });
  afterAll(async () => {
    await handle?.destroy();
    await database?.drop();
  });

  it('writes the rest of a batch one record at a time when the batch fails, dropping only the bad one', async () => {
    const errors: unknown[] = [];
    const buffer = createSpanBuffer(handle.db, {
      flushMs: 60_000,
      maxBatch: 100,
      maxHeld: 100,
      inference: true,
      onDrop: () => {},
      onError: (e) => errors.push(e),
    });
    // 2^31 does not fit PostgreSQL's integer column: that record, and only it, cannot be stored.
    for (const row of [span('a-bot', 10), span('b-bot', 11), span('a-bot', 2 ** 31), span('b-bot', 12)]) buffer.add(row);
    await buffer.flush();

    const stored = await handle.db.selectFrom('spans').select(['agent', 'input_tokens']).orderBy('input_tokens').execute();
    expect(stored).toEqual([
      { agent: 'a-bot', input_tokens: 10 },
      { agent: 'b-bot', input_tokens: 11 },
      { agent: 'b-bot', input_tokens: 12 },
    ]);
    expect(buffer.failures()).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
