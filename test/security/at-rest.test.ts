// What Fulcrum leaves on disk is its user's alone: the data directory 0700, the database (and its WAL),
// keys and token files 0600; a generated admin token goes to its file, not into piped logs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
