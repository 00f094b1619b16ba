// W3C Trace Context (https://www.w3.org/TR/trace-context/) as Fulcrum's gateways read and pass it on:
// a caller's `traceparent` places the gateway's record of a call in the caller's trace, as a child of
// the caller's span; what the gateway sends on names its own record as the parent. Anything that is
// not a valid header is ignored (a call is never refused for its trace context) and never stored.
import { randomSpanId, traceIdOf } from './ids.js';

export interface TraceParent {
  traceId: string;
  parentId: string;
  /** The caller's trace-flags (two hex digits). */
  flags: string;
}

/** Longest traceparent read: a version 00 one is 55 characters, a later version may add fields. */
const MAX_TRACEPARENT = 512;

/**
 * A W3C traceparent's trace id, parent (span) id and flags, or null when it is not a valid one:
 * lowercase hex only, version ff invalid, version 00 exactly 55 characters, all-zero ids invalid. A
 * later version is read by its version 00 prefix, as the specification asks.
 */
export function parseTraceparent(header: unknown): TraceParent | null {
  if (typeof header !== 'string' || header.length > MAX_TRACEPARENT) return null;
  const text = header.trim();
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/.exec(text);
  if (!m || m[1] === 'ff' || (m[1] === '00' && text.length !== 55)) return null;
  const [traceId, parentId, flags] = [m[2] as string, m[3] as string, m[4] as string];
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return null;
  return { traceId, parentId, flags };
}

/** Longest tracestate passed on (the specification's floor for what must be propagated). */
const MAX_TRACESTATE = 512;
const MAX_TRACESTATE_MEMBERS = 32;
// key: a simple key, or tenant@system; value: printable ASCII but `,` and `=`, not ending in a space.
const MEMBER =
  /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * A caller's tracestate as passed on with the gateway's traceparent, or undefined when it is not a
 * valid one (then nothing is passed on: the specification's rule for a header that cannot be parsed).
 * Longer than 512 characters, it is cut as the specification allows: members over 128 characters
 * first, then from the end.
 */
export function tracestateToPass(header: unknown): string | undefined {
  if (typeof header !== 'string' || header.length > 8 * 1024) return undefined;
  const members = header
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (members.length === 0 || members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  if (!members.every((x) => MEMBER.test(x))) return undefined;
  const keys = members.map((x) => x.slice(0, x.indexOf('=')));
  if (new Set(keys).size !== keys.length) return undefined;
  let kept = members;
  const size = (list: string[]) => list.join(',').length;
  if (size(kept) > MAX_TRACESTATE) kept = kept.filter((x) => x.length <= 128);
  while (size(kept) > MAX_TRACESTATE) kept = kept.slice(0, -1);
  return kept.length ? kept.join(',') : undefined;
}

/** Where a gateway's record of one call sits: its trace, its own span id and its parent (the caller's span). */
export interface CallTrace {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** The trace-flags sent on: the caller's sampled and random bits, else sampled (Fulcrum records every call). */
  flags: string;
  tracestate?: string;
}

/**
 * The trace of a call decided as `decisionId`: the caller's, as a child of its span, when its headers
 * carry a valid traceparent; else one derived from the decision (joinable with the audit log).
 */
export function callTrace(decisionId: string, headers: Record<string, string | string[] | undefined>): CallTrace {
  const caller = parseTraceparent(headers.traceparent);
  const spanId = randomSpanId();
  if (!caller) return { traceId: traceIdOf(decisionId), spanId, parentSpanId: null, flags: '01' };
  const state = tracestateToPass(headers.tracestate);
  // Version 00 defines two flags, sampled (01) and random (02); others are sent as zero.
  const flags = (Number.parseInt(caller.flags, 16) & 0x03).toString(16).padStart(2, '0');
  return { traceId: caller.traceId, spanId, parentSpanId: caller.parentId, flags, ...(state ? { tracestate: state } : {}) };
}

/** The trace context headers sent on with a call: the gateway's record is the provider's parent. */
export function traceHeaders(t: CallTrace): Record<string, string> {
  return { traceparent: `00-${t.traceId}-${t.spanId}-${t.flags}`, ...(t.tracestate ? { tracestate: t.tracestate } : {}) };
}
