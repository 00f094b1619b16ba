// Upstreams that speak MCP 2026-07-28 (no initialize, `server/discover`, a `_meta` envelope and
// protocol headers on every request) next to those that speak 2025-11-25 and earlier.
//
// Which one an HTTP upstream speaks is asked once per connection, with one `server/discover` sent
// over the connection's own transport (so the outbound policy, the secrets, the answer bound and the
// connect timeout hold for it as for everything else). A DiscoverResult offering 2026-07-28 makes the
// connection modern: the 2026 SDK's client is connected with that result (`prior`), so it does not
// ask again. Any other answer — a JSON-RPC error (-32601, a 2025 server's "not initialized"), an HTTP
// 4xx or 5xx, a page that is not MCP — leaves it to the 2025 path, exactly as before; only a failure
// to get an answer at all (refused, closed, the outbound policy) fails the connect as it did.
//
// The modern client asks for nothing the gateway cannot give: no client capabilities, and
// `input_required` (an upstream asking the user for input, or to be called again) is not fulfilled
// but reported, since the gateway does not relay upstream requests to its agents. Its results are
// cut back to what a 2025 result holds, so callers of the pool see one shape whatever the upstream.
import type { ClientOptions, DiscoverResult, Client as ModernClient } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { PROTOCOL_VERSION_META_KEY, StreamableHttpError, type UpstreamHttpTransport } from './http-transport.js';
import { SERVER_INFO_META_KEY } from './sdk.js';

export type { ModernClient };

/** The protocol version of the modern generation, the one the gateway's client speaks. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export const CLIENT_INFO = { name: 'fulcrum-mcp-gateway', version: '1' };

/**
 * Turns off the SDK clients' check of a tool's result against the outputSchema the upstream listed
 * for it. Agents are governed by the registry Tool, not the upstream's listing, and the check made a
 * call's outcome depend on whether that client had listed the upstream's tools: a call that ran was
 * reported refused (an agent retries it: a second payment), and the upstream's `pattern`s ran in
 * Ajv's backtracking RegExp on the event loop (seconds for one answer). Both SDKs check only when a
 * tool has a validator (`if (validator)`), so one that gives none turns off the check and the
 * "has an output schema but did not return structured content" refusal with it (a test holds both).
 */
export const NO_OUTPUT_VALIDATION = { getValidator: () => undefined };

/**
 * The modern client's options: no capabilities (the gateway answers no elicitation, sampling or
 * roots), `input_required` surfaced as an error rather than fulfilled through handlers it does
 * not have (the SDK's default would retry a "come back later" every 250 ms, ten times), and no
 * output-schema check (above).
 */
export const MODERN_CLIENT_OPTIONS = {
  capabilities: {},
  inputRequired: { autoFulfill: false },
  jsonSchemaValidator: NO_OUTPUT_VALIDATION as unknown as NonNullable<ClientOptions['jsonSchemaValidator']>,
} as const;

/** The modern client pinned to the modern generation: it asks with server/discover, and never falls back. */
export const MODERN_PIN = { mode: { pin: MODERN_PROTOCOL_VERSION } } as const;

/**
 * Whether a failed 2025 handshake was a server saying it speaks only 2026-07-28: -32022 (unsupported
 * protocol version) whose `data.supported` names it, as the 2026 SDK's stdio server answers initialize
 * with `legacy: 'reject'`.
 */
export function onlyModern(err: unknown): boolean {
  const e = err as { code?: unknown; data?: { supported?: unknown } };
  return e?.code === -32022 && Array.isArray(e.data?.supported) && e.data.supported.includes(MODERN_PROTOCOL_VERSION);
}

/** What the probe found; the modern verdict is what `Client.connect({ prior })` takes. */
export type Era = { kind: 'legacy' } | { kind: 'modern'; discover: DiscoverResult };

const PROBE_ID = 'fulcrum-server-discover';

/**
 * Asks an HTTP upstream which generation it speaks (see the top of this file), on a transport used
 * for nothing else. Rejects only when nothing answered.
 */
