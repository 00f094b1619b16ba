// What Fulcrum leaves on disk is its user's alone: the data directory 0700, the database (and its WAL),
// keys and token files 0600; a generated admin token goes to its file, not into piped logs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchPrivateFile, writePrivateFile } from '../../src/private-files.js';
import { type Served, serve, stop } from '../support/process.js';

describe('files at rest (a real `fulcrum serve` on SQLite)', () => {
  let parent: string;
  let dataDir: string;
  let server: Served | undefined;

  beforeAll(async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-at-rest-'));
    fs.chmodSync(parent, 0o755);
    dataDir = path.join(parent, 'data', 'fulcrum'); // neither folder exists yet: Fulcrum makes them
    server = await serve({ PATH: process.env.PATH, FULCRUM_DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await stop(server);
    fs.rmSync(parent, { recursive: true, force: true });
  });

  const mode = (p: string) => fs.statSync(p).mode & 0o777;

  it('creates the data directory 0700 and every file in it 0600', async () => {
    expect(mode(dataDir)).toBe(0o700);
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    // The WAL exists once something is written: make sure it does.
    const res = await fetch(`${server?.url}/v1/compute-pools/p`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ spec: { region: 'eu', unit: 'gpu-hours', capacity: 1 } }),
    });
    expect(res.status).toBe(201);
    const files = fs.readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['admin-token', 'fulcrum.db', 'fulcrum.db-wal']));
    for (const f of files) expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
  });

  it('writes a generated admin token to its file only when output is not a terminal', () => {
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    expect(token).toMatch(/^fat_/);
    expect(server?.stderr).toContain('Generated the admin token: saved to');
    expect(server?.stderr).not.toContain(token);
  });
});

describe('private files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-private-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('narrows a database, WAL and shared-memory file an older version left readable', () => {
    const db = path.join(dir, 'old.db');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.writeFileSync(f, '', { mode: 0o644 });
    touchPrivateFile(db);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect([f, fs.statSync(f).mode & 0o777]).toEqual([f, 0o600]);
  });

  it('never writes a token through a symbolic link planted in its place', () => {
    const elsewhere = path.join(dir, 'stolen');
    fs.writeFileSync(elsewhere, '', { mode: 0o644 });
    const file = path.join(dir, 'admin-token');
    fs.symlinkSync(elsewhere, file);
    writePrivateFile(file, 'fat_secret\n');
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('');
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('fat_secret\n');
  });
});

describe('private files made by several processes at once', () => {
  // Each child makes the same fresh files as fast as it can; before, one that found a file made by
  // another between its check and its exclusive create failed with EEXIST (`fulcrum migrate` x3).
  const child = `
    const { touchPrivateFile, writePrivateFile } = await import(process.argv[1]);
    const dir = process.argv[2];
    for (let i = 0; i < 300; i++) {
      touchPrivateFile(dir + '/db-' + i);
      writePrivateFile(dir + '/token-' + i, 'from ' + process.pid + '\\n');
    }`;
  it("each succeeds, and every file is whole and only its owner's", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-private-race-'));
    try {
      const mod = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/private-files.js')).href;
      const runs = await Promise.all(
        [1, 2, 3, 4].map(
          () =>
            new Promise<{ code: number | null; stderr: string }>((resolve) => {
              const p = spawn(process.execPath, ['--input-type=module', '-e', child, mod, dir], {
                stdio: ['ignore', 'ignore', 'pipe'],
              });
              let stderr = '';
              p.stderr.on('data', (b) => {
                stderr += b;
              });
              p.on('close', (code) => resolve({ code, stderr }));
            }),
        ),
      );
      for (const r of runs) expect(r, r.stderr).toEqual({ code: 0, stderr: '' });
      const names = fs.readdirSync(dir);
      expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
      expect(names).toHaveLength(600);
      for (const n of names) {
        expect([n, fs.statSync(path.join(dir, n)).mode & 0o777]).toEqual([n, 0o600]);
        if (n.startsWith('token-')) expect(fs.readFileSync(path.join(dir, n), 'utf8')).toMatch(/^from \d+\n$/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
