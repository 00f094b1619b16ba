// `fulcrum backup` and `fulcrum restore` on a real SQLite data directory served by a real `fulcrum serve`
// (docs/operations.md, "Backups"): a consistent, checked copy taken while the node writes; never a
// file replaced nor one left half written; a restore refused while the node runs, and what it does to
// the audit chains and a checkpoint file exported after the backup.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { lastBackupFile } from '../../src/db/last-backup.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AuditRecord, AuditWriter } from '../../src/guard/audit.js';
import { decisionRecord } from '../support/audit.js';
import { createTestDatabase } from '../support/databases.js';
import { MINI } from '../support/files.js';
import { BIN, call, cli, type Served, type ServedBundle, serve, serveBundle, stop } from '../support/process.js';
import { smallDisk } from '../support/small-disk.js';
import { until } from '../support/wait.js';

const LOOKUP = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

// Each test starts a real server (one starts two) and runs the CLI a dozen times, a process each: on a
// loaded 2-core machine that has taken 31 s, past the suite's 30 s default.
describe('fulcrum backup and restore (SQLite)', { timeout: 120_000 }, () => {
  let bundle: ServedBundle | undefined;
  let again: Served | undefined;
  afterEach(async () => {
    await stop(again);
    await bundle?.close();
    bundle = undefined;
    again = undefined;
  });

  /** fulcrum_backup_last_success_timestamp_seconds as the node's /metrics says it. */
  async function lastBackupGauge(url: string): Promise<number | undefined> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const m = /^fulcrum_backup_last_success_timestamp_seconds (\S+)$/m.exec(text);
    return m ? Number(m[1]) : undefined;
  }

  async function decide(url: string, key: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = await call(url, key, 'POST', '/v1/decisions', LOOKUP);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
  }

  it('copies a serving node while it writes: checked, 0600, never over an existing file', async () => {
    bundle = await serveBundle(MINI);
    const { env, server } = bundle;
    const key = (await cli(env, 'keys', 'create', '--agent', 'support-bot-eu')).stdout.trim();
    await decide(server.url, key, 5);
    // Decisions keep coming while the backup runs: the node is not stopped, nor its writers held.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await decide(server.url, key, 1);
        written++;
      }
    })();
    // Never backed up: the gauge says so (0), so that the age alert fires for a node nobody backs up.
    expect(await lastBackupGauge(server.url)).toBe(0);
    const dir = fs.mkdtempSync(path.join(bundle.db.dir, 'backups-'));
    const file = path.join(dir, 'fulcrum-backup.db');
    const began = Math.floor(Date.now() / 1000);
    const r = await cli(env, 'backup', '--to', file);
    const ended = Math.ceil(Date.now() / 1000);
    writing = false;
    await writer;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^backup of .*fulcrum\.db written to .*fulcrum-backup\.db \(\d+ bytes, [\d.]+ s\): integrity ok; audit log intact: \d+ entries in \d+ chain\(s\), signed checkpoints checked with key /m,
    );
    expect(r.stdout).toContain('not in it, by design: the audit signing key');
    expect(written).toBeGreaterThan(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['fulcrum-backup.db']);
    // The copy is a database of its own: one file, no -wal to go with it, every decision made before it began.
    const copy = new SqliteDatabase(file, { readonly: true });
    const { n } = copy.prepare("select count(*) n from audit_entries where kind = 'decision'").get() as { n: number };
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(n).toBeGreaterThanOrEqual(5);

    // Its time is what /metrics says from now on (once the scrape cache, 1 s, has passed).
    await expect.poll(() => lastBackupGauge(server.url), { timeout: 10_000 }).toBeGreaterThan(0);
    const at = await lastBackupGauge(server.url);
    expect(at).toBeGreaterThanOrEqual(began);
    expect(at).toBeLessThanOrEqual(ended);

    const before = fs.readFileSync(file);
    const twice = await cli(env, 'backup', '--to', file);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${file} exists: a backup never replaces a file`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('leaves no file that looks whole when the disk fills up', async () => {
    const disk = smallDisk();
    if (!disk.mounted) return disk.remove();
    try {
      bundle = await serveBundle(MINI);
      const file = path.join(disk.dir, 'fulcrum-backup.db');
      const r = await cli(bundle.env, 'backup', '--to', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/fulcrum backup: .*fulcrum-backup\.db not written: .*(full|SQLITE_FULL)/i);
      expect(fs.readdirSync(disk.dir)).toEqual([]);
      // A failed backup is not a backup: its time is not recorded, the age goes on growing.
      expect(fs.existsSync(lastBackupFile(bundle.db.dir))).toBe(false);
    } finally {
      disk.remove();
    }
  });

  it('killed midway, leaves only a temporary name, never a file that looks like a backup', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      // Enough entries that copying and checking them takes a while to catch the command in.
      const handle = db.open();
      await migrateToLatest(handle);
      const writer = await AuditWriter.start<AuditRecord>(handle.db, { record: (r) => r });
      for (let b = 0; b < 30_000; b += 1000)
        await Promise.all(Array.from({ length: 1000 }, (_, i) => writer.append(decisionRecord(b + i))));
      await writer.close();
      await handle.destroy();
      const dir = fs.mkdtempSync(path.join(db.dir, 'backups-'));
      const file = path.join(dir, 'fulcrum-backup.db');
      const child = spawn(BIN, ['backup', '--to', file], {
        env: { PATH: process.env.PATH, FULCRUM_DATA_DIR: db.dir },
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.once('exit', r));
      await until(
        () => fs.readdirSync(dir).some((f) => f.endsWith('.tmp') && fs.statSync(path.join(dir, f)).size > 0),
        'the backup to be written',
        { timeoutMs: 30_000, everyMs: 5 },
      );
      child.kill('SIGKILL');
      await exited;
      const left = fs.readdirSync(dir);
      // The copy and SQLite's journal of it, both under the temporary name: nothing called fulcrum-backup.db.
      expect(left.length, left.join(' ')).toBeGreaterThan(0);
      for (const f of left) expect(f).toMatch(/^\.fulcrum-backup\.db\.\d+\.[0-9a-f]{12}\.tmp(-journal)?$/);
    } finally {
      await db.drop();
    }
  });

  it('restores a backup with the node stopped: a later checkpoint file names what was lost; new decisions chain on', async () => {
    bundle = await serveBundle(MINI);
    const { env, server } = bundle;
    const key = (await cli(env, 'keys', 'create', '--agent', 'support-bot-eu')).stdout.trim();
    await decide(server.url, key, 3);
    const file = path.join(bundle.db.dir, 'before.db');
    expect((await cli(env, 'backup', '--to', file)).code).toBe(0);
    await decide(server.url, key, 3);

    // While the node holds the data directory, a restore is refused and changes nothing.
    const busy = await cli(env, 'restore', '--from', file);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/not restored: the data directory .* is in use by another Fulcrum process \(pid \d+/);

    await stop(server); // a graceful stop signs a checkpoint of every head
    const witness = path.join(bundle.db.dir, 'witness.json');
    const exported = await cli(env, 'audit', 'checkpoint', '-o', witness);
    expect(exported.code, exported.stderr).toBe(0);

    const restored = await cli(env, 'restore', '--from', file);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored .*before\.db into .*fulcrum\.db: integrity ok; audit log intact/m);
    expect(restored.stdout).toMatch(/the database it replaced is kept as .*fulcrum\.db\.before-restore-/);
    const live = path.join(bundle.db.dir, 'fulcrum.db');
    expect(fs.existsSync(`${live}-wal`)).toBe(false);
    expect(fs.statSync(live).mode & 0o777).toBe(0o600);

    // On its own the restored log is intact; against the checkpoint taken after the backup, the decisions
    // made since are named as cut off (docs/audit.md).
    const alone = await cli(env, 'audit', 'verify');
    expect(alone.code, alone.stderr).toBe(0);
    const against = await cli(env, 'audit', 'verify', '--checkpoint', witness);
    expect(against.code).toBe(1);
    expect(against.stderr).toMatch(
      /audit log BROKEN at chain chain_\w+ entry \d+ \(-\): the chain ends at entry \d+ .*\[truncated\]/,
    );

    // A node starts on it and decides; its entries go into a chain of its own, which verifies.
    const chainsBefore = Number(/in (\d+) chain/.exec(alone.stdout)?.[1]);
    again = await serve({ PATH: process.env.PATH, FULCRUM_DATA_DIR: bundle.db.dir });
    await decide(again.url, key, 2);
    await stop(again);
    const after = await cli(env, 'audit', 'verify');
    expect(after.code, after.stderr).toBe(0);
    expect(Number(/in (\d+) chain/.exec(after.stdout)?.[1])).toBe(chainsBefore + 1);
  });

  it('keeps the database it replaced whole in one file, though a crash left its last commits in the -wal', async () => {
    bundle = await serveBundle(MINI);
    const { env, server } = bundle;
    const key = (await cli(env, 'keys', 'create', '--agent', 'support-bot-eu')).stdout.trim();
    await decide(server.url, key, 3);
    const file = path.join(bundle.db.dir, 'before.db');
    expect((await cli(env, 'backup', '--to', file)).code).toBe(0);
    await decide(server.url, key, 4);
    await stop(server, 'SIGKILL');
    const live = path.join(bundle.db.dir, 'fulcrum.db');
    expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);

    const r = await cli(env, 'restore', '--from', file);
    expect(r.code, r.stderr).toBe(0);
    const aside = /kept as (\S+)\n/.exec(r.stdout)?.[1] as string;
    expect(fs.readdirSync(bundle.db.dir).filter((f) => f.includes('before-restore'))).toEqual([path.basename(aside)]);
    // Copied alone, as an operator would keep or move it: every decision of the crashed node is in it.
    const alone = path.join(bundle.db.dir, 'alone.db');
    fs.copyFileSync(aside, alone);
    const old = new SqliteDatabase(alone);
    const { n } = old.prepare("select count(*) n from audit_entries where kind = 'decision'").get() as { n: number };
    old.close();
    expect(n).toBe(7);
  });

  it('restores over a database damaged past opening, keeping it aside as it is', async () => {
    bundle = await serveBundle(MINI);
    const { env, server } = bundle;
    await stop(server);
    const file = path.join(bundle.db.dir, 'nightly.db');
    expect((await cli(env, 'backup', '--to', file)).code).toBe(0);
    const live = path.join(bundle.db.dir, 'fulcrum.db');
    fs.writeFileSync(live, Buffer.alloc(8192, 0x5a));
    const r = await cli(env, 'restore', '--from', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /the database it replaced is kept as \S+ with its -wal and -shm, which go with it \(it could not be opened to fold them in: file is not a database\)/,
    );
    const verified = await cli(env, 'audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
  });

  it("refuses a file that is not a Fulcrum backup as the caller's mistake (exit 2), changing nothing", async () => {
    bundle = await serveBundle(MINI);
    const { env, server } = bundle;
    await stop(server);
    const live = path.join(bundle.db.dir, 'fulcrum.db');
    const before = fs.readFileSync(live);
    const text = path.join(bundle.db.dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database\n'.repeat(500));
    const other = path.join(bundle.db.dir, 'other.db');
    const db = new SqliteDatabase(other);
    db.exec('create table t (x); insert into t values (1)');
    db.close();
    const cut = path.join(bundle.db.dir, 'cut.db');
    expect((await cli(env, 'backup', '--to', cut)).code).toBe(0);
    fs.truncateSync(cut, Math.floor(fs.statSync(cut).size / 2));
    for (const [file, said] of [
      [text, /not restored: integrity: not a SQLite database \(file is not a database\)/],
      [other, /not restored: not a Fulcrum database: it has no audit log \(audit_entries\)/],
      [cut, /not restored: integrity: /],
    ] as const) {
      const r = await cli(env, 'restore', '--from', file);
      expect(r.code, `${file}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(said);
    }
    expect(fs.readFileSync(live).equals(before)).toBe(true);
    expect(fs.readdirSync(bundle.db.dir).filter((f) => f.includes('before-restore') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('restored on a new machine, says the signing key must come back too, and serves once it has', async () => {
    bundle = await serveBundle(MINI);
    const { env, server } = bundle;
    await stop(server); // a checkpoint signed at shutdown: the backup's checkpoints name the key
    const file = path.join(bundle.db.dir, 'nightly.db');
    expect((await cli(env, 'backup', '--to', file)).code).toBe(0);
    const fresh = fs.mkdtempSync(path.join(bundle.db.dir, 'new-host-'));
    const there = { PATH: process.env.PATH, FULCRUM_DATA_DIR: fresh };
    const r = await cli(there, 'restore', '--from', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('the database it replaced');
    expect(r.stderr).toMatch(
      /^warning: a server on .*new-host-\w+ will not start as it is: the audit signing key .*audit-signing-key\.pem does not exist, but the database's checkpoints are signed with key /m,
    );
    fs.copyFileSync(path.join(bundle.db.dir, 'audit-signing-key.pem'), path.join(fresh, 'audit-signing-key.pem'));
    again = await serve(there);
    const alive = await fetch(`${again.url}/healthz`);
    expect(alive.status).toBe(200);
  });

  it('refuses on PostgreSQL, pointing to pg_dump', async () => {
    const r = await cli(
      { PATH: process.env.PATH, FULCRUM_DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
      'backup',
      '--to',
      '/tmp/never-written.db',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('this Fulcrum uses PostgreSQL (FULCRUM_DATABASE_URL): back that up with pg_dump');
  });
});
