// OTLP traces → span records. Each span is checked on its own: bad spans are rejected with a reason
// (OTLP partial success), good ones kept. Every attribute family the common GenAI instrumentations
// send is read and mapped to one meaning (docs/evidence.md "What Fulcrum reads"): the OpenTelemetry
// GenAI conventions (v1.41 names, the deprecated ones, semantic-conventions-genai v0.1.0),
// OpenInference (`llm.*`, `openinference.span.kind`), the AI SDK (`ai.*`) and Traceloop's span kinds.
import { FulcrumError, InputError } from '../errors.js';
import { jsonTooDeepAt, MAX_JSON_DEPTH } from '../http/json-depth.js';
import { unstorableFact } from '../stored-text.js';
import { MAX_TOKENS, tokenCount } from './cost.js';

export type AttrValue = string | number | boolean | null | AttrValue[] | { [k: string]: AttrValue };

export interface MappedSpan {
  /** Its position in the request (every span counted, as in `Rejected`). */
  index: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** gen_ai.operation.name: invoke_agent, execute_tool, chat, text_completion, embeddings, … */
  operation: string | null;
  startAt: string;
  day: string;
  durationMs: number;
  agentName: string | null;
  model: string | null;
  provider: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  /** Input tokens written to a prompt cache (Anthropic bills them above input). */
  cacheWriteTokens: number | null;
  tool: string | null;
  errorType: string | null;
  /** fulcrum.task.outcome on invoke_agent spans. */
  taskOutcome: string | null;
  taskId: string | null;
  workflow: string | null;
  /** gen_ai.response.id: the provider's id of the answer (the LLM gateway records it too; no double count). */
  responseId: string | null;
  /** The service tier the provider says it billed (openai.response.service_tier). */
  serviceTier: string | null;
  /** Whether it carries anything Fulcrum reads (an operation, model, tokens, tool or task outcome). */
  understood: boolean;
}

export interface Rejected {
  index: number;
  reason: string;
}

const INFERENCE = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);
/** The GenAI conventions' other operations: spans of them are no model call, whatever usage they carry. */
const NOT_INFERENCE = new Set(['invoke_agent', 'invoke_workflow', 'create_agent', 'execute_tool']);
/**
 * Operation names instrumentations send for model calls other than the conventions' own (found by
 * review: these calls were stored and counted nowhere): Semantic Kernel's `chat.completions`,
 * `chat.streaming_completions`, `text.completions`, `text.streaming_completions`; Spring AI's
 * `embedding`.
 */
const OPERATION_ALIASES: Record<string, string> = {
  'chat.completions': 'chat',
  'chat.streaming_completions': 'chat',
  'text.completions': 'text_completion',
  'text.streaming_completions': 'text_completion',
  embedding: 'embeddings',
};

/**
 * An operation Fulcrum does not know, on a span that carries model usage (a model or token counts):
 * kept, counted as no model call, and the exporter told (evidence-service.ts). Undefined otherwise.
 */
export function unknownUsageOperation(s: Pick<MappedSpan, 'operation' | 'model' | 'inputTokens' | 'outputTokens'>) {
  if (s.operation === null || INFERENCE.has(s.operation) || NOT_INFERENCE.has(s.operation)) return undefined;
  return s.model !== null || s.inputTokens !== null || s.outputTokens !== null ? s.operation : undefined;
}
export const TASK_OUTCOMES = ['resolved', 'escalated', 'failed', 'abandoned'] as const;
/** The longest task id, from a span or a task event (POST /v1/events). */
export const MAX_TASK_ID = 200;
/** The longest agent a span or task event may name: a registry name's bound. */
export const MAX_AGENT_NAME = 253;
/** The longest workflow a task (from a span or a task event) may name. */
export const MAX_WORKFLOW = 200;

/**
 * How far ahead of this server's clock evidence may be dated. A span or task from the future is a
 * clock error or a forgery: it would sit in every monitor window and no retention cut-off would reach
 * it, so it is refused (docs/evidence.md).
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The refusal for a time more than MAX_CLOCK_SKEW_MS ahead of now, or null. */
export function inTheFuture(ms: number, field: string, now = Date.now()): string | null {
  return ms > now + MAX_CLOCK_SKEW_MS
    ? `${field} ${new Date(ms).toISOString()} is in the future (more than 5 minutes ahead of this server's clock, ${new Date(now).toISOString()})`
    : null;
}
/**
 * The longest a span or task may last: a year. Longer is a clock error, and would swamp the durations'
 * averages (avg_handle_time).
 */