export function probeEra(transport: UpstreamHttpTransport): Promise<Era> {
  const probe = {
    jsonrpc: '2.0' as const,
    id: PROBE_ID,
    method: 'server/discover',
    params: {
      _meta: {
        [PROTOCOL_VERSION_META_KEY]: MODERN_PROTOCOL_VERSION,
        'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  };
  return new Promise<Era>((resolve, reject) => {
    let lastError: Error | undefined;
    transport.onmessage = (message) => {
      if (!('id' in message) || message.id !== PROBE_ID) return;
      const result = 'result' in message ? (message.result as Record<string, unknown>) : undefined;
      // Its shape is checked by the client it is given to (a malformed one fails that connect).
      resolve(result && offersModern(result) ? { kind: 'modern', discover: result as DiscoverResult } : { kind: 'legacy' });
    };
    // Failures reach the send's rejection, but an SSE answer's (cut off, over the bound) closes instead.
    transport.onerror = (err) => {
      lastError = err;
    };
    transport.onclose = () =>
      lastError && answered(lastError)
        ? resolve({ kind: 'legacy' })
        : reject(lastError ?? new StreamableHttpError(-1, 'the connection closed before server/discover was answered'));
    transport.send(probe).catch((err: unknown) => (answered(err) ? resolve({ kind: 'legacy' }) : reject(err)));
  }).finally(() => {
    transport.onmessage = undefined;
    transport.onerror = undefined;
    transport.onclose = undefined;
  });
}

function offersModern(result: Record<string, unknown>): boolean {
  return Array.isArray(result.supportedVersions) && result.supportedVersions.includes(MODERN_PROTOCOL_VERSION);
}

/** Whether a failed send got an answer (an HTTP status, a body that is not JSON-RPC) rather than none. */
function answered(err: unknown): boolean {
  return err instanceof StreamableHttpError || err instanceof SyntaxError || (err as Error)?.name === 'ZodError';
}

/** The 2026 SDK's errors that are about `input_required` (code or name; the SDK is loaded lazily). */
export function asksForInput(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown };
  // -32021: the upstream refused to ask for input the client declared no capability for (elicitation).
  if (e?.name === 'ProtocolError') return e.code === -32021;
  return e?.name === 'SdkError' && (e.code === 'UNSUPPORTED_RESULT_TYPE' || e.code === 'INPUT_REQUIRED_ROUNDS_EXCEEDED');
}

/** The 2026 SDK's own timeout. */
export function timedOut(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown };
  return e?.name === 'SdkError' && e.code === 'REQUEST_TIMEOUT';
}

/** A 2026 result that is not what the method answers (no resultType, a malformed body). */
export function invalidResult(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown };
  return e?.name === 'SdkError' && e.code === 'INVALID_RESULT';
}

/** The upstream answered with a JSON-RPC error (in-band, or as an HTTP 4xx the transport delivered). */
export function rpcError(err: unknown): { code: number; message: string } | undefined {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  return e?.name === 'ProtocolError' && typeof e.code === 'number' ? { code: e.code, message: String(e.message) } : undefined;
}

export interface CallOptions {
  timeout: number;
  onprogress?: (p: { progress: number; total?: number; message?: string }) => void;
}

/**
 * A tools/call on a modern connection. The SDK's `callTool` is `request()` plus what the gateway's
 * pooled clients never use: an output-schema check (turned off, NO_OUTPUT_VALIDATION) and the mirroring
 * of arguments into `Mcp-Param-*` headers that the upstream's tools/list declares (the pooled clients
 * list nothing, so there is nothing to mirror). And `request()` without a result schema builds its
 * check anew for every call, by validating `undefined` against the method's schema and formatting the
 * failure: 0.09–0.12 ms a call one at a time on the bench machine (bench/README.md, session 30). So
 * the call is sent through `request()` with that same check built once per client (the codec's own
 * `validateResult`, as the SDK builds it). An upstream that refuses the call for lack of mirrored headers (-32020) gets
 * `callTool` from then on: it lists the tools, learns the declarations and mirrors them, as before.
 */
