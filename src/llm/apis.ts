// What the gateway needs to know of each API it speaks (OpenAI chat completions, responses and
// embeddings; Anthropic messages): how a request bounds its cost, how it is forwarded, and where a
// response says what it used. Only the fields named here are read or changed; everything else in a
// request or response passes through untouched.
import { InputError } from '../errors.js';
import { tierAbovePrice, tokenCount } from '../evidence/cost.js';

export type Api = 'openai' | 'anthropic';
export type Operation = 'chat' | 'responses' | 'embeddings' | 'messages';

export const API_OF: Record<Operation, Api> = {
  chat: 'openai',
  responses: 'openai',
  embeddings: 'openai',
  messages: 'anthropic',
};
/** The path after the endpoint's baseUrl. */
export const PATH_OF: Record<Operation, string> = {
  chat: '/chat/completions',
  responses: '/responses',
  embeddings: '/embeddings',
  messages: '/messages',
};

/** Tokens as the evidence prices them: `input` includes `cached`. */
export interface Usage {
  /** Every input token, cache reads and writes included. */
  input: number;
  output: number;
  cached: number;
  /** Of the input, written to a prompt cache (Anthropic's cache_creation_input_tokens). */
  cacheWrite?: number;
}

export interface CallShape {
  model: string;
  stream: boolean;
  /** OpenAI chat streams: the client asked for the usage chunk itself (stream_options.include_usage). */
  wantsUsage: boolean;
  /** The most output the request allows (max_tokens × n), or undefined when it sets none. */
  maxOutput: number | undefined;
  /** Choices asked for (chat's `n`): a per-choice cap (the model's maxOutputTokens) applies to each. */
  choices: number;
  /** Why the request's input cannot be measured from its body (server-side state, files). */
  unmeasured: string | undefined;
  /** Work the provider does within the call in steps of its own that no bound of the request limits
   *  (tools it runs itself, each step reading the input again; a compaction's summary): the call's cost
   *  has no bound. What it is, how it escapes the bounds, and what the client can do instead. */
  multiStep: { what: string; how: string; instead: string } | undefined;
  /** The Model's contextWindow bounds the whole call's input (not so for embeddings: `input` may be
   *  many inputs, each bounded by it). */
  windowed: boolean;
  /** Images and audio in the request: each may cost more tokens than its bytes. */
  media: number;
  /** Of those, images at `detail: "original"`, bounded by ORIGINAL_IMAGE_TOKENS rather than MEDIA_TOKENS. */
  originalImages: number;
  /** Tokens of tool definitions the provider adds for tools the body names by type only (Anthropic's
   *  computer, text editor, bash and memory tools): not in the body's bytes. */
  hiddenToolTokens: number;
  /** The request asks the provider to write a prompt cache (Anthropic `cache_control`), billed above input. */
  writesCache: boolean;
}

/** Tokens allowed for each image or audio part on top of the body's bytes (the largest image tiles under 6,000). */
export const MEDIA_TOKENS = 6000;
/**
 * Tokens allowed for an image OpenAI reads at `detail: "original"`: up to 10,000 32-px patches, times
 * the model's multiplier (1.2 measured for gpt-5.4), rounded up. Its URL may be a few bytes.
 */
export const ORIGINAL_IMAGE_TOKENS = 12_500;
/** Tokens a provider adds to every call (chat templates, the tool-use system prompt). */
export const CALL_OVERHEAD_TOKENS = 1024;
/**
 * Anthropic's client tools that a request names by type only: the provider adds their definition (and,
 * for computer use, a system prompt of its own) as input. Anthropic's documented counts, rounded up:
 * computer use 735 for the tool and up to 499 for its system prompt, the text editor 700, bash 245.
 * The memory tool's is not documented: counted as the largest.
 */
export const ANTHROPIC_TOOL_TOKENS: ReadonlyArray<[RegExp, number]> = [
  [/^computer_\d/, 1300],
  [/^text_editor_\d/, 750],
  [/^bash_\d/, 300],
  [/^memory_\d/, 1300],
];

