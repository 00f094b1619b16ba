// Refusals in each API's own error format, so an unmodified client (the OpenAI and Anthropic SDKs,
// LangChain, the AI SDK) raises its usual error with our message:
//   OpenAI     {"error":{"message","type","param","code",…}}
//   Anthropic  {"type":"error","error":{"type","message",…}}
// Fulcrum's stable `code` (spend_limit_exceeded, model_not_allowed, …) is in both, with what the
// refusal names (the limit, the policies) beside it.
import { FulcrumError } from '../errors.js';
import { toErrorReply } from '../http/errors.js';
import type { Api } from './apis.js';

export class LlmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields of the error object (the limit, the policies, the decision). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const OPENAI_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

export function errorBody(api: Api, e: LlmError): unknown {
  if (api === 'anthropic')
    return {
      type: 'error',
      error: { type: ANTHROPIC_TYPE[e.status] ?? 'api_error', message: e.message, code: e.code, ...e.extra },
    };
  const type = e.code === 'spend_limit_exceeded' ? 'insufficient_quota' : (OPENAI_TYPE[e.status] ?? 'server_error');
  return { error: { message: e.message, type, param: null, code: e.code, ...e.extra } };
}

/** Any error thrown on an LLM route (authentication, a bad body, a domain error) as an LlmError. */
export function asLlmError(err: unknown): LlmError {
  if (err instanceof LlmError) return err;
  const { status, body } = toErrorReply(err);
  const headers: Record<string, string> = {};
  const retry = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (err instanceof FulcrumError && retry) headers['retry-after'] = String(retry);
  return new LlmError(
    status,
    body.error.code,
    body.error.message,
    body.error.details ? { details: body.error.details } : {},
    headers,
  );
}
