// `fulcrum serve` that cannot start: a port another process holds, a log level pino has not got, a
// database it cannot reach. Each is one line naming the setting, a non-zero exit, and nothing left
// holding the process or the data directory. On PostgreSQL a port in use printed Node's own
// "listen EADDRINUSE" and then never exited (the app's pool and timers kept it up, not listening),
// so an orchestrator saw a live process that answered nothing.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES } from '../support/databases.js';
import { cliWithin } from '../support/process.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-serve-start-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(ENGINES)('fulcrum serve that cannot start (%s)', (engine) => {
  it('names FULCRUM_PORT when its port is in use, exits 1 and leaves the data directory free', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const db = await createTestDatabase(engine);
    try {
      const env = {
        PATH: process.env.PATH,
        FULCRUM_DATA_DIR: db.dir,
        FULCRUM_PORT: String(port),
        ...(db.url ? { FULCRUM_DATABASE_URL: db.url } : {}),
      };
      // Killed after 30 s: a start that fails must end well before (code null: it never exited).
      const run = await cliWithin(env, ['serve'], 30_000);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`FULCRUM_PORT (--port): 127.0.0.1:${port} is in use by another process`);
      expect(run.stderr).not.toContain('Fulcrum listening');
      // The data directory's holder is gone with it: no pid file names a process that is not there.
      expect(fs.existsSync(path.join(db.dir, 'fulcrum.pid'))).toBe(false);
    } finally {
      busy.close();
      await db.drop();
    }
  }, 60_000);
});

describe('fulcrum serve with a setting it cannot use', () => {
  it('refuses a log level pino does not have, naming FULCRUM_LOG_LEVEL, before writing anything', async () => {
    const dir = path.join(root, 'log-level');
    const run = await cliWithin(
      { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir, FULCRUM_LOG_LEVEL: 'verbose' },
      ['serve'],
      30_000,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      'FULCRUM_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('names FULCRUM_DATABASE_URL, its password hidden, when PostgreSQL cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
    const dir = path.join(root, 'unreachable');
    const run = await cliWithin(
      {
        PATH: process.env.PATH,
        FULCRUM_DATA_DIR: dir,
        FULCRUM_DATABASE_URL: `postgresql://fulcrum:s3cret-pw@127.0.0.1:${port}/fulcrum`,
      },
      ['serve'],
      30_000,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`FULCRUM_DATABASE_URL (postgresql://fulcrum:***@127.0.0.1:${port}/fulcrum): cannot connect:`);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(`${run.stdout}${run.stderr}`).not.toContain('s3cret-pw');
    expect(fs.existsSync(dir)).toBe(false);
  });
  it('names FULCRUM_DATA_DIR when it is a file, or cannot be made under one, before writing anything', async () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'not a directory\n');
    const onFile = await cliWithin({ PATH: process.env.PATH, FULCRUM_DATA_DIR: file }, ['serve'], 30_000);
    expect(onFile.code, onFile.stderr).toBe(1);
    expect(onFile.stderr).toContain(`FULCRUM_DATA_DIR (--data-dir): ${file} is not a directory`);
    expect(onFile.stderr).not.toContain('readable by other users');
    const under = path.join(file, 'data');
    const underFile = await cliWithin({ PATH: process.env.PATH, FULCRUM_DATA_DIR: under }, ['serve'], 30_000);
    expect(underFile.code, underFile.stderr).toBe(1);
    expect(underFile.stderr).toContain(`FULCRUM_DATA_DIR (--data-dir): ${under} cannot`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory\n');
  });
});