/** The hidden definitions' tokens of the Anthropic-defined tools in `tools`. */
function hiddenToolTokens(tools: unknown): number {
  if (!Array.isArray(tools)) return 0;
  let n = 0;
  for (const t of tools) {
    const type = (t as Json | null)?.type;
    if (typeof type === 'string') n += ANTHROPIC_TOOL_TOKENS.find(([re]) => re.test(type))?.[1] ?? 0;
  }
  return n;
}
const MAX_TOKENS_PARAM = 10_000_000;

type Json = Record<string, unknown>;

function positiveInt(body: Json, key: string, max = MAX_TOKENS_PARAM): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max)
    throw new InputError(`${key} must be a whole number from 1 to ${max}`);
  return v as number;
}

/** Why audio, in or out, is refused: the words every such refusal gives. */
const AUDIO_BILLED =
  "billed at the provider's audio rates, many times the Model's price, which is what the gateway counts against budgets";

/** OpenAI's own bound on a chat completion's `n`: more is refused by the provider anyway, and made an
 *  absurd reservation (n times max_tokens) first. */
const MAX_CHOICES = 128;

/** Reads what the gateway needs from a request body; a malformed one is a 400 in the API's format. */
export function readCall(op: Operation, body: unknown): CallShape {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InputError('the body must be a JSON object');
  const b = body as Json;
  if (typeof b.model !== 'string' || b.model.length === 0 || b.model.length > 256)
    throw new InputError('model must be a string of 1 to 256 characters');
  if (b.stream !== undefined && typeof b.stream !== 'boolean') throw new InputError('stream must be true or false');
  const stream = b.stream === true && op !== 'embeddings';
  const options = b.stream_options as Json | undefined;
  let maxOutput: number | undefined;
  let unmeasured: string | undefined;
  let multiStep: CallShape['multiStep'];
  let choices = 1;
  modelsInTools(b);
  serviceTier(b);
  if (op === 'chat') {
    const n = positiveInt(b, 'n', MAX_CHOICES) ?? 1;
    choices = n;
    // Both read (and checked): a server that reads max_tokens would not stop at max_completion_tokens.
    const newer = positiveInt(b, 'max_completion_tokens');
    const older = positiveInt(b, 'max_tokens');
    const max = newer === undefined ? older : older === undefined ? newer : Math.max(newer, older);
    maxOutput = max === undefined ? undefined : max * n;
    audioOutput(b);
    // An earlier audio answer by id is read again as audio input, at the audio rate.
    if (Array.isArray(b.messages) && b.messages.some((m) => ((m as Json | null)?.audio ?? null) !== null))
      throw new InputError(
        `an earlier audio answer (a message's audio) is read again as audio input, ${AUDIO_BILLED}: send its transcript as text instead`,
      );
    if (b.web_search_options !== undefined) unmeasured = 'web_search_options (search results are read as input)';
  } else if (op === 'responses') {
    maxOutput = positiveInt(b, 'max_output_tokens');
    if (b.background === true)
      throw new InputError('background responses are not supported by the gateway: it settles a call on its answer');
    if (b.previous_response_id !== undefined && b.previous_response_id !== null)
      unmeasured = 'previous_response_id (the earlier turns are read again as input)';
    else if (b.conversation !== undefined && b.conversation !== null)
      unmeasured = 'conversation (stored turns are read as input)';
    else if (b.prompt !== undefined && b.prompt !== null) unmeasured = 'prompt (a stored prompt template)';
    if (Array.isArray(b.tools) && b.tools.some((t) => (t as Json)?.type !== 'function' && (t as Json)?.type !== 'custom'))
      multiStep = toolSteps('built-in tools');
    else multiStep = responsesCompaction(b);
  } else if (op === 'messages') {
    maxOutput = positiveInt(b, 'max_tokens');
    if (maxOutput === undefined) throw new InputError('max_tokens is required');
    fastMode(b);
    inferenceGeo(b);
    if (b.fallbacks !== undefined && b.fallbacks !== null && !(Array.isArray(b.fallbacks) && b.fallbacks.length === 0))
      throw new InputError(
        'fallbacks has the provider answer with other models the gateway would not decide on or price: call each model through the gateway instead',
      );
    if (b.mcp_servers !== undefined) multiStep = toolSteps('mcp_servers');
    // Every tool the client runs itself is one of these (its result comes back in the next call); any
    // other type is one the provider runs within this call (web search and fetch, code execution, tool
    // search, and whatever it adds next).
    else if (
      Array.isArray(b.tools) &&
      b.tools.some((t) => {
        const type = (t as Json | null)?.type;
        return (
          type !== undefined && type !== null && !/^(custom|computer_\d|text_editor_\d|bash_\d|memory_\d)/.test(String(type))
        );
      })
    )
      multiStep = toolSteps('server tools');
    else multiStep = anthropicCompaction(b);
    if (b.container !== undefined && b.container !== null) unmeasured = 'container (its files are read as input)';
  } else maxOutput = 0;
  const parts = countParts(b);
  if (parts.audio > 0) throw new InputError(`audio input is ${AUDIO_BILLED}: send text (a transcript) instead`);
  // One cache-write price is kept (the 5-minute one): a longer-lived cache is billed above it.
  const topTtl = (b.cache_control as Json | null | undefined)?.ttl;
  if (op === 'messages' && (parts.longCache > 0 || (topTtl !== undefined && topTtl !== '5m')))
    throw new InputError(
      "cache_control with a ttl other than 5m is billed above the Model's cacheWriteInputPerMillion, which is what the gateway counts against budgets: use the 5-minute cache",
    );
  unmeasured ??= parts.documents > 0 ? 'documents or files (their pages are read as input)' : undefined;
  unmeasured ??= parts.references > 0 ? 'item_reference (stored items are read as input)' : undefined;
  return {
    model: b.model,
    stream,
    wantsUsage: op === 'chat' && stream && options?.include_usage === true,
    maxOutput,
    choices,
    unmeasured,
    multiStep,
    windowed: op !== 'embeddings',
    media: parts.media,
    originalImages: parts.originalImages,
    hiddenToolTokens: op === 'messages' ? hiddenToolTokens(b.tools) : 0,
    writesCache: op === 'messages' && (b.cache_control !== undefined || parts.cacheControl > 0),
  };
}

