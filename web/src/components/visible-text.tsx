// Text a person decides on (an approval's arguments, Cedar policies, identities telemetry claims)
// shown with every invisible or direction-changing character made visible. Raw, a right-to-left
// override in an argument showed "ord-\u202E0009-1234" as "ord-4321-9000" (the approval binds the
// first, the approver read the second), and zero-width characters made two strings look alike. A
// backslash before a `u` is marked as its escape too (`\u005C`), so that the six characters `\u202E`
// typed into a name do not read as a marked override.
import type { ReactNode } from 'react';
import { ESCAPE_LOOKALIKE, escapeHiddenChars, HIDDEN_CHARS, hiddenCharEscape } from '../../../src/hidden-chars';

/** Invisible and direction-changing characters (src/hidden-chars.ts says which). */
const HIDDEN = new RegExp(`[${HIDDEN_CHARS}]`, 'gu');
/** What is shown as a marked escape: those, and a backslash that would read as the start of one. */
const SHOWN_ESCAPED = new RegExp(`[${HIDDEN_CHARS}]|${ESCAPE_LOOKALIKE}`, 'gu');

/** How many invisible or direction-changing characters `text` holds. */
export function hiddenCount(text: string): number {
  return text.match(HIDDEN)?.length ?? 0;
}

/** `text` with each hidden character written as its escape, for an attribute (src/hidden-chars.ts). */
export const visibleString = escapeHiddenChars;

/**
 * `text`, each hidden character replaced by its escape, marked and titled with its code point; a
 * backslash before a `u` likewise, so that every `\u` shown is an escape.
 */
export function VisibleText({ text }: { text: string }): ReactNode {
  if (text.search(SHOWN_ESCAPED) === -1) return text;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(SHOWN_ESCAPED)) {
    const at = m.index;
    if (at > last) parts.push(text.slice(last, at));
    const shown = hiddenCharEscape(m[0]);
    parts.push(
      <mark
        key={at}
        className="hidden-char"
        title={
          m[0] === '\\'
            ? 'U+005C: a backslash, written as its escape so that what follows does not read as one'
            : `U+${shown.replace(/^\\u\{?|\}$/g, '')}: an invisible or direction-changing character`
        }
      >
        {shown}
      </mark>,
    );
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** A warning over a block of text that holds hidden characters; nothing when it holds none. */
export function HiddenCharsWarning({ text, what }: { text: string; what: string }): ReactNode {
  const n = hiddenCount(text);
  if (n === 0) return null;
  return (
    <p className="callout callout-warn small" role="note">
      {n === 1 ? 'One invisible or direction-changing character' : `${n} invisible or direction-changing characters`} in {what},
      shown marked as <code>\u…</code> escapes: read them as they are, not as they would look.
    </p>
  );
}
