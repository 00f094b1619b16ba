// The files a command reads (descriptors, spend lines, answers) and writes (-o FILE): read bounded and
// only when they are regular files, written whole or not at all.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError } from './client.js';

/** The most a command reads from one input file (the server's apply body limit is 16 MiB). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * The text of `file`, a regular file of at most `max` bytes; otherwise a usage error (exit 2) saying
 * what it is. A FIFO or a device (/dev/zero, /dev/stdin) is refused before it is read: it could block
 * for ever or never end. The size is checked on the open file, and the read stops one byte past `max`.
 */
export function readInputFile(file: string, what = 'file', max = MAX_INPUT_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer before it can be refused.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${(err as Error).message}`, 2);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new CliError(
        `${file}: ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, where a ${what} was expected`,
        2,
      );
    if (stat.size > max) throw new CliError(`${file}: ${stat.size} bytes, over the ${max} a ${what} may hold`, 2);
    const buf = Buffer.alloc(Math.min(stat.size, max) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buf.length; length += n) n = fs.readSync(fd, buf, length, buf.length - length, null);
    if (length > max) throw new CliError(`${file}: over the ${max} bytes a ${what} may hold (it grew while read)`, 2);
    return buf.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `content` (text, bytes, or a stream of an answer's body; none is an empty file) to `file` whole or not at all: into a
 * new temporary file beside it (created exclusively, `mode`), then renamed over `file`. A failure midway
 * leaves `file` as it was; a symbolic link at `file` is replaced, never followed. The bytes written.
 */
export async function writeOutputFile(
  file: string,
  content: string | Uint8Array | ReadableStream<Uint8Array> | null | undefined,
  mode = 0o666,
): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const out = fs.createWriteStream(tmp, { flags: 'wx', mode });
    const source =
      content == null || typeof content === 'string' || content instanceof Uint8Array
        ? Readable.from([content ?? ''])
        : Readable.fromWeb(content as WebReadableStream<Uint8Array>);
    await pipeline(source, out);
    fs.renameSync(tmp, file);
    return out.bytesWritten;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if (err instanceof CliError) throw err;
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new CliError(`${file} not written (an existing one is kept): ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
  }
}
