// A command whose work stops with nothing left to wait for (a promise that can no longer settle: a
// request node:http dropped without an error, as a 101 was) ended as a success, silently: exit 0 and
// no output. bin/fulcrum says it stopped before it finished, and exits 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cliWithin } from '../support/process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-unfinished-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('exits 1 saying so when a command stops before it finished', async () => {
  const stall = path.resolve(import.meta.dirname, '../fixtures/stall-http.mjs');
  const r = await cliWithin(
    {
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: dir,
      FULCRUM_URL: 'http://127.0.0.1:9',
      FULCRUM_TOKEN: 'fpt_the-token',
      NODE_OPTIONS: `--import ${stall}`,
    },
    ['decisions'],
    30_000,
  );
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toBe('fulcrum: the command stopped before it finished (a fault in fulcrum; please report it)\n');
  expect(r.stdout).toBe('');
});
