// Connections to upstream MCP servers: one official-SDK client per McpServer per node, opened on
// first use, shared by every agent's calls (JSON-RPC multiplexes them), and reopened after a failure.
// Every wait is bounded: connect, each call, and a short back-off after a failed connect so an
// upstream that is down costs callers one fast error, not a spawn or a TCP timeout each.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { canonicalJson } from '../registry/model.js';
import type { McpServerObject } from './catalog.js';
import { UpstreamHttpTransport } from './http-transport.js';
import { InOrderTransport } from './in-order.js';
import { loadSdk, RPC, type Sdk } from './sdk.js';

export type UpstreamFault = 'unreachable' | 'timeout' | 'invalid' | 'error';

/** A failure to get an answer from an upstream, classified for the agent and the evidence. */
export class UpstreamError extends Error {
  constructor(
    readonly server: string,
    readonly fault: UpstreamFault,
    message: string,
  ) {
    super(`upstream MCP server "${server}" ${message}`);
  }
}

export interface UpstreamOptions {
  /** Bound on spawning/connecting and the initialize handshake. */
  connectTimeoutMs: number;
  /** Bound on one call when the McpServer sets no `timeoutMs`. */
  callTimeoutMs: number;
  /** After a failed connect, calls fail at once for this long before the next attempt. */
  retryAfterMs: number;
}

interface Connection {
  key: string;
  /** Set once the SDK is loaded (at once after the first connection). */
  client?: Client;
  ready: Promise<Client>;
  /** Why the connection died (the process exiting, a transport error), for the error message. */
  lastError?: string;
  /** Set when the upstream sent something that is not JSON-RPC. */
  invalid?: string;
  failedAt?: number;
  failure?: UpstreamError;
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

  function transportFor(sdk: Sdk, server: McpServerObject): Transport {
    const s = server.spec;
    if (s.transport === 'http') return new UpstreamHttpTransport(new URL(s.url as string), sdk.JSONRPCMessageSchema);
    // stderr is not ours to print: an upstream's diagnostics would interleave with Fulcrum's log.
    return new sdk.StdioClientTransport({ command: s.command as string, args: s.args ?? [], stderr: 'ignore' });
  }

  function open(server: McpServerObject, key: string): Connection {
    const conn = { key } as Connection; // `ready` is set below, before anyone sees the connection
    // Starting a process or reaching a host is bounded on its own: a server's `timeoutMs` is about
    // its answers, and a stdio server may take longer to start than to answer.
    const bound = opts.connectTimeoutMs;
    const start = async (): Promise<Client> => {
      const sdk = await loadSdk();
      if (conn.failure) throw conn.failure; // timed out while loading: start nothing
      const client = new sdk.Client({ name: 'fulcrum-mcp-gateway', version: '1' }, { capabilities: {} });
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
        if (conns.get(server.name) === conn) conns.delete(server.name);
      };
      await client.connect(new InOrderTransport(transportFor(sdk, server)), { timeout: bound });
      if (conn.failure) client.close().catch(() => {}); // connected after the bound ran out
      return client;
    };
    conn.ready = withTimeout(
      start(),
      bound,
      () => new UpstreamError(server.name, 'timeout', `did not complete the MCP handshake within ${bound} ms`),
    ).catch((err: unknown) => {
      conn.failedAt = Date.now();
      conn.failure = conn.invalid
        ? new UpstreamError(server.name, 'invalid', `sent data that is not JSON-RPC: ${conn.invalid}`)
        : err instanceof UpstreamError
          ? err
          : new UpstreamError(server.name, 'unreachable', `is unreachable: ${describeError(err, conn.lastError)}`);
      conn.client?.close().catch(() => {});
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

  /** Runs one request on the server's connection, mapping every failure to an UpstreamError. */
  async function request<T>(server: McpServerObject, what: string, fn: (c: Client, timeout: number) => Promise<T>): Promise<T> {
    const conn = connection(server);
    const client = await conn.ready;
    const timeout = server.spec.timeoutMs ?? opts.callTimeoutMs;
    try {
      return await fn(client, timeout);
    } catch (err) {
      // The SDK's McpError, recognised by name (the SDK is loaded lazily, see sdk.ts).
      const rpc = err as { name?: string; code?: number; message?: string };
      const code = rpc?.name === 'McpError' ? rpc.code : undefined;
      if (code === RPC.RequestTimeout)
        throw new UpstreamError(server.name, 'timeout', `did not answer ${what} within ${timeout} ms`);
      if (code !== undefined && code !== RPC.ConnectionClosed)
        // The upstream answered with a JSON-RPC error: the connection is fine, the request was not.
        throw new UpstreamError(server.name, 'error', `refused ${what}: ${rpc.message}`);
      // The transport failed (connection closed, garbage, HTTP error): drop it, the next call reconnects.
      if (conns.get(server.name) === conn) conns.delete(server.name);
      client.close().catch(() => {});
      if (conn.invalid) throw new UpstreamError(server.name, 'invalid', `sent data that is not JSON-RPC: ${conn.invalid}`);
      if (isParseError(err))
        throw new UpstreamError(
          server.name,
          'invalid',
          `sent an answer that is not JSON-RPC to ${what}: ${describeError(err, undefined)}`,
        );
      throw new UpstreamError(server.name, 'unreachable', `failed to answer ${what}: ${describeError(err, conn.lastError)}`);
    }
  }

  return {
    /** With `onProgress`, the upstream is asked for progress (a progressToken) and each report is passed on. */
    async callTool(
      server: McpServerObject,
      name: string,
      args: Record<string, unknown>,
      onProgress?: (p: Progress) => void,
    ): Promise<CallToolResult> {
      return request(server, `tools/call ${name}`, async (c, timeout) => {
        // The upstream result goes back to the agent as it is: the SDK validated its shape. The
        // timeout stays absolute: progress does not extend it.
        return (await c.callTool({ name, arguments: args }, undefined, {
          timeout,
          ...(onProgress ? { onprogress: onProgress } : {}),
        })) as CallToolResult;
      });
    },

    async listTools(server: McpServerObject): Promise<McpTool[]> {
      return request(server, 'tools/list', async (c, timeout) => {
        const tools: McpTool[] = [];
        let cursor: string | undefined;
        do {
          const page = await c.listTools(cursor ? { cursor } : {}, { timeout });
          tools.push(...page.tools);
          cursor = page.nextCursor;
        } while (cursor);
        return tools;
      });
    },

    async close(): Promise<void> {
      const all = [...conns.values()];
      conns.clear();
      await Promise.all(all.map((c) => c.client?.close().catch(() => {})));
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function isParseError(err: unknown): boolean {
  return err instanceof SyntaxError || /JSON|Unexpected content type|invalid_type|parse/i.test(String((err as Error)?.message));
}

function describeError(err: unknown, lastError: string | undefined): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message;
  const base = detail && !message.includes(detail) ? `${message} (${detail})` : message;
  return lastError && !base.includes(lastError) ? `${base}; ${lastError}` : base;
}
