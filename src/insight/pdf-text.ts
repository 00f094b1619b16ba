// What the board report's PDF can draw. Its fonts are PDFKit's built-in ones (no font file to ship or
// find on the host), which hold the Windows-1252 (WinAnsi) characters only: any other character was
// written as a wrong glyph, silently (a Polish "Łódź" initiative read "AÃdz" to the board). Text is
// made drawable first — accents dropped where that leaves a letter, "?" otherwise — and the report
// says so, pointing to the HTML and Markdown renderings, which show every name as typed. Hidden and
// direction-changing characters are written as their escapes first, as everywhere a person reads
// them (src/hidden-chars.ts): drawn as "?" they said nothing of what they were.
import { escapeHiddenChars } from '../hidden-chars.js';

/** Windows-1252's characters above Latin-1's C1 range (0x80–0x9F), which WinAnsi fonts draw. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters with no decomposition to a drawable letter and a plain spelling without the stroke. */
const PLAIN: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't' };

/**
 * Symbols Fulcrum's own text uses (a plan's "attainment 80% (≥ 70%)", "baseline → target"), spelled
 * as their ASCII forms say them: drawn as "?" they made the report claim characters typed into Fulcrum
 * could not be drawn. Not counted: the spelling says what the symbol said.
 */
const SPELLED: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '−': '-', '≠': '!=', '≈': '~' };

function drawableChar(c: string): boolean {
  const cp = c.codePointAt(0) as number;
  return c === '\n' || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || CP1252_EXTRA.has(c);
}

export interface Drawable {
  text: string;
  /** Characters written without their accent or stroke. */
  plain: number;
  /** Characters written as "?". */
  replaced: number;
}

/** `s` as the PDF's fonts can draw it. */
export function drawable(s: string): Drawable {
  let text = '';
  let plain = 0;
  let replaced = 0;
  for (const c of s) {
    if (drawableChar(c)) {
      text += c;
      continue;
    }
    if (c === '\t' || c === '\r') {
      text += ' ';
      continue;
    }
    const spelled = SPELLED[c];
    if (spelled !== undefined) {
      text += spelled;
      continue;
    }
    const base = PLAIN[c] ?? c.normalize('NFKD').replace(/\p{M}+/gu, '');
    if (base !== '' && [...base].every(drawableChar)) {
      text += base;
      plain++;
    } else {
      text += '?';
      replaced++;
    }
  }
  return { text, plain, replaced };
}

/**
 * The most characters of one text the PDF draws. PDFKit wraps a word wider than its column a
 * character at a time, measuring the line again at each: a 100,000-character initiative title (no
 * registry bound stops one) held the node 155 s, answering nothing else, to draw one PDF.
 */
export const PDF_TEXT_MAX = 500;

/**
 * A copy of `value` with every string cut to PDF_TEXT_MAX characters (with "…"), its hidden
 * characters written as escapes and made drawable; how many characters that changed, and how many
 * texts were cut.
 */
export function drawableDeep<T>(value: T): { value: T; plain: number; replaced: number; cut: number } {
  let plain = 0;
  let replaced = 0;
  let cut = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const chars = [...v];
      if (chars.length > PDF_TEXT_MAX) {
        cut++;
        v = `${chars.slice(0, PDF_TEXT_MAX - 1).join('')}…`;
      }
      const d = drawable(escapeHiddenChars(v as string));
      plain += d.plain;
      replaced += d.replaced;
      return d.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value) as T, plain, replaced, cut };
}
