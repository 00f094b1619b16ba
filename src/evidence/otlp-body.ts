// An OTLP/HTTP trace export, from its bytes (protobuf or JSON, already decompressed) to the spans
// Fulcrum reads (otlp.ts mapTraceRequest). A large export is read on the worker thread
// (src/http/off-loop.ts): decoding and mapping ~40,000 spans held the event loop ~0.3 s. Its spans
// come back in parts of PART_SPANS, so taking them in does not hold it either.
import { InputError } from '../errors.js';
import { parseJsonBody } from '../http/json-depth.js';
import { offLoopOr, ownBuffer } from '../http/off-loop.js';
import { assertSpanCount, type MappedSpan, type MappedTraces, mapTraceRequest, type Rejected } from './otlp.js';
import { countTraceRequestSpans, decodeTraceRequest } from './otlp-proto.js';

export type OtlpEncoding = 'protobuf' | 'json';
export type MappedExport = MappedTraces;

/** Spans per message from the worker thread. */
export const PART_SPANS = 2048;

/** Decodes and maps one export; a malformed one is an InputError (400). */
export function mapOtlpBody(encoding: OtlpEncoding, raw: Uint8Array): MappedExport {
  let body: unknown;
  if (encoding === 'protobuf') {
    let count: number;
    try {
      count = countTraceRequestSpans(raw);
    } catch (err) {
      throw new InputError(`malformed OTLP protobuf body: ${(err as Error).message}`);
    }
    // Counted first: decoding millions of empty spans, 2 bytes each, is what takes the time.
    assertSpanCount(count);
    try {
      body = decodeTraceRequest(raw);
    } catch (err) {
      throw new InputError(`malformed OTLP protobuf body: ${(err as Error).message}`);
    }
  } else {
    body = parseJsonBody(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  }
  return mapTraceRequest(body);
}

/** One export read: on the worker thread when it is large (its bytes handed over), here otherwise. */
export async function readOtlpBody(encoding: OtlpEncoding, raw: Buffer): Promise<MappedExport> {
  const spans: MappedSpan[] = [];
  const result = await offLoopOr<MappedExport | Omit<MappedExport, 'spans'>>(
    { task: 'otlp-traces', encoding, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) },
    () => mapOtlpBody(encoding, raw),
    { transfer: ownBuffer(raw), onPart: (part) => spans.push(...(part as MappedSpan[])) },
  );
  return 'spans' in result ? result : { ...result, spans };
}

/**
 * OTLP partial success's error message: the first reasons, each cut to 300 characters, as many as
 * fit in 2,000 characters, then how many more were rejected; and a warning (spans kept, nothing counted).
 */
export function rejectionMessage(rejected: Rejected[], rejectedCount: number, warning: string | null): string {
  const MAX = 2000;
  const tail = (named: number) =>
    rejectedCount > named ? `and ${rejectedCount - named} more spans rejected (${rejectedCount} in all)` : '';
  const parts: string[] = [];
  let length = 0;
  for (const r of rejected) {
    const reason = r.reason.length > 300 ? `${r.reason.slice(0, 299)}…` : r.reason;
    const part = `span ${r.index}: ${reason}`;
    // Room kept for the count of the rest (and the warning, cut below if need be).
    if (length + part.length + 2 + tail(parts.length + 1).length + 2 > MAX) break;
    parts.push(part);
    length += part.length + 2;
  }
  const rest = tail(parts.length);
  return [...parts, ...(rest ? [rest] : []), ...(warning ? [warning] : [])].join('; ').slice(0, MAX);
}