export async function callToolModern(
  client: ModernClient,
  name: string,
  args: Record<string, unknown>,
  options: CallOptions,
): Promise<CallToolResult> {
  const params = { name, arguments: args };
  const check = mirrors.has(client) ? undefined : resultCheck(client);
  if (!check) return plain((await client.callTool(params, options)) as Record<string, unknown>) as CallToolResult;
  try {
    return plain(
      (await client.request({ method: 'tools/call', params }, check, options)) as Record<string, unknown>,
    ) as CallToolResult;
  } catch (err) {
    if (rpcError(err)?.code !== HEADER_MISMATCH) throw err;
    mirrors.add(client);
    return plain((await client.callTool(params, options)) as Record<string, unknown>) as CallToolResult;
  }
}

/** 2026-07-28's JSON-RPC error for a request whose headers disagree with its body (`Mcp-Name`, `Mcp-Param-*`). */
const HEADER_MISMATCH = -32020;
/** Clients whose upstream wants arguments mirrored into headers: their calls go through `callTool`. */
const mirrors = new WeakSet<ModernClient>();

/** The codec's result check, as the SDK's request() builds it for a spec method (its codecResultValidator). */
interface WireCodec {
  validateResult(method: string, raw: unknown): { ok: true; value: unknown } | { ok: false; reason: string; message?: string };
}
type ResultCheck = {
  '~standard': {
    version: 1;
    vendor: string;
    validate(value: unknown): { value: unknown } | { issues: Array<{ message: string }> };
  };
};
const checks = new WeakMap<ModernClient, ResultCheck | undefined>();

/**
 * The check of a tools/call result for `client`'s negotiated codec, built once; undefined when the
 * client has no codec to give (another SDK version): then the call goes through `callTool`.
 */
export function resultCheck(client: ModernClient): ResultCheck | undefined {
  if (checks.has(client)) return checks.get(client);
  const codecOf = (client as unknown as { _wireCodec?: () => WireCodec })._wireCodec;
  const codec = typeof codecOf === 'function' ? codecOf.call(client) : undefined;
  const check: ResultCheck | undefined =
    codec && typeof codec.validateResult === 'function'
      ? {
          '~standard': {
            version: 1,
            vendor: 'fulcrum',
            validate(value) {
              const outcome = codec.validateResult('tools/call', value);
              if (outcome.ok) return { value: outcome.value };
              return {
                issues: [{ message: outcome.reason === 'invalid' ? String(outcome.message) : 'not-in-era: tools/call' }],
              };
            },
          },
        }
      : undefined;
  checks.set(client, check);
  return check;
}

/**
 * One page of the upstream's tools. Asked as a plain request, not through `listTools`, which walks
 * every page itself and keeps the list in the client's cache; the caller walks and bounds the pages.
 */
export async function listToolsPageModern(
  client: ModernClient,
  cursor: string | undefined,
  timeout: number,
): Promise<{ tools: McpTool[]; nextCursor?: string | undefined }> {
  const page = await client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, { timeout });
  return { tools: page.tools as McpTool[], nextCursor: page.nextCursor };
}

/**
 * A 2026 result as a 2025 one: without `resultType`, the cache hints and the server's identity in
 * `_meta` (the gateway's callers never saw those; the agent-facing side adds its own). A 2025
 * upstream's result goes through it too: those fields are not its to set.
 */
export function plain(result: Record<string, unknown>): Record<string, unknown> {
  const { resultType: _type, ttlMs: _ttl, cacheScope: _scope, _meta, ...rest } = result;
  if (_meta && typeof _meta === 'object') {
    const { [SERVER_INFO_META_KEY]: _info, ...meta } = _meta as Record<string, unknown>;
    if (Object.keys(meta).length > 0) rest._meta = meta;
  }
  return rest;
}
