// `fulcrum apply -f` given far more than a set of descriptors (a home folder, a checkout with its
// dependencies): it stops at a bound on the files and bytes one apply sends, names the limit and the
// path, exits 2, and sends nothing, instead of reading the whole tree into memory first.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWithin } from '../support/process.js';

describe('apply -f over a tree larger than one apply', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-apply-bounds-'));
  const requests: string[] = [];
  let url = '';
  // Whatever reaches it is applied "successfully": only the bound can make the command fail.
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ dryRun: false, revision: 1, created: [], updated: [], unchanged: [], deleted: [], warnings: [] }));
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ PATH: process.env.PATH, FULCRUM_DATA_DIR: dir, FULCRUM_URL: url, FULCRUM_TOKEN: 'fpt_t' });

  it('refuses descriptors over 16 MiB in all, naming the limit and the file, before sending anything', async () => {
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    // Each under the 16 MiB one file may hold; together over what one apply sends.
    for (const n of ['a', 'b', 'c']) fs.writeFileSync(path.join(big, `${n}.yaml`), `# ${'x'.repeat(6 * 1024 * 1024)}\n`);
    const r = await cliWithin(env(), ['apply', '-f', big]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `fulcrum apply: ${path.join(big, 'c.yaml')}: the descriptors read up to it are over the 16777216 bytes one apply sends`,
    );
    // Shared by every -f: two folders, each under the limit, are over it together.
    const r2 = await cliWithin(env(), [
      'apply',
      '-f',
      path.join(big, 'a.yaml'),
      '-f',
      path.join(big, 'b.yaml'),
      '-f',
      path.join(big, 'c.yaml'),
    ]);
    expect(r2.code, r2.stderr).toBe(2);
    expect(r2.stderr).toContain('over the 16777216 bytes one apply sends');
    expect(requests).toEqual([]);
  });

  it('stops walking a folder past 10000 descriptor files, naming the limit and the folder', async () => {
    const many = path.join(dir, 'many');
    for (let d = 0; d < 11; d++) {
      fs.mkdirSync(path.join(many, `d${d}`), { recursive: true });
      for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(many, `d${d}`, `f${f}.yml`), '');
    }
    const r = await cliWithin(env(), ['apply', '-f', many]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^fulcrum apply: ${many}: over the 10000 descriptor files one apply reads \\(at ${many}/d\\d+/f\\d+\\.yml\\)`,
        'm',
      ),
    );
    expect(requests).toEqual([]);
    // A set within both bounds is sent as before.
    const ok = await cliWithin(env(), ['apply', '-f', path.join(many, 'd0')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(requests).toEqual(['POST /v1/apply?dryRun=false&prune=false']);
  });
});
