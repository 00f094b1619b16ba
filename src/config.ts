// Runtime configuration, read once from the environment (and CLI flags) at start.
import net, { type LookupFunction } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type IdentitySettings, parseIdentitySettings } from './auth/identity-config.js';
import { InputError } from './errors.js';
import { LANE_DEFAULTS, type Kind as WorkerKind } from './http/off-loop.js';
import type { LaneLimits } from './http/off-loop-lane.js';
import { parseStdioAllow } from './mcp/stdio.js';
import { type AllowedHost, parseAllowHosts } from './net/outbound.js';

export interface Config {
  /** Where the SQLite file and the generated admin token live. */
  dataDir: string;
  /** PostgreSQL connection string; when unset Fulcrum uses SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL: the longest a query, or the wait for a connection, may take once serving (0: none). */
  databaseTimeoutSeconds: number;
  host: string;
  port: number;
  /** A fixed admin token (all nodes of a cluster should share it); generated when unset. */
  adminToken: string | undefined;
  /** Largest request body accepted, in bytes (apply bundles use applyBodyLimit). */
  bodyLimit: number;
  applyBodyLimit: number;
  otlpBodyLimit: number;
  logLevel: string;
  /** How long an approval request stays open, and a granted approval usable. */
  approvalTtlSeconds: number;
  /** FULCRUM_MAX_PENDING_APPROVALS: approvals one agent may have waiting for a person at once. */
  maxPendingApprovals: number;
  /** How often monitors are evaluated; 0 turns the timer off (evaluate on demand only). */
  monitorIntervalSeconds: number;
  /** How often retention purges run; 0 turns the timer off (purge on demand only). */
  retentionIntervalHours: number;
  /** FULCRUM_AUTH_FAILURES_PER_MINUTE: failed credential attempts one client address may make per minute. */
  authFailuresPerMinute: number;
  /** FULCRUM_METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <it>` (docs/operations.md). */
  metricsToken?: string;
  /** FULCRUM_METRICS_CACHE_MS: how long a rendered /metrics answer is served again (0: render each scrape). */
  metricsCacheMs: number;
  /**
   * Check every answer against its route's OpenAPI response schema (status declared, body exact): on in
   * the test suite, so the document the typed client is generated from cannot drift from what is sent.
   */
  checkResponses: boolean;
  /** FULCRUM_TRUST_PROXY: the proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the client. */
  trustProxy: string | undefined;
  /** FULCRUM_AUDIT_KEY_FILE: the Ed25519 key signing audit checkpoints (default: in dataDir; docs/audit.md). */
  auditKeyFile: string;
  /** How often a signed audit checkpoint is written while entries are; 0: only at shutdown. */
  auditCheckpointSeconds: number;
  /** FULCRUM_AUDIT_KEY_ROTATE=1: sign although the latest checkpoint names another key (set for one start; docs/audit.md). */
  auditKeyRotate: boolean;
  /** FULCRUM_AUDIT_KEY_ROTATE_FROM: the old key's public key; a rotation then takes only the retention starts it signed (implies FULCRUM_AUDIT_KEY_ROTATE). */
  auditKeyRotateFrom: string;
  /**
   * FULCRUM_SQLITE_SYNC_OFF_LOOP (SQLite; docs/storage.md): `auto` (the default), an audit group commit
   * made while other requests are in flight syncs the WAL off the event loop when syncs are slow now
   * (SLOW_SYNC_MS), `1` whenever other requests are in flight, `0` never: every commit's fsync on the
   * loop. Unless `0`, the gateways' settlements and spans always sync off the loop.
   */
  sqliteSyncOffLoop: SyncOffLoop;
  /** FULCRUM_MCP_STDIO_ALLOW: the exact command lines a stdio McpServer may run (none when unset). */
  mcpStdioAllow: string[][];
  /** FULCRUM_OUTBOUND_ALLOW_HOSTS: hosts outbound connections may reach on internal addresses too. */
  outboundAllowHosts: AllowedHost[];
  /** FULCRUM_PUBLIC_URL, FULCRUM_OIDC_*, FULCRUM_AGENT_TOKEN_ISSUER, FULCRUM_SESSION_HOURS (docs/auth.md#single-sign-on). */
  identity: IdentitySettings;
  /** How often a node checks the database for registry changes made on other nodes; set by tests only (default 250 ms). */
  registryPollMs?: number;
  /** How outbound connections resolve host names; set by tests only (default: the system resolver). */
  outboundLookup?: LookupFunction;
  /** FULCRUM_LLM_BODY_LIMIT: largest request body the LLM gateway accepts (images ride in it), in bytes. */
  llmBodyLimit: number;
  /** FULCRUM_LLM_RESERVATION_WAIT_MS: how long a gateway call waits for calls in flight to settle before a spend limit refuses it. */
  llmReservationWaitMs: number;
  /** FULCRUM_SHUTDOWN_GRACE_MS: how long a stopping node lets requests in flight finish before it cuts them. */
  shutdownGraceMs: number;
  /** FULCRUM_LLM_MAX_CALLS_PER_AGENT: LLM gateway calls one agent may have in flight on a node. */
  llmMaxCallsPerAgent: number;
  /** FULCRUM_LLM_MAX_BYTES_PER_AGENT: request bytes one agent's calls in flight may hold on a node. */
  llmMaxBytesPerAgent: number;
  /** FULCRUM_LLM_EVIDENCE_MAX_SPANS: gateway evidence spans a node holds while the database does not take them. */
  llmEvidenceMaxSpans: number;
  /** FULCRUM_WORKER_{LLM,OTLP,REPORT}_*: each worker thread's queue, heap and time per task (docs/operations.md). */
  workerLanes: Record<WorkerKind, LaneLimits>;
}