export const MAX_DURATION_DAYS = 366;
export const MAX_DURATION_MS = MAX_DURATION_DAYS * 86_400_000;
const STATUS_ERROR = 2;

export function isInference(s: Pick<MappedSpan, 'operation' | 'model'>): boolean {
  return s.operation ? INFERENCE.has(s.operation) : s.model !== null;
}

/**
 * The rejected spans an export's answer names, the first ones; the rest are only counted (found by
 * review: 8 MiB of empty spans kept a reason for each of 2.8 million, to cut the answer at 2,000
 * characters, ~2 minutes and ~1.4 GB for one request).
 */
export const MAX_REASONS = 50;
/**
 * The most spans one export may hold. 8 MiB of real spans (ids, name, times, a few attributes: 100
 * bytes and more each) is fewer; empty ones are 2 bytes each, and mapping 4 million took minutes.
 */
export const MAX_EXPORT_SPANS = 100_000;

export interface MappedTraces {
  spans: MappedSpan[];
  /** The first MAX_REASONS rejections, in the request's order. */
  rejected: Rejected[];
  /** Every span rejected. */
  rejectedCount: number;
}

/** Maps an ExportTraceServiceRequest (OTLP/JSON, or decoded protobuf) to spans and rejections. */
export function mapTraceRequest(body: unknown): MappedTraces {
  if (!isObject(body)) throw new InputError('an OTLP trace export must be a JSON object with "resourceSpans"');
  const resourceSpans = body.resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) throw new InputError('"resourceSpans" must be an array');
  assertSpanCount(countSpans(resourceSpans));
  const spans: MappedSpan[] = [];
  const rejected: Rejected[] = [];
  let rejectedCount = 0;
  let index = 0;
  // A rejected span's Error without its stack: a stack cost ~16 µs a span here, and an export of
  // empty spans is 2 bytes a span (mapping is synchronous: nothing else runs meanwhile).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const rs of resourceSpans as Array<Record<string, unknown> & { scopeSpans?: Array<{ spans?: unknown[] }> }>) {
      const resource = attributes(isObject(rs.resource) ? rs.resource.attributes : undefined);
      for (const ss of rs.scopeSpans ?? []) {
        for (const raw of (ss.spans as unknown[]) ?? []) {
          try {
            spans.push(mapSpan(raw, resource, index));
          } catch (err) {
            if (rejectedCount++ < MAX_REASONS) rejected.push({ index, reason: (err as Error).message });
          }
          index++;
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { spans, rejected, rejectedCount };
}

/** Refuses an export of more than MAX_EXPORT_SPANS spans (413). */
export function assertSpanCount(count: number): void {
  if (count > MAX_EXPORT_SPANS)
    throw new FulcrumError(
      'payload_too_large',
      `an OTLP export holds at most ${MAX_EXPORT_SPANS} spans, this one ${count}: send smaller batches (the OpenTelemetry Collector's batch processor: send_batch_max_size)`,
    );
}

/** The spans of an export's resourceSpans, its shape checked on the way. */
function countSpans(resourceSpans: unknown[]): number {
  let n = 0;
  for (const rs of resourceSpans) {
    if (!isObject(rs)) throw new InputError('each resourceSpans entry must be an object');
    const scopeSpans = rs.scopeSpans ?? [];
    if (!Array.isArray(scopeSpans)) throw new InputError('"scopeSpans" must be an array');
    for (const ss of scopeSpans) {
      if (!isObject(ss) || (ss.spans !== undefined && !Array.isArray(ss.spans))) throw new InputError('"spans" must be an array');
      n += ((ss.spans as unknown[] | undefined) ?? []).length;
    }
  }
  return n;
}

function mapSpan(raw: unknown, resource: Record<string, AttrValue>, index: number): MappedSpan {
  if (!isObject(raw)) throw new Error('a span must be an object');
  const traceId = id(raw.traceId, 16, 'traceId');
  const spanId = id(raw.spanId, 8, 'spanId');
  const parent = isEmptyId(raw.parentSpanId) ? null : id(raw.parentSpanId, 8, 'parentSpanId');
  if (typeof raw.name !== 'string' || raw.name === '') throw new Error('span name is missing');
  const unstorableName = unstorableFact(raw.name);
  if (unstorableName) throw new Error(`the span name ${unstorableName}`);
  const start = nanos(raw.startTimeUnixNano, 'startTimeUnixNano');
  const end = nanos(raw.endTimeUnixNano, 'endTimeUnixNano');
  if (end < start) throw new Error('endTimeUnixNano is before startTimeUnixNano');
  if (end - start > BigInt(MAX_DURATION_MS) * 1_000_000n)
    throw new Error(
      `the span lasts ${Math.ceil(Number((end - start) / 1_000_000n) / 86_400_000)} days (endTimeUnixNano - startTimeUnixNano), more than a year (${MAX_DURATION_DAYS} days)`,
    );
  const future = inTheFuture(Number(end / 1_000_000n), 'endTimeUnixNano');
  if (future) throw new Error(future);
  const own = attributes(raw.attributes);
  // A text Fulcrum reads may be stored, and PostgreSQL stores no NUL: one failed the whole export
  // there (SQLite kept it), so it rejects its span; a lone surrogate too (stored as U+FFFD by both).
  const at = (attrs: Record<string, AttrValue>, key: string): AttrValue | undefined => {
    const v = Object.hasOwn(attrs, key) ? attrs[key] : undefined;
    const fact = typeof v === 'string' ? unstorableFact(v) : undefined;
    if (fact) throw new Error(`${key} ${fact}`);
    return v;
  };
  // Span attributes win over resource attributes.
  const a = (key: string): AttrValue | undefined => (Object.hasOwn(own, key) ? at(own, key) : at(resource, key));
  // The first of a meaning's names that `ok` takes, on the span before its resource: a span's own
  // name for it wins over another the resource uses (found by review: a resource's gen_ai.agent.name,
  // set per process as advised, booked a collector's span naming its agent.name to the process's agent).
  const scopes = [own, resource];
  const firstOf = <T>(keys: readonly string[], ok: (v: AttrValue | undefined, key: string) => T | null): T | null => {
    for (const attrs of scopes)
      for (const k of keys) {
        const v = ok(at(attrs, k), k);
        if (v !== null) return v;
      }
    return null;
  };
  const startAt = new Date(Number(start / 1_000_000n)).toISOString();
  const status = isObject(raw.status) ? Number(raw.status.code ?? 0) : 0;
  const outcome = str(a('fulcrum.task.outcome'));
  if (outcome !== null && !(TASK_OUTCOMES as readonly string[]).includes(outcome))
    throw new Error(`fulcrum.task.outcome must be one of ${TASK_OUTCOMES.join(', ')}, got "${outcome}"`);
  const first = (...keys: string[]): string | null => firstOf(keys, str);
  const operation = operationOf(a);
  // The AI SDK's model calls (`….doGenerate`, `….doStream`, `….doEmbed`) name their model as
  // `ai.model.id` too, and an embedding call names its model and tokens only so (`ai.usage.tokens`):
  // read on those spans alone, as the outer spans (`ai.embed`, `ai.generateText`) carry them too and
  // are no model call.
  const aiStep = /\.do(?:Generate|Stream|Embed)$/.exec(str(a('ai.operationId')) ?? '')?.[0] ?? null;
  // OpenInference's kinds that are no model call name the model of the calls within them: its span
  // processor for the AI SDK (@arizeai/openinference-vercel) labels ai.embed a CHAIN and gives it
  // llm.model_name, so each embedding was counted twice, once as an unpriced call (found by attack,
  // session 35). Their model is not read, as the AI SDK's outer spans' is not.
  const notACall = operation === null && OPENINFERENCE_NO_CALL.has(str(a('openinference.span.kind'))?.toLowerCase() ?? '');
  const task = firstOf(['fulcrum.task.id', 'gen_ai.conversation.id'], (v, key) =>
    str(v) === null ? null : { key, id: str(v) as string },
  );
  const taskId = task?.id ?? null;
  const isTask = outcome !== null && operation === 'invoke_agent';
  // A task's id is bounded as a task event's is: it is in task_events' primary key, and PostgreSQL
  // refuses an index entry over ~2.7 kB, which failed the whole export (SQLite stored it).
  if (isTask && taskId !== null && taskId.length > MAX_TASK_ID)
    throw new Error(`${task?.key} must be 1 to ${MAX_TASK_ID} characters, got ${taskId.length}`);
  // So are the agent and workflow it names (found by review): a claimed agent is in an index of
  // unbooked tasks, and `telemetry:<agent>` a shadow agent's key, whose batch of every identity seen
  // that second failed with it.
  const named = (...keys: string[]) => firstOf(keys, (v, key) => (str(v) === null ? null : { key, text: v as string }));
  // A workflow's name is the agent only when nothing names one, on the span or its resource (found by
  // review): a span's gen_ai.workflow.name, the workflow a task ran in, won over its resource's
  // gen_ai.agent.name, and a collector's task was booked to no agent, the workflow a shadow agent.
  const agent = named('gen_ai.agent.name', 'gen_ai.agent.id', 'agent.name') ?? named('gen_ai.workflow.name');
  if (agent !== null && agent.text.length > MAX_AGENT_NAME)
    throw new Error(`${agent.key} must be 1 to ${MAX_AGENT_NAME} characters, got ${agent.text.length}`);
  const workflow = named('fulcrum.workflow', 'gen_ai.workflow.name');
  if (isTask && workflow !== null && workflow.text.length > MAX_WORKFLOW)
    throw new Error(`${workflow.key} must be at most ${MAX_WORKFLOW} characters, got ${workflow.text.length}`);
  const m: MappedSpan = {
    index,
    traceId,
    spanId,
    parentSpanId: parent,
    name: raw.name,
    operation,
    startAt,
    day: startAt.slice(0, 10),
    durationMs: Number(end - start) / 1e6,
    // semantic-conventions-genai v0.1.0: an invoke_workflow span names its workflow, not an agent.
    agentName: agent?.text ?? null,
    // The model that answered, else the one asked for.
    model: notACall
      ? null
      : first(
          'gen_ai.response.model',
          'llm.response.model_name',
          'gen_ai.request.model',
          'llm.model_name',
          'llm.request.model_name',
          'embedding.model_name',
          ...(aiStep ? ['ai.model.id'] : []),
        ),
    provider: first(
      'gen_ai.provider.name',
      'gen_ai.system',
      'llm.provider',
      'llm.system',
      ...(aiStep ? ['ai.model.provider'] : []),
    ),
    inputTokens: tokens(
      firstOf,
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.prompt_tokens',
      'llm.token_count.prompt',
      'ai.usage.inputTokens',
      'ai.usage.promptTokens',
      ...(aiStep === '.doEmbed' ? ['ai.usage.tokens'] : []),
    ),
    outputTokens: tokens(
      firstOf,
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.completion_tokens',
      'llm.token_count.completion',
      'ai.usage.outputTokens',
      'ai.usage.completionTokens',
    ),
    cachedTokens: tokens(
      firstOf,
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'gen_ai.usage.cached_input_tokens',
      'llm.token_count.prompt_details.cache_read',
      'ai.usage.inputTokenDetails.cacheReadTokens',
      'ai.usage.cachedInputTokens',
    ),
    cacheWriteTokens: tokens(
      firstOf,
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
      'llm.token_count.prompt_details.cache_write',
      'ai.usage.inputTokenDetails.cacheWriteTokens',
    ),
    tool: first(
      'gen_ai.tool.name',
      'tool.name',
      'ai.toolCall.name',
      ...(operation === 'execute_tool' ? ['traceloop.entity.name'] : []),
    ),
    errorType: str(a('error.type')) ?? (status === STATUS_ERROR ? 'error' : null),
    taskOutcome: outcome,
    taskId,
    workflow: workflow?.text ?? null,
    responseId: (str(a('gen_ai.response.id')) ?? openInferenceResponseId(own, operation))?.slice(0, 256) ?? null,
    serviceTier: first('openai.response.service_tier', 'gen_ai.openai.response.service_tier'),
    understood: false,
  };
  m.understood =
    m.operation !== null ||
    m.model !== null ||
    m.inputTokens !== null ||
    m.outputTokens !== null ||
    m.tool !== null ||
    m.taskOutcome !== null;
  return m;
}

/**
 * The provider's response id of an OpenInference model call, which has no attribute for it: the
 * span's `output.value` (`output.mime_type` `application/json`) keeps the answer, and the id is in it.
 * Its OpenAI instrumentation keeps the provider's answer (`id`) when the call is not streamed; its
 * LangChain instrumentation keeps LangChain's result, whose message carries the provider's id
 * (`generations[0][0].message.kwargs.id`). Without it, a call made through the LLM gateway was
 * counted twice, the gateway's record and the client's span, and a LangChain call three times, its
 * OpenAI SDK span too (found by attack, session 35). Read from the span's own attributes, without
 * the NUL check of what is stored: a NUL in the answer's text is no reason to refuse the span, and an
 * id holding one (which PostgreSQL could not store) is no id.
 */
function openInferenceResponseId(attrs: Record<string, AttrValue>, operation: string | null): string | null {
  if (operation !== 'chat' || !Object.hasOwn(attrs, 'openinference.span.kind')) return null;
  const text = attrs['output.value'];
  if (attrs['output.mime_type'] !== 'application/json' || typeof text !== 'string' || !text.startsWith('{')) return null;
  // Bounded as a JSON body is: 4 million nested brackets took ~3 s to parse.
  if (jsonTooDeepAt(text, MAX_JSON_DEPTH) >= 0) return null;
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(answer)) return null;
  const generation =
    Array.isArray(answer.generations) && Array.isArray(answer.generations[0]) ? answer.generations[0][0] : undefined;
  const message = isObject(generation) && isObject(generation.message) ? generation.message : undefined;
  const id = answer.id ?? (message && isObject(message.kwargs) ? message.kwargs.id : undefined);
  return typeof id === 'string' && id !== '' && !id.includes('\0') ? id : null;
}

