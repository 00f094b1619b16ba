// `fulcrum serve` given a port no socket can have: refused before anything is written, naming what was
// given. It made the data directory, generated and saved an admin token and migrated a database, then
// stopped with Node's own "options.port should be >= 0 and < 65536", naming neither --port nor FULCRUM_PORT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/process.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-serve-flags-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('fulcrum serve and a port out of range', () => {
  it('refuses --port 99999 (exit 2) and FULCRUM_PORT=70000, writing nothing', async () => {
    const given = path.join(root, 'given');
    const flag = await cli({ PATH: process.env.PATH, FULCRUM_DATA_DIR: given }, 'serve', '--port', '99999');
    expect(flag.code, flag.stderr).toBe(2);
    expect(flag.stderr).toContain('fulcrum serve: --port must be a whole number from 0 to 65535, got "99999"');
    expect(fs.existsSync(given)).toBe(false);

    const set = path.join(root, 'set');
    const env = await cli({ PATH: process.env.PATH, FULCRUM_DATA_DIR: set, FULCRUM_PORT: '70000' }, 'serve');
    expect(env.code, env.stderr).toBe(1);
    expect(env.stderr).toContain('FULCRUM_PORT must be at most 65535 (the highest TCP port), got 70000');
    expect(fs.existsSync(set)).toBe(false);
  });
});