/** Tools the provider runs itself, each step reading the input again: no context window bounds them. */
function toolSteps(what: string): CallShape['multiStep'] {
  return {
    what,
    how: 'in as many steps as it likes, each reading the input again',
    instead: 'call the tools yourself, as functions,',
  };
}

/** Compaction: the provider summarises the conversation in a step of its own, which the call's output
 *  limit does not bound, and bills it (Anthropic lists it in usage.iterations, outside the top level). */
function compaction(what: string): CallShape['multiStep'] {
  return {
    what,
    how: 'as a summary of the conversation sampled in a step of its own, whose output the output limit does not bound',
    instead: 'summarise the conversation yourself, in a call of its own,',
  };
}

/** Server-side compaction an Anthropic request asks for: a `compact_…` edit in
 *  `context_management.edits` (the other edits only clear input), or the `compaction` parameter. */
function anthropicCompaction(b: Json): CallShape['multiStep'] {
  const edits = (b.context_management as Json | null | undefined)?.edits;
  if (Array.isArray(edits) && edits.some((e) => String((e as Json | null)?.type ?? '').startsWith('compact')))
    return compaction('compaction (a compact_… edit in context_management)');
  if (b.compaction !== undefined && b.compaction !== null) return compaction('compaction (the compaction parameter)');
  return undefined;
}

/** Server-side compaction a Responses request asks for: `context_management` (compaction is the only
 *  entry the API has), or a `compaction_trigger` input item (compact now). */
