// The console's money: a cost of $0.40 or $0.003 read "$0" next to a ROI computed over it.
import { describe, expect, it } from 'vitest';
import { fmtMoney } from '../../web/src/lib/format.js';

describe("the console's money format", () => {
  it('keeps cents below 100 and says "< $0.01" below half a cent, never $0 for a real amount', () => {
    // In the viewer's locale: "$0.40", "0,40 $US", … so the digits are what is checked.
    expect(fmtMoney(0.4)).toMatch(/0[.,]40/);
    expect(fmtMoney(0.003)).toMatch(/^< .*0[.,]01/);
    expect(fmtMoney(-0.003)).toMatch(/^> .*0[.,]01/);
    expect(fmtMoney(12.5)).toMatch(/12[.,]50/);
    expect(fmtMoney(1234.56)).toMatch(/1.?235(?![.,]\d)/);
  });
});
