// Reading a file an operator named (src/read-file.ts) when its size says less than it holds: a file that
// grew after its size was read (a spend export still being appended to), or one whose size is always 0
// (Linux's /proc). It was read no further than its size and one byte: silently cut short, so a spend line
// "…,1234.56" could be imported as "…,1".
import { describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/read-file.js';

describe.runIf(process.platform === 'linux')('reading a file whose size says less than it holds', () => {
  it('reads it to its end', () => {
    const text = readRegularFile('/proc/self/status', 1_000_000, 'a file');
    expect(text).toMatch(/^Name:\t.*\n/);
    expect(text).toMatch(/\nPid:\t\d+\n/);
  });

  it('still refuses it past the bound, as it is read', () => {
    expect(() => readRegularFile('/proc/self/status', 10, 'a file')).toThrow(
      '/proc/self/status: over the 10 bytes a file may hold (it grew while read)',
    );
  });
});
