// What a person reads of text others wrote shows each hidden character as its \u escape. Found by
// review: the six characters `\u202E` typed into a name read the same as a right-to-left override,
// and HIDDEN_CHARS missed characters that render as nothing (shorthand and musical format controls).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal.js';
import { escapeHiddenChars, HIDDEN_CHARS } from '../../src/hidden-chars.js';

/** Reads shown text back: every `\uXXXX` and `\u{X}` is an escape (surrogate pairs included), anything else is itself. */
const readBack = (shown: string) =>
  shown.replace(/\\u\{([0-9A-F]+)\}|\\u([0-9A-F]{4})/g, (_, astral?: string, unit?: string) =>
    astral ? String.fromCodePoint(Number.parseInt(astral, 16)) : String.fromCharCode(Number.parseInt(unit as string, 16)),
  );

/** Text mixing hidden characters with the characters of their escapes, typed literally. */
const tricky = fc
  .array(
    fc.constantFrom(
      '\\',
      '\\u',
      '\\u{',
      'u',
      '{',
      '}',
      '202E',
      '005C',
      'E0041',
      'a',
      ' ',
      '\u202E',
      '\u200B',
      '\u{E0041}',
      '\u{1BCA0}',
    ),
    { maxLength: 16 },
  )
  .map((cs) => cs.join(''));

describe('hidden characters shown as escapes', () => {
  it('shows a hidden character and the literal text of its escape differently', () => {
    expect(escapeHiddenChars('ord-\u202E0009')).toBe('ord-\\u202E0009');
    expect(escapeHiddenChars('ord-\\u202E0009')).toBe('ord-\\u005Cu202E0009');
    expect(escapeHiddenChars('C:\\users\\x')).toBe('C:\\u005Cusers\\x');
    expect(escapeHiddenChars('a\\b')).toBe('a\\b');
    expect(terminalSafe('ord-\\u202E0009')).toBe('ord-\\u005Cu202E0009');
    expect(terminalSafe('ord-\u202E0009')).toBe('ord-\\u202E0009');
  });

  it('reads back as the text it shows, whatever the text (so no two texts show alike)', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        for (const shown of [escapeHiddenChars(s), terminalSafe(s)]) {
          expect(shown).not.toMatch(new RegExp(`[${HIDDEN_CHARS}]`, 'u'));
          expect(readBack(shown)).toBe(s);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * Default_Ignorable_Code_Point (Unicode 17.0, DerivedCoreProperties.txt) and Bidi_Control (Unicode
 * 17.0, PropList.txt), written out: a character a renderer may draw as nothing, or one that reorders
 * what is around it.
 */
const DEFAULT_IGNORABLE: Array<[number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];
const BIDI_CONTROL: Array<[number, number]> = [
  [0x061c, 0x061c],
  [0x200e, 0x200f],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];

describe('HIDDEN_CHARS', () => {
  const hidden = new RegExp(`^[${HIDDEN_CHARS}]$`, 'u');
  const missing = (ranges: Array<[number, number]>) => {
    const out: string[] = [];
    for (const [from, to] of ranges)
      for (let cp = from; cp <= to; cp++)
        if (!hidden.test(String.fromCodePoint(cp))) out.push(`U+${cp.toString(16).toUpperCase()}`);
    return out;
  };

  it('holds every default-ignorable and every bidirectional control character', () => {
    expect(missing(DEFAULT_IGNORABLE)).toEqual([]);
    expect(missing(BIDI_CONTROL)).toEqual([]);
  });

  it("is checked against this runtime's Unicode too, so a newer version's additions fail here", () => {
    const ignorable = /^[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]$/u;
    const listed = (cp: number) => [...DEFAULT_IGNORABLE, ...BIDI_CONTROL].some(([from, to]) => cp >= from && cp <= to);
    const unlisted: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++)
      if (ignorable.test(String.fromCodePoint(cp)) && !listed(cp)) unlisted.push(`U+${cp.toString(16).toUpperCase()}`);
    expect(unlisted, `Unicode ${process.versions.unicode} lists more than the test`).toEqual([]);
  });
});
