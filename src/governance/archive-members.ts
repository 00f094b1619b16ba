// Reads the members of a tar.gz archive someone else made (an evidence archive an auditor was handed)
// as a stream, bounded: nothing is written to disk and nothing is held past a bound.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar';
import { InputError } from '../errors.js';

/** Bytes of the archive read at a time. */
const READ_BYTES = 16 * 1024;
/** gunzip may make at most this many times the bytes it has read (node-tar's bound; deflate's own is ~1,032). */
const MAX_RATIO = 1000;

/** Member types that are files; a link or anything else under a name the verifier reads is refused. */
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

export type Member = AsyncIterable<Buffer> & { size?: number };

/**
 * Reads the archive's members in order, as a stream from the file: nothing is written to disk.
 * `read` gets each regular file whose name (`./` and the like taken away) is `wanted`, one at a time;
 * a wanted name held twice (tools differ on which copy counts), or held by a link or any other kind of
 * member, is refused. What gunzip makes is bounded at MAX_RATIO times what it has read, as node-tar
 * bounds it, and all of it is read (so gzip's check of its length and CRC is made), but nothing after
 * the tar's end-of-archive blocks goes to the tar parser: node-tar gathered that in one buffer, grown
 * a chunk at a time. Reading stops early when `read` answers 'stop'.
 */
export function readMembers(
  file: string,
  wanted: (name: string) => boolean,
  read: (name: string, member: Member) => Promise<'stop' | undefined>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const names = new Set<string>();
    let reading: Promise<unknown> = Promise.resolve();
    let settled = false;
    let tarEnded = false;
    let made = 0;
    const input = fs.createReadStream(file, { highWaterMark: READ_BYTES });
    const gunzip = zlib.createGunzip();
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else reading.then(() => resolve(), reject);
    };
    const unreadable = (err: Error) => settle(new InputError(`${file} is not a readable tar.gz archive: ${err.message}`));
    const parser = new tar.Parser({
      strict: true,
      onReadEntry: (entry) => {
        const name = path.posix.normalize(entry.path);
        if (settled || !wanted(name)) return void entry.resume();
        const refuse = (problem: string) => {
          entry.resume();
          settle(new InputError(`${file}: ${problem}`));
        };
        if (names.has(name)) return refuse(`it holds ${name} twice`);
        names.add(name);
        if (!FILE_TYPES.has(entry.type)) return refuse(`${name} is a ${entry.type}, not a file`);
        // One read after another: node-tar hands over the next member once this one's data is taken,
        // which can be before `read` has done with it, and the answer waits for the last read.
        reading = reading.then(async () => {
          if (settled) return void entry.resume();
          if ((await read(name, entry)) === 'stop') settle();
          else entry.resume();
        });
        reading.catch(settle);
      },
    });
    parser.on('error', unreadable);
    parser.on('eof', () => {
      tarEnded = true;
      gunzip.resume();
    });
    parser.on('end', () => settle());
    parser.on('drain', () => gunzip.resume());
    gunzip.on('data', (chunk: Buffer) => {
      made += chunk.length;
      if (made > MAX_RATIO * Math.max(input.bytesRead, READ_BYTES))
        return unreadable(new Error(`gunzip made over ${MAX_RATIO} times the ${input.bytesRead} bytes it read (a gzip bomb?)`));
      if (!tarEnded && !parser.write(chunk)) gunzip.pause();
    });
    gunzip.on('end', () => parser.end());
    gunzip.on('error', (err) => unreadable(new Error(`gunzip: ${err.message}`)));
    input.on('error', (err) => settle(new InputError(`cannot read ${file}: ${err.message}`)));
    input.pipe(gunzip);
  });
}

/** A member read whole, as text: at most `max` bytes (its header says its size before any is read). */
export async function wholeText(file: string, name: string, member: Member, max: number): Promise<string> {
  if ((member.size ?? 0) > max) throw new InputError(`${file}: ${name} holds ${member.size} bytes, over the ${max} it may`);
  const parts: Buffer[] = [];
  for await (const chunk of member) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** A member's lines (without their `\n`), or `null`, and no more, for one longer than `max` bytes. */
export async function* linesOf(member: Member, max: number): AsyncGenerator<Buffer | null> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of member) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      if (length + nl - from > max) return yield null;
      const piece = chunk.subarray(from, nl);
      yield parts.length ? Buffer.concat([...parts, piece]) : piece;
      parts = [];
      length = 0;
      from = nl + 1;
    }
    if (from === chunk.length) continue;
    length += chunk.length - from;
    if (length > max) return yield null;
    parts.push(chunk.subarray(from));
  }
  if (length) yield Buffer.concat(parts);
}
