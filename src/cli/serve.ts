// `fulcrum serve`: the HTTP API, dashboard and gateways in one process.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createApp, openConfiguredDatabase } from '../app.js';
import { loadConfig } from '../config.js';
import { type DataDirLock, lockDataDir } from '../db/data-dir-lock.js';
import { stopOffLoop } from '../http/off-loop.js';
import { buildServer } from '../http/server.js';
import { ensurePrivateDir } from '../private-files.js';
import { CliError } from './client.js';
import { stopNode } from './serve-stop.js';

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const env = { ...process.env };
  // Checked before anything is written: out of range, it made the data directory, an admin token and a
  // database, then stopped with Node's own words for the socket, naming neither --port nor FULCRUM_PORT.
  if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535))
    throw new CliError(`--port must be a whole number from 0 to 65535, got "${values.port}"`, 2);
  if (values.port) env.FULCRUM_PORT = values.port;
  if (values['data-dir']) env.FULCRUM_DATA_DIR = values['data-dir'];
  const config = loadConfig(env, { host: values.host });
  // SQLite: this process is the one writer of its data directory; a second would race the
  // migrations, then write the same file with its own audit chain and caches (docs/operations.md).
  // Taken before the database is opened: a process that opened it first, lock or not, could be in a
  // directory another one (a demo taking over a stale claim) is clearing.
  // On PostgreSQL it is made once the database has answered (nothing is made for a start that cannot run).
  if (!config.databaseUrl) usableDataDir(config.dataDir);
  const lock: DataDirLock | undefined = config.databaseUrl ? undefined : lockDataDir(config.dataDir);
  let database: ReturnType<typeof openConfiguredDatabase>;
  try {
    database = openConfiguredDatabase(config);
  } catch (err) {
    lock?.release();
    throw err;
  }
  // A start that fails past this point undoes what it started: on PostgreSQL the pool, the LISTEN
  // connection and the app's timers kept a node that failed to listen running (not serving) for good.
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let server: Awaited<ReturnType<typeof buildServer>> | undefined;
  let address: string;
  try {
    if (config.databaseUrl) {
      await reachable(database);
      usableDataDir(config.dataDir);
    }
    app = await createApp(config, database);
    if (app.adminToken.generated) {
      const { token, file } = app.adminToken.generated;
      // Shown to a person at a terminal only: piped output ends up in container and CI logs.
      if (process.stdout.isTTY)
        process.stdout.write(`\nGenerated the admin token (shown once; also saved to ${file}, mode 0600):\n\n  ${token}\n\n`);
      else
        process.stderr.write(
          `Generated the admin token: saved to ${file} (mode 0600), not printed as stdout is not a terminal\n`,
        );
    }
    server = await buildServer(app, { logger: true });
    address = await server.listen({ host: config.host, port: config.port }).catch((err: unknown) => {
      throw listenError(err, config);
    });
  } catch (err) {
    await server?.close();
    await stopOffLoop();
    if (app) await app.close();
    else await database.destroy();
    lock?.release();
    throw err;
  }
  // As constants, so that the signal handlers below see them started (a closure does not keep a narrowed `let`).
  const started = server;
  const running = app;

  return new Promise<number>((resolve) => {
    // One stop, whichever signal comes first: a SIGINT after a SIGTERM (or the reverse) ran a second
    // stop beside the first, whose database close cut the first's clean-shutdown checkpoint and
    // whatever of its writes were still to come. The same signal again is not caught (`once`): it
    // ends the process at once, as a second Ctrl-C is expected to.
    let stopping: string | undefined;
    const stop = async (signal: string) => {
      if (stopping) {
        started.log.warn(`${signal}: already shutting down (since ${stopping}); send ${signal} again to end at once`);
        return;
      }
      stopping = signal;
      started.log.info(`${signal}: shutting down`);
      resolve(await stopNode(started, running, lock));
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    // Said once the signals are handled: a supervisor (or a test) that stops the node as soon as it reads
    // the line killed it outright, by the signal's default action, one time in two when it was said first.
    started.log.info({ database: running.database.location, url: address }, `Fulcrum listening on ${address}`);
    // Also said plainly whatever the log level, for people and scripts that wait for it.
    process.stderr.write(`Fulcrum listening on ${address} (database: ${running.database.location})\n`);
  });
}

/**
 * FULCRUM_DATA_DIR, made if need be and checked before anything is written to it (on PostgreSQL too:
 * the admin token and the audit key live there). A file there, or a directory this process may not
 * write, stopped the start with Node's words ("ENOTDIR: not a directory, open '…/fulcrum.lock'", after
 * a warning that the file "is readable by other users"), naming no setting.
 */
function usableDataDir(dir: string): void {
  const named = `FULCRUM_DATA_DIR (--data-dir): ${dir}`;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir, { throwIfNoEntry: false });
  } catch (err) {
    throw new Error(`${named} cannot be read: ${(err as Error).message}`);
  }
  if (stat && !stat.isDirectory()) throw new Error(`${named} is not a directory`);
  if (!stat) {
    try {
      ensurePrivateDir(dir);
    } catch (err) {
      throw new Error(`${named} cannot be made: ${(err as Error).message}`);
    }
    return;
  }
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    // The uid, not the user's name: a container's user may have no entry in /etc/passwd (os.userInfo throws).
    throw new Error(`${named} is not readable and writable by this process (uid ${process.getuid?.() ?? 'unknown'})`);
  }
}

/**
 * FULCRUM_DATABASE_URL, tried before anything is written to it: unreachable, it stopped the start with
 * "migrations failed: connect ECONNREFUSED ..." ("getaddrinfo ENOTFOUND base" for a mistyped URL),
 * naming neither the setting nor the database. Its password is hidden (the handle's location).
 */
async function reachable(database: ReturnType<typeof openConfiguredDatabase>): Promise<void> {
  try {
    await sql`SELECT 1`.execute(database.db);
  } catch (err) {
    throw new Error(`FULCRUM_DATABASE_URL (${database.location}): cannot connect: ${(err as Error).message}`);
  }
}

/** What a port taken says: the demo, which runs serve as a child and chose the port itself, reads it
 *  on the child's stderr to say so in its own words (demo.ts). */
export const PORT_IN_USE = 'is in use by another process';

/** A socket the server could not have, said as the settings that chose it (Node's words name neither). */
function listenError(err: unknown, config: { host: string; port: number }): unknown {
  const at = `${config.host}:${config.port}`;
  switch ((err as { code?: string }).code) {
    case 'EADDRINUSE':
      return new Error(`FULCRUM_PORT (--port): ${at} ${PORT_IN_USE}: stop it, or choose another port`);
    case 'EACCES':
      return new Error(`FULCRUM_PORT (--port): this process may not listen on ${at} (ports below 1024 need privileges)`);
    case 'EADDRNOTAVAIL':
      return new Error(`FULCRUM_HOST (--host): ${config.host} is not an address of this machine`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Error(`FULCRUM_HOST (--host): ${config.host} does not resolve to an address`);
    default:
      return err;
  }
}