function responsesCompaction(b: Json): CallShape['multiStep'] {
  if (Array.isArray(b.context_management) && b.context_management.length > 0)
    return compaction('compaction (context_management)');
  if (Array.isArray(b.input) && b.input.some((i) => (i as Json | null)?.type === 'compaction_trigger'))
    return compaction('compaction (a compaction_trigger input item)');
  return undefined;
}

/** Service tiers billed at the Model's price (or below it: OpenAI's flex). */
const PRICED_TIERS = new Set(['auto', 'default', 'flex', 'standard_only']);

/**
 * A service tier billed above the Model's price (OpenAI's `priority`, `scale`) would be counted at the
 * standard price, so limits would pass calls whose real bill is higher: refused, naming it. `auto`
 * takes the project's default tier at OpenAI (docs/llm-gateway.md).
 */
function serviceTier(b: Json): void {
  const tier = b.service_tier;
  if (tier === undefined || tier === null) return;
  if (typeof tier !== 'string' || !PRICED_TIERS.has(tier))
    throw new InputError(
      `service_tier ${typeof tier === 'string' ? JSON.stringify(tier.slice(0, 40)) : `of type ${typeof tier}`} is billed above the Model's price, which is what the gateway counts against budgets: use ${[...PRICED_TIERS].join(', ')} or leave it out`,
    );
}

/**
 * Anthropic's fast mode (`speed: "fast"`) is billed at a multiple of the Model's price, which is what
 * the gateway counts against budgets: refused, naming it (as a dearer service tier is).
 */
function fastMode(b: Json): void {
  const speed = b.speed;
  if (speed === undefined || speed === null || speed === 'standard') return;
  throw new InputError(
    `speed ${typeof speed === 'string' ? JSON.stringify(speed.slice(0, 40)) : `of type ${typeof speed}`} is billed above the Model's price, which is what the gateway counts against budgets: use standard or leave it out`,
  );
}

/**
 * Anthropic's US-only inference (`inference_geo: "us"`) is billed at 1.1 times the Model's price
 * (Claude Opus 4.6, Sonnet 4.6 and later), which is what the gateway counts against budgets: refused,
 * naming it, as fast mode is. `global`, the default, is billed at the price.
 */
function inferenceGeo(b: Json): void {
  const geo = b.inference_geo;
  if (geo === undefined || geo === null || geo === 'global') return;
  throw new InputError(
    `inference_geo ${typeof geo === 'string' ? JSON.stringify(geo.slice(0, 40)) : `of type ${typeof geo}`} is billed above the Model's price, which is what the gateway counts against budgets: use global or leave it out`,
  );
}

/**
 * Audio a chat completion asks for (`modalities` with `audio`, or the `audio` member) is billed at the
 * provider's audio rates (gpt-audio: 64 USD a million output tokens against 10 for text), counted in
 * the same completion_tokens the gateway prices at the Model's one price: refused, naming it.
 */
function audioOutput(b: Json): void {
  const modalities = Array.isArray(b.modalities) ? b.modalities : [];
  if (modalities.includes('audio') || (b.audio !== undefined && b.audio !== null))
    throw new InputError(`audio output is ${AUDIO_BILLED}: ask for text`);
}

/**
 * A tool that names a model of its own (the Responses API's `image_generation` tool, say) would have
 * the provider call that model with no decision of the gateway's: refused, naming it. The agent
 * calls that model through the gateway itself.
 */
function modelsInTools(b: Json): void {
  if (!Array.isArray(b.tools)) return;
  b.tools.forEach((t, i) => {
    // Without `model` the provider picks its own image model: as unpriced and undecided.
    if ((t as Json | null)?.type === 'image_generation')
      throw new InputError(
        `tools[${i}] is image_generation, which has the provider call an image model the gateway would not decide on or price: call that model through the gateway instead`,
      );
    const model = (t as Json | null)?.model;
    if (model !== undefined && model !== null)
      throw new InputError(
        `tools[${i}] names a model of its own (${JSON.stringify(String(model).slice(0, 100))}), which the gateway would not decide on or price: call that model through the gateway instead`,
      );
  });
}

