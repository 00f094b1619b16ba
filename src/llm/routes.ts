// The LLM gateway's routes, with the agent's key: OpenAI-compatible under /llm/openai/v1 (chat
// completions, responses, embeddings, models) and Anthropic-compatible at /llm/anthropic/v1/messages.
// Every error on these routes (authentication included) is in the API's own format; the spend-limit
// status is a plain Fulcrum API route.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { agentCaller } from '../auth/principal.js';
import { goneSignal } from '../http/gone.js';
import { errorResponses, NameParams, type Server } from '../http/schemas.js';
import { inFlight } from '../net/in-flight.js';
import type { LlmOutcome, Observability } from '../observability.js';
import type { Api, Operation } from './apis.js';
import { asLlmError, errorBody, LlmError } from './errors.js';
import type { CallEnd, LlmGateway } from './gateway.js';
import type { Prepared } from './prepare.js';
import { prepareBody } from './prepare-pool.js';
import { relay } from './proxy.js';
import type { UpstreamLog } from './upstream.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An LLM gateway call route: which API operation its body is read as (prepare.ts). */
    llmOperation?: Operation;
  }
}

/** Where a call route's request.body keeps the body as prepare.ts read it. */
const PREPARED = Symbol('fulcrum.llm.prepared');
/** What a call route's request.body is: the two members its schema checks, and the prepared body. */
type CallRequestBody = { model: string; stream: boolean; [PREPARED]: Prepared };

const CallBody = T.Object(
  {
    model: T.String({ minLength: 1, maxLength: 256, description: 'a registry Model name or alias' }),
    stream: T.Optional(T.Boolean()),
  },
  { additionalProperties: true, description: "the API's own request body; passed on with the provider's model id" },
);

// Errors in each API's own shape (errors.ts): what an unmodified OpenAI or Anthropic client reads.
const OpenAiError = T.Object(
  {
    error: T.Object(
      {
        message: T.String(),
        type: T.String({ description: 'e.g. invalid_request_error, authentication_error, permission_error, insufficient_quota' }),
        param: T.Union([T.String(), T.Null()], { description: 'the request field at fault, e.g. model' }),
        code: T.String({ description: "Fulcrum's stable code, e.g. model_not_allowed, spend_limit_exceeded, upstream_timeout" }),
      },
      { additionalProperties: true, description: 'beside the code, what the refusal names (the limit, the policies, details)' },
    ),
  },
  { $id: 'OpenAiError', description: "an error in OpenAI's format (the OpenAI-compatible routes)" },
);
const AnthropicError = T.Object(
  {
    type: T.Literal('error'),
    error: T.Object(
      {
        type: T.String({ description: 'e.g. invalid_request_error, authentication_error, permission_error, rate_limit_error' }),
        message: T.String(),
        code: T.String({ description: "Fulcrum's stable code, e.g. model_not_allowed, spend_limit_exceeded, upstream_timeout" }),
      },
      { additionalProperties: true, description: 'beside the code, what the refusal names (the limit, the policies, details)' },
    ),
  },
  { $id: 'AnthropicError', description: "an error in Anthropic's format (the Anthropic-compatible route)" },
);

/** What the gateway itself answers on a call route (an upstream's own error answers pass through as they are). */
const ERROR_STATUSES = {
  400: 'a malformed body, a model served by the other API, no bounded cost (max_tokens)',
  401: 'no agent key, or one Fulcrum does not know',
  403: 'not an agent key; model_not_allowed (naming the policies), approval_required, model_unpriced',
  404: 'model_not_found, model_not_served',
  409: 'registry_changed: the registry changed while the call was admitted (its model name names another Model now, or changes kept coming); send it again',
  413: 'the body is over the limit',
  415: 'not application/json',
  422: 'a Fulcrum-Data-Domains header naming unknown data domains',
  429: 'spend_limit_exceeded (naming the limit), rate_limit_exceeded (Retry-After)',
  500: 'an internal error',
  502: 'upstream_unavailable, upstream_invalid, upstream_auth_failed',
  503: "Fulcrum's database is not reachable",
  504: 'upstream_timeout',
} as const;
type ErrorStatus = keyof typeof ERROR_STATUSES;
function errorsIn(
  schema: typeof OpenAiError | typeof AnthropicError,
  only: readonly ErrorStatus[] = Object.keys(ERROR_STATUSES).map(Number) as ErrorStatus[],
) {
  return Object.fromEntries(only.map((s) => [s, T.Ref(schema, { description: ERROR_STATUSES[s] })]));
}