/**
 * `table[key]` if the table itself has it: a sender's string is never looked up on Object.prototype
 * (found by review: `gen_ai.operation.name: "constructor"` read the Object constructor, and the
 * export's insert failed with a 500, every retry of it too).
 */
const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

// OpenInference span kinds and Traceloop span kinds, as GenAI operation names.
const OPENINFERENCE_KINDS: Record<string, string> = {
  llm: 'chat',
  embedding: 'embeddings',
  tool: 'execute_tool',
  agent: 'invoke_agent',
};
/** OpenInference's span kinds that are no model call, whatever model or usage they carry. */
const OPENINFERENCE_NO_CALL = new Set(['chain', 'retriever', 'reranker', 'guardrail', 'evaluator', 'prompt']);
const TRACELOOP_KINDS: Record<string, string> = { tool: 'execute_tool', agent: 'invoke_agent', workflow: 'invoke_workflow' };

/**
 * gen_ai.operation.name, else what the other families say. The AI SDK's outer spans
 * (`ai.generateText`, `ai.streamText`) repeat their steps' usage: only the steps (`….doGenerate`,
 * `….doStream`, `….doEmbed`) are model calls, or every call would be counted twice.
 */
function operationOf(a: (key: string) => AttrValue | undefined): string | null {
  const genai = str(a('gen_ai.operation.name'));
  if (genai !== null) return own(OPERATION_ALIASES, genai.toLowerCase()) ?? genai;
  const oi = str(a('openinference.span.kind'));
  if (oi !== null) return own(OPENINFERENCE_KINDS, oi.toLowerCase()) ?? null;
  const aiSdk = str(a('ai.operationId'));
  if (aiSdk !== null) {
    if (aiSdk === 'ai.toolCall') return 'execute_tool';
    if (aiSdk.endsWith('.doEmbed')) return 'embeddings';
    if (aiSdk.endsWith('.doGenerate') || aiSdk.endsWith('.doStream')) return 'chat';
    return null;
  }
  const traceloop = str(a('traceloop.span.kind'));
  if (traceloop !== null) return own(TRACELOOP_KINDS, traceloop) ?? null;
  // MCP's conventions: a client's tools/call span is the tool call.
  if (str(a('mcp.method.name')) === 'tools/call') return 'execute_tool';
  return null;
}

