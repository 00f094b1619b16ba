// Decodes OTLP/HTTP protobuf trace exports with protobufjs. The message definitions below are the
// OTLP trace schema (opentelemetry-proto: collector/trace/v1, trace/v1, common/v1, resource/v1),
// written out because the OpenTelemetry JS packages ship an encoder for requests, not a decoder.
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package otlp;

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }

message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const Request = root.lookupType('otlp.ExportTraceServiceRequest');
const Response = root.lookupType('otlp.ExportTraceServiceResponse');

/**
 * Protobuf bytes → the decoded message. Its fields carry the OTLP/JSON names (camelCase), so one
 * mapper reads both encodings: set fields are own properties, ids are bytes, 64-bit numbers are
 * Long objects (the mapper handles each). Skipping toObject() saves a copy of every span.
 * Throws on bytes that are not a valid message.
 */
export function decodeTraceRequest(bytes: Uint8Array): unknown {
  return Request.decode(bytes);
}

/**
 * The spans an export holds, counted from its bytes without decoding them (ResourceSpans →
 * ScopeSpans → Span): 4 million empty spans, 2 bytes each, took ~10 s to decode before they could be
 * counted. Throws on bytes that are not a valid message, as decode does.
 */
export function countTraceRequestSpans(bytes: Uint8Array): number {
  const reader = protobuf.Reader.create(bytes);
  let spans = 0;
  // level 0: ExportTraceServiceRequest (resource_spans = 1), 1: ResourceSpans (scope_spans = 2),
  // 2: ScopeSpans (spans = 2).
  const walk = (end: number, level: number): void => {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if ((tag & 7) === 2 && tag >>> 3 === (level === 0 ? 1 : 2)) {
        const length = reader.uint32();
        const inner = reader.pos + length;
        if (inner > end) throw new RangeError(`a field of length ${length} runs past its message at offset ${reader.pos}`);
        if (level === 2) {
          spans++;
          reader.pos = inner;
        } else walk(inner, level + 1);
      } else reader.skipType(tag & 7);
    }
    if (reader.pos !== end) throw new RangeError(`a field runs past its message at offset ${reader.pos}`);
  };
  walk(bytes.length, 0);
  return spans;
}

/** The other direction, for tests and benchmarks that need OTLP protobuf bodies. */
export function encodeTraceRequest(request: unknown): Uint8Array {
  return Request.encode(Request.fromObject(request as Record<string, unknown>)).finish();
}

export function encodeTraceResponse(partial?: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  return Response.encode(Response.create(partial ? { partialSuccess: partial } : {})).finish();
}

/** An export's answer read back, as OTLP/JSON writes it (64-bit counts as strings), for tests. */
export function decodeTraceResponse(bytes: Uint8Array): { partialSuccess?: { rejectedSpans: string; errorMessage: string } } {
  return Response.toObject(Response.decode(bytes), { longs: String }) as ReturnType<typeof decodeTraceResponse>;
}