/** FULCRUM_DATA_DIR, alone: what a client command needs (the admin token file), whatever else is set. */
export function dataDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.FULCRUM_DATA_DIR ?? '.fulcrum');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config: Config = {
    dataDir: dataDirFrom(env),
    databaseUrl: env.FULCRUM_DATABASE_URL || undefined,
    databaseTimeoutSeconds: atMost(
      intFrom(env.FULCRUM_DATABASE_TIMEOUT_SECONDS, 'FULCRUM_DATABASE_TIMEOUT_SECONDS', 30),
      'FULCRUM_DATABASE_TIMEOUT_SECONDS',
      3_600,
      'an hour',
    ),
    host: env.FULCRUM_HOST ?? '127.0.0.1',
    port: atMost(intFrom(env.FULCRUM_PORT, 'FULCRUM_PORT', 4100), 'FULCRUM_PORT', 65_535, 'the highest TCP port'),
    adminToken: env.FULCRUM_ADMIN_TOKEN || undefined,
    bodyLimit: intFrom(env.FULCRUM_BODY_LIMIT, 'FULCRUM_BODY_LIMIT', 1024 * 1024),
    applyBodyLimit: intFrom(env.FULCRUM_APPLY_BODY_LIMIT, 'FULCRUM_APPLY_BODY_LIMIT', 16 * 1024 * 1024),
    otlpBodyLimit: intFrom(env.FULCRUM_OTLP_BODY_LIMIT, 'FULCRUM_OTLP_BODY_LIMIT', 8 * 1024 * 1024),
    logLevel: logLevelFrom(env.FULCRUM_LOG_LEVEL),
    approvalTtlSeconds: intFrom(env.FULCRUM_APPROVAL_TTL_SECONDS, 'FULCRUM_APPROVAL_TTL_SECONDS', 15 * 60),
    maxPendingApprovals: atLeastOne(env.FULCRUM_MAX_PENDING_APPROVALS, 'FULCRUM_MAX_PENDING_APPROVALS', 50),
    monitorIntervalSeconds: atMost(
      intFrom(env.FULCRUM_MONITOR_INTERVAL_SECONDS, 'FULCRUM_MONITOR_INTERVAL_SECONDS', 60),
      'FULCRUM_MONITOR_INTERVAL_SECONDS',
      86_400,
      'a day',
    ),
    retentionIntervalHours: atMost(
      intFrom(env.FULCRUM_RETENTION_INTERVAL_HOURS, 'FULCRUM_RETENTION_INTERVAL_HOURS', 24),
      'FULCRUM_RETENTION_INTERVAL_HOURS',
      8_784,
      'a year',
    ),
    authFailuresPerMinute: intFrom(env.FULCRUM_AUTH_FAILURES_PER_MINUTE, 'FULCRUM_AUTH_FAILURES_PER_MINUTE', 30),
    metricsToken: metricsToken(env.FULCRUM_METRICS_TOKEN),
    metricsCacheMs: atMost(
      intFrom(env.FULCRUM_METRICS_CACHE_MS, 'FULCRUM_METRICS_CACHE_MS', 1000),
      'FULCRUM_METRICS_CACHE_MS',
      60_000,
      'a minute',
    ),
    checkResponses: env.FULCRUM_CHECK_RESPONSES === '1',
    trustProxy: trustedProxies(env.FULCRUM_TRUST_PROXY),
    auditKeyFile: env.FULCRUM_AUDIT_KEY_FILE ? path.resolve(env.FULCRUM_AUDIT_KEY_FILE) : '',
    auditCheckpointSeconds: intFrom(env.FULCRUM_AUDIT_CHECKPOINT_SECONDS, 'FULCRUM_AUDIT_CHECKPOINT_SECONDS', 60),
    auditKeyRotate: env.FULCRUM_AUDIT_KEY_ROTATE === '1' || Boolean(env.FULCRUM_AUDIT_KEY_ROTATE_FROM),
    auditKeyRotateFrom: env.FULCRUM_AUDIT_KEY_ROTATE_FROM ? path.resolve(env.FULCRUM_AUDIT_KEY_ROTATE_FROM) : '',
    sqliteSyncOffLoop: syncOffLoopFrom(env.FULCRUM_SQLITE_SYNC_OFF_LOOP),
    mcpStdioAllow: parseStdioAllow(env.FULCRUM_MCP_STDIO_ALLOW),
    outboundAllowHosts: parseAllowHosts(env.FULCRUM_OUTBOUND_ALLOW_HOSTS),
    llmBodyLimit: intFrom(env.FULCRUM_LLM_BODY_LIMIT, 'FULCRUM_LLM_BODY_LIMIT', 32 * 1024 * 1024),
    llmReservationWaitMs: intFrom(env.FULCRUM_LLM_RESERVATION_WAIT_MS, 'FULCRUM_LLM_RESERVATION_WAIT_MS', 30_000),
    shutdownGraceMs: intFrom(env.FULCRUM_SHUTDOWN_GRACE_MS, 'FULCRUM_SHUTDOWN_GRACE_MS', 10_000),
    llmMaxCallsPerAgent: atLeastOne(env.FULCRUM_LLM_MAX_CALLS_PER_AGENT, 'FULCRUM_LLM_MAX_CALLS_PER_AGENT', 256),
    llmMaxBytesPerAgent: atLeastOne(env.FULCRUM_LLM_MAX_BYTES_PER_AGENT, 'FULCRUM_LLM_MAX_BYTES_PER_AGENT', 64 * 1024 * 1024),
    llmEvidenceMaxSpans: atLeastOne(env.FULCRUM_LLM_EVIDENCE_MAX_SPANS, 'FULCRUM_LLM_EVIDENCE_MAX_SPANS', 10_000),
    identity: parseIdentitySettings(env),
    workerLanes: {
      llm: workerLaneFrom(env, 'llm'),
      otlp: workerLaneFrom(env, 'otlp'),
      report: workerLaneFrom(env, 'report'),
    },
  };
  const merged = { ...config, ...stripUndefined(overrides) };
  // The audit key sits in the data directory unless the operator puts it elsewhere.
  merged.auditKeyFile ||= path.join(merged.dataDir, 'audit-signing-key.pem');
  return merged;
}

