// Characters that show other than what they hold: bidirectional controls (embeddings, overrides,
// isolates, marks), zero-width and other invisible format characters, Hangul fillers, variation
// selectors, shorthand and musical format controls, and the Unicode tag block (text that is there
// for a program, such as a language model, and not for the eye): every Default_Ignorable_Code_Point
// and Bidi_Control character (test/security/hidden-chars.test.ts checks). One list for what a person
// reads: the console marks them (web/src/components/visible-text.tsx), the CLI escapes them with the
// terminal's controls (src/cli/terminal.ts), the board report marks them in HTML and escapes them in
// Markdown and its PDF (src/insight/report-render.ts, pdf-text.ts).
//
// Each is shown as its escape, `\u202E`. So that the six characters `\u202E` typed into a name do not
// read the same, a backslash that would start an escape is shown as one too: `\u005Cu202E`. Every
// `\u` in what is shown is then an escape, and the text reads back as it is (docs/security.md).

/** The characters, as the body of a regular expression's character class (flag `u`). */
export const HIDDEN_CHARS =
  '\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F' +
  '\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFFB\\u{1BCA0}-\\u{1BCA3}\\u{1D173}-\\u{1D17A}\\u{E0000}-\\u{E0FFF}';

/** A backslash that would read as the start of an escape (a regular expression's source, flag `u`). */
export const ESCAPE_LOOKALIKE = '\\\\(?=u)';

/** What is shown as an escape: a hidden character, or a backslash that would read as one. */
const SHOWN_ESCAPED = new RegExp(`[${HIDDEN_CHARS}]|${ESCAPE_LOOKALIKE}`, 'gu');
const HIDDEN = new RegExp(`[${HIDDEN_CHARS}]`, 'gu');

/** How many hidden characters `text` holds. */
export function hiddenCharCount(text: string): number {
  return text.match(HIDDEN)?.length ?? 0;
}

/** `\u202E`, or `\u{E0041}` past the basic plane: the escape JSON and Cedar strings would take. */
export function hiddenCharEscape(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const hex = cp.toString(16).toUpperCase();
  return cp > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * `text` with each hidden character written as its escape, and each backslash before a `u` as
 * `\u005C`: the string form of the console's marks, for where no mark can go (an attribute: a
 * tooltip, an accessible name a screen reader reads out; a PDF).
 */
export function escapeHiddenChars(text: string): string {
  return text.replace(SHOWN_ESCAPED, hiddenCharEscape);
}

/** A run of text as shown: as it is, or one character (at `at`) shown as its escape, with what it is (a mark's title). */
export type ShownPart = { text: string } | { escaped: string; title: string; at: number };

/** `text` in the runs a marked rendering shows (the console's VisibleText, the board report's HTML). */
export function shownParts(text: string): ShownPart[] {
  const parts: ShownPart[] = [];
  let last = 0;
  for (const m of text.matchAll(SHOWN_ESCAPED)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    const escaped = hiddenCharEscape(m[0]);
    parts.push({
      escaped,
      at: m.index,
      title:
        m[0] === '\\'
          ? 'U+005C: a backslash, written as its escape so that what follows does not read as one'
          : `U+${escaped.replace(/^\\u\{?|\}$/g, '')}: an invisible or direction-changing character`,
    });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
