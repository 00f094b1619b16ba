// `fulcrum demo`: a real Fulcrum (`fulcrum serve` as a child process, on a fresh embedded database)
// with examples/acme applied and 90 days of the company's AI activity replayed through the API,
// then the diagnostic, and the server left running for the console and the CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { replay } from '../demo/replay.js';
import { parseStdioAllow } from '../mcp/stdio.js';
import { CliError, connect, ok } from './client.js';
import { formatDiagnostic } from './diagnose.js';

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
  const dataDir = values['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-demo-'));
  const release = claim(dataDir);

  const started = Date.now();
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(dataDir, String(port));
  } catch (err) {
    // Nothing was served from it: what the server wrote goes, so the same command can run again.
    release(true);
    throw err;
  }
  release(false);
  const { child, url } = server;
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

function wholeNumber(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag} must be a whole number, got "${v}"`, 2);
  return n;
}

/** The command line of examples/acme's stdio McpServer (mcp.yaml), which the demo's server allows. */
const EXAMPLE_STDIO = ['npx', '-y', '@modelcontextprotocol/server-everything@2026.8.31'];

/** `fulcrum serve` in a child process, so the replay and the server each have a core. */
async function startServer(dataDir: string, port: string): Promise<{ child: ChildProcess; url: string }> {
  // The demo is its own server's operator: it allows the example's stdio server, besides what is set.
  const stdioAllow = JSON.stringify([...parseStdioAllow(process.env.FULCRUM_MCP_STDIO_ALLOW), EXAMPLE_STDIO]);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/fulcrum'), 'serve', '--port', port, '--data-dir', dataDir], {
    env: { ...process.env, FULCRUM_LOG_LEVEL: 'warn', FULCRUM_DATABASE_URL: '', FULCRUM_MCP_STDIO_ALLOW: stdioAllow },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /Fulcrum listening on (\S+)/.exec(buffered);
      if (!m) return;
      child.stderr?.off('data', onData);
      // From here on the server's own messages reach the terminal, minus the token banner already read.
      child.stderr?.pipe(process.stderr);
      resolve({ child, url: m[1] as string });
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new CliError(`the server exited (code ${code}) before listening:\n${buffered}`)));
  });
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
