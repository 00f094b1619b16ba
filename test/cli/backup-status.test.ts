// `fulcrum backup status` against a real served SQLite node (docs/operations.md, "Backups"): none yet
// (exit 1, for a cron job's check), then the backup just taken, as text and --json; and against an
// answer of a newer Fulcrum, holding a state this CLI does not know, shown as the server words it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MINI } from '../support/files.js';
import { cli, type ServedBundle, serveBundle } from '../support/process.js';

describe('fulcrum backup status', { timeout: 120_000 }, () => {
  let bundle: ServedBundle | undefined;
  let newer: http.Server | undefined;
  afterEach(async () => {
    await bundle?.close();
    bundle = undefined;
    await new Promise((r) => (newer ? newer.close(r) : r(undefined)));
    newer = undefined;
  });

  it('says there is none (exit 1), then the one just taken: when, where, how large, what its check found', async () => {
    bundle = await serveBundle(MINI);
    const { env } = bundle;
    const none = await cli(env, 'backup', 'status');
    expect(none.code, none.stderr).toBe(1);
    expect(none.stdout).toMatch(
      /^no backup to show \(sqlite, none\): no backup of this data directory was written whole and checked clean/,
    );

    const file = path.join(fs.mkdtempSync(path.join(bundle.db.dir, 'backups-')), 'nightly.db');
    expect((await cli(env, 'backup', '--to', file)).code).toBe(0);
    const bytes = fs.statSync(file).size;
    const shown = await cli(env, 'backup', 'status');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(
        `^last backup \\S+Z \\(\\d+ s ago\\): ${file}, ${bytes} bytes, [\\d.]+ s\\nchecked: integrity ok; audit log intact: \\d+ entries in \\d+ chain\\(s\\), signed checkpoints checked with key \\w+\\n$`,
      ),
    );
    const json = await cli(env, 'backup', 'status', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ engine: 'sqlite', state: 'recorded', lastBackup: { file, bytes } });
  });

  it('shows a state a newer Fulcrum added as it came, neither failing nor printing undefined', async () => {
    newer = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          req.url === '/v1/backup'
            ? { engine: 'sqlite', state: 'replicating', note: 'streamed to s3://backups: 4 s behind', since: 'a newer field' }
            : {},
        ),
      );
    });
    await new Promise<void>((r) => newer?.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(newer.address() as AddressInfo).port}`;
    const r = await cli({ PATH: process.env.PATH, FULCRUM_URL: url, FULCRUM_TOKEN: 'fat_any' }, 'backup', 'status');
    expect([r.code, r.stdout], r.stderr).toEqual([
      0,
      'no backup to show (sqlite, replicating): streamed to s3://backups: 4 s behind\n',
    ]);
  });
});
