// Money as the CLI and the report write it (src/money.ts): a cost under $0.0000005 printed as $0,
// one under a cent as $0.00 or USD 0.0000, and a budget line under a unit as 0.
import { describe, expect, it } from 'vitest';
import { formatMoney as reportMoney } from '../../src/insight/report.js';
import { formatAmount, formatMoney } from '../../src/money.js';

const EDGES = [0, 1e-7, 4e-7, 0.004, 0.04, 0.049, 0.5, 999.995, 1e6, -0.004, -1e-7];

describe('money in the CLI and the report', () => {
  it('brief: cents below 100, whole units above, "< 0.01" under half a cent', () => {
    expect(EDGES.map((v) => formatAmount(v))).toEqual([
      '0.00',
      '< 0.01',
      '< 0.01',
      '< 0.01',
      '0.04',
      '0.05',
      '0.50',
      '1,000',
      '1,000,000',
      '> -0.01',
      '> -0.01',
    ]);
  });

  it('exact: cents, and two significant digits under a dollar', () => {
    expect(EDGES.map((v) => formatAmount(v, 'exact'))).toEqual([
      '0.00',
      '0.0000001',
      '0.0000004',
      '0.004',
      '0.04',
      '0.049',
      '0.50',
      '1,000.00',
      '1,000,000.00',
      '-0.004',
      '-0.0000001',
    ]);
    expect(formatAmount(1e-15, 'exact')).toBe('< 0.000000000001');
    expect(formatAmount(-1e-15, 'exact')).toBe('> -0.000000000001');
  });

  it('whole: whole units from one up, and under one what brief shows', () => {
    expect(EDGES.map((v) => formatAmount(v, 'whole'))).toEqual([
      '0',
      '< 0.01',
      '< 0.01',
      '< 0.01',
      '0.04',
      '0.05',
      '0.50',
      '1,000',
      '1,000,000',
      '> -0.01',
      '> -0.01',
    ]);
    expect(formatAmount(42.99, 'whole')).toBe('43');
  });

  it('with a currency: $ for USD, the code otherwise, the comparison before the mark', () => {
    expect(formatMoney(1e-7, 'USD', { exact: true })).toBe('$0.0000001');
    expect(formatMoney(-0.004, 'USD', { exact: true })).toBe('-$0.004');
    expect(formatMoney(0.004)).toBe('< $0.01');
    expect(formatMoney(-0.004, 'EUR')).toBe('> -EUR 0.01');
    expect(formatMoney(null)).toBe('n/a');
  });

  it("the report's: abbreviated from 10,000 up, never $0 for a real amount", () => {
    expect(EDGES.map((v) => reportMoney(v))).toEqual([
      '$0.00',
      '< $0.01',
      '< $0.01',
      '< $0.01',
      '$0.04',
      '$0.05',
      '$0.50',
      '$1,000',
      '$1.00M',
      '> -$0.01',
      '> -$0.01',
    ]);
    expect(reportMoney(12_345, 'EUR')).toBe('EUR 12k');
  });
});
