// `fulcrum demo`: a real Fulcrum (`fulcrum serve` as a child process, on a fresh embedded database)
// with examples/acme applied and 90 days of the company's AI activity replayed through the API,
// then the diagnostic, and the server left running for the console and the CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lockDataDir } from '../db/data-dir-lock.js';
import { replay } from '../demo/replay.js';
import { parseStdioAllow } from '../mcp/stdio.js';
import { CliError, connect, ok } from './client.js';
import { formatDiagnostic } from './diagnose.js';
import { PORT_IN_USE } from './serve.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function demo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string', default: '42' },
      days: { type: 'string', default: '90' },
      port: { type: 'string', default: '4100' },
      'data-dir': { type: 'string' },
      examples: { type: 'string', default: path.join(ROOT, 'examples/acme') },
      'exit-after-replay': { type: 'boolean', default: false },
    },
  });
  const seed = wholeNumber(values.seed, '--seed');
  const days = wholeNumber(values.days, '--days');
  if (days < 1 || days > 365) throw new CliError('--days must be between 1 and 365', 2);
  const port = wholeNumber(values.port, '--port');
  if (port > 65_535) throw new CliError(`--port must be between 0 and 65535, got ${port}`, 2);
  const ownDir = values['data-dir'] === undefined;
  const dataDir = values['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-demo-'));
  const release = claim(dataDir);

  const started = Date.now();
  const { child, listening } = startServer(dataDir, String(port));
  // Until the server listens, a Ctrl-C (or SIGTERM) stops it and takes back everything, the claim
  // too: the demo had died there, its claim left behind, and the same command then found the
  // directory "not empty". `on`, not `once`: a second Ctrl-C must not kill the demo half-way either.
  let interrupted: NodeJS.Signals | undefined;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = signal;
    child.kill('SIGTERM');
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let url: string;
  try {
    url = await listening;
  } catch (err) {
    // Nothing was served from it: what the server wrote goes, so the same command can run again.
    release(true);
    if (interrupted)
      throw new CliError(
        `stopped by ${interrupted} while the server started; ${dataDir} is empty again`,
        SIGNAL_EXIT[interrupted],
      );
    // A directory of its own making is of no use to anyone now: each failed start left one in /tmp.
    if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    // The server's words name its own settings (FULCRUM_PORT), which the demo's --port overrides, and
    // an admin token saved in the directory just emptied.
    if (err instanceof CliError && err.message.includes(PORT_IN_USE))
      throw new CliError(
        `port ${port} is already in use (a demo or a Fulcrum still running? another program?): stop it, or run the demo on another port with --port P (0: any free port)`,
      );
    throw err;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  release(false);
  const stop = () => child.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const adminToken = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    process.stderr.write(`Replaying ${days} days of activity at Acme (seed ${seed}) into ${url}\n`);
    const bar = progressBar();
    const stats = await replay({ url, adminToken, examplesDir: values.examples, seed, days, onProgress: bar });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const diagnostic = await ok(connect({ url }, { FULCRUM_TOKEN: adminToken }).GET('/v1/diagnostic'));
    process.stdout.write(
      [
        '',
        `Replayed in ${seconds} s: ${stats.decisions} guard decisions (${stats.approvals} human approvals), ${stats.spans} OTLP spans, ${stats.events} task events, ${stats.spendLines} spend lines.`,
        `Incidents opened by monitors: ${stats.incidents.join(', ') || 'none'}.`,
        '',
        formatDiagnostic(diagnostic),
        `Fulcrum is running at ${url}`,
        `  console and API reference: ${url}/   ${url}/docs`,
        `  admin token: ${adminToken}`,
        `  data: ${dataDir}`,
        `  try: FULCRUM_URL=${url} FULCRUM_DATA_DIR=${dataDir} bin/fulcrum report --format pdf -o board.pdf`,
        '',
      ].join('\n'),
    );
    if (values['exit-after-replay']) {
      stop();
      return 0;
    }
    process.stdout.write('Press Ctrl-C to stop.\n');
    const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 0)));
    return code;
  } catch (err) {
    stop();
    throw err;
  }
}

const CLAIM = '.fulcrum-demo-starting';

/**
 * Makes `dir` this demo's: it must be empty (or not exist), and a claim file created exclusively
 * keeps a second demo started at the same moment from passing the same check (two demos into one
 * directory raced the database's migrations, or both replayed into one database). The returned
 * function drops the claim, and with `empty` everything the demo put there.
 */