const MEDIA = new Set(['image_url', 'input_image', 'image', 'input_audio', 'audio']);
const DOCUMENTS = new Set(['document', 'input_file', 'file', 'search_result', 'container_upload']);

/** Content parts by kind, anywhere in the body (it is at most 64 levels deep: the JSON parser's bound). */
function countParts(body: unknown): {
  media: number;
  documents: number;
  references: number;
  cacheControl: number;
  longCache: number;
  /** Audio input parts (`input_audio`): billed at audio rates, above the Model's price. */
  audio: number;
  /** Image parts at `detail: "original"` (chat's in its image_url, the Responses API's on the part). */
  originalImages: number;
} {
  const out = { media: 0, documents: 0, references: 0, cacheControl: 0, longCache: 0, audio: 0, originalImages: 0 };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object') {
      const type = (v as Json).type;
      if (typeof type === 'string') {
        if (type === 'input_audio') out.audio++;
        if (MEDIA.has(type)) {
          out.media++;
          const x = v as Json;
          if (x.detail === 'original' || (x.image_url as Json | null | undefined)?.detail === 'original') out.originalImages++;
        } else if (DOCUMENTS.has(type)) out.documents++;
        else if (type === 'item_reference') out.references++;
      }
      const cache = (v as Json).cache_control;
      if (cache !== undefined) {
        out.cacheControl++;
        if ((cache as Json | null)?.ttl !== undefined && (cache as Json | null)?.ttl !== '5m') out.longCache++;
      }
      for (const x of Object.values(v as Json)) if (typeof x === 'object') walk(x);
    }
  };
  walk(body);
  return out;
}

/**
 * An upper bound of the input tokens: every token is at least one byte of what the model reads, and
 * the body holds all of it (with its JSON around it), plus an allowance per image or audio part, per
 * tool the provider defines itself, and per call. Capped by the model's context window where that
 * bounds the whole call (not embeddings: each of its inputs may fill the window); undefined when the
 * input cannot be measured and the model has no context window to bound it.
 */
export function inputBound(bodyBytes: number, shape: CallShape, contextWindow: number | undefined): number | undefined {
  const measured =
    bodyBytes +
    (shape.media - shape.originalImages) * MEDIA_TOKENS +
    shape.originalImages * ORIGINAL_IMAGE_TOKENS +
    shape.hiddenToolTokens +
    CALL_OVERHEAD_TOKENS;
  const window = shape.windowed ? contextWindow : undefined;
  if (shape.multiStep) return undefined;
  if (shape.unmeasured) return window;
  return window === undefined ? measured : Math.min(measured, window);
}

/**
 * The body sent upstream: the provider's model id, the call's output bound in the member(s) the
 * endpoint reads (a max_tokens when the client set none), usage asked for.
 */
export function forwardBody(
  op: Operation,
  body: Json,
  opts: {
    upstreamName: string;
    injectMaxOutput: number | undefined;
    askUsage: boolean;
    /** The ModelEndpoint's `serviceTier`: sent when the call names no tier, or `auto`. */
    serviceTier?: string | undefined;
    /** The ModelEndpoint's `outputLimit`: the chat member(s) the call's output bound is sent as. */
    outputLimit?: 'max_completion_tokens' | 'max_tokens' | 'both' | undefined;
  },
): Json {
  const out: Json = { ...body, model: opts.upstreamName };
  if (opts.serviceTier && op !== 'embeddings' && (body.service_tier == null || body.service_tier === 'auto'))
    out.service_tier = opts.serviceTier;
  if (op === 'chat') {
    // The bound reserved (the larger of the two members the client sent, readCall checked them; else
    // the Model's) goes in each member the endpoint reads, and only those: a server that reads only
    // max_tokens writes to its own default past a bound sent as max_completion_tokens, and OpenAI
    // refuses a call that sets both.
    const sent = [body.max_completion_tokens, body.max_tokens].filter((v): v is number => typeof v === 'number');
    const bound = sent.length > 0 ? Math.max(...sent) : opts.injectMaxOutput;
    if (bound !== undefined) {
      const as = opts.outputLimit ?? 'max_completion_tokens';
      delete out.max_completion_tokens;
      delete out.max_tokens;
      if (as !== 'max_tokens') out.max_completion_tokens = bound;
      if (as !== 'max_completion_tokens') out.max_tokens = bound;
    }
  } else if (op === 'responses' && opts.injectMaxOutput !== undefined) out.max_output_tokens = opts.injectMaxOutput;
  if (opts.askUsage) out.stream_options = { ...((body.stream_options as Json | undefined) ?? {}), include_usage: true };
  return out;
}

