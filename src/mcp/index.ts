// The MCP gateway assembled: its settings, the upstream pool, call evidence and the gateway.
import type { Kysely } from 'kysely';
import type { BackgroundCommit } from '../db/adapter.js';
import type { Database } from '../db/schema.js';
import { InputError } from '../errors.js';
import type { GuardService } from '../guard/guard-service.js';
import { checkSecretBindings } from '../net/secrets.js';
import type { Observability } from '../observability.js';
import { createCallEvidence } from './evidence.js';
import { createMcpGateway, type McpGateway } from './gateway.js';
import { MAX_RESPONSE_BYTES } from './http-transport.js';
import type { McpHostSettings } from './operator-checks.js';
import { hostnameOf } from './route.js';
import { createUpstreamPool, type UpstreamLog } from './upstream.js';

export interface McpSettings {
  /** FULCRUM_MCP_APPROVAL_WAIT_SECONDS: how long a call waits for a person unless its McpServer says. */
  approvalWaitSeconds: number;
  /** FULCRUM_MCP_CALL_TIMEOUT_MS: bound on an upstream call unless its McpServer sets `timeoutMs`. */
  callTimeoutMs: number;
  /** FULCRUM_MCP_CONNECT_TIMEOUT_MS: bound on starting or reaching an upstream and the handshake. */
  connectTimeoutMs: number;
  /** FULCRUM_MCP_MAX_RESPONSE_BYTES: the largest answer (a JSON body, one SSE event) read from an upstream. */
  maxResponseBytes: number;
  /** FULCRUM_MCP_ALLOWED_HOSTS: the only Host (and Origin) names /mcp answers, when set (route.ts). */
  allowedHosts?: string[];
  /** FULCRUM_MCP_MAX_CALLS_PER_AGENT: tools/call one agent may have in flight on a node (waiting included). */
  maxCallsPerAgent: number;
}

export function mcpSettings(env: NodeJS.ProcessEnv = process.env): McpSettings {
  checkSecretBindings(env);
  return {
    // Below the 60 s an MCP SDK client waits for any answer by default, so the agent hears why.
    approvalWaitSeconds: int(env, 'FULCRUM_MCP_APPROVAL_WAIT_SECONDS', 45),
    callTimeoutMs: int(env, 'FULCRUM_MCP_CALL_TIMEOUT_MS', 30_000),
    connectTimeoutMs: int(env, 'FULCRUM_MCP_CONNECT_TIMEOUT_MS', 10_000),
    maxResponseBytes: int(env, 'FULCRUM_MCP_MAX_RESPONSE_BYTES', MAX_RESPONSE_BYTES),
    maxCallsPerAgent: atLeastOne(int(env, 'FULCRUM_MCP_MAX_CALLS_PER_AGENT', 32), 'FULCRUM_MCP_MAX_CALLS_PER_AGENT'),
    ...hosts(env, 'FULCRUM_MCP_ALLOWED_HOSTS'),
  };
}

export interface McpService {
  gateway: McpGateway;
  settings: McpSettings;
  /** Where upstream failures are logged in full (the HTTP server's logger, once it exists). */
  logUpstreamsTo(log: UpstreamLog): void;
  close(): Promise<void>;
}

export function createMcpService(
  db: Kysely<Database>,
  guard: GuardService,
  settings: McpSettings,
  log: (err: unknown) => void,
  host: McpHostSettings,
  observe?: Observability,
  /** How the calls' spans commit (src/db/adapter.ts's backgroundCommit); on `db` by default. */
  commit?: BackgroundCommit,
): McpService {
  const upstreams = createUpstreamPool({
    connectTimeoutMs: settings.connectTimeoutMs,
    callTimeoutMs: settings.callTimeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    retryAfterMs: 1000,
    stdioAllow: host.stdioAllow,
    outbound: host.outbound,
    onDropped: (kind) => observe?.mcpUpstreamMessagesDropped(kind),
  });
  const evidence = createCallEvidence(db, {
    flushMs: 50,
    maxBatch: 500,
    // Held while the database does not take them (~1 KiB each): past it, dropped and counted.
    maxHeld: 10_000,
    onDrop: () => observe?.gatewaySpansDropped('mcp'),
    onError: log,
    ...(commit ? { commit } : {}),
  });
  return {
    settings,
    gateway: createMcpGateway({
      guard,
      upstreams,
      evidence,
      approvalWaitSeconds: settings.approvalWaitSeconds,
      maxCallsPerAgent: settings.maxCallsPerAgent,
      ...(observe ? { observe } : {}),
      log,
    }),
    logUpstreamsTo: (to) => upstreams.logTo(to),
    async close() {
      await upstreams.close();
      await evidence.flush();
    },
  };
}

/** A bound that cannot be switched off: 0 would refuse every call, not lift the bound. */
function atLeastOne(n: number, name: string): number {
  if (n < 1) throw new InputError(`${name} must be at least 1, got ${n}`);
  return n;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/**
 * A comma-separated list of host names or addresses (no ports), in the form the route compares
 * (lower-cased, IPv6 compressed, as a URL parser writes them); absent or empty: not set.
 */
function hosts(env: NodeJS.ProcessEnv, name: string): { allowedHosts?: string[] } {
  const list = (env[name] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => {
      const bare = h.replace(/^\[(.*)\]$/, '$1');
      const parsed = /^[A-Za-z0-9.:-]+$/.test(bare) ? hostnameOf(`http://${bare.includes(':') ? `[${bare}]` : bare}`) : undefined;
      if (!parsed) throw new InputError(`${name}: "${h}" is not a host name or address (no scheme, no port)`);
      return parsed;
    });
  return list.length > 0 ? { allowedHosts: list } : {};
}
