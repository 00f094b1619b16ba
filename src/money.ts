// How an amount of money is written so that no amount but 0 reads as zero: one rule for the console
// (web/src/lib/format.ts, in the viewer's locale), the CLI and the report (en-US). A brief amount
// (a table cell, a stat, a sentence) says "< 0.01" under half a cent; an exact one (a cost's own
// line) shows two significant digits under a dollar, so $0.0000001 of one token is $0.0000001.

/** Below half a cent, cents would read 0.00. */
export const HALF_CENT = 0.005;

/** The most fraction digits an exact amount shows (a picodollar: below it is floating-point noise). */
export const MAX_FRACTION_DIGITS = 12;

/**
 * Fraction digits that show `v` exactly enough: cents, or under a dollar two significant digits
 * (0.049, 0.004, 0.0000001); at most MAX_FRACTION_DIGITS, for the smallest amounts `tooSmall` says so.
 */
export function exactFractionDigits(v: number): { digits: number; tooSmall: boolean } {
  const a = Math.abs(v);
  if (a === 0 || a >= 0.1 || !Number.isFinite(a)) return { digits: 2, tooSmall: false };
  const digits = 1 - Math.floor(Math.log10(a));
  if (digits <= MAX_FRACTION_DIGITS) return { digits: Math.max(2, digits), tooSmall: false };
  // Rounded to the last digit shown, it would read 0.
  return { digits: MAX_FRACTION_DIGITS, tooSmall: a < 0.5 * 10 ** -MAX_FRACTION_DIGITS };
}

/** The smallest amount written at `digits` fraction digits, for "< 0.01" and its like. */
export const smallestAt = (digits: number): number => 10 ** -digits;

/**
 * How much of an amount to show: `brief` cents below 100 and whole units from 100 up, "< 0.01" under
 * half a cent; `exact` cents throughout and two significant digits under a dollar; `whole` whole
 * units from one up (a budget table, a saving a year) and, under one, what `brief` shows, so 0.4
 * is not 0.
 */
export type AmountStyle = 'brief' | 'exact' | 'whole';

/** An amount's digits in en-US, without a currency. A negative amount too small to show is "> -0.01". */
export function formatAmount(v: number, style: AmountStyle = 'brief'): string {
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  const fixed = (digits: number, most = digits) =>
    `${sign}${a.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: most })}`;
  if (a === 0) return style === 'whole' ? '0' : '0.00';
  if (style === 'exact') {
    const { digits, tooSmall } = exactFractionDigits(a);
    if (tooSmall) return `${sign ? '> -' : '< '}${smallestAt(digits).toFixed(digits)}`;
    return fixed(2, digits);
  }
  if (a < HALF_CENT) return `${sign ? '> -' : '< '}0.01`;
  return fixed(a < (style === 'whole' ? 1 : 100) ? 2 : 0);
}

/**
 * An amount of money: `$` for USD, the currency's code before it otherwise (a EUR budget reads
 * `EUR 5,000`, never `$5,000`); `abbreviate` writes 12k and 1.20M, as the report does. `n/a` for
 * no amount.
 */
export function formatMoney(
  value: number | null,
  currency = 'USD',
  { exact = false, abbreviate = false }: { exact?: boolean; abbreviate?: boolean } = {},
): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const mark = currency === 'USD' ? '$' : `${currency} `;
  const sign = value < 0 ? '-' : '';
  const a = Math.abs(value);
  if (abbreviate && a >= 1_000_000) return `${sign}${mark}${(a / 1_000_000).toFixed(2)}M`;
  if (abbreviate && a >= 10_000) return `${sign}${mark}${(a / 1000).toFixed(0)}k`;
  const digits = formatAmount(a, exact ? 'exact' : 'brief');
  // "< 0.01" and its like: the mark goes after the comparison, "> -" for a negative amount.
  if (digits.startsWith('< ')) return `${sign ? '> -' : '< '}${mark}${digits.slice(2)}`;
  return `${sign}${mark}${digits}`;
}

/**
 * Amounts rounded to cents so that they add up to their total rounded to cents (the largest
 * remainder method): each is within a cent of its own value, and a table's rows sum to the total it
 * prints. Rounded one by one, three rows of 0.334 read 0.33 each against a total of 1.00 (found by
 * review in a budget's alignment). An amount that is not finite stays as it is, and then nothing is
 * moved: there is no total to add up to.
 */
export function centsAddingUp(values: readonly number[]): number[] {
  if (!values.every(Number.isFinite)) return values.map((v) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : v));
  // Each amount's cents, as exact as a double holds them (toFixed(6) before flooring: 1.005 is
  // 100.49999999999999 cents as a double, and must not lose a cent it has).
  const cents = values.map((v) => Number((v * 100).toFixed(6)));
  const floors = cents.map(Math.floor);
  const target = Math.round(Number(cents.reduce((a, b) => a + b, 0).toFixed(6)));
  let left = target - floors.reduce((a, b) => a + b, 0);
  const order = cents.map((c, i) => ({ i, rest: c - Math.floor(c) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const bumped = new Set<number>();
  for (const { i } of order) {
    if (left <= 0) break;
    bumped.add(i);
    left -= 1;
  }
  return floors.map((c, i) => (bumped.has(i) ? c + 1 : c) / 100);
}
