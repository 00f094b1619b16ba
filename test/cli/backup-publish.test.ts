// A backup given its name on a file system without hard links (FAT, exFAT, some SMB and FUSE mounts):
// link(2) answers EPERM or ENOTSUP there, and `fulcrum backup` failed after writing and checking the
// whole copy. No such file system can be mounted here (no vfat in this kernel, no mkfs): the link is
// given as one that answers as FAT's does; the files, the claim and the rename are the real ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishBackup } from '../../src/cli/backup-publish.js';

const failing = (code: string) => () => {
  throw Object.assign(new Error(`${code}: operation not permitted, link`), { code });
};

describe('naming a backup', () => {
  let dir = '';
  let tmp = '';
  let target = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-backup-publish-'));
    tmp = path.join(dir, '.b.db.1.tmp');
    target = path.join(dir, 'b.db');
    fs.writeFileSync(tmp, 'the whole checked copy', { mode: 0o600 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])(
    'without hard links (%s), renames it over a claim of the name',
    (code) => {
      publishBackup(tmp, target, failing(code));
      expect(fs.readFileSync(target, 'utf8')).toBe('the whole checked copy');
      expect(fs.statSync(target).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['b.db']);
    },
  );

  it('without hard links, still never replaces a file that has the name', () => {
    fs.writeFileSync(target, 'an older backup');
    expect(() => publishBackup(tmp, target, failing('EPERM'))).toThrow(/EEXIST/);
    expect(fs.readFileSync(target, 'utf8')).toBe('an older backup');
    expect(fs.existsSync(tmp)).toBe(true); // the caller removes it
  });

  it('with hard links, links it (the name taken meanwhile fails it) and leaves the temporary name to the caller', () => {
    publishBackup(tmp, target);
    expect(fs.readFileSync(target, 'utf8')).toBe('the whole checked copy');
    expect(fs.statSync(target).nlink).toBe(2);
    fs.rmSync(tmp);
    fs.writeFileSync(tmp, 'another copy');
    expect(() => publishBackup(tmp, target)).toThrow(/EEXIST/);
    expect(fs.readFileSync(target, 'utf8')).toBe('the whole checked copy');
  });

  it('fails on any other error of the link, making no name', () => {
    expect(() => publishBackup(tmp, target, failing('EIO'))).toThrow(/EIO/);
    expect(fs.existsSync(target)).toBe(false);
  });
});
