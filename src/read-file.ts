// Reading a file an operator named (descriptors, a key, a checkpoint, answers): only a regular file,
// and at most a bound. The size a path reports says nothing for a FIFO or a device: /dev/zero
// reports 0 and never ends, a FIFO blocks until someone writes.
import fs from 'node:fs';
import { InputError } from './errors.js';

/**
 * The text of `file`, a regular file of at most `max` bytes; otherwise an InputError saying what it is
 * (`what`: "a PEM key", "a descriptor file"). Opened without waiting (a FIFO is refused, not waited
 * on), checked on the open file, and read no further than one byte past `max`.
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
    const buf = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buf.length; length += n) n = fs.readSync(fd, buf, length, buf.length - length, null);
    if (length > max) throw new InputError(`${file}: over the ${max} bytes ${what} may hold (it grew while read)`);
    return buf.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