/** How an Anthropic answer's usage says it was billed above the Model's price, if it does: a
 *  service tier above it (`priority`), fast mode (`speed: "fast"`, which a fast-mode beta the
 *  workspace turned on may apply), or an inference geography other than `global` (US-only, which a
 *  workspace's default_inference_geo may apply: 1.1 times the price). */
function aboveAnthropicPrice(u: Json | undefined): string | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const geo = u.inference_geo;
  return (
    tierAbovePrice(u.service_tier) ??
    (u.speed === 'fast' ? 'fast' : undefined) ??
    (typeof geo === 'string' && geo !== 'global' ? `inference_geo ${geo.slice(0, 40)}` : undefined)
  );
}

/**
 * Usage from a provider's usage object, or undefined when it has none: when a count the API always
 * gives (input and output; input alone for embeddings) is missing or not a whole number, or a count it
 * may give is there and is not one. Such an object says nothing Fulcrum can charge by: the call is
 * charged its worst case, as one answered without usage, never the $0 its unreadable counts add up to.
 */
export function usageOf(op: Operation, u: unknown): Usage | undefined {
  if (u === null || typeof u !== 'object') return undefined;
  const x = u as Json;
  /** An optional count: 0 when absent or null, NaN (spoiling the sum) when there and unreadable. */
  const optional = (v: unknown) => (v === undefined || v === null ? 0 : (tokenCount(v) ?? Number.NaN));
  let usage: Usage | undefined;
  if (op === 'messages') {
    const input = tokenCount(x.input_tokens);
    const output = tokenCount(x.output_tokens);
    const cached = optional(x.cache_read_input_tokens);
    const cacheWrite = optional(x.cache_creation_input_tokens);
    if (input !== undefined && output !== undefined) usage = { input: input + cached + cacheWrite, output, cached, cacheWrite };
    if (usage) usage = withIterations(usage, x.iterations);
  } else if (op === 'responses') {
    const input = tokenCount(x.input_tokens);
    const output = tokenCount(x.output_tokens);
    const cached = optional((x.input_tokens_details as Json | undefined)?.cached_tokens);
    if (input !== undefined && output !== undefined) usage = { input, output, cached };
  } else {
    const input = tokenCount(x.prompt_tokens);
    const output = op === 'embeddings' ? optional(x.completion_tokens) : tokenCount(x.completion_tokens);
    const cached = optional((x.prompt_tokens_details as Json | undefined)?.cached_tokens);
    if (input !== undefined && output !== undefined) usage = { input, output, cached };
  }
  if (!usage || !Object.values(usage).every(Number.isFinite)) return undefined;
  return usage;
}

/**
 * An Anthropic usage with its `iterations`, when it lists them: each step the provider sampled within
 * the call (a compaction's summary, the turns of a server-side tool loop), all billed, while the top
 * level leaves compaction steps out. Their sum is charged, never less than the top level says (a list
 * that covers less is not a breakdown of it); undefined when the list is there and unreadable.
 */