/**
 * FULCRUM_TRUST_PROXY: the proxies whose X-Forwarded-For names the client, as addresses, CIDRs or the
 * ranges proxy-addr names. Checked here because proxy-addr reads what else it is given its own way:
 * Express's hop count `1` is the IPv4 address 0.0.0.1 to it (no proxy trusted, every client counted
 * as the balancer), `true` stopped the start with "invalid IP address: true", naming no setting.
 */
function trustedProxies(value: string | undefined): string | undefined {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [ip = '', bits, ...more] = entry.split('/');
    const family = net.isIP(ip);
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const prefix = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named && (family === 0 || !prefix || more.length > 0))
      throw new InputError(
        `FULCRUM_TRUST_PROXY: "${entry}" is not a proxy's address, CIDR or loopback, linklocal, uniquelocal ` +
          "(a hop count or true is not taken: list the load balancers' addresses, e.g. 10.0.0.5,10.1.0.0/16)",
      );
  }
  return entries.length > 0 ? entries.join(',') : undefined;
}

/** pino's levels: FULCRUM_LOG_LEVEL names one. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * FULCRUM_LOG_LEVEL, checked here: pino refused any other only once the server was being built, after
 * the data directory, the admin token and the database were made, saying "default level:verbose must be
 * included in custom levels", naming no setting.
 */
