// `fulcrum audit verify --archive` reads an archive an auditor was handed, which may be hostile: what
// gunzip makes of it is read as a stream and never written to disk, nothing after the archive's end
// is kept, and no line is held past a bound, so a few megabytes cannot fill the disk, hold the CLI
// for minutes or crash it.
import { type ChildProcess, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/governance/evidence-verify.js';
import { BIN, cli, cliWithin } from '../support/process.js';
import { ADMIN_TOKEN, startMini } from '../support/server.js';

const MiB = 1024 * 1024;

/** A tar header block (512 bytes) for a member `name` of `size` bytes. */
function header(name: string, size: number, type: 'File' | 'SymbolicLink' = 'File', linkpath?: string): Buffer {
  const block = Buffer.alloc(512);
  new tar.Header({ path: name, size, type, mode: 0o644, mtime: new Date(0), ...(linkpath ? { linkpath } : {}) }).encode(block);
  return block;
}

const pad = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

/** Members as tar blocks, without the end-of-archive blocks. */
function members(files: Array<[string, Buffer]>): Buffer {
  return Buffer.concat(files.flatMap(([name, body]) => [header(name, body.length), body, pad(body.length)]));
}

/** One MiB of `fill` with two other bytes in each KiB: gzip makes ~190 times less of it (node-tar allows 1,000). */
function filler(fill: string): Buffer {
  const b = Buffer.alloc(MiB, fill);
  for (let i = 0; i < b.length; i += 1024) b.write(((i / 1024) % 97).toString(36).padStart(2, 'b'), i);
  return b;
}

/**
 * `mib` MiB of `fill` as gzip members (a gzip stream may hold many): the same compressed MiB written
 * `mib` times, so a bomb of hundreds of megabytes costs a few megabytes and no time to make.
 */
function gzipped(mib: number, fill: string): Buffer[] {
  const one = gzipSync(filler(fill), { level: 9 });
  return Array.from({ length: mib }, () => one);
}

describe('an evidence archive made to exhaust the verifier', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-archive-bounds-'));
  const files: Array<[string, Buffer]> = [];
  let chainId: string;
  // The CLI's temporary files, if any, go in the test's folder (a verifier that dies leaves them).
  const env = { PATH: process.env.PATH, TMPDIR: fs.mkdtempSync(path.join(dir, 'cli-tmp-')) };
  beforeAll(async () => {
    const { t, key } = await startMini('sqlite');
    try {
      for (const amount of [10, 900, 20])
        await t.request({
          method: 'POST',
          url: '/v1/decisions',
          token: key,
          payload: { action: 'tool.call', tool: 'crm.refund', arguments: { amount, orderId: 'o' } },
        });
      const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
      const archive = path.join(dir, 'evidence.tar.gz');
      const res = await cli(
        { ...env, FULCRUM_URL: url, FULCRUM_TOKEN: ADMIN_TOKEN },
        'evidence',
        'export',
        '--initiative',
        'support-deflection',
        '-o',
        archive,
      );
      expect(res.code, res.stderr).toBe(0);
      await tar.t({
        file: archive,
        onReadEntry: (e) => {
          if (e.type !== 'File') return e.resume();
          const parts: Buffer[] = [];
          e.on('data', (c: Buffer) => parts.push(c));
          e.on('end', () => files.push([e.path, Buffer.concat(parts)]));
        },
      });
    } finally {
      await t.close();
    }
    chainId = (JSON.parse(files.find(([n]) => n === 'audit/proof.json')?.[1].toString() ?? '[]')[0] as { chainId: string })
      .chainId;
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const segment = () => `audit/${chainId}.jsonl`;
  /** The entries of the exported segment: the registry's acts (people's roles), the agent's key, its three decisions. */
  const entries = () => (files.find(([n]) => n === segment()) as [string, Buffer])[1].toString().trimEnd().split('\n').length;
  const write = (name: string, parts: Buffer[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.concat(parts));
    return file;
  };
  const end = gzipSync(Buffer.alloc(1024));

  it('verifies the archive as exported (the cases below start from it)', async () => {
    const file = write('plain.tar.gz', [gzipSync(members(files)), end]);
    expect(await verifyArchive(file)).toMatchObject({ ok: true, chains: 1 });
  });

  it('writes nothing to disk for a member of 512 MiB that gzip made 190 times smaller', async () => {
    const big = 512 * MiB;
    const file = write('bomb.tar.gz', [
      gzipSync(Buffer.concat([members(files), header('filler.bin', big)])),
      ...gzipped(512, '\0'),
      gzipSync(Buffer.concat([pad(big), Buffer.alloc(1024)])),
    ]);
    expect(fs.statSync(file).size).toBeLessThan(4 * MiB);
    // The CLI's temporary folder, watched while it runs: before, the archive was unpacked into it whole.
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    let most = 0;
    const child: ChildProcess = execFile(BIN, ['audit', 'verify', '--archive', file], { env: { ...env, TMPDIR: tmp } });
    let stdout = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    const code = await new Promise<number | null>((resolve) => {
      const sample = setInterval(() => {
        most = Math.max(most, fs.readdirSync(tmp, { recursive: true }).length);
      }, 10);
      child.on('exit', (c) => {
        clearInterval(sample);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    // People's roles given by the apply, the agent's key issued (credential.issued), its three decisions.
    expect(entries()).toBe(8); // the mini enterprise gives four people roles
    expect(stdout).toMatch(new RegExp(`^evidence archive chain proof intact: ${entries()} entries in 1 chain segment\\(s\\)`));
    expect(most, 'files the verifier made in its temporary folder').toBe(0);
  }, 120_000);

  it('reads past what follows the end of the archive without keeping it', async () => {
    // 512 MiB after the end-of-archive blocks: node-tar kept it in one buffer, grown a chunk at a time
    // (1 GiB held the CLI for over 10 minutes at 1.6 GB resident). It is still unpacked, to the end
    // of the gzip stream, whose length and CRC are checked: a cut one is refused.
    const file = write('trailing.tar.gz', [gzipSync(members(files)), end, ...gzipped(512, '\0')]);
    const r = await cliWithin(env, ['audit', 'verify', '--archive', file], 30_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^evidence archive chain proof intact: ${entries()} entries`));
    const cut = write('cut.tar.gz', [gzipSync(members(files)), end.subarray(0, -4)]);
    await expect(verifyArchive(cut)).rejects.toThrow(`${cut} is not a readable tar.gz archive: gunzip: unexpected end of file`);
  }, 60_000);

  it('names a line longer than any entry, without holding it', async () => {
    // A 700 MiB line after the segment's entries: read whole, it passed the longest string V8 makes
    // and the CLI died with a RangeError and a stack trace (its temporary folder left behind).
    const [, body] = files.find(([n]) => n === segment()) as [string, Buffer];
    const long = 700 * MiB;
    const size = body.length + long;
    const file = write('line.tar.gz', [
      gzipSync(members(files.filter(([n]) => n !== segment()))),
      gzipSync(Buffer.concat([header(segment(), size), body])),
      ...gzipped(700, 'a'),
      gzipSync(Buffer.concat([pad(size), Buffer.alloc(1024)])),
    ]);
    const r = await cliWithin(env, ['audit', 'verify', '--archive', file], 60_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      `evidence archive chain proof BROKEN at chain ${chainId} entry ${entries() + 1} (-): line ${entries() + 1} of ${segment()} is longer than 256 MiB, ` +
        'longer than any entry Fulcrum writes (cut or changed)\n',
    );
  }, 90_000);

  it('exits 2, not 1 (a finding), for an archive it cannot read or that is not one', async () => {
    // A wrong path in a cron job's check read as tampering found, and the message had no command.
    const missing = path.join(dir, 'no-such.tar.gz');
    const r1 = await cli(env, 'audit', 'verify', '--archive', missing);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(new RegExp(`^fulcrum audit: cannot read ${missing}: ENOENT`));
    const notGzip = write('not-gzip.tar.gz', [members(files)]);
    const r2 = await cli(env, 'audit', 'verify', '--archive', notGzip);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(`fulcrum audit: ${notGzip} is not a readable tar.gz archive: gunzip: incorrect header check\n`);
    const cut = write('cut-entry.tar.gz', [gzipSync(members(files)), end]);
    fs.truncateSync(cut, fs.statSync(cut).size - 8);
    expect((await cli(env, 'audit', 'verify', '--archive', cut)).code).toBe(2);
    // A finding is still 1: the segment's last entry gone, its proof left as it was.
    const [, body] = files.find(([n]) => n === segment()) as [string, Buffer];
    const shorter = Buffer.from(`${body.toString().trimEnd().split('\n').slice(0, -1).join('\n')}\n`);
    const lost = write('lost-entry.tar.gz', [gzipSync(members(files.map(([n, b]) => [n, n === segment() ? shorter : b]))), end]);
    const r3 = await cli(env, 'audit', 'verify', '--archive', lost);
    expect(r3.code, r3.stderr).toBe(1);
    expect(r3.stderr).toMatch(
      new RegExp(`^evidence archive chain proof BROKEN at chain \\w+ entry ${entries() - 1} .*its proof says entry ${entries()}`),
    );
  });

  it('refuses a member named twice, or a segment that is a link, naming it', async () => {
    // Which of two copies counts is a choice tools make differently (tar keeps the last): none is taken.
    const proof = files.find(([n]) => n === 'audit/proof.json') as [string, Buffer];
    const twice = write('twice.tar.gz', [gzipSync(Buffer.concat([members([...files, proof]), Buffer.alloc(1024)]))]);
    await expect(verifyArchive(twice)).rejects.toThrow(`${twice}: it holds audit/proof.json twice`);
    const link = write('link.tar.gz', [
      gzipSync(
        Buffer.concat([
          members(files.filter(([n]) => n !== segment())),
          header(segment(), 0, 'SymbolicLink', 'proof.json'),
          Buffer.alloc(1024),
        ]),
      ),
    ]);
    await expect(verifyArchive(link)).rejects.toThrow(`${link}: ${segment()} is a SymbolicLink, not a file`);
  });
});
