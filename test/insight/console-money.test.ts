// The console's money: a cost of $0.40 or $0.003 read "$0" next to a ROI computed over it, and the
// compact format of the stats and chart ticks (one fraction digit) showed $0.04 as "$0.0".
import { describe, expect, it } from 'vitest';
import { fmtMetric, fmtMoney } from '../../web/src/lib/format.js';

/** In the viewer's locale ("$0.40", "0,40 $US", …): the digits are what is checked, with either separator. */
const digits = (s: string) => s.replace(/[^\d.,<>-]/g, '').replace(/,/g, '.');
/** An amount is shown as zero when its digits are only zeros and separators. */
const readsZero = (s: string) => /^[-]?[0.]+$/.test(digits(s));

describe("the console's money format", () => {
  it('keeps cents below 100 and whole units above, and shows an amount under a dollar to its own digits', () => {
    expect(digits(fmtMoney(0))).toBe('0.00');
    expect(digits(fmtMoney(0.4))).toBe('0.40');
    expect(digits(fmtMoney(0.5))).toBe('0.50');
    expect(digits(fmtMoney(0.04))).toBe('0.04');
    expect(digits(fmtMoney(0.049))).toBe('0.049');
    expect(digits(fmtMoney(0.004))).toBe('0.004');
    expect(digits(fmtMoney(0.003))).toBe('0.003');
    expect(digits(fmtMoney(1e-7))).toBe('0.0000001');
    expect(digits(fmtMoney(-0.004))).toBe('-0.004');
    expect(digits(fmtMoney(12.5))).toBe('12.50');
    expect(fmtMoney(1234.56)).toMatch(/1.?235(?![.,]\d)/);
    expect(fmtMoney(999.995)).toMatch(/1.?000(?![.,]\d)/);
    expect(fmtMoney(1e6)).toMatch(/1.?000.?000(?![.,]\d)/);
    // Past what can be written (a picodollar), it says less than the least it can write.
    expect(fmtMoney(1e-15)).toMatch(/^< .*0[.,]000000000001/);
  });

  it('compact: "< $0.01" under half a cent, cents under 1,000, abbreviated above; never $0.0', () => {
    expect(digits(fmtMoney(0.04, 'USD', true))).toBe('0.04');
    expect(digits(fmtMoney(0.049, 'USD', true))).toBe('0.05');
    expect(digits(fmtMoney(0.5, 'USD', true))).toBe('0.50');
    expect(fmtMoney(0.004, 'USD', true)).toMatch(/^< .*0[.,]01/);
    expect(fmtMoney(1e-7, 'USD', true)).toMatch(/^< .*0[.,]01/);
    expect(fmtMoney(-0.004, 'USD', true)).toMatch(/^> .*-.*0[.,]01/);
    expect(fmtMoney(999.995, 'USD', true)).toMatch(/1.?000(?![.,]\d)/);
    expect(fmtMoney(1e6, 'USD', true)).toMatch(/^\D*1\s?M$/);
    expect(digits(fmtMoney(0, 'USD', true))).toBe('0.00');
  });

  it('no amount but 0 reads as zero, in either format and in a currency-valued metric', () => {
    for (const v of [1e-12, 1e-9, 1e-7, 4e-7, 0.000499, 0.0049, 0.004, 0.04, 0.049, 0.0999, 0.5, -1e-7, -0.04]) {
      expect(readsZero(fmtMoney(v)), `${v} → ${fmtMoney(v)}`).toBe(false);
      expect(readsZero(fmtMoney(v, 'EUR', true)), `${v} → ${fmtMoney(v, 'EUR', true)}`).toBe(false);
      expect(readsZero(fmtMetric(v, 'USD')), `${v} → ${fmtMetric(v, 'USD')}`).toBe(false);
    }
  });
});
