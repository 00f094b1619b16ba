// Text a person decides on (an approval's arguments, Cedar policies, identities telemetry claims)
// shown with every invisible or direction-changing character made visible. Raw, a right-to-left
// override in an argument showed "ord-\u202E0009-1234" as "ord-4321-9000" (the approval binds the
// first, the approver read the second), and zero-width characters made two strings look alike. A
// backslash before a `u` is marked as its escape too (`\u005C`), so that the six characters `\u202E`
// typed into a name do not read as a marked override.
import type { ReactNode } from 'react';
import { escapeHiddenChars, hiddenCharCount, shownParts } from '../../../src/hidden-chars';

/** How many invisible or direction-changing characters `text` holds (src/hidden-chars.ts says which). */
export const hiddenCount = hiddenCharCount;

/** `text` with each hidden character written as its escape, for an attribute (src/hidden-chars.ts). */
export const visibleString = escapeHiddenChars;

/**
 * `text`, each hidden character replaced by its escape, marked and titled with its code point; a
 * backslash before a `u` likewise, so that every `\u` shown is an escape.
 */
export function VisibleText({ text }: { text: string }): ReactNode {
  const parts = shownParts(text);
  if (parts.every((p) => 'text' in p)) return text;
  return parts.map((p) =>
    'text' in p ? (
      p.text
    ) : (
      <mark key={p.at} className="hidden-char" title={p.title}>
        {p.escaped}
      </mark>
    ),
  );
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
