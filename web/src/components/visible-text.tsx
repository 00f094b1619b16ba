// Text a person decides on (an approval's arguments, Cedar policies, identities telemetry claims)
// shown with every invisible or direction-changing character made visible. Raw, a right-to-left
// override in an argument showed "ord-\u202E0009-1234" as "ord-4321-9000" (the approval binds the
// first, the approver read the second), and zero-width characters made two strings look alike.
import type { ReactNode } from 'react';
import { escapeHiddenChars, HIDDEN_CHARS, hiddenCharEscape } from '../../../src/hidden-chars';

/** Invisible and direction-changing characters (src/hidden-chars.ts says which). */
const HIDDEN = new RegExp(`[${HIDDEN_CHARS}]`, 'gu');

/** How many invisible or direction-changing characters `text` holds. */
export function hiddenCount(text: string): number {
  return text.match(HIDDEN)?.length ?? 0;
}

/** `text` with each hidden character written as its escape, for an attribute (src/hidden-chars.ts). */
export const visibleString = escapeHiddenChars;

/** `text`, each hidden character replaced by its escape, marked and titled with its code point. */
export function VisibleText({ text }: { text: string }): ReactNode {
  if (hiddenCount(text) === 0) return text;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    const at = m.index;
    if (at > last) parts.push(text.slice(last, at));
    const shown = hiddenCharEscape(m[0]);
    parts.push(
      <mark
        key={at}
        className="hidden-char"
        title={`U+${shown.replace(/^\\u\{?|\}$/g, '')}: an invisible or direction-changing character`}
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
