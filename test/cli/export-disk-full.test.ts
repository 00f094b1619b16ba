// `fulcrum export -o DIR` on a disk that fills while it writes: every descriptor file or none, so the
// folder never holds some kinds of this export beside another export's (or none) of the rest, which
// `fulcrum apply -f DIR --prune` would take for the whole registry. A small tmpfs is the full disk: the
// test needs to mount one (root), and is skipped where it cannot.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/process.js';
import { ADMIN_TOKEN, startMini, type TestServer } from '../support/server.js';
import { smallDisk } from '../support/small-disk.js';

const disk = smallDisk();
const { dir: small, mounted } = disk;

describe.skipIf(!mounted)('fulcrum export -o on a disk that fills', () => {
  let t: TestServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ({ t } = await startMini('sqlite'));
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    env = { PATH: process.env.PATH, FULCRUM_URL: url, FULCRUM_TOKEN: ADMIN_TOKEN };
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('writes every file or none, and says nothing was written', async () => {
    const out = path.join(small, 'gov');
    // Room for the whole export first: how many files it writes.
    const whole = await cli(env, 'export', '-o', out);
    expect(whole.code, whole.stderr).toBe(0);
    const names = fs.readdirSync(out).sort();
    expect(names.length).toBeGreaterThan(2);
    fs.rmSync(out, { recursive: true });
    // Two pages (tmpfs counts 4 KiB pages) left: the first small files fit, the rest do not.
    const free = () => Number(execFileSync('df', ['-B1', '--output=avail', small]).toString().split('\n')[1]);
    fs.writeFileSync(path.join(small, 'filler'), Buffer.alloc(free() - 8192));
    const r = await cli(env, 'export', '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^fulcrum export: ${out}/[\\w-]+\\.yaml not written: ENOSPC.*: nothing was written`));
    expect(fs.readdirSync(out)).toEqual([]);
    // With room again it writes them all.
    fs.rmSync(path.join(small, 'filler'));
    expect((await cli(env, 'export', '-o', out)).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(names);
  });
});

afterAll(() => disk.remove());
