// Task events as agents report them (POST /v1/events). Each event is validated on its own: the
// reply counts the accepted ones and lists each rejected one with its index and reason.
import { unstorableFact } from '../stored-text.js';
import {
  inTheFuture,
  MAX_AGENT_NAME,
  MAX_DURATION_DAYS,
  MAX_DURATION_MS,
  MAX_TASK_ID,
  MAX_WORKFLOW,
  TASK_OUTCOMES,
} from './otlp.js';

export const EVENT_TYPES = ['task.started', 'task.completed', 'handoff.human'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface TaskEvent {
  type: EventType;
  /** The agent the event names (optional with an agent key, required with a collector key). */
  agent: string | null;
  taskId: string;
  workflow: string | null;
  outcome: string | null;
  durationMs: number | null;
  startedAt: string | null;
  /** When it happened: endedAt, or startedAt for task.started. */
  at: string;
  day: string;
  costUsd: number | null;
  attributes: Record<string, unknown>;
}

const KNOWN = new Set([
  'type',
  'agent',
  'taskId',
  'workflow',
  'outcome',
  'durationMs',
  'startedAt',
  'endedAt',
  'costUsd',
  'attributes',
]);
const MAX_ATTRIBUTES_BYTES = 8 * 1024;

export function mapEvent(raw: unknown): TaskEvent {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('an event must be an object');
  const e = raw as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`unknown field "${unknown[0]}"`);
  if (!(EVENT_TYPES as readonly unknown[]).includes(e.type)) throw new Error(`type must be one of ${EVENT_TYPES.join(', ')}`);
  const type = e.type as EventType;
  if (typeof e.taskId !== 'string' || e.taskId.length === 0 || e.taskId.length > MAX_TASK_ID)
    throw new Error(`taskId must be a string of 1 to ${MAX_TASK_ID} characters`);
  const agent = optional(
    e.agent,
    'agent',
    (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_AGENT_NAME,
    `an agent name of 1 to ${MAX_AGENT_NAME} characters`,
  ) as string | null;
  const workflow = optional(
    e.workflow,
    'workflow',
    (v) => typeof v === 'string' && v.length <= MAX_WORKFLOW,
    `a string of at most ${MAX_WORKFLOW} characters`,
  );
  const startedAt = time(e.startedAt, 'startedAt');
  const endedAt = time(e.endedAt, 'endedAt');
  const durationMs = optional(
    e.durationMs,
    'durationMs',
    // At most a year: a task that ran longer is a clock error, and huge values would swamp the sums.
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_DURATION_MS,
    `a whole number of milliseconds from 0 to a year (${MAX_DURATION_MS})`,
  ) as number | null;
  const costUsd = optional(
    e.costUsd,
    'costUsd',
    (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e9,
    'a number of USD from 0 to 1e9',
  ) as number | null;
  const outcome = optional(
    e.outcome,
    'outcome',
    (v) => (TASK_OUTCOMES as readonly unknown[]).includes(v),
    `one of ${TASK_OUTCOMES.join(', ')}`,
  ) as string | null;
  const attributes = optional(
    e.attributes,
    'attributes',
    (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
    'an object',
  ) as Record<string, unknown> | null;
  // Stored as they are, and PostgreSQL's text holds no NUL (a batch with one failed whole there), nor
  // either engine a lone surrogate (stored as U+FFFD, two task ids differing there were one task).
  for (const [field, v] of [
    ['taskId', e.taskId],
    ['agent', agent],
    ['workflow', workflow],
  ] as const) {
    const fact = typeof v === 'string' ? unstorableFact(v) : undefined;
    if (fact) throw new Error(`${field} ${fact}`);
  }
  // Bytes as stored (found by review: counted in characters, 8,000 '€' passed as 24,000 bytes).
  const attributesBytes = attributes ? Buffer.byteLength(JSON.stringify(attributes)) : 0;
  if (attributesBytes > MAX_ATTRIBUTES_BYTES)
    throw new Error(`attributes must be at most ${MAX_ATTRIBUTES_BYTES} bytes (as JSON, UTF-8), got ${attributesBytes}`);
  if (type === 'task.completed') {
    if (outcome === null) throw new Error('a task.completed event needs an outcome');
    if (durationMs === null) throw new Error('a task.completed event needs durationMs');
    if (endedAt === null) throw new Error('a task.completed event needs endedAt');
  } else if (outcome !== null) throw new Error(`a ${type} event has no outcome`);
  const at = type === 'task.started' ? (startedAt ?? endedAt) : (endedAt ?? startedAt);
  if (at === null) throw new Error(`a ${type} event needs ${type === 'task.started' ? 'startedAt' : 'endedAt'}`);
  if (startedAt && endedAt && Date.parse(endedAt) < Date.parse(startedAt)) throw new Error('endedAt is before startedAt');
  if (startedAt && endedAt && Date.parse(endedAt) - Date.parse(startedAt) > MAX_DURATION_MS)
    throw new Error(`endedAt is more than a year (${MAX_DURATION_DAYS} days) after startedAt`);
  for (const [field, v] of [
    ['startedAt', startedAt],
    ['endedAt', endedAt],
  ] as const) {
    const future = v === null ? null : inTheFuture(Date.parse(v), field);
    if (future) throw new Error(future);
  }
  const iso = new Date(at).toISOString();
  return {
    type,
    agent,
    taskId: e.taskId,
    workflow: workflow as string | null,
    outcome,
    durationMs,
    startedAt: startedAt && new Date(startedAt).toISOString(),
    at: iso,
    day: iso.slice(0, 10),
    costUsd,
    attributes: attributes ?? {},
  };
}

function optional(v: unknown, name: string, ok: (v: unknown) => boolean, what: string): unknown {
  if (v === undefined || v === null) return null;
  if (!ok(v)) throw new Error(`${name} must be ${what}`);
  return v;
}

/** An RFC 3339 date-time: a date, a time (seconds and their fraction optional) and a zone, Z or ±hh:mm. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|([+-])(\d{2}):(\d{2}))?$/;

/**
 * A task event's time as written, or null when absent. Date.parse alone (found by review) rolled a
 * day that does not exist into the next month (2026-02-31 was stored as 2026-03-03) and read a time
 * without a zone in the server's local time, so the event's time and day depended on the node that
 * took it: both are refused, saying why.
 */
function time(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  const m = typeof v === 'string' ? DATE_TIME.exec(v) : null;
  if (!m) throw new Error(`${name} must be an ISO 8601 date-time`);
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', zone = '', , oh = '', om = ''] = m;
  const no = (what: string) => new Error(`${name} ${JSON.stringify(v)} is no time: ${what}`);
  if (zone === '') throw new Error(`${name} ${JSON.stringify(v)} names no time zone: add Z (UTC) or an offset such as +01:00`);
  if (+mo < 1 || +mo > 12) throw no(`there is no month ${mo}`);
  if (+d < 1 || +d > new Date(Date.UTC(+y, +mo, 0)).getUTCDate()) throw no(`${y}-${mo} has no day ${d}`);
  if (+h > 23 || +mi > 59 || +s > 59) throw no(`there is no time of day ${h}:${mi}${s ? `:${s}` : ''}`);
  if (oh !== '' && (+oh > 23 || +om > 59)) throw no(`there is no offset ${zone}`);
  return v as string;
}