function claim(dir: string): (empty: boolean) => void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  if (stat && !stat.isDirectory()) throw new CliError(`--data-dir ${dir} is not a directory`, 2);
  const notEmpty = () => new CliError(`--data-dir ${dir} is not empty: the demo starts on a fresh database`, 2);
  takeOverStaleClaim(dir);
  if (fs.readdirSync(dir).length > 0) throw notEmpty();
  try {
    fs.writeFileSync(path.join(dir, CLAIM), String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw notEmpty();
    throw err;
  }
  // Another demo that passed the check too lost the race for the claim file, or wrote beside it.
  if (fs.readdirSync(dir).length > 1) {
    fs.rmSync(path.join(dir, CLAIM), { force: true });
    throw notEmpty();
  }
  return (empty) => {
    if (!empty) return fs.rmSync(path.join(dir, CLAIM), { force: true });
    for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  };
}

/** The exit code of a process ended by a signal, as a shell reports it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A claim whose demo is gone (killed outright before it could clean up): nothing was served from the
 * directory, so it is emptied for this demo. A claim whose demo runs is refused, naming it; so is a
 * directory whose server outlived its demo (it still holds the data directory's lock).
 */
function takeOverStaleClaim(dir: string): void {
  const file = path.join(dir, CLAIM);
  let owner: string;
  try {
    owner = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const pid = Number(owner);
  if (Number.isInteger(pid) && pid > 0 && running(pid))
    throw new CliError(`--data-dir ${dir} is not empty: a demo (pid ${pid}) is starting in it`, 2);
  try {
    lockDataDir(dir).release();
  } catch (err) {
    throw new CliError(`--data-dir ${dir}: its demo is gone but its server is not: ${(err as Error).message}`, 2);
  }
  // Of several demos that found the same stale claim, the one whose rename lands takes it over; one
  // that renamed a claim written since (not the stale pid) puts it back and is refused.
  const taken = `${file}.${process.pid}`;
  try {
    fs.renameSync(file, taken);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`--data-dir ${dir}: another demo took it over`, 2);
    throw err;
  }
  if (fs.readFileSync(taken, 'utf8') !== owner) {
    fs.renameSync(taken, file);
    throw new CliError(`--data-dir ${dir}: another demo took it over`, 2);
  }
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // there, and someone else's
  }
}

function wholeNumber(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag} must be a whole number, got "${v}"`, 2);
  return n;
}

/** The command line of examples/acme's stdio McpServer (mcp.yaml), which the demo's server allows. */
const EXAMPLE_STDIO = ['npx', '-y', '@modelcontextprotocol/server-everything@2026.8.31'];

/** `fulcrum serve` in a child process, so the replay and the server each have a core. */
function startServer(dataDir: string, port: string): { child: ChildProcess; listening: Promise<string> } {
  // The demo is its own server's operator: it allows the example's stdio server, besides what is set.
  const stdioAllow = JSON.stringify([...parseStdioAllow(process.env.FULCRUM_MCP_STDIO_ALLOW), EXAMPLE_STDIO]);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/fulcrum'), 'serve', '--port', port, '--data-dir', dataDir], {
    env: { ...process.env, FULCRUM_LOG_LEVEL: 'warn', FULCRUM_DATABASE_URL: '', FULCRUM_MCP_STDIO_ALLOW: stdioAllow },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const listening = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /Fulcrum listening on (\S+)/.exec(buffered);
      if (!m) return;
      child.stderr?.off('data', onData);
      // From here on the server's own messages reach the terminal, minus the token banner already read.
      child.stderr?.pipe(process.stderr);
      resolve(m[1] as string);
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new CliError(`the server exited (code ${code}) before listening:\n${buffered}`)));
  });
  return { child, listening };
}

/** A progress bar on a terminal; one line per tenth of the way otherwise (logs, CI). */
function progressBar() {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done: number, total: number, label: string) => {
    const share = done / total;
    if (tty) {
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  day ${done}/${total} (${label})`,
      );
      if (done === total) process.stderr.write('\n');
    } else if (Math.floor(share * 10) !== lastTenth) {
      lastTenth = Math.floor(share * 10);
      process.stderr.write(`  ${Math.round(share * 100)}%  day ${done}/${total} (${label})\n`);
    }
  };
}
