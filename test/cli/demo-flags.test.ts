// `fulcrum demo` with odd flags and odd company: a port out of range, a data directory that is a file,
// a port already taken, and two demos started into one directory at once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli } from '../support/process.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-demo-flags-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function demo(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout?.on('data', (d) => {
      stdout += d;
    });
    p.stderr?.on('data', (d) => {
      stderr += d;
    });
    p.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fulcrum demo flags', () => {
  it('refuses a port out of range before writing anything (it left a database behind, so the same dir was then "not empty")', async () => {
    const dir = path.join(tmp(), 'fresh');
    const out = await cli(process.env, 'demo', '--port', '99999', '--data-dir', dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--port must be between 0 and 65535, got 99999');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });

  it('says a data directory that is a file is not a directory (it printed ENOTDIR: scandir)', async () => {
    const file = path.join(tmp(), 'a-file');
    fs.writeFileSync(file, 'x');
    const out = await cli(process.env, 'demo', '--data-dir', file);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`--data-dir ${file} is not a directory`);
  });

  it('says its port is taken and what to do, and leaves the directory empty so the same command runs again', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as net.AddressInfo).port;
    const dir = tmp();
    const out = await cli(process.env, 'demo', '--port', String(port), '--data-dir', dir);
    // Without --data-dir the demo makes its own directory in the temporary one: it goes too.
    const scratch = tmp();
    const own = await cli({ ...process.env, TMPDIR: scratch }, 'demo', '--port', String(port));
    await new Promise((r) => taken.close(r));
    // It printed Node's "listen EADDRINUSE" under "the server exited (code 1) before listening", and
    // the line about an admin token saved in the directory it had just emptied.
    const said = `fulcrum demo: port ${port} is already in use (a demo or a Fulcrum still running? another program?): stop it, or run the demo on another port with --port P (0: any free port)\n`;
    expect([out.code, out.stderr]).toEqual([1, said]);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect([own.code, own.stderr]).toEqual([1, said]);
    expect(fs.readdirSync(scratch)).toEqual([]);
  }, 60_000);

  it('two demos into one empty directory at once: one runs, the other is refused', async () => {
    const dir = tmp();
    const runs = await Promise.all([
      demo('--days', '1', '--port', '0', '--data-dir', dir, '--exit-after-replay'),
      demo('--days', '1', '--port', '0', '--data-dir', dir, '--exit-after-replay'),
    ]);
    const codes = runs.map((r) => r.code).sort();
    expect(codes, runs.map((r) => r.stderr).join('\n---\n')).toEqual([0, 2]);
    expect(runs.find((r) => r.code === 2)?.stderr).toContain(`--data-dir ${dir} is not empty`);
    expect(fs.readdirSync(dir)).not.toContain('.fulcrum-demo-starting');
  }, 120_000);
});