function logLevelFrom(value: string | undefined): string {
  if (value === undefined || value === '') return 'info';
  if (!LOG_LEVELS.includes(value))
    throw new InputError(`FULCRUM_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return value;
}

/** A scraper's bearer token: long enough not to be guessed, and sendable in a header. */
function metricsToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 16 || value.length > 512 || !/^[\x21-\x7e]+$/.test(value))
    throw new InputError('FULCRUM_METRICS_TOKEN must be 16 to 512 printable characters without spaces');
  return value;
}

/** A bound that cannot be switched off: 0 would refuse every call, not lift the bound. */
function atLeastOne(value: string | undefined, name: string, fallback: number): number {
  const n = intFrom(value, name, fallback);
  if (n < 1) throw new InputError(`${name} must be at least 1, got "${value}"`);
  return n;
}

function atMost(n: number, name: string, max: number, what: string): number {
  if (n > max) throw new InputError(`${name} must be at most ${max} (${what}), got ${n}`);
  return n;
}

/**
 * One worker thread's bounds (src/http/off-loop.ts): FULCRUM_WORKER_<KIND>_QUEUE (tasks that may wait;
 * 0: none), _QUEUE_BYTES (their input bytes; not for REPORT, whose tasks have none), _HEAP_MB (at
 * least 64: a thread with less dies reading an ordinary body; at most the machine's memory) and _TASK_TIMEOUT_MS (1 s to 1 h).
 */
function workerLaneFrom(env: NodeJS.ProcessEnv, kind: WorkerKind): LaneLimits {
  const d = LANE_DEFAULTS[kind];
  const name = `FULCRUM_WORKER_${kind.toUpperCase()}`;
  const bytes = env[`${name}_QUEUE_BYTES`];
  if (!Number.isFinite(d.maxQueuedBytes) && bytes !== undefined && bytes !== '')
    throw new InputError(`${name}_QUEUE_BYTES is not a setting: its tasks have no input bytes (${name}_QUEUE bounds them)`);
  const timeoutMs = atLeast(env[`${name}_TASK_TIMEOUT_MS`], `${name}_TASK_TIMEOUT_MS`, d.timeoutMs, 1000, 'ms');
  return {
    maxQueued: intFrom(env[`${name}_QUEUE`], `${name}_QUEUE`, d.maxQueued),
    maxQueuedBytes: Number.isFinite(d.maxQueuedBytes)
      ? intFrom(bytes, `${name}_QUEUE_BYTES`, d.maxQueuedBytes)
      : d.maxQueuedBytes,
    // At most the machine's memory: more is no bound at all (and V8 refuses a limit past its own range).
    heapMb: atMost(
      atLeast(env[`${name}_HEAP_MB`], `${name}_HEAP_MB`, d.heapMb, 64, 'MB'),
      `${name}_HEAP_MB`,
      Math.floor(os.totalmem() / 2 ** 20),
      "this machine's memory, in MB",
    ),
    timeoutMs: atMost(timeoutMs, `${name}_TASK_TIMEOUT_MS`, 3_600_000, 'an hour'),
  };
}

function atLeast(value: string | undefined, name: string, fallback: number, min: number, unit: string): number {
  const n = intFrom(value, name, fallback);
  if (n < min) throw new InputError(`${name} must be at least ${min} (${unit}), got "${value}"`);
  return n;
}

/** When an audit group commit's fsync leaves the event loop (FULCRUM_SQLITE_SYNC_OFF_LOOP). */
export type SyncOffLoop = 'auto' | 'busy' | 'never';

function syncOffLoopFrom(value: string | undefined): SyncOffLoop {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === '1') return 'busy';
  if (value === '0') return 'never';
  throw new InputError(`FULCRUM_SQLITE_SYNC_OFF_LOOP must be auto, 1 or 0, got "${value}"`);
}

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  // Number(' ') is 0: a stray space set a bound (a queue, a timeout, the port) to nothing.
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
