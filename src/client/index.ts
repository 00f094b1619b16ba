// The typed Fulcrum API client: `import { createFulcrumClient } from 'fulcrum/client'`. Its types are
// generated from the server's OpenAPI document (src/client/schema.ts, `npm run generate:client`; a test
// fails when they drift), and requests go through openapi-fetch, so a path, a parameter or a field the
// API does not have is a compile error, and every answer is typed as the server documents it. The CLI
// and the web console use this client and no hand-written copy of the API's types.
import createOpenApiClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
/** The API's named shapes (descriptors of every kind, Error, Decision, Plan...). */
export type Schemas = components['schemas'];
/**
 * `Media` narrows what a success's `data` is typed as when an operation answers in several media types
 * (`GET /v1/export` JSON or YAML): `FulcrumClient<'application/json'>` for a caller that asks for JSON.
 */
export type FulcrumClient<Media extends `${string}/${string}` = `${string}/${string}`> = Client<paths, Media>;
export type { Middleware };

/** The JSON body of a successful GET on `P`. */
export type GetResult<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer R } } } };
}
  ? R
  : never;

export interface FulcrumClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:4100` (or '' in a browser on the server's own origin). */
  baseUrl: string;
  /** A person's API token (fpt_), an agent key (fak_) or the admin token; sent as `Authorization: Bearer`. */
  token?: string | undefined;
  headers?: Record<string, string>;
  fetch?: ClientOptions['fetch'];
}

export function createFulcrumClient<Media extends `${string}/${string}` = `${string}/${string}`>(
  options: FulcrumClientOptions,
): FulcrumClient<Media> {
  return createOpenApiClient<paths, Media>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
}

/** Every error answer's body: `{"error": {"code", "message", "details"?}}` (docs/errors.md). */
export class FulcrumApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'FulcrumApiError';
  }
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/**
 * The data of a successful answer, or a FulcrumApiError with the error body's code, message and details
 * (`http_error` and the status line when the body is not Fulcrum's error shape).
 */
export async function ok<R extends Answer>(call: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  const { data, error, response } = await call;
  if (response.ok) return data as Exclude<R['data'], undefined>;
  const e = (error as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (e && typeof e.message === 'string')
    throw new FulcrumApiError(response.status, typeof e.code === 'string' ? e.code : 'error', e.message, e.details);
  throw new FulcrumApiError(response.status, 'http_error', `${response.status} ${response.statusText || 'request failed'}`);
}
