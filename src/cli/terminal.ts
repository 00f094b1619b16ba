// What the CLI prints comes from others: a server's error message, an agent's call arguments, a
// comment an approver typed, an identity a collector claimed, a registry writer's policy message. A
// terminal acts on some characters instead of showing them: escape sequences (ESC, and the 8-bit C1
// controls some terminals honour) rewrite the screen, set the window title, write the clipboard
// (OSC 52) or hide the line before them, a carriage return draws over a line, and direction
// controls and invisible characters show text other than what it holds (an orderId
// "ord-\u202E0009-1234" reads "ord-4321-9000"). Everything the CLI writes as text therefore shows
// such characters as their \u escapes, as the console does (web/src/components/visible-text.tsx),
// and a backslash before a `u` as `\u005C`, so that a name holding the six characters `\u202E` does
// not read as one holding the override. JSON (`--json`) has its own rule for that, `\\u202E`, and
// is written with jsonOut, which leaves its backslashes as they are.
// Bytes (a PDF or an archive sent to -o /dev/stdout) are written as they are; documents meant to be
// kept (a registry export, a report) are bytes when stdout is a file or a pipe, text on a terminal.
import { ESCAPE_LOOKALIKE, HIDDEN_CHARS } from '../hidden-chars.js';

/** Controls but tab and newline, DEL, the C1 block, and the characters the console marks (HIDDEN_CHARS). */
const UNSAFE_CHARS = `[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${HIDDEN_CHARS}]`;
const UNSAFE_IN_JSON = new RegExp(UNSAFE_CHARS, 'gu');
const UNSAFE_IN_TEXT = new RegExp(`${UNSAFE_CHARS}|${ESCAPE_LOOKALIKE}`, 'gu');

/**
 * `text` with each character a terminal would act on, or not show, written as its escape: `\u001B`,
 * and past the basic plane as its surrogate pair (`\uDB40\uDC41` for U+E0041), the one form both JSON
 * and JavaScript read back as the character, so that `--json` output stays JSON. In text (not
 * `json`) a backslash before a `u` is written `\u005C`.
 */
export function terminalSafe(text: string, { json = false } = {}): string {
  return text.replace(json ? UNSAFE_IN_JSON : UNSAFE_IN_TEXT, (ch) => {
    let escaped = '';
    for (let i = 0; i < ch.length; i++) escaped += `\\u${ch.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
    return escaped;
  });
}

/**
 * From now on, text written to `stream` goes through terminalSafe; bytes go as they are. A backslash
 * that ended one write, before a `u` that begins the next, is already written: the `u` is written
 * `\u0075` instead, so that the two writes do not read as an escape either.
 */
export function showOnlyText(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let afterBackslash = false;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') {
      const bytes = chunk as Uint8Array | undefined;
      if (bytes && bytes.length > 0) afterBackslash = bytes[bytes.length - 1] === 0x5c;
      return write(chunk, ...rest);
    }
    if (chunk === '') return write(chunk, ...rest);
    let text = terminalSafe(chunk);
    if (afterBackslash && chunk.startsWith('u')) text = `\\u0075${text.slice(1)}`;
    afterBackslash = chunk.endsWith('\\');
    return write(text, ...rest);
  }) as typeof stream.write;
}

/** `value` as `--json` prints it: JSON, its controls and hidden characters escaped as JSON reads them. */
export function jsonOut(value: unknown): Buffer {
  // JSON.stringify writes nothing for undefined, and the line read "undefined": not JSON, with exit 0.
  if (value === undefined) throw new TypeError('there is no value to write as JSON');
  return Buffer.from(terminalSafe(`${JSON.stringify(value, null, 2)}\n`, { json: true }));
}

/** A document to keep (descriptors, a report): as it is into a file or a pipe, made safe on a terminal. */
export function documentOut(text: string): string | Buffer {
  return process.stdout.isTTY ? text : Buffer.from(text);
}
