// Connections to upstream MCP servers: one official-SDK client per McpServer per node, opened on
// first use, shared by every agent's calls (JSON-RPC multiplexes them), and reopened after a failure.
// Every wait is bounded: connect, each call, and a short back-off after a failed connect so an
// upstream that is down costs callers one fast error, not a spawn or a TCP timeout each.
// What reaches callers never holds what an upstream sent before it proved to speak MCP (an HTTP
// body, a banner): the server log gets the detail, so a reader cannot use a fault as a port scanner.
// An HTTP upstream may speak MCP 2026-07-28 or 2025-11-25: which one is asked once per connection
// (upstream-modern.ts); the 2025 path is the 2025 SDK's Client, the 2026 one the 2026 SDK's, both
// over the same transport, with the same bounds and the same faults for callers.
import type { Client, ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { headerValueProblem, type OutboundPolicy } from '../net/outbound.js';
import { readSecret } from '../net/secrets.js';
import { canonicalJson } from '../registry/model.js';
import { MAX_ANSWER_DEPTH, nestsDeeperThan } from './answer-depth.js';
import type { McpServerObject } from './catalog.js';
import {
  CrossedAnswerError,
  MAX_RESPONSE_BYTES,
  STREAM_MESSAGES_BURST,
  STREAM_MESSAGES_PER_SECOND,
  StreamableHttpError,
  UpstreamHttpTransport,
} from './http-transport.js';
import { InOrderTransport } from './in-order.js';
import { loadModernSdk, loadSdk, RPC, type Sdk } from './sdk.js';
import { childEnvironment, notAllowedMessage, type StdioAllowList, stdioAllowed } from './stdio.js';
import {
  asksForInput,
  CLIENT_INFO,
  callToolModern,
  invalidResult,
  listToolsPageModern,
  MODERN_CLIENT_OPTIONS,
  MODERN_PIN,
  type ModernClient,
  NO_OUTPUT_VALIDATION,
  onlyModern,
  plain,
  probeEra,
  rpcError,
  timedOut,
} from './upstream-modern.js';

/** `flood`: not a failure: an answer's stream carried messages past its rate, and the rest were dropped unread. */
export type UpstreamFault = 'unreachable' | 'timeout' | 'invalid' | 'error' | 'flood';

/** The 2025 client's options: no capabilities, and no output-schema check (see NO_OUTPUT_VALIDATION). */
export const LEGACY_CLIENT_OPTIONS = {
  capabilities: {},
  jsonSchemaValidator: NO_OUTPUT_VALIDATION as unknown as NonNullable<ClientOptions['jsonSchemaValidator']>,
};

/** The most pages of tools/list read (the 2.x client's own bound, its `listMaxPages`). */
export const MAX_LIST_PAGES = 64;

/**
 * A failure to get an answer from an upstream, classified for the agent and the evidence. The
 * message is for callers; `detail` (what happened, possibly with the upstream's bytes) for the log.
 */
export class UpstreamError extends Error {
  constructor(
    readonly server: string,
    readonly fault: UpstreamFault,
    message: string,
    readonly detail?: string,
  ) {
    super(`upstream MCP server "${server}" ${message}`);
  }
}

/** Where the details of upstream failures go (the server's logger). */
export type UpstreamLog = (entry: { server: string; fault: UpstreamFault; detail: string }, message: string) => void;

// One message for every way an HTTP upstream can fail before it proved to speak MCP: refused by the
// outbound policy, connection refused, an HTTP error, something else answering.
const NOT_REACHED = 'is unreachable or is not an MCP server (the Fulcrum server log says why)';

export interface UpstreamOptions {
  /** Bound on spawning/connecting and the initialize handshake. */
  connectTimeoutMs: number;
  /** Bound on one call when the McpServer sets no `timeoutMs`. */
  callTimeoutMs: number;
  /** Largest answer read from an http upstream (see http-transport.ts); default 16 MiB. */
  maxResponseBytes?: number;
  /** After a failed connect, calls fail at once for this long before the next attempt. */
  retryAfterMs: number;
  /** FULCRUM_MCP_STDIO_ALLOW: the command lines that may be started. */
  stdioAllow: StdioAllowList;
  outbound: OutboundPolicy;
  /** Where secrets and a child's environment come from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Hears each message an HTTP upstream's answer stream carried past its rate, dropped unread (see http-transport.ts). */
  onDropped?: (kind: 'notification' | 'request') => void;
}

/** A connected client, of the generation the upstream speaks. */
type Live = { era: 'legacy'; client: Client } | { era: 'modern'; client: ModernClient };

interface Connection {
  key: string;
  /** Set once the SDK is loaded (at once after the first connection). */
  client?: Client | ModernClient;
  /** An HTTP connection's transport: closed on a failed connect, also before there is a client. */
  transport?: Transport;
  ready: Promise<Live>;
  /** Why the connection died (the process exiting, a transport error), for the error message. */
  lastError?: string;
  /** Set when the upstream sent something that is not JSON-RPC. */
  invalid?: string;
  failedAt?: number;
  failure?: UpstreamError;
  /** Requests under way on it. */
  inFlight: number;
  /** Retired (new calls open another connection): closed once its last request ends. */
  retired?: boolean;
}

/** A progress report, as MCP's notifications/progress carries it (without the token). */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

export type UpstreamPool = ReturnType<typeof createUpstreamPool>;

export function createUpstreamPool(opts: UpstreamOptions) {
  const conns = new Map<string, Connection>();
  /** When each server's connection was last dropped for a result not of 2026-07-28 (see request). */
  const droppedForShape = new Map<string, number>();
  // Read when used, not copied: secrets and a child's environment are what they are at connect time.
  const env = () => opts.env ?? process.env;
  let log: UpstreamLog = (entry, message) => process.emitWarning(`${message}: ${entry.detail}`);

  /** The error for callers, logged with its detail (a failed connect is retried at most once a second). */
  function failed(server: McpServerObject, fault: UpstreamFault, message: string, detail?: string): UpstreamError {
    const err = new UpstreamError(server.name, fault, message, detail);
    log({ server: server.name, fault, detail: detail ?? message }, err.message);
    return err;
  }

  function transportFor(sdk: Sdk, server: McpServerObject): Transport {
    const s = server.spec;
    if (s.transport === 'http') {
      const url = new URL(s.url as string);
      const refused = opts.outbound.refusal(url);
      if (refused) throw failed(server, 'unreachable', NOT_REACHED, refused);
      const headers: Record<string, string> = {};
      for (const [name, ref] of Object.entries(s.headers ?? {})) {
        // Bound to the URL used now (the operator may have changed the binding since apply). One
        // message for every reason, so a caller learns neither which secrets are set nor their bindings.
        const secret = readSecret(ref.env, url, env());
        const bad = secret.ok ? headerValueProblem(secret.value) : undefined;
        if (!secret.ok || bad) {
          const detail = secret.ok ? `the secret ${ref.env} ${bad}` : secret.reason;
          throw failed(server, 'unreachable', `is not configured: header ${name} (the Fulcrum server log says why)`, detail);
        }
        headers[name] = secret.value;
      }
      return new UpstreamHttpTransport(url, sdk.messageParser, {
        outbound: opts.outbound,
        headers,
        ...(opts.maxResponseBytes ? { maxResponseBytes: opts.maxResponseBytes } : {}),
        onDropped: (kind, first) => {
          opts.onDropped?.(kind);
          if (first)
            log(
              {
                server: server.name,
                fault: 'flood',
                detail: `past ${STREAM_MESSAGES_BURST} messages at once or ${STREAM_MESSAGES_PER_SECOND} a second, the rest of its notifications and requests on that stream are dropped unread (counted in fulcrum_mcp_upstream_messages_dropped_total)`,
              },
              `upstream MCP server "${server.name}" sent more messages on one answer's stream than are read`,
            );
        },
      });
    }
    // Checked again here, not only at apply: the list may have changed, or the descriptor come another way.
    const command = s.command as string;
    if (!stdioAllowed(opts.stdioAllow, command, s.args))
      throw failed(server, 'unreachable', `is not started: ${notAllowedMessage(command, s.args)}`);
    // stderr is not ours to print: an upstream's diagnostics would interleave with Fulcrum's log.
    return new sdk.StdioClientTransport({ command, args: s.args ?? [], stderr: 'ignore', env: childEnvironment(env()) });
  }

  /** A failure to connect (or of the connection), worded by transport: see NOT_REACHED. */
  function unreachable(server: McpServerObject, err: unknown, lastError: string | undefined, what?: string): UpstreamError {
    const detail = describeError(err, lastError);
    if (server.spec.transport === 'http')
      return failed(
        server,
        'unreachable',
        what ? `failed to answer ${what} (the Fulcrum server log says why)` : NOT_REACHED,
        detail,
      );
    return failed(server, 'unreachable', `${what ? `failed to answer ${what}` : 'is unreachable'}${localReason(err)}`, detail);
  }

  function notJsonRpc(server: McpServerObject, detail: string, what?: string): UpstreamError {
    if (server.spec.transport === 'http' && !what) return failed(server, 'invalid', NOT_REACHED, detail);
    return failed(
      server,
      'invalid',
      what ? `sent an answer that is not JSON-RPC to ${what}` : 'sent data that is not JSON-RPC',
      detail,
    );
  }

  function open(server: McpServerObject, key: string): Connection {
    const conn = { key, inFlight: 0 } as Connection; // `ready` is set below, before anyone sees the connection
    // Starting a process or reaching a host is bounded on its own: a server's `timeoutMs` is about
    // its answers, and a stdio server may take longer to start than to answer.
    const bound = opts.connectTimeoutMs;
    const wire = (client: Client | ModernClient) => {
      conn.client = client;
      client.onerror = (err) => {
        conn.lastError = err.message;
        // The SDK's stdio reader skips a line that is not JSON-RPC; MCP forbids a server writing one
        // (stdout is the protocol). Waiting on would turn garbage into a timeout: fail now instead.
        if (err instanceof SyntaxError || err.name === 'ZodError') {
          conn.invalid = err.message.split('\n')[0];
          client.close().catch(() => {});
        }
      };
      client.onclose = () => {
        // Only the connection's current client: a stdio process given up for another (below) is not it.
        if (conn.client === client && conns.get(server.name) === conn) conns.delete(server.name);
      };
    };
    const start = async (): Promise<Live> => {
      const sdk = await loadSdk();
      if (conn.failure) throw conn.failure; // timed out while loading: start nothing
      let transport = transportFor(sdk, server);
      if (transport instanceof UpstreamHttpTransport) {
        // Asked on a transport of its own: however the answer went, the client starts on a clean one.
        const probe = transport;
        conn.transport = probe;
        const era = await probeEra(probe);
        probe.close().catch(() => {});
        transport = probe.sibling();
        conn.transport = transport;
        if (era.kind === 'modern') {
          const modern = await loadModernSdk();
          if (conn.failure) throw conn.failure;
          const client = new modern.Client(CLIENT_INFO, MODERN_CLIENT_OPTIONS);
          wire(client);
          // The verdict is given, not asked again: no request goes out here.
          await client.connect(new InOrderTransport(transport), { prior: era, timeout: bound });
          if (conn.failure) client.close().catch(() => {});
          return { era: 'modern', client };
        }
      }
      const client = new sdk.Client(CLIENT_INFO, LEGACY_CLIENT_OPTIONS);
      wire(client);
      try {
        await client.connect(new InOrderTransport(transport), { timeout: bound });
      } catch (err) {
        // A stdio server that serves only 2026-07-28 refuses initialize naming what it serves: the
        // SDK's client has closed that process, so a new one is started and spoken to in 2026-07-28
        // (asked with server/discover in place). 2025 stdio servers never pay for this.
        if (transport instanceof UpstreamHttpTransport || !onlyModern(err) || conn.failure) throw err;
        client.onclose = undefined;
        client.onerror = undefined;
        conn.lastError = undefined;
        const modern = await loadModernSdk();
        const next = new modern.Client(CLIENT_INFO, { ...MODERN_CLIENT_OPTIONS, versionNegotiation: MODERN_PIN });
        wire(next);
        await next.connect(new InOrderTransport(transportFor(sdk, server)), { timeout: bound });
        if (conn.failure) next.close().catch(() => {});
        return { era: 'modern', client: next };
      }
      if (conn.failure) client.close().catch(() => {}); // connected after the bound ran out
      return { era: 'legacy', client };
    };
    conn.ready = withTimeout(
      start(),
      bound,
      () => new UpstreamError(server.name, 'timeout', `did not complete the MCP handshake within ${bound} ms`),
    ).catch((err: unknown) => {
      conn.failedAt = Date.now();
      conn.failure = conn.invalid
        ? notJsonRpc(server, conn.invalid)
        : err instanceof UpstreamError
          ? err
          : isParseError(err)
            ? notJsonRpc(server, describeError(err, undefined))
            : unreachable(server, err, conn.lastError);
      (conn.client ?? conn.transport)?.close().catch(() => {});
      throw conn.failure;
    });
    conn.ready.catch(() => {}); // observed by callers; never an unhandled rejection
    return conn;
  }

  // A descriptor's identity, to notice a change; specs are immutable within a registry snapshot.
  const keys = new WeakMap<object, string>();
  function keyOf(server: McpServerObject): string {
    let key = keys.get(server.spec);
    if (key === undefined) {
      key = canonicalJson(server.spec);
      keys.set(server.spec, key);
    }
    return key;
  }

  function connection(server: McpServerObject): Connection {
    const key = keyOf(server);
    let conn = conns.get(server.name);
    const retry = conn?.failedAt !== undefined && Date.now() - conn.failedAt >= opts.retryAfterMs;
    if (conn && (conn.key !== key || retry)) {
      // The descriptor changed, or the back-off after a failed connect is over: start afresh.
      conn.client?.close().catch(() => {});
      conn = undefined;
    }
    if (!conn) {
      conn = open(server, key);
      conns.set(server.name, conn);
    }
    return conn;
  }

  /**
   * Runs one request on the server's connection (or on `conn`, one of its own), mapping every
   * failure to an UpstreamError.
   */
  async function request<T>(
    server: McpServerObject,
    what: string,
    fn: (c: Live, timeout: number) => Promise<T>,
    conn = connection(server),
  ): Promise<T> {
    const live = await conn.ready;
    const { client } = live;
    const timeout = server.spec.timeoutMs ?? opts.callTimeoutMs;
    conn.inFlight++;
    try {
      return await fn(live, timeout);
    } catch (err) {
      if (err instanceof UpstreamError) throw err; // classified already (a bound `fn` enforces)
      const crossed = crossedAnswer(err);
      if (crossed)
        // The POST was answered for another request (dropped by the transport): this call failed,
        // each POST stands alone, so the connection and every other call on it go on.
        throw failed(
          server,
          'invalid',
          `answered ${what} with a response to another request, which was not passed on (the Fulcrum server log says why)`,
          describeError(crossed, undefined),
        );
      // The SDKs' errors, recognised by name (they are loaded lazily, see sdk.ts): the 2025 SDK's
      // McpError; the 2026 SDK's ProtocolError (a JSON-RPC error) and SdkError (its own failures).
      const rpc = err as { name?: string; code?: number; message?: string };
      const code = rpc?.name === 'McpError' ? rpc.code : rpcError(err)?.code;
      if (code === RPC.RequestTimeout && live.era === 'legacy') throw timeoutError(server, what, timeout);
      if (live.era === 'modern') {
        if (timedOut(err)) throw timeoutError(server, what, timeout);
        if (asksForInput(err))
          // The gateway has no way to ask its agent (see upstream-modern.ts): say so, not "it failed".
          throw new UpstreamError(
            server.name,
            'error',
            `asked for input to answer ${what} (MCP input_required), which Fulcrum does not relay to agents`,
          );
        if (invalidResult(err)) {
          // Not a 2026-07-28 answer: the server at the URL may now be of 2025-11-25 and lenient (it
          // answered the modern request, 2025-shaped). New calls reconnect and ask again which it
          // speaks; the calls in flight finish on this connection, which is closed after them. At
          // most once per back-off: a server that says it speaks 2026-07-28 and answers otherwise
          // every time cost one more server/discover per call; its calls fail on this connection
          // until the back-off is over, then it is asked again.
          const last = droppedForShape.get(server.name);
          if (last === undefined || Date.now() - last >= opts.retryAfterMs) {
            droppedForShape.set(server.name, Date.now());
            if (conns.get(server.name) === conn) conns.delete(server.name);
            conn.retired = true;
          }
          throw notJsonRpc(server, describeError(err, undefined), what);
        }
      }
      if (code !== undefined && (code !== RPC.ConnectionClosed || live.era === 'modern'))
        // The upstream answered with a JSON-RPC error: the connection is fine, the request was not.
        // An MCP server's own answer (it completed the handshake), passed on like a tool's result.
        throw new UpstreamError(server.name, 'error', `refused ${what}: ${String(rpc.message).slice(0, 500)}`);
      const status = httpStatus(err);
      if (status !== undefined && (status === 429 || status >= 500)) {
        // One POST refused (a rate limiter's 429, a tool's 5xx): each POST stands alone, so this call
        // failed and the connection, with every other agent's call in flight on it, goes on.
        throw failed(server, 'error', `answered ${what} with HTTP ${status}`, describeError(err, undefined));
      }
      if (status !== undefined) {
        // Another HTTP error (a 404: the upstream no longer knows the session): new calls reconnect,
        // and the calls in flight on this connection finish on it before it is closed (below).
        if (conns.get(server.name) === conn) conns.delete(server.name);
        conn.retired = true;
        throw unreachable(server, err, conn.lastError, what);
      }
      // The transport failed (connection closed, garbage): drop it, the next call reconnects.
      if (conns.get(server.name) === conn) conns.delete(server.name);
      client.close().catch(() => {});
      if (conn.invalid) throw notJsonRpc(server, conn.invalid);
      if (isParseError(err)) throw notJsonRpc(server, describeError(err, undefined), what);
      throw unreachable(server, err, conn.lastError, what);
    } finally {
      conn.inFlight--;
      if (conn.retired && conn.inFlight === 0)
        client
          .close()
          .catch((err: Error) =>
            log(
              { server: server.name, fault: 'error', detail: err.message },
              `upstream MCP server "${server.name}": closing a retired connection failed`,
            ),
          );
    }
  }

  async function listAll(server: McpServerObject, live: Live, timeout: number): Promise<McpTool[]> {
    const deadline = Date.now() + timeout;
    const maxBytes = opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const tools: McpTool[] = [];
    let bytes = 0;
    let cursor: string | undefined;
    for (let pages = 1; ; pages++) {
      const left = deadline - Date.now();
      if (left <= 0) throw timeoutError(server, 'tools/list', timeout); // as a page's own timeout says it
      const page =
        live.era === 'modern'
          ? await listToolsPageModern(live.client, cursor, left)
          : await live.client.listTools(cursor === undefined ? {} : { cursor }, { timeout: left });
      bytes += JSON.stringify(page.tools).length;
      if (bytes > maxBytes)
        throw failed(
          server,
          'invalid',
          `listed more than ${maxBytes} bytes of tools, the most Fulcrum reads (FULCRUM_MCP_MAX_RESPONSE_BYTES)`,
        );
      tools.push(...page.tools);
      cursor = page.nextCursor;
      if (!cursor) return tools;
      if (pages >= MAX_LIST_PAGES)
        throw failed(
          server,
          'invalid',
          `listed its tools on more than ${MAX_LIST_PAGES} pages (each tools/list answer named a next page), the most Fulcrum reads`,
        );
    }
  }

  return {
    /** Sends the details of upstream failures (with what the upstream sent) to `to` from now on. */
    logTo(to: UpstreamLog): void {
      log = to;
    },

    /** With `onProgress`, the upstream is asked for progress (a progressToken) and each report is passed on. */
    async callTool(
      server: McpServerObject,
      name: string,
      args: Record<string, unknown>,
      onProgress?: (p: Progress) => void,
    ): Promise<CallToolResult> {
      return request(server, `tools/call ${name}`, async (live, timeout) => {
        // The upstream result goes back to the agent as it is: the SDK validated its shape. The
        // timeout stays absolute: progress does not extend it.
        const options = { timeout, ...(onProgress ? { onprogress: onProgress } : {}) };
        // A 2025 result, too, is cut to what a 2025 result holds: what the 2026 fields and the server's
        // identity say to an agent on 2026-07-28 is the gateway's to say (see upstream-modern.ts plain).
        const result =
          live.era === 'modern'
            ? await callToolModern(live.client, name, args, options)
            : (plain(
                (await live.client.callTool({ name, arguments: args }, undefined, options)) as Record<string, unknown>,
              ) as CallToolResult);
        // An answer Fulcrum could not write back to the agent is refused here, like any malformed one.
        if (nestsDeeperThan(result, MAX_ANSWER_DEPTH))
          throw failed(
            server,
            'invalid',
            `sent an answer to tools/call ${name} nested deeper than ${MAX_ANSWER_DEPTH} levels, which Fulcrum does not pass on`,
          );
        return result;
      });
    },

    /**
     * Every tool the upstream lists, for discovery. Asked on a connection of its own, closed after:
     * what an upstream lists must not change how agents' calls on the pooled one are answered (see
     * NO_OUTPUT_VALIDATION). Bounded in all: MAX_LIST_PAGES pages, `maxResponseBytes` of tools, and
     * the server's call timeout for the whole listing (an upstream's nextCursor may never end).
     */
    async listTools(server: McpServerObject): Promise<McpTool[]> {
      const conn = open(server, keyOf(server));
      try {
        return await request(server, 'tools/list', (live, timeout) => listAll(server, live, timeout), conn);
      } finally {
        conn.ready.then(({ client }) => client.close()).catch(() => {}); // failed: closed already
      }
    },

    async close(): Promise<void> {
      const all = [...conns.values()];
      conns.clear();
      await Promise.all(all.map((c) => c.client?.close().catch(() => {})));
    },
  };
}

function timeoutError(server: McpServerObject, what: string, ms: number): UpstreamError {
  return new UpstreamError(server.name, 'timeout', `did not answer ${what} within ${ms} ms`);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A POST answered for another request (the transport's error, as thrown or as a 2.x client's cause). */
function crossedAnswer(err: unknown): CrossedAnswerError | undefined {
  for (let e = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof CrossedAnswerError) return e;
  return undefined;
}

/** The HTTP status of one POST's failure (the transport's error, as thrown or as a 2.x client's cause). */
function httpStatus(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof StreamableHttpError && e.code >= 400 && e.code <= 599) return e.code;
  return undefined;
}

function isParseError(err: unknown): boolean {
  return err instanceof SyntaxError || /JSON|Unexpected content type|invalid_type|parse/i.test(String((err as Error)?.message));
}

/** A local failure's code (spawn ENOENT, EACCES), which holds nothing an upstream sent. */
function localReason(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = [e?.code, e?.cause?.code].find((c) => typeof c === 'string' && /^E[A-Z0-9_]+$/.test(c));
  return code ? `: ${code} (the Fulcrum server log says more)` : ' (the Fulcrum server log says why)';
}

function describeError(err: unknown, lastError: string | undefined): string {
  const body = err instanceof StreamableHttpError && err.body ? ` [upstream sent: ${err.body}]` : '';
  const message = (err instanceof Error ? err.message : String(err)) + body;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message;
  const base = detail && !message.includes(detail) ? `${message} (${detail})` : message;
  return lastError && !base.includes(lastError) ? `${base}; ${lastError}` : base;
}
