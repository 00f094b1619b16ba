// A backslash and a `u` written by two separate writes (a message built in pieces, a table printed cell
// by cell) must not read as an escape on the terminal either: terminalSafe sees one write at a time,
// so showOnlyText remembers whether the last one ended in a backslash.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { showOnlyText } from '../../src/cli/terminal.js';

/** A stream made safe by showOnlyText, and what reached it. */
function shown() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  showOnlyText(stream);
  return { stream, text: () => out.join('') };
}

describe('showOnlyText across writes', () => {
  it('shows a `u` after a backslash another write ended with as its escape', () => {
    const { stream, text } = shown();
    stream.write('tool ord-\\');
    stream.write('u202E0009');
    // Not "ord-\u202E0009", which is how the override itself is shown.
    expect(text()).toBe('tool ord-\\\\u0075202E0009');
    stream.write(' and \u202E');
    expect(text()).toBe('tool ord-\\\\u0075202E0009 and \\u202E');
  });

  it('leaves a `u` alone after anything but a backslash, and after bytes that did not end in one', () => {
    const { stream, text } = shown();
    stream.write('a\\b');
    stream.write('user');
    stream.write(Buffer.from('bytes'));
    stream.write('u');
    expect(text()).toBe('a\\buserbytesu');
  });

  it('remembers a backslash that ended bytes, and one within a single write as before', () => {
    const { stream, text } = shown();
    stream.write(Buffer.from('C:\\'));
    stream.write('users');
    stream.write(' \\u202E');
    expect(text()).toBe('C:\\\\u0075sers \\u005Cu202E');
  });
});
