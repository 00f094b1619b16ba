// Numbers, money and dates in the viewer's own locale (the browser's), never a fixed one.

import { escapeHiddenChars } from '../../../src/hidden-chars.js';
import { exactFractionDigits, HALF_CENT, smallestAt } from '../../../src/money.js';

const locale = undefined;

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

export function fmtNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString(locale, { maximumFractionDigits: digits });
}

/**
 * Money in the viewer's locale, never $0 for an amount that is not 0 (src/money.ts): whole units
 * from 100 up, cents below; under a dollar as many digits as it takes (0.004, 0.0000001). `compact`
 * (stats, chart ticks) abbreviates from 1,000 up (1.2K) and says "< $0.01" under half a cent: before,
 * its one fraction digit showed $0.04 as "$0.0".
 */
export function fmtMoney(n: number | null | undefined, currency = 'USD', compact = false): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  const money = (v: number, digits: Intl.NumberFormatOptions) =>
    v.toLocaleString(locale, { style: 'currency', currency, ...digits });
  if (compact && a >= 1000) return money(n, { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });
  if (compact && a > 0 && a < HALF_CENT)
    return `${n < 0 ? '> ' : '< '}${money(n < 0 ? -0.01 : 0.01, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (!compact && a > 0 && a < 1) {
    const { digits, tooSmall } = exactFractionDigits(a);
    if (tooSmall) {
      const least = smallestAt(digits);
      return `${n < 0 ? '> ' : '< '}${money(n < 0 ? -least : least, { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
    }
    return money(n, { minimumFractionDigits: 2, maximumFractionDigits: digits });
  }
  const cents = a < 100 ? 2 : 0;
  return money(n, { minimumFractionDigits: cents, maximumFractionDigits: cents });
}

export function fmtPercent(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined) return '—';
  return fraction.toLocaleString(locale, { style: 'percent', maximumFractionDigits: digits });
}

/** An outcome metric's value in its unit: rates are fractions, money is USD, the rest is a number and its unit. */
export function fmtMetric(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'ratio' || unit === 'fraction' || unit === 'rate') return fmtPercent(value, 1);
  if (/^[A-Z]{3}$/.test(unit)) return fmtMoney(value, unit);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  // A unit is a registry writer's text, and the value goes into attributes too: hidden characters written out.
  return `${fmtNumber(value, digits)} ${escapeHiddenChars(unit)}`;
}

export function titleCase(s: string): string {
  return s.replace(/[-_]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** Who did something, as a person reads it: "person:raj.patel" and "agent:bot" become raj.patel and bot. */
export function who(actor: string | null | undefined): string {
  return actor ? actor.replace(/^(person|agent):/, '') : '—';
}