/** OTLP/JSON ids are hex strings; decoded protobuf ids are bytes. All-zero ids are invalid. */
function id(v: unknown, bytes: number, what: string): string {
  let hex: string;
  if (typeof v === 'string') {
    hex = v.toLowerCase();
    if (hex.length !== bytes * 2 || !/^[0-9a-f]+$/.test(hex))
      throw new Error(`${what} must be ${bytes} bytes (${bytes * 2} hex digits)`);
  } else if (v instanceof Uint8Array) {
    if (v.length !== bytes) throw new Error(`${what} must be ${bytes} bytes (${bytes * 2} hex digits)`);
    hex = Buffer.isBuffer(v) ? v.toString('hex') : Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
  } else throw new Error(`${what} is missing`);
  if (/^0+$/.test(hex)) throw new Error(`${what} must not be all zeroes`);
  return hex;
}

function isEmptyId(v: unknown): boolean {
  return v === undefined || v === null || v === '' || ((v instanceof Uint8Array || Array.isArray(v)) && v.length === 0);
}

/** Nanoseconds as a decimal string, a number, or (decoded protobuf) a Long. */
function nanos(v: unknown, what: string): bigint {
  // A Long's two halves, not its toString() (a decimal conversion by division, ~5% of decoding).
  if (isLong(v)) {
    const n = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    if (n > 0n) return n;
    throw new Error(`${what} must be a positive integer of nanoseconds`);
  }
  const text = typeof v === 'string' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : '';
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    if (n > 0n) return n;
  }
  throw new Error(`${what} must be a positive integer of nanoseconds`);
}

