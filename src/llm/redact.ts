// The endpoint's credential kept from the provider's answers (what the agent receives, the log), in every
// spelling a JSON reader takes for it: as it was sent, and with any of its characters written as a
// JSON escape (`\u002B` for `+`, `\/` for `/`), as some JSON writers do. The agent's JSON parser reads
// an escaped spelling back whole, so a plain byte match is not enough.
import { hideSecrets, REDACTED } from '../net/secrets.js';

/** JSON's short escapes, by the character each stands for (`\/` for `/` is optional, and common). */
const SHORT_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  '\b': 'b',
  '\f': 'f',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
};

interface EscapedSpellings {
  /** Any of the secrets, each character as itself or escaped (longest secret first). */
  pattern: RegExp;
  /** The escapes that can spell a character of a secret: an answer with none of them holds no escaped spelling. */
  escapes: string[];
}

// One per set of secrets (an endpoint's credential): few, kept until there are too many.
const MAX_CACHED = 64;
const cache = new Map<string, EscapedSpellings>();

function spellingsOf(secrets: readonly string[]): EscapedSpellings {
  const key = secrets.join('\0');
  let found = cache.get(key);
  if (found) return found;
  const escapes = new Set(['\\u']);
  const one = (secret: string) => {
    let re = '';
    for (let i = 0; i < secret.length; i++) {
      const ch = secret.charAt(i); // a UTF-16 unit: \uXXXX escapes one, and the pattern has no `u` flag
      const hex = [...secret.charCodeAt(i).toString(16).padStart(4, '0')]
        .map((h) => (/[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h))
        .join('');
      const short = SHORT_ESCAPES[ch];
      if (short) escapes.add(`\\${short}`);
      re += `(?:${ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')}|\\\\u${hex}${short ? `|\\\\${short.replace(/[\\/]/g, '\\$&')}` : ''})`;
    }
    return re;
  };
  found = { pattern: new RegExp(secrets.map(one).join('|'), 'g'), escapes: [...escapes] };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, found);
  return found;
}

/** `text` with every secret replaced, however it is spelt. */
export function hideCredential(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const out = hideSecrets(text, secrets);
  const spelt = spellingsOf(secrets);
  if (!spelt.escapes.some((e) => out.includes(e))) return out;
  return out.replace(spelt.pattern, REDACTED);
}

/** A whole answer with every secret replaced, however it is spelt; the same buffer when it holds none.
 *  A provider (or a proxy in front of it) that echoes its credential must not hand it to the agent. */
export function withoutCredential(body: Buffer, secrets: readonly string[]): Buffer {
  if (secrets.length === 0) return body;
  // Checked on the bytes first: most answers hold no secret and no escape that could spell one.
  const { escapes } = spellingsOf(secrets);
  if (!secrets.some((s) => body.includes(s)) && !escapes.some((e) => body.includes(e))) return body;
  const text = body.toString('utf8');
  const out = hideCredential(text, secrets);
  return out === text ? body : Buffer.from(out);
}
