// The LLM gateway's routes, with the agent's key: OpenAI-compatible under /llm/openai/v1 (chat
// completions, responses, embeddings, models) and Anthropic-compatible at /llm/anthropic/v1/messages.
// Every error on these routes (authentication included) is in the API's own format; the spend-limit
// status is a plain Fulcrum API route.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponses, NameParams } from '../http/schemas.js';
import type { Api, Operation } from './apis.js';
import { asLlmError, errorBody, LlmError } from './errors.js';
import type { LlmGateway } from './gateway.js';
import { relay } from './proxy.js';
import type { UpstreamLog } from './upstream.js';

const CallBody = T.Object(
  {
    model: T.String({ minLength: 1, maxLength: 256, description: 'a registry Model name or alias' }),
    stream: T.Optional(T.Boolean()),
  },
  { additionalProperties: true, description: "the API's own request body; passed on with the provider's model id" },
);

const CALLS: Array<{ path: string; op: Operation; summary: string }> = [
  { path: '/openai/v1/chat/completions', op: 'chat', summary: 'OpenAI-compatible chat completions (streaming as SSE)' },
  { path: '/openai/v1/responses', op: 'responses', summary: 'OpenAI-compatible responses (streaming as SSE)' },
  { path: '/openai/v1/embeddings', op: 'embeddings', summary: 'OpenAI-compatible embeddings' },
  { path: '/anthropic/v1/messages', op: 'messages', summary: 'Anthropic-compatible messages (streaming as SSE)' },
];

const DESCRIPTION =
  'Agent key as `Authorization: Bearer fk_…` (Anthropic clients may send it as `x-api-key`). Each call is a `model.call` decision ' +
  '(audited); its worst-case cost is reserved against every SpendLimit that applies and settled on the usage. ' +
  "`Fulcrum-Data-Domains: a,b` names the data the call carries. Refusals are in the API's own error format: 403 " +
  '`model_not_allowed` naming the policy, 403 `model_unpriced`, 429 `spend_limit_exceeded` naming the limit, 429 ' +
  '`rate_limit_exceeded`. docs/llm-gateway.md.';

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
    const key = request.headers['x-api-key'];
    if (typeof key === 'string' && key.length > 0 && key.length <= 512) request.raw.headers.authorization = `Bearer ${key}`;
  });
}

export async function llmRoutes(
  server: FastifyInstance,
  gateway: LlmGateway,
  opts: { bodyLimit: number; log: UpstreamLog },
): Promise<void> {
  await server.register(
    async (llm) => {
      llm.setErrorHandler((err, request, reply) => {
        const e = asLlmError(err);
        if (e.status >= 500) request.log.error({ err }, 'LLM gateway request failed');
        reply
          .code(e.status)
          .headers(e.headers)
          .send(errorBody(apiOf(request), e));
      });
      llm.setNotFoundHandler((request, reply) => {
        const e = new LlmError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
        reply.code(404).send(errorBody(apiOf(request), e));
      });

      for (const { path, op, summary } of CALLS)
        llm.post(
          path,
          {
            bodyLimit: opts.bodyLimit,
            config: { agentOnly: true },
            schema: { tags: ['llm'], summary, description: DESCRIPTION, body: CallBody },
          },
          (request, reply) => forward(gateway, op, request, reply, opts.log),
        );

      llm.get(
        '/openai/v1/models',
        {
          config: { agentOnly: true },
          schema: {
            tags: ['llm'],
            summary: 'The models this agent may call through the OpenAI-compatible routes',
            response: {
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

  server.get<{ Params: { name: string } }>(
    '/v1/spend-limits/:name/status',
    {
      schema: {
        tags: ['llm'],
        summary: 'A SpendLimit in its current period: spent, held by calls in flight, left; and its burn-down by hour',
        params: NameParams,
        response: {
          200: T.Object({
            name: T.String(),
            scope: T.Record(T.String(), T.String()),
            period: T.String(),
            enforce: T.String(),
            periodStart: T.String({ format: 'date-time' }),
            periodEnd: T.String({ format: 'date-time', description: 'exclusive' }),
            limitUsd: T.Number(),
            spentUsd: T.Number({ description: 'settled' }),
            reservedUsd: T.Number({ description: 'the worst case of calls in flight' }),
            remainingUsd: T.Number(),
            calls: T.Integer({ description: 'calls admitted in this period' }),
            alertedAt: T.Union([T.String(), T.Null()], { description: 'enforce: alert — when the limit was first passed' }),
            burnDown: T.Array(
              T.Object({ hour: T.String({ format: 'date-time' }), spentUsd: T.Number(), remainingUsd: T.Number() }),
              { description: 'settled spend, cumulative, at the end of each hour with spend' },
            ),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => gateway.limitStatus(request.principal, request.params.name),
  );
}

async function forward(gateway: LlmGateway, op: Operation, request: FastifyRequest, reply: FastifyReply, log: UpstreamLog) {
  // The client leaving (before the answer is complete) aborts the wait for a reservation or the call.
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  const length = Number(request.headers['content-length']);
  const bytes = Number.isInteger(length) && length > 0 ? length : Buffer.byteLength(JSON.stringify(request.body));
  const call = await gateway.admit(request.principal.id, op, request.body, bytes, request.headers, gone.signal);
  reply.hijack();
  if (gone.signal.aborted) {
    gateway.finish(call, { kind: 'unsent', why: 'the client left before the call was sent' });
    return;
  }
  const end = await relay(call, reply.raw, gone.signal, log);
  gateway.finish(call, end);
}
