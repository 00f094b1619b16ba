// Reading a file an operator named (descriptors, a key, a checkpoint, answers): only a regular file,
// and at most a bound. The size a path reports says nothing for a FIFO or a device: /dev/zero
// reports 0 and never ends, a FIFO blocks until someone writes.
import fs from 'node:fs';
import { InputError } from './errors.js';

/**
 * The text of `file`, a regular file of at most `max` bytes; otherwise an InputError saying what it is
 * (`what`: "a PEM key", "a descriptor file"). Opened without waiting (a FIFO is refused, not waited
 * on), checked on the open file, and read to its end, but no further than one byte past `max`.
 */
export function readRegularFile(file: string | Buffer, max: number, what: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new InputError(`${file}: ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, where ${what} was expected`);
    if (stat.size > max) throw new InputError(`${file}: ${stat.size} bytes, over the ${max} ${what} may hold`);
    // Read to the end, not to the size: a file that grew after its size was read (a spend export still
    // being appended to), or one whose size is always 0 (Linux's /proc), was cut short there, silently.
    let buf = Buffer.alloc(Math.min(stat.size, max) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > max) throw new InputError(`${file}: over the ${max} bytes ${what} may hold (it grew while read)`);
        const bigger = Buffer.alloc(Math.min(Math.max(buf.length * 2, 64 * 1024), max + 1));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buf.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
