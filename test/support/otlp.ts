// OTLP/JSON trace exports for tests, written from plain values: what an instrumentation's exporter
// sends to /otlp/v1/traces.
import { encodeTraceRequest } from '../../src/evidence/otlp-proto.js';

/** Attributes as OTLP key-values: strings, integers (intValue) and other numbers (doubleValue). */
export function otlpAttributes(o: Record<string, string | number>) {
  return Object.entries(o).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v },
  }));
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Start and end, in milliseconds since the epoch. */
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number>;
}

/** One export of `spans`, under one resource. */
export function otlpExport(spans: OtlpSpan[], resource: Record<string, string> = { 'service.name': 'bot' }) {
  const nanos = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);
  return {
    resourceSpans: [
      {
        resource: { attributes: otlpAttributes(resource) },
        scopeSpans: [
          {
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.endMs),
              attributes: otlpAttributes(s.attributes),
            })),
          },
        ],
      },
    ],
  };
}

/** One export of spans already in OTLP/JSON form (a span's own attributes name its agent), under no resource. */
export function spansExport(spans: object[]) {
  return { resourceSpans: [{ scopeSpans: [{ spans }] }] };
}

/**
 * An OTLP/JSON export as OTLP protobuf bytes. Its ids are hex in JSON and bytes in protobuf (given to
 * encodeTraceRequest as they are, hex reads as base64: every span came out with a 24-byte trace id).
 */
export function otlpProtobuf(exported: object): Buffer {
  const ids = new Set(['traceId', 'spanId', 'parentSpanId']);
  const bytes = JSON.parse(JSON.stringify(exported), (key, v) =>
    ids.has(key) && typeof v === 'string' ? Buffer.from(v, 'hex') : v,
  ) as object;
  return Buffer.from(encodeTraceRequest(bytes));
}