const SpendLimitStatus = T.Object(
  {
    name: T.String(),
    scope: T.Record(T.String(), T.String()),
    period: T.Unsafe<'day' | 'week' | 'month'>({ type: 'string', enum: ['day', 'week', 'month'] }),
    enforce: T.Unsafe<'block' | 'alert'>({ type: 'string', enum: ['block', 'alert'] }),
    periodStart: T.String({ format: 'date-time' }),
    periodEnd: T.String({ format: 'date-time', description: 'exclusive' }),
    limitUsd: T.Number(),
    spentUsd: T.Number({ description: 'settled' }),
    reservedUsd: T.Number({ description: 'the worst case of calls in flight' }),
    remainingUsd: T.Number(),
    calls: T.Integer({ description: 'calls admitted in this period' }),
    alertedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], {
      description: 'enforce: alert — when the limit was first passed',
    }),
    burnDown: T.Array(T.Object({ hour: T.String({ format: 'date-time' }), spentUsd: T.Number(), remainingUsd: T.Number() }), {
      description: 'settled spend, cumulative, at the end of each hour with spend',
    }),
  },
  { $id: 'SpendLimitStatus', description: 'a SpendLimit in its current period' },
);

const Payload = (description: string) => T.Object({}, { additionalProperties: true, description });
const CALLS: Array<{ path: string; op: Operation; operationId: string; summary: string; streams: boolean }> = [
  {
    path: '/openai/v1/chat/completions',
    op: 'chat',
    operationId: 'openaiChatCompletions',
    summary: 'OpenAI-compatible chat completions (streaming as SSE)',
    streams: true,
  },
  {
    path: '/openai/v1/responses',
    op: 'responses',
    operationId: 'openaiResponses',
    summary: 'OpenAI-compatible responses (streaming as SSE)',
    streams: true,
  },
  {
    path: '/openai/v1/embeddings',
    op: 'embeddings',
    operationId: 'openaiEmbeddings',
    summary: 'OpenAI-compatible embeddings',
    streams: false,
  },
  {
    path: '/anthropic/v1/messages',
    op: 'messages',
    operationId: 'anthropicMessages',
    summary: 'Anthropic-compatible messages (streaming as SSE)',
    streams: true,
  },
];

const DESCRIPTION =
  'Agent key as `Authorization: Bearer fk_…` (Anthropic clients may send it as `x-api-key`). Each call is a `model.call` decision ' +
  '(audited); its worst-case cost is reserved against every SpendLimit that applies and settled on the usage. ' +
  '`Fulcrum-Data-Domains: a,b` names the data the call carries. A W3C `traceparent` (with its `tracestate`) puts ' +
  "the call's evidence record in the caller's trace and is sent on naming that record; an invalid one is ignored. " +
  "Refusals are in the API's own error format: 403 " +
  '`model_not_allowed` naming the policy, 403 `model_unpriced`, 429 `spend_limit_exceeded` naming the limit, 429 ' +
  "`rate_limit_exceeded`. An upstream's own answer (an error included) is passed on as the provider sent it. " +
  'docs/llm-gateway.md.';

function apiOf(request: FastifyRequest): Api {
  return request.url.startsWith('/llm/anthropic/') ? 'anthropic' : 'openai';
}

/**
 * Anthropic's clients send their key as `x-api-key`: on the Anthropic routes it is taken as the
 * agent's bearer key when no Authorization header is sent. Registered before authentication.
 */
export function acceptAnthropicApiKey(server: FastifyInstance): void {
  server.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/llm/anthropic/') || request.headers.authorization) return;
    // Whatever its length: authentication bounds it (MAX_TOKEN_BYTES) and says so. A bound of its own
    // here (512) dropped an agent's OAuth access token (a JWT, 1–4 KiB), and the agent was told it
    // sent no Authorization header.
    const key = request.headers['x-api-key'];
    if (typeof key === 'string' && key.length > 0) request.raw.headers.authorization = `Bearer ${key}`;
  });
}

