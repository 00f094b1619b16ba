// The files a command reads (descriptors, spend lines, answers) and writes (-o FILE): read bounded and
// only when they are regular files, written whole or not at all.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InputError } from '../errors.js';
import { readRegularFile } from '../read-file.js';
import { CliError } from './client.js';

/** The most a command reads from one input file (the server's apply body limit is 16 MiB). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * The text of `file`, a regular file of at most `max` bytes (`what` names it in the message: "a
 * descriptor file"; a name given as bytes is one that need not be UTF-8); otherwise a usage error (exit 2) saying what it is. A FIFO or a device
 * (/dev/zero, /dev/stdin) is refused before it is read: it could block for ever or never end.
 */
export function readInputFile(file: string | Buffer, what = 'a file', max = MAX_INPUT_BYTES): string {
  try {
    return readRegularFile(file, max, what);
  } catch (err) {
    if (err instanceof InputError) throw new CliError(err.message, 2);
    throw err;
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
  const source = () =>
    content == null || typeof content === 'string' || content instanceof Uint8Array
      ? Readable.from([content ?? ''])
      : Readable.fromWeb(content as WebReadableStream<Uint8Array>);
  // A pipe or a terminal (-o /dev/stdout, a FIFO another program reads) is written as it is: a
  // temporary file beside it cannot be made in /dev, and renaming one over it would replace it.
  if (isStreamTarget(file)) {
    // The process's own stdout is written through its stream: a socket behind it (a parent process
    // that spawned this one) cannot be opened again by name (ENXIO).
    const stdout = path.resolve(file) === '/dev/stdout';
    const out = stdout ? process.stdout : fs.createWriteStream(file, { flags: 'a' });
    try {
      let bytes = 0;
      await pipeline(
        source(),
        async function* (chunks: AsyncIterable<Uint8Array | string>) {
          for await (const c of chunks) {
            // As bytes: the file's content as it is, not text for a terminal (src/cli/terminal.ts).
            const b = typeof c === 'string' ? Buffer.from(c) : c;
            bytes += b.byteLength;
            yield b;
          }
        },
        out,
        { end: !stdout },
      );
      return bytes;
    } catch (err) {
      // The answer's own failures (cut off, too long, too slow) are CliErrors naming the server: said after the file.
      throw new CliError(`${file}: writing failed midway: ${(err as Error).message}`, err instanceof CliError ? err.exitCode : 1);
    }
  }
  const tmp = tempBeside(file);
  try {
    // Opened here, before the answer is read: opened by the stream, the file could be created after an
    // answer cut off at once had failed the pipeline and the name had been removed, and stay behind.
    const out = fs.createWriteStream(tmp, { fd: fs.openSync(tmp, 'wx', mode) });
    await pipeline(source(), out);
    fs.renameSync(tmp, file);
    return out.bytesWritten;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    // The answer's own failures (cut off, too long, too slow) are CliErrors naming the server: the
    // reader must still hear that the file was kept.
    if (err instanceof CliError)
      throw new CliError(`${file} not written (an existing one is kept): ${err.message}`, err.exitCode);
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new CliError(`${file} not written (an existing one is kept): ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
  }
}

/**
 * Makes the folder `dir` and its missing parents, one mkdir each, or fails naming the one it could not
 * make. Not mkdir's `recursive`: where mkdir says ENOENT though the parent exists (/proc, some FUSE
 * file systems) Node's retries it for ever, and `export -o /proc/x` spun at full CPU until killed.
 */
export function makeOutputDir(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (; !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.unshift(d);
  try {
    // What is there must be a folder: for a file, mkdir says EEXIST (and ENOTDIR for a name below one).
    if (missing.length === 0 && !fs.statSync(d).isDirectory()) fs.mkdirSync(d);
    for (d of missing) fs.mkdirSync(d);
  } catch (err) {
    throw new CliError(`cannot make the folder ${d}: ${(err as Error).message.replace(/, (mkdir|stat) .*$/, '')}`);
  }
}

/** A new temporary file's name beside `file`, for it to be renamed over `file` once written whole. */
function tempBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes several files whole, every one or none: each into a temporary file beside it (created
 * exclusively, `mode`), then, once all are written, each renamed over its name (a rename needs no
 * room). A failure while writing (a full disk) removes the temporary files and leaves every name as it
 * was: a folder of descriptor files never holds some of this set beside others of another, or none.
 */
export function writeOutputFiles(files: ReadonlyArray<{ file: string; content: string }>, mode = 0o666): void {
  const written: Array<{ tmp: string; file: string }> = [];
  try {
    for (const { file, content } of files) {
      written.push({ tmp: tempBeside(file), file });
      fs.writeFileSync((written.at(-1) as { tmp: string }).tmp, content, { flag: 'wx', mode });
    }
  } catch (err) {
    for (const { tmp } of written) fs.rmSync(tmp, { force: true });
    throw new CliError(
      `${written.at(-1)?.file} not written: ${(err as Error).message}: nothing was written (the files there are as they were)`,
    );
  }
  for (const { tmp, file } of written) fs.renameSync(tmp, file);
}

/**
 * A character device, a FIFO, or a name under /dev (/dev/stdout leads to whatever the shell opened,
 * a regular file too): written to, never replaced.
 */
function isStreamTarget(file: string): boolean {
  if (path.resolve(file).startsWith('/dev/')) return true;
  try {
    const st = fs.statSync(file);
    return st.isCharacterDevice() || st.isFIFO();
  } catch {
    return false;
  }
}