export function withIterations(top: Usage, iterations: unknown): Usage | undefined {
  if (iterations === undefined || iterations === null) return top;
  if (!Array.isArray(iterations)) return undefined;
  const sum: Usage = { input: 0, output: 0, cached: 0, cacheWrite: 0 };
  for (const step of iterations) {
    const u = usageOf('messages', step);
    if (!u) return undefined;
    sum.input += u.input;
    sum.output += u.output;
    sum.cached += u.cached;
    sum.cacheWrite = (sum.cacheWrite ?? 0) + (u.cacheWrite ?? 0);
  }
  if (sum.input >= top.input && sum.output >= top.output) return sum;
  return { ...top, input: Math.max(top.input, sum.input), output: Math.max(top.output, sum.output) };
}

/**
 * What a whole (non-streamed) answer says: usage, the provider's response id and model, and the
 * service tier it was billed at when that is above the Model's price.
 */
export function readAnswer(
  op: Operation,
  json: unknown,
): { usage?: Usage; id?: string; model?: string; tierAbovePrice?: string } {
  if (json === null || typeof json !== 'object') return {};
  const j = json as Json;
  const usage = usageOf(op, j.usage);
  const tier = op === 'messages' ? aboveAnthropicPrice(j.usage as Json | undefined) : tierAbovePrice(j.service_tier);
  return {
    ...(usage ? { usage } : {}),
    ...(tier ? { tierAbovePrice: tier } : {}),
    ...(typeof j.id === 'string' ? { id: j.id.slice(0, 256) } : {}),
    ...(typeof j.model === 'string' ? { model: j.model.slice(0, 256) } : {}),
  };
}

/** What the gateway does with one SSE event: send it as it came, change it, or keep it from the client. */
export type EventAction = { kind: 'pass' } | { kind: 'drop' } | { kind: 'rewrite'; data: string };

/**
 * Follows a stream event by event: the response id and model, the usage when the provider reports
 * it, and an estimate of what was produced so far (for a stream cut before its usage arrives).
 */
