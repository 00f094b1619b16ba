// Runs `bin/fulcrum` as a real process: `serve` on a free port, and one-shot commands.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { ACME_STDIO } from './files.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/fulcrum');

/**
 * The Node.js that clients run in child processes run on: this one, or FULCRUM_TEST_CHILD_NODE (a
 * newer one, for clients that need Node 22 when the suite runs on Node 20), and its major version.
 */
export const CHILD_NODE = process.env.FULCRUM_TEST_CHILD_NODE || process.execPath;
export const CHILD_NODE_MAJOR = Number(
  (CHILD_NODE === process.execPath
    ? process.versions.node
    : execFileSync(CHILD_NODE, ['-p', 'process.versions.node']).toString()
  ).split('.')[0],
);
const exec = promisify(execFile);

/**
 * libfaketime's variables, passed on to every child: a suite run under `faketime` (to try a day's or a
 * month's boundary) gives `fulcrum serve` and the CLI the test's clock, not the real one.
 */
const FAKED_CLOCK = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k === 'LD_PRELOAD' || k === 'DYLD_INSERT_LIBRARIES' || k.startsWith('FAKETIME')),
);

export interface Served {
  proc: ChildProcess;
  url: string;
  readonly stderr: string;
  /** What it wrote to stdout so far (its request log). */
  readonly stdout: string;
}

/**
 * Starts `fulcrum serve` on a free port and resolves once it listens. Unless `env` says otherwise,
 * the operator allows examples/acme's stdio server, as the README's quick start does.
 */
export async function serve(env: NodeJS.ProcessEnv): Promise<Served> {
  const allow = { FULCRUM_MCP_STDIO_ALLOW: JSON.stringify([ACME_STDIO]) };
  // Every answer is checked against the OpenAPI document (src/http/contract.ts); FULCRUM_CONTRACT_LOG
  // collects the violations of a whole run in one file.
  const contract = {
    FULCRUM_CHECK_RESPONSES: '1',
    ...(process.env.FULCRUM_CONTRACT_LOG ? { FULCRUM_CONTRACT_LOG: process.env.FULCRUM_CONTRACT_LOG } : {}),
  };
  const proc = spawn(BIN, ['serve'], {
    env: { ...allow, ...contract, ...env, ...FAKED_CLOCK, FULCRUM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`serve did not start:\n${stdout}\n${stderr}`));
    }, 60_000); // generous: a loaded 2-core machine has taken 35 s to start a server
    proc.stdout?.on('data', (d) => {
      stdout += d;
    });
    proc.stderr?.on('data', () => {
      const m = /^Fulcrum listening on (http:\/\/127\.0\.0\.1:\d+)/m.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  return {
    proc,
    url,
    get stderr() {
      return stderr;
    },
    get stdout() {
      return stdout;
    },
  };
}

/** Stops a server: SIGTERM (graceful) by default, or SIGKILL to simulate a crash. */
export async function stop(s: Served | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!s || s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill(signal);
  await exited;
}

export async function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(BIN, args, { env: { ...env, ...FAKED_CLOCK }, cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the CLI, killing a command still running after `killAfterMs` (one that would never end): `code` is then null. */
export function cliWithin(
  env: NodeJS.ProcessEnv,
  args: string[],
  killAfterMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      BIN,
      args,
      { env: { ...env, ...FAKED_CLOCK }, cwd: ROOT, timeout: killAfterMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: child.killed ? null : typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

/** A served Fulcrum with a bundle applied, and the environment its CLI commands run in. */
export interface ServedBundle {
  db: TestDatabase;
  server: Served;
  /** FULCRUM_DATA_DIR and FULCRUM_URL: a command run in it uses this server with the admin token. */
  env: NodeJS.ProcessEnv;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

/**
 * `fulcrum serve` on a fresh SQLite database with the descriptors in `dir` (e.g. MINI or ACME)
 * applied through `fulcrum apply`: the start of the CLI tests.
 */
export async function serveBundle(dir: string): Promise<ServedBundle> {
  const db = await createTestDatabase('sqlite');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, FULCRUM_DATA_DIR: db.dir };
  let server: Served | undefined;
  try {
    server = await serve(env);
    env.FULCRUM_URL = server.url;
    const applied = await cli(env, 'apply', '-f', dir);
    if (applied.code !== 0) throw new Error(`fulcrum apply -f ${dir} exited ${applied.code}:\n${applied.stderr}`);
  } catch (err) {
    await stop(server);
    await db.drop();
    throw err;
  }
  const served = server;
  return {
    db,
    server: served,
    env,
    close: async () => {
      await stop(served);
      await db.drop();
    },
  };
}

/** A JSON request to a served Fulcrum. */
export async function call(
  url: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(url + p, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
