// `fulcrum demo` stopped while its server starts (Ctrl-C, SIGTERM), and a demo that died then: the
// next `fulcrum demo` into the same directory must run, not find it "not empty" for good.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, serve, stop } from '../support/process.js';
import { until } from '../support/wait.js';

const CLAIM = '.fulcrum-demo-starting';
const dirs: string[] = [];
const procs: ChildProcess[] = [];
const pids: number[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-demo-int-'));
  dirs.push(d);
  return d;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  // A demo's server that outlived a failed test names itself in its data directory.
  for (const d of dirs)
    for (const f of [path.join(d, 'fulcrum.pid'), path.join(d, 'data', 'fulcrum.pid')])
      if (fs.existsSync(f)) pids.push(Number(fs.readFileSync(f, 'utf8').split(' ')[0]));
  for (const pid of pids.splice(0)) if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function demo(env: NodeJS.ProcessEnv, ...args: string[]) {
  const proc = spawn(BIN, ['demo', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  proc.stdout?.resume();
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    proc.once('exit', (code) => resolve({ code, stderr })),
  );
  return { proc, exited };
}

/**
 * A module loaded into every Node process of the demo (NODE_OPTIONS): in `fulcrum serve` it writes
 * the process's pid to `held` and waits there for good, so the test signals the demo while its
 * server is surely still starting. Written beside and renamed: the test, polling for the file, once
 * read it empty (Node 24, CI load), as pid 0, which a signal check reads as alive (its own group).
 */
function holdServerStarting(dir: string): { env: NodeJS.ProcessEnv; held: string } {
  const held = path.join(dir, 'held');
  const hold = path.join(dir, 'hold.mjs');
  fs.writeFileSync(
    hold,
    `import fs from 'node:fs';
if (process.argv.includes('serve')) {
  fs.writeFileSync(${JSON.stringify(`${held}.tmp`)}, String(process.pid));
  fs.renameSync(${JSON.stringify(`${held}.tmp`)}, ${JSON.stringify(held)});
  await new Promise(() => setInterval(() => {}, 60_000));
}
`,
  );
  return { env: { ...process.env, NODE_OPTIONS: `--import=${hold}` }, held };
}

describe('fulcrum demo stopped while its server starts', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal}: stops the server and leaves the directory empty (it left its claim, so the next demo refused)`, async () => {
      const work = tmp();
      const dataDir = path.join(work, 'data');
      const { env, held } = holdServerStarting(work);
      const run = demo(env, '--data-dir', dataDir);
      await until(() => fs.existsSync(held), 'the demo server to start starting', { timeoutMs: 30_000 });
      const server = Number(fs.readFileSync(held, 'utf8'));
      expect(server).toBeGreaterThan(0);
      pids.push(server);
      expect(fs.readdirSync(dataDir)).toContain(CLAIM);
      run.proc.kill(signal);
      const out = await run.exited;
      expect(out.code, out.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(fs.readdirSync(dataDir)).toEqual([]);
      expect(alive(server)).toBe(false);
    }, 60_000);
  }
});

describe('a claim left by a demo that is gone', () => {
  const deadPid = () => {
    const p = spawnSync(process.execPath, ['-e', '0']);
    return p.pid as number;
  };

  it('is taken over with what that demo wrote: the new demo runs', async () => {
    const dataDir = tmp();
    fs.writeFileSync(path.join(dataDir, CLAIM), String(deadPid()));
    fs.writeFileSync(path.join(dataDir, 'fulcrum.db'), 'half a database');
    const run = demo(process.env, '--days', '1', '--data-dir', dataDir, '--exit-after-replay');
    const out = await run.exited;
    expect(out.code, out.stderr).toBe(0);
    expect(fs.readdirSync(dataDir)).not.toContain(CLAIM);
  }, 120_000);

  it('is refused, its files kept, while the server of that demo still runs (the demo was killed outright)', async () => {
    const dataDir = tmp();
    const server = await serve({ PATH: process.env.PATH, FULCRUM_DATA_DIR: dataDir });
    try {
      fs.writeFileSync(path.join(dataDir, CLAIM), String(deadPid()));
      const before = fs.readdirSync(dataDir).sort();
      const out = await demo(process.env, '--days', '1', '--data-dir', dataDir, '--exit-after-replay').exited;
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(`its demo is gone but its server is not`);
      expect(out.stderr).toContain(`pid ${server.proc.pid}`);
      expect(fs.readdirSync(dataDir).sort()).toEqual(before);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await stop(server);
    }
  }, 120_000);

  it('is refused while the demo that wrote it runs, naming its pid', async () => {
    const dataDir = tmp();
    fs.writeFileSync(path.join(dataDir, CLAIM), String(process.pid));
    const out = await demo(process.env, '--days', '1', '--data-dir', dataDir, '--exit-after-replay').exited;
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`pid ${process.pid}`);
    expect(fs.readFileSync(path.join(dataDir, CLAIM), 'utf8')).toBe(String(process.pid));
  }, 60_000);
});