export function createStreamMeter(op: Operation, wantsUsage: boolean) {
  let usage: Usage | undefined;
  let startInput: Usage | undefined; // Anthropic's message_start: input known from the start
  let reportedOutput = 0;
  let deltas = 0;
  let bytes = 0;
  let id: string | undefined;
  let model: string | undefined;
  let tier: string | undefined;
  const produced = (s: unknown) => {
    if (typeof s === 'string' && s.length > 0) {
      deltas++;
      bytes += Buffer.byteLength(s);
    }
  };
  const PASS: EventAction = { kind: 'pass' };

  function chat(j: Json): EventAction {
    id ??= typeof j.id === 'string' ? j.id.slice(0, 256) : undefined;
    model ??= typeof j.model === 'string' ? j.model.slice(0, 256) : undefined;
    tier ??= tierAbovePrice(j.service_tier);
    if (Array.isArray(j.choices))
      for (const c of j.choices) {
        const d = (c as Json)?.delta as Json | undefined;
        if (!d) continue;
        produced(d.content);
        produced(d.refusal);
        produced(d.reasoning_content);
        produced(d.reasoning);
        produced((d.function_call as Json | undefined)?.arguments);
        const audio = d.audio as Json | undefined;
        produced(audio?.transcript);
        produced(audio?.data);
        if (Array.isArray(d.tool_calls))
          for (const t of d.tool_calls) produced(((t as Json)?.function as Json | undefined)?.arguments);
      }
    if (j.usage === undefined) return PASS;
    if (j.usage !== null) usage = usageOf('chat', j.usage);
    if (wantsUsage) return PASS;
    // Asked for by the gateway, not the client: the usage-only chunk is kept from it, and the
    // `"usage": null` the provider then adds to every other chunk is removed.
    if (j.usage !== null && Array.isArray(j.choices) && j.choices.length === 0) return { kind: 'drop' };
    const { usage: _hidden, ...rest } = j;
    return { kind: 'rewrite', data: JSON.stringify(rest) };
  }

  function responses(j: Json): EventAction {
    const type = String(j.type ?? '');
    const r = j.response as Json | undefined;
    if (r && typeof r === 'object') {
      id ??= typeof r.id === 'string' ? r.id.slice(0, 256) : undefined;
      model ??= typeof r.model === 'string' ? r.model.slice(0, 256) : undefined;
      tier ??= tierAbovePrice(r.service_tier);
      if (r.usage) usage = usageOf('responses', r.usage);
    }
    if (type.endsWith('.delta')) produced(j.delta);
    return PASS;
  }

  function messages(j: Json): EventAction {
    const type = j.type;
    if (type === 'message_start') {
      const m = j.message as Json | undefined;
      id ??= typeof m?.id === 'string' ? m.id.slice(0, 256) : undefined;
      model ??= typeof m?.model === 'string' ? m.model.slice(0, 256) : undefined;
      // Only the input counts matter here (the output is counted from message_delta on).
      const u = m?.usage as Json | undefined;
      startInput = u && typeof u === 'object' ? usageOf('messages', { ...u, output_tokens: u.output_tokens ?? 0 }) : undefined;
      reportedOutput = startInput?.output ?? 0;
      tier ??= aboveAnthropicPrice(m?.usage as Json | undefined);
    } else if (type === 'content_block_delta') {
      const d = j.delta as Json | undefined;
      produced(d?.text ?? d?.partial_json ?? d?.thinking ?? d?.content); // content: a compaction's summary
    } else if (type === 'message_delta') {
      const u = j.usage as Json | undefined;
      // The usage here is the stream's final one: what it says of how the call was billed counts too.
      tier ??= aboveAnthropicPrice(u);
      const output = tokenCount(u?.output_tokens);
      // Newer API versions repeat the input counts here (the SDK types them `number | null`); older
      // ones give only output_tokens. A count not given (or null) never lowers one message_start gave.
      const again = u && typeof u.input_tokens === 'number' ? usageOf('messages', u) : undefined;
      // Without a readable output count, or an input count from either event, the stream has no usage
      // to charge by (it is charged as one that ended without it).
      if (output !== undefined && (again || startInput)) {
        reportedOutput = output;
        // Its iterations (compaction steps the top level leaves out) are charged too.
        usage = withIterations(
          {
            input: Math.max(again?.input ?? 0, startInput?.input ?? 0),
            cached: Math.max(again?.cached ?? 0, startInput?.cached ?? 0),
            cacheWrite: Math.max(again?.cacheWrite ?? 0, startInput?.cacheWrite ?? 0),
            output: reportedOutput,
          },
          u?.iterations,
        );
      }
    }
    return PASS;
  }

  return {
    /** Reads one event's data (JSON, or `[DONE]`); says what to send the client. */
    onEvent(data: string): EventAction {
      if (data === '' || data === '[DONE]') return PASS;
      let j: unknown;
      try {
        j = JSON.parse(data);
      } catch {
        return PASS; // not ours to judge: the client gets what the provider sent
      }
      if (j === null || typeof j !== 'object') return PASS;
      if (op === 'chat') return chat(j as Json);
      if (op === 'responses') return responses(j as Json);
      return messages(j as Json);
    },
    /** The provider's final usage, when it arrived. */
    usage: () => usage,
    /**
     * For a stream cut short: the input if the provider said it (else undefined), and the output
     * produced so far — the provider's running count, or an estimate from what was streamed (the
     * number of deltas or a quarter of their bytes, whichever is more).
     */
    partial(): { input?: Usage; output: number } {
      const estimate = Math.max(deltas, Math.ceil(bytes / 4));
      return { ...(startInput ? { input: startInput } : {}), output: Math.max(reportedOutput, estimate) };
    },
    id: () => id,
    model: () => model,
    /** The service tier the stream says it is billed at, when that is above the Model's price. */
    tierAbovePrice: () => tier,
  };
}

export type StreamMeter = ReturnType<typeof createStreamMeter>;
