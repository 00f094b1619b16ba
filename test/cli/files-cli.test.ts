// The files the CLI reads and writes, against a real server process: an input (descriptors, spend
// lines, answers, a key, a checkpoint) that is a device, a FIFO, a folder or too large is refused
// before it is read (exit 2, naming it); an output is written whole, replacing a symbolic link at its
// name rather than writing through it, and an evidence archive (the audit log's call arguments) is
// readable by its owner only.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../support/files.js';
import { cliWithin, cli as runCli, type ServedBundle, serveBundle } from '../support/process.js';

describe('the files fulcrum reads and writes', { timeout: 120_000 }, () => {
  let served: ServedBundle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-cli-files-'));
  const cli = (...args: string[]) => runCli(served.env, ...args);

  beforeAll(async () => {
    served = await serveBundle(ACME);
  });
  afterAll(async () => {
    await served?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a device, a FIFO, a folder and an oversized file as input, naming it (exit 2)', async () => {
    const fifo = path.join(dir, 'answers.fifo');
    execFile('mkfifo', [fifo]);
    await expect.poll(() => fs.existsSync(fifo)).toBe(true);
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 16 * 1024 * 1024 + 1);
    const cases: Array<[string[], string]> = [
      [['apply', '-f', '/dev/zero'], '/dev/zero: not a regular file, where a descriptor file was expected'],
      [['apply', '-f', fifo], `${fifo}: not a regular file, where a descriptor file was expected`],
      [['apply', '-f', big], `${big}: 16777217 bytes, over the 16777216 a descriptor file may hold`],
      [['budget', 'import', 'it-2026', '-f', '/dev/zero'], '/dev/zero: not a regular file, where a spend file was expected'],
      [['budget', 'import', 'it-2026', '-f', dir], `${dir}: a directory, where a spend file was expected`],
      [['risk', 'assess', 'support-deflection', '-f', fifo], `${fifo}: not a regular file, where a file of answers was expected`],
      [['audit', 'verify', '--public-key', '/dev/zero'], '/dev/zero: not a regular file, where a PEM key was expected'],
      [['audit', 'verify', '--checkpoint', fifo], `${fifo}: not a regular file, where a checkpoint file was expected`],
    ];
    for (const [args, says] of cases) {
      const r = await cliWithin(served.env, args, 30_000);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(says);
    }
  });

  it('reads a folder whatever its file names are made of, and names a file in it that cannot be read (exit 2)', async () => {
    // A name that is not UTF-8 (a file from an older system, an archive unpacked as Latin-1) was read
    // back decoded, with U+FFFD for the byte, and the folder could not be applied: "ENOENT … stat".
    const bundle = path.join(dir, 'bundle');
    fs.cpSync(ACME, bundle, { recursive: true });
    fs.mkdirSync(path.join(bundle, 'more'));
    fs.renameSync(path.join(bundle, 'agents.yaml'), Buffer.from(`${bundle}/more/agents-\xe9t\xe9.yaml`, 'latin1'));
    const same = await cli('apply', '-f', bundle, '--dry-run');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^no changes \(\d+ unchanged\)/m);
    // A link that leads nowhere, or round in a loop, among the descriptors: named, with why (a bare
    // Node error, exit 1, said "no such file or directory" for the loop).
    fs.symlinkSync('nowhere.yaml', path.join(bundle, 'gone.yaml'));
    const gone = await cli('apply', '-f', bundle, '--dry-run');
    expect(gone.code, gone.stderr).toBe(2);
    expect(gone.stderr).toMatch(/^fulcrum apply: cannot read .*\/bundle\/gone\.yaml: ENOENT/m);
    fs.rmSync(path.join(bundle, 'gone.yaml'));
    fs.symlinkSync('loop.yaml', path.join(bundle, 'loop.yaml'));
    for (const target of [bundle, path.join(bundle, 'loop.yaml')]) {
      const loop = await cli('apply', '-f', target, '--dry-run');
      expect(loop.code, loop.stderr).toBe(2);
      expect(loop.stderr).toMatch(/^fulcrum apply: cannot read .*\/bundle\/loop\.yaml: ELOOP/m);
    }
  });

  it('replaces a symbolic link at an output name instead of writing through it', async () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'not yours to overwrite');
    const out = path.join(dir, 'report.md');
    fs.symlinkSync(victim, out);
    const r = await cli('report', '--format', 'md', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('not yours to overwrite');
    expect(fs.lstatSync(out).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^# AI portfolio: board report/);
  });

  it('writes to a pipe named as the output (-o /dev/stdout) instead of replacing it', async () => {
    const r = await cli('report', '--format', 'md', '-o', '/dev/stdout');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# AI portfolio: board report/);
    expect(fs.lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it('writes an evidence archive readable by its owner only, whole, through the stream', async () => {
    const out = path.join(dir, 'evidence.tar.gz');
    fs.writeFileSync(out, 'old', { mode: 0o644 });
    const r = await cli('evidence', 'export', '--initiative', 'support-deflection', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const verified = await cli('audit', 'verify', '--archive', out);
    expect(verified.code, verified.stderr).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
