// GET /v1/backup (docs/operations.md, "Backups"): on SQLite, `none` until `fulcrum backup` records a clean
// backup, then when, where, how large, what its check found; `unreadable` (the age unknown, not zero)
// when the record is damaged; on PostgreSQL, `elsewhere`: pg_dump runs outside Fulcrum, and the node
// says so rather than show a record, even one left in its data directory.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { lastBackupFile, recordBackup } from '../../src/db/last-backup.js';
import { ENGINES } from '../support/databases.js';
import { addApprover, startTestServer, type TestServer } from '../support/server.js';

const TAKEN = {
  file: '/backups/nightly.db',
  bytes: 442_368,
  seconds: 0.4,
  checked: 'integrity ok; audit log intact: 3 entries in 1 chain(s)',
};

describe.each(ENGINES)('the last backup, asked of the node (%s)', (engine) => {
  let t: TestServer | undefined;
  afterEach(async () => t?.close());
  const status = async (token?: string) => {
    const r = await (t as TestServer).request({ method: 'GET', url: '/v1/backup', ...(token ? { token } : {}) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it(
    engine === 'sqlite'
      ? 'says none, then the one recorded, then that its record cannot be read'
      : 'says the database is backed up elsewhere',
    async () => {
      t = await startTestServer(engine);
      const dir = t.app.config.dataDir;
      if (engine === 'postgres') {
        recordBackup(dir, { at: new Date().toISOString(), ...TAKEN });
        const s = await status();
        expect(s).toEqual({ engine: 'postgres', state: 'elsewhere', note: expect.stringContaining('pg_dump') });
        return;
      }
      expect(await status()).toEqual({
        engine: 'sqlite',
        state: 'none',
        note: expect.stringContaining(`(${lastBackupFile(dir)} does not exist): run fulcrum backup --to FILE`),
      });
      const at = new Date(Date.now() - 2 * 3600_000).toISOString();
      recordBackup(dir, { at, ...TAKEN });
      // A reader (an approver) may ask: on-call reads it without the platform role.
      const s = await status(await addApprover(t));
      expect(s).toEqual({ engine: 'sqlite', state: 'recorded', lastBackup: { at, ...TAKEN, ageSeconds: expect.any(Number) } });
      expect(s.lastBackup.ageSeconds).toBeGreaterThanOrEqual(7200);
      expect(s.lastBackup.ageSeconds).toBeLessThan(7200 + 60);
      // A record written before session 40 (no time taken, nothing about its check) still reads.
      fs.writeFileSync(lastBackupFile(dir), JSON.stringify({ at, file: TAKEN.file, bytes: TAKEN.bytes }));
      expect((await status()).lastBackup).toEqual({ at, file: TAKEN.file, bytes: TAKEN.bytes, ageSeconds: expect.any(Number) });
      for (const [text, said] of [
        ['{"at": "yesterday-ish"}', 'does not say when the last backup was taken'],
        ['not json', 'is not JSON'],
        [
          JSON.stringify({ at, file: TAKEN.file, bytes: -1 }),
          'does not say where the last backup was written and how large it is',
        ],
      ]) {
        fs.writeFileSync(lastBackupFile(dir), text as string);
        expect(await status()).toEqual({
          engine: 'sqlite',
          state: 'unreadable',
          note: `the last backup's record cannot be read: ${lastBackupFile(dir)} ${said}`,
        });
      }
    },
  );
});
