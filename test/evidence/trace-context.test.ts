// W3C trace context as the gateways read it (src/evidence/trace-context.ts), on any input a caller
// can send: a traceparent read is one the specification allows, and a tracestate passed on is a valid
// list of at most 512 characters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callTrace, parseTraceparent, traceHeaders, tracestateToPass } from '../../src/evidence/trace-context.js';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const MEMBER = /^[a-z0-9][a-z0-9_\-*/@]*=[\x20-\x7e]*[\x21-\x7e]$/;

describe('trace context', () => {
  it('reads a traceparent only when it is a valid one', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 700 }), hex(2), fc.constant('00')),
        hex(32),
        hex(16),
        hex(2),
        fc.string(),
        (v, t, p, f, rest) => {
          for (const header of [v, `${v}-${t}-${p}-${f}`, `${v}-${t}-${p}-${f}${rest}`]) {
            const read = parseTraceparent(header);
            if (!read) continue;
            expect(read.traceId).toMatch(/^[0-9a-f]{32}$/);
            expect(read.traceId).not.toMatch(/^0+$/);
            expect(read.parentId).not.toMatch(/^0+$/);
            expect(header.length).toBeLessThanOrEqual(512);
            const version = header.trim().slice(0, 2);
            expect(version).not.toBe('ff');
            if (version === '00') expect(header.trim()).toHaveLength(55);
          }
        },
      ),
    );
  });

  it('passes on a tracestate only as a valid list of at most 512 characters', () => {
    const member = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_*/-]{0,20}$/), fc.stringMatching(/^[!-+\--<>-~]{1,150}$/));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 2000 }),
          fc.array(member, { maxLength: 40 }).map((m) => m.map(([k, v]) => `${k}=${v}`).join(',')),
        ),
        (header) => {
          const passed = tracestateToPass(header);
          if (passed === undefined) return;
          expect(passed.length).toBeLessThanOrEqual(512);
          const members = passed.split(',');
          expect(members.length).toBeLessThanOrEqual(32);
          for (const m of members) expect(m).toMatch(MEMBER);
        },
      ),
    );
  });

  it('sends on the caller’s trace with the gateway’s span as the parent', () => {
    const t = callTrace('decision-1', {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'a=1',
    });
    expect(t).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', parentSpanId: 'b7ad6b7169203331' });
    expect(traceHeaders(t)).toEqual({ traceparent: `00-0af7651916cd43dd8448eb211c80319c-${t.spanId}-01`, tracestate: 'a=1' });
    // None sent: the decision's trace, the same for the same decision.
    const own = callTrace('decision-1', { tracestate: 'a=1' });
    expect(own).toMatchObject({ traceId: callTrace('decision-1', {}).traceId, parentSpanId: null });
    expect(traceHeaders(own)).toEqual({ traceparent: `00-${own.traceId}-${own.spanId}-01` });
  });
});
