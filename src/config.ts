// Runtime configuration, read once from the environment (and CLI flags) at start.
import path from 'node:path';
import { InputError } from './errors.js';

export interface Config {
  /** Where the SQLite file and the generated admin token live. */
  dataDir: string;
  /** PostgreSQL connection string; when unset Fulcrum uses SQLite in dataDir. */
  databaseUrl: string | undefined;
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
  /** How often monitors are evaluated; 0 turns the timer off (evaluate on demand only). */
  monitorIntervalSeconds: number;
  /** How often retention purges run; 0 turns the timer off (purge on demand only). */
  retentionIntervalHours: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config: Config = {
    dataDir: path.resolve(env.FULCRUM_DATA_DIR ?? '.fulcrum'),
    databaseUrl: env.FULCRUM_DATABASE_URL || undefined,
    host: env.FULCRUM_HOST ?? '127.0.0.1',
    port: intFrom(env.FULCRUM_PORT, 'FULCRUM_PORT', 4100),
    adminToken: env.FULCRUM_ADMIN_TOKEN || undefined,
    bodyLimit: intFrom(env.FULCRUM_BODY_LIMIT, 'FULCRUM_BODY_LIMIT', 1024 * 1024),
    applyBodyLimit: intFrom(env.FULCRUM_APPLY_BODY_LIMIT, 'FULCRUM_APPLY_BODY_LIMIT', 16 * 1024 * 1024),
    otlpBodyLimit: intFrom(env.FULCRUM_OTLP_BODY_LIMIT, 'FULCRUM_OTLP_BODY_LIMIT', 8 * 1024 * 1024),
    logLevel: env.FULCRUM_LOG_LEVEL ?? 'info',
    approvalTtlSeconds: intFrom(env.FULCRUM_APPROVAL_TTL_SECONDS, 'FULCRUM_APPROVAL_TTL_SECONDS', 15 * 60),
    monitorIntervalSeconds: intFrom(env.FULCRUM_MONITOR_INTERVAL_SECONDS, 'FULCRUM_MONITOR_INTERVAL_SECONDS', 60),
    retentionIntervalHours: intFrom(env.FULCRUM_RETENTION_INTERVAL_HOURS, 'FULCRUM_RETENTION_INTERVAL_HOURS', 24),
  };
  return { ...config, ...stripUndefined(overrides) };
}

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
