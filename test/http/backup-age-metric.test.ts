// fulcrum_backup_last_success_timestamp_seconds (docs/operations.md, "Backups"): on SQLite, 0 until
// `fulcrum backup` records a clean backup, then its time; NaN (unmeasured, not zero) when the record
// cannot be read; on PostgreSQL, not exported at all (pg_dump runs outside Fulcrum).
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { lastBackupFile, recordBackup } from '../../src/db/last-backup.js';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const gauge = async (t: TestServer) => {
  const text = (await t.request({ method: 'GET', url: '/metrics', token: null })).body;
  return /^fulcrum_backup_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1];
};

describe.each(ENGINES)('the last backup in /metrics (%s)', (engine) => {
  let t: TestServer | undefined;
  afterEach(async () => t?.close());

  it(engine === 'sqlite' ? 'says 0 until a backup, then its time; NaN when unreadable' : 'is not exported', async () => {
    t = await startTestServer(engine, { metricsCacheMs: 0 });
    const dir = t.app.config.dataDir;
    if (engine === 'postgres') {
      recordBackup(dir, { at: new Date().toISOString(), file: '/backups/x.db', bytes: 1 });
      expect(await gauge(t)).toBeUndefined();
      return;
    }
    expect(await gauge(t)).toBe('0');
    recordBackup(dir, { at: '2026-12-07T10:00:00.000Z', file: '/backups/x.db', bytes: 1 });
    expect(await gauge(t)).toBe(String(Date.parse('2026-12-07T10:00:00.000Z') / 1000));
    fs.writeFileSync(lastBackupFile(dir), '{"at": "yesterday-ish"}');
    expect(await gauge(t)).toBe('Nan'); // prom-client's spelling of NaN
  });
});