export async function llmRoutes(
  server: Server,
  gateway: LlmGateway,
  /** The bounds per agent in flight come from the config (FULCRUM_LLM_MAX_CALLS_PER_AGENT, …_BYTES_…). */
  opts: {
    bodyLimit: number;
    log: UpstreamLog;
    maxCallsPerAgent: number;
    maxBytesPerAgent: number;
    /** Counts each call's outcome, refusals by code and the provider's time (docs/operations.md). */
    observe?: Observability;
  },
): Promise<void> {
  const bounds = {
    calls: inFlight(opts.maxCallsPerAgent),
    bytes: inFlight(opts.maxBytesPerAgent),
    maxCalls: opts.maxCallsPerAgent,
    maxBytes: opts.maxBytesPerAgent,
  };
  /** What each request in flight holds of its agent's bounds (released once). */
  const held = new WeakMap<FastifyRequest, () => void>();
  server.addSchema(OpenAiError);
  server.addSchema(SpendLimitStatus);
  server.addSchema(AnthropicError);
  await server.register(
    async (llm: Server) => {
      llm.setErrorHandler((err, request, reply) => {
        const e = asLlmError(err);
        if (e.status >= 500) request.log.error({ err }, 'LLM gateway request failed');
        // A call answered by Fulcrum before it reached the provider (after it, relay answers the call
        // and forward counts it): refused with a 4xx, or the endpoint unusable, or Fulcrum failing.
        if (request.routeOptions.config.llmOperation)
          opts.observe?.llmCall(
            apiOf(request),
            e.status < 500 ? 'refused' : e.code.startsWith('upstream_') ? 'upstream_failed' : 'error',
            { code: e.code },
          );
        reply
          .code(e.status)
          .headers(e.headers)
          .send(errorBody(apiOf(request), e));
      });
      // A call's body is read once, into what the gateway needs (prepare.ts): large ones on a worker
      // thread, so that reading them does not stop the node's other requests. The route's schema then
      // checks the two members it names, as read.
      // One agent's calls in flight hold their bodies (several times their size while they are read and
      // sent): twenty 20 MiB calls at once took the node from 205 MiB to 1.4 GiB. So the bound is taken
      // before the body is read (the declared length, else the body limit), per agent; a single body
      // up to the limit always fits when the agent has nothing else in flight. Released when the
      // answer is done or the client is gone.
      llm.addHook('preParsing', async (request, _reply, payload) => {
        if (!request.routeOptions.config.llmOperation || request.principal?.type !== 'agent') return payload;
        const agent = request.principal.id;
        const declared = Number(request.headers['content-length']);
        const weight = Number.isSafeInteger(declared) && declared >= 0 ? declared : opts.bodyLimit;
        const call = bounds.calls.enter(agent);
        const bytes = call && bounds.bytes.enter(agent, weight);
        if (!call || !bytes) {
          call?.();
          throw new LlmError(
            429,
            'too_many_calls_in_flight',
            `${agent} already has ${bounds.calls.of(agent)} calls (${bounds.bytes.of(agent)} request bytes) in flight on this node ` +
              `(at most ${bounds.maxCalls} calls, ${bounds.maxBytes} bytes): call again once some have answered`,
            {},
            { 'retry-after': '1' },
          );
        }
        held.set(request, () => {
          call();
          bytes();
        });
        return payload;
      });
      const release = async (request: FastifyRequest) => {
        held.get(request)?.();
        held.delete(request);
      };
      llm.addHook('onResponse', release);
      llm.addHook('onRequestAbort', release);
      llm.removeContentTypeParser('application/json');
      llm.addContentTypeParser(
        'application/json',
        { parseAs: 'buffer', bodyLimit: opts.bodyLimit },
        async (request: FastifyRequest, raw: Buffer) => {
          const op = request.routeOptions.config.llmOperation;
          // No such call here (a path the gateway does not serve, or one that takes no body): the
          // route, not the body, is what is wrong.
          if (!op)
            throw request.is404
              ? new LlmError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`)
              : new LlmError(415, 'unsupported_media_type', 'this route takes no JSON body');
          const prepared = await prepareBody(op, raw);
          const body: CallRequestBody = { model: prepared.shape.model, stream: prepared.shape.stream, [PREPARED]: prepared };
          return body;
        },
      );
      llm.setNotFoundHandler((request, reply) => {
        const e = new LlmError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
        reply.code(404).send(errorBody(apiOf(request), e));
      });

      for (const { path, op, operationId, summary, streams } of CALLS) {
        const answer = Payload(`the provider's answer, with the model id it was called with`);
        llm.post(
          path,
          {
            bodyLimit: opts.bodyLimit,
            config: { agentOnly: true, llmOperation: op },
            schema: {
              operationId,
              tags: ['llm'],
              summary,
              description: DESCRIPTION,
              body: CallBody,
              response: {
                200: {
                  description: streams
                    ? "the provider's answer; with `stream: true`, its server-sent events"
                    : "the provider's answer",
                  content: {
                    'application/json': { schema: answer },
                    ...(streams
                      ? { 'text/event-stream': { schema: T.String({ description: "the provider's events, relayed" }) } }
                      : {}),
                  },
                },
                ...errorsIn(op === 'messages' ? AnthropicError : OpenAiError),
              },
            },
          },
          async (request, reply) => {
            try {
              await forward(gateway, op, request, reply, opts.log, opts.observe);
            } finally {
              // A hijacked answer (every forwarded call) runs no onResponse hook: released here.
              await release(request);
            }
          },
        );
      }

      llm.get(
        '/openai/v1/models',
        {
          config: { agentOnly: true },
          schema: {
            operationId: 'openaiListModels',
            tags: ['llm'],
            summary: 'The models this agent may call through the OpenAI-compatible routes',
            response: {
              ...errorsIn(OpenAiError, [401, 403, 429, 500, 503]),
              200: T.Object({
                object: T.Literal('list'),
                data: T.Array(
                  T.Object({ id: T.String(), object: T.Literal('model'), created: T.Integer(), owned_by: T.String() }),
                ),
              }),
            },
          },
        },
        async (request) => ({ object: 'list' as const, data: await gateway.models(request.principal.id, 'openai') }),
      );
    },
    { prefix: '/llm' },
  );

  server.get(
    '/v1/spend-limits/:name/status',
    {
      schema: {
        operationId: 'getSpendLimitStatus',
        tags: ['llm'],
        summary: 'A SpendLimit in its current period: spent, held by calls in flight, left; and its burn-down by hour',
        params: NameParams,
        response: {
          200: T.Ref(SpendLimitStatus),
          ...errorResponses(404),
        },
      },
    },
    async (request) => gateway.limitStatus(request.principal, request.params.name),
  );

  // Not /v1/spend-limits/status: that path would hide the descriptor of a SpendLimit named "status".
  server.get(
    '/v1/spend-limit-status',
    {
      schema: {
        operationId: 'listSpendLimitStatus',
        tags: ['llm'],
        summary: 'Every SpendLimit in its current period, by name, a page at a time (each as getSpendLimitStatus answers it)',
        description: "Pass the answer's `nextCursor` as `after` for the next page; there is none after the last.",
        querystring: T.Object({
          limit: T.Integer({ minimum: 1, maximum: 100, default: 100 }),
          after: T.Optional(T.String({ maxLength: 253, description: 'a SpendLimit name: the page starts after it' })),
        }),
        response: {
          200: T.Object({ nextCursor: T.Optional(T.String()), items: T.Array(T.Ref(SpendLimitStatus)) }),
        },
      },
    },
    async (request) => gateway.limitStatuses(request.principal, request.query),
  );
}

async function forward(
  gateway: LlmGateway,
  op: Operation,
  request: FastifyRequest,
  reply: FastifyReply,
  log: UpstreamLog,
  observe: Observability | undefined,
) {
  // The client leaving (before the answer is complete) aborts the wait for a reservation or the call.
  const gone = goneSignal(reply);
  const prepared = (request.body as Partial<CallRequestBody> | undefined)?.[PREPARED];
  // Only this route's JSON parser makes one; any other body failed the route's schema already.
  if (!prepared) throw new LlmError(415, 'unsupported_media_type', 'the body must be JSON (content-type: application/json)');
  const call = await gateway.admit(agentCaller(request.principal), op, prepared, request.headers, gone);
  reply.hijack();
  const api = call.endpoint.spec.api;
  if (gone.aborted) {
    gateway.finish(call, { kind: 'unsent', why: 'the client left before the call was sent' });
    observe?.llmCall(api, 'cancelled');
    return;
  }
  const end = await relay(call, reply.raw, gone, log);
  gateway.finish(call, end);
  observe?.llmCall(api, outcomeOf(end), {
    endpoint: call.endpoint.name,
    // An error answer to a streamed call comes whole: timed as one.
    stream: call.shape.stream && end.kind === 'answered' && end.status < 400,
    providerSeconds: end.kind === 'answered' ? end.providerSeconds : undefined,
  });
}

/** What became of a forwarded call, as fulcrum_llm_calls_total counts it. */
function outcomeOf(end: CallEnd): LlmOutcome {
  if (end.kind === 'unsent') return 'upstream_failed'; // never reached the provider: 502
  if (end.kind === 'cut') return end.why === 'cancelled' ? 'cancelled' : 'upstream_failed';
  if (end.status < 400) return 'answered';
  // The provider refusing Fulcrum's own credential is answered 502 (upstream_auth_failed), not passed on.
  return end.status === 401 || end.status === 403 ? 'upstream_failed' : 'provider_error';
}
