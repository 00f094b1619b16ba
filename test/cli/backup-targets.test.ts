// Where `fulcrum backup --to FILE` may write, run as a process on a real SQLite data directory: a target
// on another file system (a tmpfs, another device than the data directory's), a folder that does not
// exist or is a file, one no one may write (a read-only mount). Each refused one says what and where,
// and leaves nothing behind (docs/operations.md, "Backups"); a full disk is in backup.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastBackupFile } from '../../src/db/last-backup.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { cli } from '../support/process.js';
import { smallDisk } from '../support/small-disk.js';

const SHM = '/dev/shm';

describe('fulcrum backup --to, by where the file goes', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const handle = db.open();
    await migrateToLatest(handle);
    await handle.destroy();
    env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: db.dir };
  });
  afterAll(() => db.drop());

  const other = fs.existsSync(SHM) && fs.statSync(SHM).dev !== fs.statSync(os.tmpdir()).dev;
  it.skipIf(!other)('writes to another file system than the data directory’s (a tmpfs), whole and recorded', async () => {
    const dir = fs.mkdtempSync(path.join(SHM, 'fulcrum-backup-'));
    try {
      expect(fs.statSync(dir).dev).not.toBe(fs.statSync(db.dir).dev);
      const file = path.join(dir, 'nightly.db');
      const r = await cli(env, 'backup', '--to', file);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`written to ${file}`);
      expect(fs.readdirSync(dir)).toEqual(['nightly.db']);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(fs.readFileSync(lastBackupFile(db.dir), 'utf8')).file).toBe(file);
      // It is a backup restore takes: checked again, from the other file system.
      const restored = await cli(env, 'restore', '--from', file);
      expect(restored.code, restored.stderr).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder that does not exist, or is a file, as the caller’s mistake (exit 2), making none', async () => {
    const live = path.join(db.dir, 'fulcrum.db');
    for (const [file, said] of [
      [path.join(db.dir, 'no-such-folder', 'b.db'), `${path.join(db.dir, 'no-such-folder')} does not exist`],
      [path.join(db.dir, 'no', 'such', 'b.db'), `${path.join(db.dir, 'no', 'such')} does not exist`],
      [path.join(live, 'b.db'), `${live} is not a folder`],
      [path.join(live, 'under', 'b.db'), `${path.join(live, 'under')} does not exist`],
    ] as const) {
      const r = await cli(env, 'backup', '--to', file);
      expect([r.code, r.stderr], file).toEqual([
        2,
        `fulcrum backup: ${said}: no backup written (the folder of --to FILE is not made for it)\n`,
      ]);
    }
    expect(fs.readdirSync(db.dir).filter((f) => f.startsWith('no'))).toEqual([]);
  });

  it('says a folder it may not write (read-only, even to root) is why, leaving nothing there', async () => {
    const disk = smallDisk({ readOnly: true });
    if (!disk.mounted) return disk.remove();
    try {
      const file = path.join(disk.dir, 'b.db');
      const r = await cli(env, 'backup', '--to', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^fulcrum backup: cannot write in ${disk.dir}, no backup written: EROFS: read-only file system`),
      );
      expect(fs.readdirSync(disk.dir)).toEqual([]);
    } finally {
      disk.remove();
    }
  });
});