function isLong(v: unknown): v is { low: number; high: number } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { low?: unknown }).low === 'number' &&
    typeof (v as { high?: unknown }).high === 'number'
  );
}

function attributes(list: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

// Own properties only: a decoded protobuf message has every oneof member on its prototype.
const has = (o: object, k: string) => Object.hasOwn(o, k);

function anyValue(v: unknown): AttrValue {
  if (!isObject(v)) return null;
  if (has(v, 'stringValue')) return String(v.stringValue);
  if (has(v, 'boolValue')) return Boolean(v.boolValue);
  // int64: a signed Long's high half carries the sign (exact up to 2^53, as any JavaScript number).
  if (has(v, 'intValue')) return isLong(v.intValue) ? v.intValue.high * 2 ** 32 + (v.intValue.low >>> 0) : numeric(v.intValue);
  if (has(v, 'doubleValue')) return numeric(v.doubleValue);
  if (has(v, 'arrayValue') && isObject(v.arrayValue)) return ((v.arrayValue.values as unknown[]) ?? []).map(anyValue);
  if (has(v, 'kvlistValue') && isObject(v.kvlistValue)) return attributes(v.kvlistValue.values);
  if (has(v, 'bytesValue'))
    return typeof v.bytesValue === 'string' ? v.bytesValue : Buffer.from(v.bytesValue as Uint8Array).toString('base64');
  return null;
}

/**
 * An OTLP/JSON number: a number, or its text ("1000", "NaN", "Infinity", as proto3's JSON writes
 * int64 and the doubles JSON has none for). Anything else is NaN, a number unknown (found by review):
 * the OpenTelemetry JS exporter writes NaN as null (JSON.stringify), and Number(null) read the AI SDK's
 * unknown token count as 0 tokens, a call priced at $0.
 */
function numeric(v: unknown): number {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
}

function str(v: AttrValue | undefined): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * A token count from the first of `keys` present: an integer, or a string of digits as some
 * instrumentations send it. Absent is null (unknown, never zero); anything else rejects the span,
 * naming the attribute, so a value like 1e308 never reaches a sum.
 */
function tokens(
  firstOf: <T>(keys: readonly string[], ok: (v: AttrValue | undefined, key: string) => T | null) => T | null,
  ...keys: string[]
): number | null {
  // NaN is a count unknown, as absent: the AI SDK reports a call whose provider sent no usage so
  // (`ai.usage.tokens: NaN`), and that call is unpriced (no_usage), not refused.
  const found = firstOf(keys, (v, key) =>
    v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : { key, v },
  );
  if (found === null) return null;
  const n = tokenCount(found.v);
  if (n !== undefined) return n;
  throw new Error(`${found.key} must be a whole number of tokens from 0 to ${MAX_TOKENS}, got ${JSON.stringify(found.v)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}
