// An OTLP/HTTP trace export, from its bytes (protobuf or JSON, already decompressed) to the spans
// Fulcrum reads (otlp.ts mapTraceRequest). A large export is read on the worker thread
// (src/http/off-loop.ts): decoding and mapping ~40,000 spans held the event loop ~0.3 s. Its spans
// come back in parts of PART_SPANS, so taking them in does not hold it either.
import { InputError } from '../errors.js';
import { parseJsonBody } from '../http/json-depth.js';
import { offLoopOr, ownBuffer } from '../http/off-loop.js';
import { type MappedSpan, mapTraceRequest, type Rejected } from './otlp.js';
import { decodeTraceRequest } from './otlp-proto.js';

export type OtlpEncoding = 'protobuf' | 'json';
export interface MappedExport {
  spans: MappedSpan[];
  rejected: Rejected[];
}

/** Spans per message from the worker thread. */
export const PART_SPANS = 2048;

/** Decodes and maps one export; a malformed one is an InputError (400). */
export function mapOtlpBody(encoding: OtlpEncoding, raw: Uint8Array): MappedExport {
  let body: unknown;
  if (encoding === 'protobuf') {
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
  const result = await offLoopOr<MappedExport | { rejected: Rejected[] }>(
    { task: 'otlp-traces', encoding, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) },
    () => mapOtlpBody(encoding, raw),
    { transfer: ownBuffer(raw), onPart: (part) => spans.push(...(part as MappedSpan[])) },
  );
  return 'spans' in result ? result : { spans, rejected: result.rejected };
}
