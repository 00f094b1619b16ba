// Stores events and spans idempotently and keeps the daily rollups in the same transaction:
// only rows actually inserted (not re-sent duplicates), and booked to an agent, add to the totals.
// On SQLite, exports that arrive together share one transaction (a group commit, each export in its
// own savepoint): its one writer runs them one after another anyway, and every commit's fsync
// stops the event loop (bench/README.md, "OTLP ingest"). A large export is stored in slices of
// MAX_SLICE_ROWS, each its own transaction, and the event loop turns between transactions: SQLite
// work is synchronous, and 16,000 spans in one went on for ~0.8 s with every decision waiting.
import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import { adapterOf, type BackgroundCommit, orBatches } from '../db/adapter.js';
import { bulkInserter } from '../db/bulk-insert.js';
import { inSavepoint, type Settled } from '../db/savepoint.js';
import type { Database, EvidenceDailyTable, SpanTable, TaskEventTable } from '../db/schema.js';
import { UNBOOKED } from './attribution.js';
import { byRollupKey, byText, fnv1a, loadModelFold, type ModelFold, namingLocks, OTHER_UNREGISTERED } from './model-fold.js';
import { createTaskModelRollup, type TaskEntry, type TaskRollup } from './task-models.js';

type Counters = Omit<EvidenceDailyTable, 'day' | 'agent' | 'model'>;
/** An evidence_daily row's counters, all zero (tests build rollup rows from it too). */
export const ZERO: Counters = {
  tasks_resolved: 0,
  tasks_escalated: 0,
  tasks_failed: 0,
  tasks_abandoned: 0,
  tasks_started: 0,
  handoffs: 0,
  handle_ms: 0,
  handled: 0,
  cost_measured_usd: 0,
  cost_reported_usd: 0,
  input_tokens: 0,
  output_tokens: 0,
  cached_tokens: 0,
  model_calls: 0,
  unpriced_calls: 0,
  unpriced_unknown_model: 0,
  unpriced_no_price: 0,
  unpriced_no_usage: 0,
  unpriced_service_tier: 0,
  tool_calls: 0,
  errors: 0,
  spans: 0,
};
const COUNTERS = Object.keys(ZERO) as Array<keyof Counters>;
const CHUNK = 512;

/** What one event adds to its day's totals. */
export function eventCounters(e: Pick<TaskEventTable, 'type' | 'outcome' | 'duration_ms' | 'cost_usd'>): Partial<Counters> {
  const c: Partial<Counters> = {};
  if (e.type === 'task.started') c.tasks_started = 1;
  if (e.type === 'handoff.human') c.handoffs = 1;
  if (e.type === 'task.completed' && e.outcome) {
    c[`tasks_${e.outcome}` as 'tasks_resolved'] = 1;
    if (e.duration_ms !== null) {
      c.handle_ms = e.duration_ms;
      c.handled = 1;
    }
  }
  if (e.cost_usd !== null) c.cost_reported_usd = e.cost_usd;
  return c;
}

/** What one span adds to its day's totals (task outcomes on spans arrive as events). */
export function spanCounters(s: SpanTable, inference: boolean): Partial<Counters> {
  const c: Partial<Counters> = { spans: 1 };
  // A second record of one call counts once, as a stored span and nothing more: the client's span of
  // an MCP tool call the gateway recorded (or the reverse), a client's span of an LLM gateway call.
  if (s.duplicate) return c;
  if (inference) {
    c.model_calls = 1;
    if (s.cost_usd === null) {
      c.unpriced_calls = 1;
      if (s.unpriced_reason) c[`unpriced_${s.unpriced_reason}` as 'unpriced_no_usage'] = 1;
    } else c.cost_measured_usd = s.cost_usd;
    c.input_tokens = s.input_tokens ?? 0;
    c.output_tokens = s.output_tokens ?? 0;
    c.cached_tokens = s.cached_tokens ?? 0;
  }
  if (s.operation === 'execute_tool') c.tool_calls = 1;
  if (s.error_type) c.errors = 1;
  return c;
}

const SPAN_COLUMNS: ReadonlyArray<keyof SpanTable> = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'agent',
  'registered',
  'name',
  'operation',
  'start_at',
  'day',
  'duration_ms',
  'model_reported',
  'model',
  'provider',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'cost_usd',
  'tool',
  'error_type',
  'task_outcome',
  'received_at',
  'claimed_agent',
  'sent_by',
  'response_id',
  'unpriced_reason',
  'source',
  'mcp_call',
  'duplicate',
  'folded',
  'paired',
];

/** What makes a task event one (the unique indexes of migration 20261211T0100). */
function eventKey(e: Pick<TaskEventTable, 'agent' | 'task_id' | 'type' | 'sent_by' | 'claimed_agent'>): string {
  const who = e.agent === UNBOOKED ? `\u0000${e.sent_by}\u0000${e.claimed_agent}` : e.agent;
  return `${who}\u0000${e.task_id}\u0000${e.type}`;
}

/** `commit` runs each transaction (src/db/adapter.ts's backgroundCommit for a writer no request waits on). */
export function createEvidenceStore(db: Kysely<Database>, commit: BackgroundCommit = (fn) => fn(db)) {
  // A re-send is the same span, booked to the same agent, with the same start: spans_once (start_at,
  // trace_id, span_id, agent) keeps it out, and since it starts with the start time new spans append
  // to it (migrations 20261202T0120, 20261208T0110). A second record of one inference (the LLM
  // gateway's and the client's span of the call, two instrumentations of it) is stored as a
  // duplicate, counted nowhere (below).
  const insertSpans = bulkInserter('spans', SPAN_COLUMNS, (q) =>
    q.onConflict((oc) => oc.doNothing()).returning(['start_at', 'trace_id', 'span_id', 'agent']),
  );
  // Tasks by model for the plan's model mix, from the same new spans (src/evidence/task-models.ts).
  const rollUpTasks = createTaskModelRollup(db);

  /**
   * One export: what is new of it inserted and added to the rollups, in `trx`.
   *
   * EXPORT_LOCK_ORDER. On PostgreSQL exports run side by side, and a row one writes (or an insert that
   * meets a row another inserted and has not committed) waits for the other's commit. No two exports
   * wait on each other in a cycle because every export takes what it writes in one global order:
   * 1. task_events, inserted in key order (eventKey);
   * 1b. the pairing locks of the agents whose model calls the export's spans record (pairingLocks);
   * 2. spans: stored spans a tool call pairs with by trace (key order), the new spans (key order,
   *    spans_once), then stored spans they pair with by time (key order, once all are chosen: the LLM
   *    gateway's records, then MCP tool calls' records) and stored spans they outrank (key order);
   * 3. task_traces, created, locked (FOR UPDATE) and written in (trace_id, agent) order (task-models.ts);
   * 4. the days' model-name advisory locks, sorted (model-fold.ts namingLocks), only when naming;
   * 5. model_tasks_daily, upserted in key order (day, agent, model, mixed);
   * 6. spans this export inserted, marked folded (no other transaction can wait for them yet);
   * 7. evidence_daily, upserted in key order (day, agent, model).
   * A step never goes back to a table of an earlier one but for rows no other export can hold (6).
   * test/evidence/insert-lock-order.test.ts and rollup-lock-order.test.ts force the overlaps.
   */
  async function ingestIn(trx: Transaction<Database>, events: TaskEventTable[], spans: SpanInput[]): Promise<Stored> {
    const totals = new Map<string, Booked>();
    /** `figures`: which model row they go to (model-fold.ts); a model name as reported is unregistered. */
    const add = (day: string, agent: string, model: string, c: Partial<Counters>, figures: Booking, span?: SpanTable) => {
      // Booked to no agent (an attribution mismatch): kept raw, never in any agent's totals.
      if (agent === UNBOOKED) return;
      const key = `${day}\u0000${agent}\u0000${model}\u0000${figures.from ?? ''}`;
      const row = totals.get(key) ?? {
        day,
        agent,
        model,
        ...ZERO,
        registered: false,
        adds: false,
        from: figures.from,
        unregisteredSpans: [],
      };
      totals.set(key, row);
      row.registered ||= figures.registered;
      row.adds ||= figures.adds;
      for (const k of COUNTERS) row[k] += c[k] ?? 0;
      // New spans of an unregistered name: marked if they go to the fold (where a correction takes them from).
      if (span && span.model === null && model !== '') row.unregisteredSpans.push(span);
    };
    let newEvents = 0;
    // In key order (a stable sort: of two with one key, the first listed is the one stored), as every
    // row this transaction writes (EXPORT_LOCK_ORDER).
    const ordered = [...events].sort((a, b) => byText(eventKey(a), eventKey(b)));
    for (let i = 0; i < ordered.length; i += CHUNK) {
      const chunk = ordered.slice(i, i + CHUNK);
      const inserted = await trx
        .insertInto('task_events')
        .values(chunk)
        // Either identity's index (migration 20261211T0100): a booked event is its agent's task, an
        // unbooked one its sender's claim.
        .onConflict((oc) => oc.doNothing())
        .returning(['agent', 'task_id', 'type', 'sent_by', 'claimed_agent'])
        .execute();
      const fresh = new Set(inserted.map(eventKey));
      for (const e of chunk) {
        if (!fresh.delete(eventKey(e))) continue; // a duplicate (in the database or earlier in this batch)
        newEvents++;
        add(e.day, e.agent, '', eventCounters(e), { registered: true, adds: true });
      }
    }
    let newSpans = 0;
    // What the new spans bring the tasks' traces (the plan's model mix, task-models.ts): each counted
    // model call as it is; a client's span of a call the LLM gateway recorded with the gateway's figures
    // (the priced record, in a trace of its own when the client sent no traceparent); a second record
    // of a call in the same trace, nothing: the gateway's record in the client's trace counts there
    // itself (gatewayFigures holds no figures for its client span, below the twins' record adds none).
    const forTasks: TaskEntry[] = [];
    const gatewayFigures = new WeakMap<SpanTable, Figures>();
    // The model as the gateway's record names it, for each client span paired with one in this export.
    const namedBy = new WeakMap<SpanTable, Named>();
    for (let i = 0; i < spans.length; i += CHUNK) {
      const chunk = spans.slice(i, i + CHUNK);
      for (const { row } of chunk) {
        row.unpriced_reason ??= null;
        row.source ??= null;
        row.mcp_call ??= null;
        row.duplicate ??= 0;
        row.folded = 0;
        row.paired ??= null;
      }
      await pairingLocks(trx, chunk);
      await markRepeatedToolCalls(trx, chunk);
      // A second record of a call in the same trace first: the gateway's figures go to one record of a
      // call only, however many the client made of it.
      await markRepeatedInferences(trx, chunk);
      const claims = [
        ...(await markGatewayInferences(trx, chunk, gatewayFigures)),
        ...(await markUnidentifiedGatewayInferences(trx, chunk, gatewayFigures)),
      ];
      // Inserted in key order (EXPORT_LOCK_ORDER); marked above in the order the export listed them
      // (which of two records of one call in it is the duplicate). A transaction on PostgreSQL holds
      // one chunk (MAX_SLICE_ROWS), so this is the order of all its spans.
      const inserted = await insertSpans<SpanKey>(
        trx,
        chunk
          .map((s) => s.row)
          .sort(bySpanKey)
          .map((r) => r as unknown as Record<string, unknown>),
      );
      const fresh = new Set(inserted.map(spanKey));
      const isNew = (r: SpanTable) => fresh.has(spanKey(r));
      // The records new client spans hold, paired now (a re-sent span, not stored again, claims none).
      await claimRecords(
        trx,
        claims.filter((c) => isNew(c.span)),
        gatewayFigures,
      );
      for (const c of claims) if (c.named !== undefined) namedBy.set(c.span, c.named);
      await pairUntracedToolCalls(
        trx,
        chunk.filter((s) => isNew(s.row)),
      );
      // A gateway record arriving after a client's span of the same call: the gateway's counts. By
      // response id first: a record a span names is that call's, paired, and no span without id holds it.
      const twins = await outrankTelemetry(
        trx,
        chunk.filter((s) => isNew(s.row)),
      );
      for (const { twin, record } of await outrankUnidentifiedTelemetry(
        trx,
        chunk.filter((s) => isNew(s.row)),
      )) {
        twins.push({ twin, record });
      }
      // Records whose client span, in the same trace, the trace counted: the correction below makes that
      // count the record's, so the record adds no second call there.
      const inTwinsTrace = new Set<string>();
      for (const { twin, record } of twins) {
        if (twin.trace_id === record.trace_id) inTwinsTrace.add(spanKey(record));
        const was = spanCounters({ ...twin, duplicate: 0 }, true);
        const now = spanCounters({ ...twin, duplicate: 1 }, true);
        const less: Partial<Counters> = {};
        for (const k of COUNTERS) less[k] = (now[k] ?? 0) - (was[k] ?? 0);
        // Taken from the row the twin was counted on (null: counted before that was kept).
        add(twin.day, twin.agent, twin.model ?? twin.model_reported ?? '', less, {
          registered: twin.model !== null,
          adds: false,
          from: twin.folded === 1 ? 'fold' : twin.folded === 0 ? 'own' : undefined,
        });
        // The twin's trace counted the call with the client's figures: it takes the gateway's now.
        forTasks.push({ correction: { ...twin, duplicate: 0 }, by: record });
      }
      for (const s of chunk) {
        if (!fresh.delete(spanKey(s.row))) continue;
        newSpans++;
        add(
          s.row.day,
          s.row.agent,
          s.row.model ?? s.row.model_reported ?? '',
          spanCounters(s.row, s.inference),
          { registered: s.row.model !== null, adds: true },
          s.row,
        );
        const figures = gatewayFigures.get(s.row);
        if (!s.row.duplicate && !inTwinsTrace.has(spanKey(s.row))) forTasks.push(s.row);
        else if (figures) forTasks.push({ ...s.row, ...figures, duplicate: 0 });
        // A client's span paired with the gateway's record of its call: the name each gives the model,
        // so the trace's other calls the client names so count as of the gateway's (task-models.ts).
        const named = namedBy.get(s.row);
        if (s.row.duplicate && named !== undefined)
          forTasks.push({
            naming: {
              trace_id: s.row.trace_id,
              agent: s.row.agent,
              from: s.row.model ?? s.row.model_reported,
              to: named.name,
              registered: named.registered,
            },
          });
      }
    }
    const tasks = await rollUpTasks(trx, forTasks);
    const booked = [...totals.values()];
    const folds = await readFolds(trx, booked, tasks);
    if (tasks) await tasks.write(folds.tasks);
    const { rows, folded } = foldModels(booked, folds.daily);
    for (const marked of folded.length ? orBatches(folded) : []) await markFolded(trx, marked);
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('evidence_daily')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc
            .columns(['day', 'agent', 'model'])
            .doUpdateSet((eb) =>
              Object.fromEntries(COUNTERS.map((k) => [k, eb(`evidence_daily.${k}`, '+', eb.ref(`excluded.${k}`))])),
            ),
        )
        .execute();
    }
    return { events: newEvents, spans: newSpans };
  }

  // The group commit (SQLite only: PostgreSQL runs transactions side by side, and two nodes' groups
  // could lock the same traces in different orders).
  const grouped = adapterOf(db).engine === 'sqlite';
  let queue: Pending[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    try {
      for (let first = true; queue.length > 0; first = false) {
        // The node's other work (decisions, their audit commits) runs between two groups.
        if (!first) await new Promise((resolve) => setImmediate(resolve));
        let n = 0;
        let size = 0;
        while (n < queue.length && (n === 0 || size + weight(queue[n] as Pending) <= MAX_GROUP_ROWS))
          size += weight(queue[n++] as Pending);
        const group = queue.slice(0, n);
        queue = queue.slice(n);
        try {
          const results = await commit((c) =>
            c.transaction().execute(async (trx) => {
              if (group.length === 1) {
                const only = group[0] as Pending;
                return [{ ok: true as const, value: await ingestIn(trx, only.events, only.spans) }];
              }
              // Each export on its own: one that fails is undone and told, the others commit.
              const out: Array<Settled<Stored>> = [];
              for (const p of group) out.push(await inSavepoint(trx, 'fulcrum_ingest', () => ingestIn(trx, p.events, p.spans)));
              return out;
            }),
          );
          for (const [i, r] of results.entries()) {
            const p = group[i] as Pending;
            if (r.ok) p.resolve(r.value);
            else p.reject(r.error);
          }
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    /**
     * Inserts what is new and adds it to the rollups, in one transaction. Returns how many events
     * and spans were new (re-sent ones are skipped silently: ingest is idempotent). Resolves once
     * committed.
     */
    async ingest(events: TaskEventTable[], spans: SpanInput[]): Promise<Stored> {
      // An export larger than a slice is stored slice by slice, each in its own transaction, so one
      // large export (8 MiB of OTLP is ~40,000 spans) does not hold the event loop for seconds. Ingest
      // is idempotent, so an export that fails part-way is completed by the exporter's retry (OTLP
      // exporters retry a 5xx), the slices stored before counted once.
      if (events.length + spans.length <= MAX_SLICE_ROWS) return ingestSlice(events, spans);
      const total: Stored = { events: 0, spans: 0 };
      const add = (stored: Stored) => {
        total.events += stored.events;
        total.spans += stored.spans;
      };
      for (let i = 0; i < events.length; i += MAX_SLICE_ROWS) add(await ingestSlice(events.slice(i, i + MAX_SLICE_ROWS), []));
      for (let i = 0; i < spans.length; i += MAX_SLICE_ROWS) add(await ingestSlice([], spans.slice(i, i + MAX_SLICE_ROWS)));
      return total;
    },
  };

  function ingestSlice(events: TaskEventTable[], spans: SpanInput[]): Promise<Stored> {
    if (!grouped) return commit((c) => c.transaction().execute((trx) => ingestIn(trx, events, spans)));
    return new Promise((resolve, reject) => {
      queue.push({ events, spans, resolve, reject });
      if (!flushing) {
        flushing = true;
        // The exports read in this turn of the event loop share the commit.
        setImmediate(() => void flush());
      }
    });
  }
}

/** Whether figures name a registered Model (or none), and whether they are new or take back earlier ones. */
type Booking = {
  registered: boolean;
  adds: boolean;
  /** Figures taken back from where they were counted: the fold, or the name's own row (else as rowFor says). */
  from?: 'fold' | 'own' | undefined;
};
/** One rollup row's share of the export, with the new spans of an unregistered name it counts. */
type Booked = EvidenceDailyTable & Booking & { unregisteredSpans: SpanTable[] };

/**
 * The named rows of the days both rollups book to (model-fold.ts). A day about to get a new unregistered
 * name is read again under its lock (PostgreSQL), so two nodes never each give one the day's last room.
 * Every rollup row is written after this: a transaction that waits for a day's lock holds none.
 */
async function readFolds(
  trx: Kysely<Database>,
  booked: ReadonlyArray<Booked>,
  tasks: TaskRollup | null,
): Promise<{ daily: ModelFold | null; tasks: ModelFold }> {
  const named = booked.filter((r) => r.model !== '');
  // A registered Model always has its row: the fold is read only when an unregistered name is booked.
  const unregistered = named.some((r) => !r.registered);
  const read = async () => ({
    daily: unregistered ? await loadModelFold(trx, 'evidence_daily', named) : null,
    tasks: await loadModelFold(trx, 'model_tasks_daily', tasks?.bookings ?? []),
  });
  const folds = await read();
  const naming = [
    ...named.filter((r) => folds.daily?.names(r.day, r.agent, r.model, r)),
    ...(tasks?.bookings ?? []).filter((b) => folds.tasks.names(b.day, b.agent, b.model, b)),
  ];
  if (naming.length === 0 || !adapterOf(trx).multiNode) return folds;
  await namingLocks(trx, naming);
  return read();
}

/**
 * The export's totals by the rollup row they go to: an unregistered model name past the agent's
 * bound for the day goes to "(other unregistered)", with its counts (model-fold.ts); figures taken
 * back go to the row they were counted on. `folded`: the new spans counted in the fold.
 */
function foldModels(all: ReadonlyArray<Booked>, fold: ModelFold | null): { rows: EvidenceDailyTable[]; folded: SpanTable[] } {
  const out = new Map<string, EvidenceDailyTable>();
  const folded: SpanTable[] = [];
  for (const { registered, adds, from, unregisteredSpans, ...row } of all) {
    const model =
      from === 'fold'
        ? OTHER_UNREGISTERED
        : from === 'own' || !fold
          ? row.model
          : fold.rowFor(row.day, row.agent, row.model, { registered, adds });
    if (model === OTHER_UNREGISTERED && row.model !== OTHER_UNREGISTERED) folded.push(...unregisteredSpans);
    const key = `${row.day}\u0000${row.agent}\u0000${model}`;
    const into = out.get(key);
    if (!into) out.set(key, { ...row, model });
    else for (const k of COUNTERS) into[k] += row[k];
  }
  // In key order: exports that add to the same rows on PostgreSQL lock them in one order (no deadlock).
  return { rows: [...out.values()].sort(byRollupKey), folded };
}

/** Marks spans just stored as counted in the fold (a correction of one is taken from there). */
async function markFolded(trx: Kysely<Database>, spans: readonly SpanTable[]): Promise<void> {
  await trx
    .updateTable('spans')
    .set({ folded: 1 })
    .where((eb) =>
      eb.or(
        spans.map((s) =>
          eb.and([
            eb('start_at', '=', s.start_at),
            eb('trace_id', '=', s.trace_id),
            eb('span_id', '=', s.span_id),
            eb('agent', '=', s.agent),
          ]),
        ),
      ),
    )
    .execute();
}

type SpanInput = { row: SpanTable; inference: boolean };
/** What makes a stored span itself (spans_once). */
type SpanKey = Pick<SpanTable, 'start_at' | 'trace_id' | 'span_id' | 'agent'>;
const spanKey = (r: SpanKey) => JSON.stringify([r.start_at, r.trace_id, r.span_id, r.agent]);
/** spans_once's order, the order an export inserts and updates spans in (EXPORT_LOCK_ORDER). */
const bySpanKey = (a: SpanKey, b: SpanKey): number =>
  byText(a.start_at, b.start_at) || byText(a.trace_id, b.trace_id) || byText(a.span_id, b.span_id) || byText(a.agent, b.agent);
type Stored = { events: number; spans: number };
interface Pending {
  events: TaskEventTable[];
  spans: SpanInput[];
  resolve(v: Stored): void;
  reject(err: unknown): void;
}
/** Most rows (events and spans) of one export stored in one transaction (ingest slices larger ones). */
const MAX_SLICE_ROWS = 512;
/** Most rows in one group commit: a transaction, and the time it holds the event loop, stays short. */
const MAX_GROUP_ROWS = 1024;
const weight = (p: Pending) => p.events.length + p.spans.length;

/**
 * One tool call, one count (docs/evidence.md): the MCP gateway records a call in the caller's trace,
 * as a child of the client's span for it (the `traceparent` the client sent in `_meta`). Whichever
 * of the two arrives second is marked `duplicate`: kept, not counted again. Only MCP tool calls are
 * looked up, through two partial indexes (spans_mcp_gateway, spans_mcp_client).
 */
async function markRepeatedToolCalls(trx: Kysely<Database>, chunk: ReadonlyArray<{ row: SpanTable }>): Promise<void> {
  for (const [mine, theirs] of [
    ['client', 'gateway'],
    ['gateway', 'client'],
  ] as const) {
    const rows = chunk.map((s) => s.row).filter((r) => r.mcp_call === mine);
    // The call's key: the client's span id, which is the gateway record's parent, and the agent and
    // Tool, which both records name: a client span of one Tool passed as the traceparent of a call
    // of another (or by another agent) pairs with nothing, so it cannot hide that call's count.
    const callOf = (r: Pick<SpanTable, 'trace_id' | 'span_id' | 'parent_span_id' | 'agent' | 'tool'>, kind: string) =>
      JSON.stringify([r.trace_id, kind === 'client' ? r.span_id : r.parent_span_id, r.agent, r.tool]);
    for (const traces of rows.length ? orBatches([...new Set(rows.map((r) => r.trace_id))]) : []) {
      const other = await trx
        .selectFrom('spans')
        .select(['trace_id', 'span_id', 'parent_span_id', 'start_at', 'agent', 'tool'])
        .where('mcp_call', '=', theirs)
        .where('trace_id', 'in', traces)
        .where('duplicate', '=', 0)
        .execute();
      const counted = new Map(other.map((r) => [callOf(r, theirs), r]));
      const paired: SpanKey[] = [];
      for (const r of rows) {
        const partner = counted.get(callOf(r, mine));
        if (!partner) continue;
        r.duplicate = 1;
        // The counted one is paired now: no record without trace context pairs with it by time.
        counted.delete(callOf(r, mine));
        paired.push(partner);
      }
      // Stored spans, locked as they are updated: in key order (EXPORT_LOCK_ORDER).
      for (const partner of paired.sort(bySpanKey)) await updateSpan(trx, partner, { mcp_call: `${theirs}_paired` });
    }
  }
}

type ResponseOf = Pick<SpanTable, 'agent' | 'response_id'>;
const responseKey = (r: ResponseOf) => JSON.stringify([r.agent, r.response_id]);

/**
 * Spans of the same calls as `rows` (the same agent and provider response id), or of other pairs of
 * their agents and ids: the caller keeps the exact pairs (`responseKey`). Written as two IN lists,
 * with `response_id IS NOT NULL` and the source test as literal top-level terms, so the partial
 * (agent, response_id) indexes are searched: an OR of pairs is not a term those indexes' WHERE
 * follows from, and the store scanned every span for every batch (0.57 ms a batch of one gateway
 * call with a few thousand spans stored, growing with the table).
 */
function ofResponses<QB extends SelectQueryBuilder<Database, 'spans', object>>(
  qb: QB,
  rows: ReadonlyArray<ResponseOf & Pick<SpanTable, 'start_at' | 'duration_ms'>>,
): QB {
  // Only records that could be of the same call (SAME_CALL_SKEW_MS around these): a provider that
  // repeats its ids (Ollama's 999) would otherwise bring back a share of the agent's whole history.
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const start = Date.parse(r.start_at);
    from = Math.min(from, start);
    to = Math.max(to, start + Number(r.duration_ms));
  }
  return qb
    .where('response_id', 'is not', null)
    .where('agent', 'in', [...new Set(rows.map((r) => r.agent))])
    .where('response_id', 'in', [...new Set(rows.map((r) => r.response_id as string))])
    .where('start_at', '>=', new Date(from - SAME_CALL_SKEW_MS).toISOString())
    .where('start_at', '<=', new Date(to + SAME_CALL_SKEW_MS).toISOString()) as QB;
}

/**
 * One inference, one count, the LLM gateway's record first (issue 17, and an attack on it): a
 * client's own span of a call the gateway recorded (the same agent and provider response id) is
 * stored as a duplicate. Run before the chunk is inserted, on its telemetry spans.
 */
async function markGatewayInferences(
  trx: Kysely<Database>,
  chunk: ReadonlyArray<{ row: SpanTable }>,
  figures: WeakMap<SpanTable, Figures>,
): Promise<Claim[]> {
  const claims: Claim[] = [];
  const telemetry = chunk.map((s) => s.row).filter((r) => r.response_id != null && r.source !== 'llm' && !r.duplicate);
  for (const rows of telemetry.length ? orBatches(telemetry) : []) {
    const recorded = await ofResponses(
      trx
        .selectFrom('spans')
        .select(['agent', 'response_id', 'trace_id', 'span_id', 'start_at', 'duration_ms', ...FIGURES])
        // Literal, as the partial index spans_response_llm names it in its WHERE.
        .where('source', '=', sql.lit('llm')),
      rows,
    ).execute();
    const by = group(recorded, responseKey);
    for (const r of rows) {
      const record = by.get(responseKey(r))?.find((g) => near(g, r, SAME_CALL_SKEW_MS));
      if (!record) continue;
      r.duplicate = 1;
      // In the span's own trace (the client sent its traceparent), the record counts there itself.
      if (record.trace_id !== r.trace_id) figures.set(r, figuresOf(record));
      // The record is this call's: marked paired, so no span without id takes it by time.
      claims.push({ span: r, record, byId: true, named: namedOf(record) });
    }
  }
  return claims;
}

/** What the plan's model mix reads of a model call (task-models.ts). */
const FIGURES = ['model', 'model_reported', 'cost_usd', 'input_tokens', 'output_tokens'] as const;
type Figures = Pick<SpanTable, (typeof FIGURES)[number]>;
const figuresOf = (r: Figures): Figures => ({
  model: r.model,
  model_reported: r.model_reported,
  cost_usd: r.cost_usd,
  input_tokens: r.input_tokens,
  output_tokens: r.output_tokens,
});

/**
 * How far apart in time two records of one model call may lie (the client's clock against Fulcrum's,
 * a client span that began its timing early): records of one response id further apart are two calls
 * (a provider that repeats its ids, as Ollama's `chatcmpl-<0..998>` do).
 */
const SAME_CALL_SKEW_MS = 10 * 60_000;
/** Two instrumentations of one call, in one process: their spans nest, give or take this. */
const NESTED_SKEW_MS = 2_000;

/** Whether two records' times overlap, give or take `slackMs`. */
function near(a: Pick<SpanTable, 'start_at' | 'duration_ms'>, b: Pick<SpanTable, 'start_at' | 'duration_ms'>, slackMs: number) {
  const as = Date.parse(a.start_at);
  const bs = Date.parse(b.start_at);
  return as - slackMs <= bs + Number(b.duration_ms) && bs - slackMs <= as + Number(a.duration_ms);
}

function group<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * One inference, one count, when a client records it twice (two instrumentations of one call: a
 * framework's span and the provider SDK's, both with the provider's response id): a telemetry span of
 * the same agent and response id as one already stored (counted, or the duplicate of the LLM
 * gateway's record, which counts in its place), in the same trace at the same time, or in another
 * trace under another name and one within the other, is stored as a duplicate (the second to arrive:
 * both carry the provider's usage). Calls that share a response id but not their time, or their name
 * across traces, are different calls (a provider that repeats its ids): each counts (found by attack,
 * session 37: the cross-trace case, OpenInference's LangChain and OpenAI spans of one direct call, was
 * counted twice). Run before the chunk is inserted, before the gateway's records
 * are looked for (markGatewayInferences); earlier rows of the chunk count as stored. A client span
 * that began more than SAME_CALL_SKEW_MS before its twin is not found.
 */
async function markRepeatedInferences(trx: Kysely<Database>, chunk: ReadonlyArray<{ row: SpanTable }>): Promise<void> {
  const telemetry = chunk.map((s) => s.row).filter((r) => r.response_id != null && r.source !== 'llm' && !r.duplicate);
  if (telemetry.length === 0) return;
  type Seen = Pick<SpanTable, 'trace_id' | 'span_id' | 'name' | 'start_at' | 'duration_ms'>;
  const counted = new Map<string, Seen[]>();
  for (const rows of orBatches(telemetry)) {
    const stored = await ofResponses(
      trx
        .selectFrom('spans')
        .select(['agent', 'response_id', 'trace_id', 'span_id', 'name', 'start_at', 'duration_ms'])
        // As the partial index spans_response names it in its WHERE.
        .where((eb) => eb.or([eb('source', 'is', null), eb('source', '<>', sql.lit('llm'))])),
      rows,
    ).execute();
    for (const [k, list] of group(stored, responseKey)) counted.set(k, [...(counted.get(k) ?? []), ...list]);
  }
  for (const r of telemetry) {
    const list = counted.get(responseKey(r)) ?? [];
    const twin = (c: Seen) =>
      c.trace_id === r.trace_id
        ? // The same span again (a re-send) is not its own twin: spans_once skips it at the insert.
          c.span_id !== r.span_id && near(c, r, NESTED_SKEW_MS)
        : // Two instrumentations whose spans of one call are in two traces (OpenInference's LangChain
          // and OpenAI instrumentations: LangChain's tracer does not parent the SDK's span): another
          // kind of span (its name), one within the other. Two calls of one kind that share an id (a
          // provider that repeats its ids) are each counted, as calls one after the other are. One
          // process's clock times both, so one lies within the other to the millisecond it is stored
          // in: with NESTED_SKEW_MS's slack, two short calls a second apart were one.
          c.name !== r.name && (within(c, r, ROUNDING_MS) || within(r, c, ROUNDING_MS));
    if (list.some(twin)) r.duplicate = 1;
    else counted.set(responseKey(r), [...list, r]);
  }
}

/** What storing times to the millisecond (start_at, duration_ms) can move an end by. */
const ROUNDING_MS = 1;
/** Whether `inner` lies within `outer`, give or take `slackMs`. */
function within(
  inner: Pick<SpanTable, 'start_at' | 'duration_ms'>,
  outer: Pick<SpanTable, 'start_at' | 'duration_ms'>,
  slackMs: number,
) {
  const is = Date.parse(inner.start_at);
  const os = Date.parse(outer.start_at);
  return is >= os - slackMs && is + Number(inner.duration_ms) <= os + Number(outer.duration_ms) + slackMs;
}

/**
 * The other order: gateway records just stored whose call a client's span already recorded (and
 * counted). Each such span becomes the duplicate; returned as it was, for the rollups to take back.
 */
async function outrankTelemetry(
  trx: Kysely<Database>,
  fresh: ReadonlyArray<{ row: SpanTable }>,
): Promise<Array<{ twin: SpanTable; record: SpanTable }>> {
  const records = fresh.map((s) => s.row).filter((r) => r.source === 'llm' && r.response_id != null);
  const out: Array<{ twin: SpanTable; record: SpanTable }> = [];
  for (const rows of records.length ? orBatches(records) : []) {
    const wanted = new Set(rows.map(responseKey));
    const found = (await ofResponses(
      trx
        .selectFrom('spans')
        .selectAll()
        // Literal, as the partial index spans_response names it in its WHERE.
        .where((eb) => eb.or([eb('source', 'is', null), eb('source', '<>', sql.lit('llm'))]))
        .where('duplicate', '=', 0),
      rows,
    ).execute()) as SpanTable[];
    const mine = group(rows, responseKey);
    // Stored spans, locked as they are updated: in key order (EXPORT_LOCK_ORDER).
    for (const t of found.sort(bySpanKey)) {
      // The gateway's record of this very call: the same agent and response id, at the same time.
      const record = wanted.has(responseKey(t))
        ? mine.get(responseKey(t))?.find((g) => near(g, t, SAME_CALL_SKEW_MS))
        : undefined;
      if (!record) continue;
      await updateSpan(trx, t, { duplicate: 1 });
      out.push({ twin: t, record });
    }
  }
  // The records paired: this export's own new rows, which no other transaction can hold.
  for (const { record } of out) {
    record.paired = 1;
    await updateSpan(trx, record, { paired: 1 });
  }
  return out;
}

/**
 * A client's span of a model call that names no response id and reports no usage: OpenInference's
 * OpenAI instrumentation's span of a streamed call keeps only the answer's text (no id, no tokens), so
 * the LLM gateway's record of that call cannot be found by id (found by attack, session 37: each
 * streamed call through the gateway was counted twice, once priced and once unpriced `no_usage`).
 * Such a span is paired by agent, model and time instead: the gateway's record lies within it, give or
 * take PAIR_SKEW_MS. A span that reports usage or an id is matched as it says, or counts as its own call.
 * An embeddings span is paired so too, usage or not: the embeddings API answers no response id, so
 * neither record of a call through the gateway names one (found by attack, session 38: each
 * embeddings call through the gateway by an instrumented client counted twice, tokens and cost).
 */
const INFERENCE_OPERATIONS: readonly string[] = ['chat', 'text_completion', 'generate_content'];
function unidentified(r: SpanTable): boolean {
  return (
    r.source !== 'llm' &&
    r.response_id == null &&
    ((r.input_tokens === null &&
      r.output_tokens === null &&
      r.operation !== null &&
      INFERENCE_OPERATIONS.includes(r.operation)) ||
      r.operation === 'embeddings') &&
    !r.duplicate &&
    r.agent !== UNBOOKED &&
    Number(r.duration_ms) <= PAIR_LONGEST_MS
  );
}
/**
 * A client's model-call span that reports usage but names no response id: a provider that answers
 * none (an OpenAI-compatible server without `id`) leaves neither record of a call through the gateway
 * an id (found by attack, session 40: each such call counted twice, at twice its cost). Time and model
 * alone would take a direct call with usage of its own for the gateway's, so such a span is paired only
 * in its caller's trace (the record of a call that sent its traceparent) and with a record of the same
 * usage (streamPair): two calls of one model at once in one trace are told apart by their tokens, and
 * two whose tokens are the same too carry the same figures, whichever pairs with which. Without trace
 * context the two records are not paired, and both count (docs/llm-gateway.md, "Evidence").
 */
function usageWithoutId(r: SpanTable): boolean {
  return (
    r.source !== 'llm' &&
    r.response_id == null &&
    (r.input_tokens !== null || r.output_tokens !== null) &&
    r.operation !== null &&
    INFERENCE_OPERATIONS.includes(r.operation) &&
    !r.duplicate &&
    r.agent !== UNBOOKED &&
    Number(r.duration_ms) <= PAIR_LONGEST_MS
  );
}
/** A client span the gateway's record of its call is found for by agent, model and time (and trace). */
const pairable = (r: SpanTable) => unidentified(r) || usageWithoutId(r);
/**
 * Whether the gateway's record `g` is of the model the client's span `c` names, within its time, and
 * of the same kind of call (an embeddings span holds an embeddings record, a model call's span
 * another); a model call's span with usage, only a record in its trace with the same usage.
 */
function streamPair(
  c: SpanTable,
  g: Pick<
    SpanTable,
    'model' | 'model_reported' | 'start_at' | 'duration_ms' | 'operation' | 'trace_id' | 'input_tokens' | 'output_tokens'
  >,
): boolean {
  const sameModel = c.model !== null ? c.model === g.model : c.model_reported !== null && c.model_reported === g.model_reported;
  const sameKind = (c.operation === 'embeddings') === (g.operation === 'embeddings');
  const sameCall = c.operation === 'embeddings' || (c.input_tokens === null && c.output_tokens === null) || sameUsage(c, g);
  const cs = Date.parse(c.start_at);
  const gs = Date.parse(g.start_at);
  return (
    sameModel &&
    sameKind &&
    sameCall &&
    gs >= cs - PAIR_SKEW_MS &&
    gs + Number(g.duration_ms) <= cs + Number(c.duration_ms) + PAIR_SKEW_MS
  );
}
/** The same trace and the same provider's usage (each count the span reports, as the record has it). */
function sameUsage(
  c: Pick<SpanTable, 'trace_id' | 'input_tokens' | 'output_tokens'>,
  g: Pick<SpanTable, 'trace_id' | 'input_tokens' | 'output_tokens'>,
): boolean {
  const same = (a: number | null, b: number | null) => a === null || (b !== null && Number(a) === Number(b));
  return c.trace_id === g.trace_id && same(c.input_tokens, g.input_tokens) && same(c.output_tokens, g.output_tokens);
}

/**
 * The unpaired spans of `agent` a gateway record of `g`'s model and kind may pair with (`unidentified`:
 * no response id, and no usage or of embeddings), that began between `from` and `to` (ms): the last
 * PAIR_CANDIDATES to begin, latest first. Spelt as the partial index spans_unidentified_at is
 * (migrations 20261219T0510, 20261220T0100), so that both planners read that agent's rows only, and
 * bounded, so the look costs the same whatever the agent's rate of such spans.
 */
async function unidentifiedSpans(
  trx: Kysely<Database>,
  g: Pick<SpanTable, 'agent' | 'model' | 'model_reported' | 'operation'>,
  from: number,
  to: number,
  limit: number,
): Promise<SpanTable[]> {
  return (await trx
    .selectFrom('spans')
    .selectAll()
    .where('agent', '=', g.agent)
    .where('start_at', '>=', new Date(from).toISOString())
    .where('start_at', '<=', new Date(to).toISOString())
    .where('response_id', 'is', null)
    .where('duplicate', '=', 0)
    .where((eb) => eb.or([eb('source', 'is', null), eb('source', '<>', sql.lit('llm'))]))
    .where((eb) =>
      eb.or([
        eb.and([eb('input_tokens', 'is', null), eb('output_tokens', 'is', null)]),
        eb('operation', '=', sql.lit('embeddings')),
      ]),
    )
    // Of the record's model (streamPair): spans of the agent's other models are not read.
    .where((eb) =>
      eb.or([
        eb('model', '=', g.model ?? ''),
        eb.and([eb('model', 'is', null), eb('model_reported', '=', g.model_reported ?? '')]),
      ]),
    )
    .where('operation', g.operation === 'embeddings' ? '=' : '<>', 'embeddings')
    .orderBy('start_at', 'desc')
    .orderBy('trace_id', 'desc')
    .orderBy('span_id', 'desc')
    .limit(limit)
    .execute()) as SpanTable[];
}

/**
 * The spans of `agent` in the trace of `g` (a gateway record in its caller's trace) that report usage
 * but name no response id (usageWithoutId), that began between `from` and `to` (ms): the last `limit`
 * to begin. Spelt as the partial index spans_usage_without_id is (migration 20261222T0140).
 */
async function usageSpans(
  trx: Kysely<Database>,
  g: Pick<SpanTable, 'agent' | 'trace_id'>,
  from: number,
  to: number,
  limit: number,
): Promise<SpanTable[]> {
  return (await trx
    .selectFrom('spans')
    .selectAll()
    .where('agent', '=', g.agent)
    .where('trace_id', '=', g.trace_id)
    .where('start_at', '>=', new Date(from).toISOString())
    .where('start_at', '<=', new Date(to).toISOString())
    .where('response_id', 'is', null)
    .where((eb) => eb.or([eb('source', 'is', null), eb('source', '<>', sql.lit('llm'))]))
    .where((eb) => eb.or([eb('input_tokens', 'is not', null), eb('output_tokens', 'is not', null)]))
    .where('duplicate', '=', 0)
    .orderBy('start_at', 'desc')
    .orderBy('span_id', 'desc')
    .limit(limit)
    .execute()) as SpanTable[];
}

/**
 * How many locks the agents' pairings share (pairingLocks): as MODEL_NAME_LOCKS, a transaction takes
 * at most this many, whatever the number of agents in its export (PostgreSQL's shared lock table).
 */
export const PAIRING_LOCKS = 16;

/**
 * The two records of one model call (the LLM gateway's and a client's span of it) are paired by the
 * one of them stored second, which reads the other. On PostgreSQL a gateway flush and a client's
 * export committed side by side each read before the other's commit, found nothing, and both counted
 * (found by attack, session 38: an instrumented client's embeddings, its spans exported as the
 * gateway's records were flushed, counted twice). A transaction storing either kind for an agent takes
 * that agent's lock first (EXPORT_LOCK_ORDER 1b), so the second waits for the first's commit and then
 * reads its rows. No lock on SQLite (one writer) or for spans no pairing reads.
 */
async function pairingLocks(trx: Kysely<Database>, chunk: ReadonlyArray<{ row: SpanTable }>): Promise<void> {
  if (!adapterOf(trx).multiNode) return;
  const agents = new Set<string>();
  for (const { row: r } of chunk)
    if (r.agent !== UNBOOKED && (r.source === 'llm' || (r.response_id != null && !r.duplicate) || pairable(r)))
      agents.add(r.agent);
  if (agents.size === 0) return;
  await adapterOf(trx).lockKeys(
    trx,
    [...agents].map((a) => `fulcrum.llm-pairing:${fnv1a(a) % PAIRING_LOCKS}`),
  );
}

/**
 * A gateway record a client's span (new in this export) holds, chosen before the span is stored;
 * `byId`: by the provider's response id (the record is the call's whether another span holds it or not).
 */
type Claim = { span: SpanTable; record: SpanKey; byId?: boolean; named?: Named };
/** The model as a gateway's record names it, and whether that is a Model the registry knows. */
type Named = { name: string | null; registered: boolean };
const namedOf = (r: Pick<SpanTable, 'model' | 'model_reported'>): Named => ({
  name: r.model ?? r.model_reported,
  registered: r.model !== null,
});

/**
 * The client's span second: stored as a duplicate of a gateway record it holds (`unidentified`), one
 * not paired yet. Returns the records chosen, to be marked paired once the spans are stored (claimRecords).
 */
async function markUnidentifiedGatewayInferences(
  trx: Kysely<Database>,
  chunk: ReadonlyArray<{ row: SpanTable }>,
  figures: WeakMap<SpanTable, Figures>,
): Promise<Claim[]> {
  const candidates = chunk.map((s) => s.row).filter(pairable);
  if (candidates.length === 0) return [];
  // Most exports have no gateway record in their time (an agent that calls its provider directly):
  // one indexed look says so, instead of a query per span.
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const r of candidates) {
    from = Math.min(from, Date.parse(r.start_at));
    to = Math.max(to, Date.parse(r.start_at) + Number(r.duration_ms));
  }
  const any = await trx
    .selectFrom('spans')
    .select('agent')
    // Literal values, as the partial index spans_llm_free_at names them in its WHERE.
    .where('source', '=', sql.lit('llm'))
    .where('paired', 'is', null)
    .where('agent', 'in', [...new Set(candidates.map((r) => r.agent))])
    .where('start_at', '>=', new Date(from - PAIR_SKEW_MS).toISOString())
    .where('start_at', '<=', new Date(to + PAIR_SKEW_MS).toISOString())
    .limit(1)
    .executeTakeFirst();
  if (!any) return [];
  // Records chosen by earlier spans of this export (marked paired only after the insert).
  const taken = new Set<string>();
  const claims: Claim[] = [];
  for (const r of candidates) {
    const model = r.model !== null ? r.model : r.model_reported;
    if (model === null) continue;
    const start = Date.parse(r.start_at);
    const end = start + Number(r.duration_ms);
    // The earliest records of the span's model not paired yet within it: however many calls the agent
    // made before, a bounded read of the records still free (each is marked once paired).
    const records = await trx
      .selectFrom('spans')
      .select(['trace_id', 'span_id', 'agent', 'start_at', 'duration_ms', 'operation', ...FIGURES])
      .where('source', '=', sql.lit('llm'))
      .where('paired', 'is', null)
      .where('agent', '=', r.agent)
      .where('start_at', '>=', new Date(start - PAIR_SKEW_MS).toISOString())
      .where('start_at', '<=', new Date(end + PAIR_SKEW_MS).toISOString())
      .where(r.model !== null ? 'model' : 'model_reported', '=', model)
      .orderBy('start_at')
      .orderBy('trace_id')
      .orderBy('span_id')
      .limit(PAIR_CANDIDATES + taken.size)
      .execute();
    const held = records
      .filter((g) => !taken.has(spanKey(g)))
      .slice(0, PAIR_CANDIDATES)
      .filter((g) => streamPair(r, g));
    // One in the span's own trace (the client sent its traceparent: that record is this call's), else
    // the first to start within the span itself, else one within the clocks' skew before it: of an
    // agent's calls closer together than the skew, each span takes its own. Taking another trace's
    // record when its own is there would count a call twice in each task's trace (task-models.ts).
    const record = held.find((g) => g.trace_id === r.trace_id) ?? held.find((g) => Date.parse(g.start_at) >= start) ?? held[0];
    if (!record) continue;
    taken.add(spanKey(record));
    r.duplicate = 1;
    if (record.trace_id !== r.trace_id) figures.set(r, figuresOf(record));
    claims.push({ span: r, record, named: namedOf(record) });
  }
  return claims;
}

/**
 * Marks the gateway records the export's new client spans chose as paired, in key order
 * (EXPORT_LOCK_ORDER), each only if still free: on PostgreSQL another export may have paired it since
 * it was read, and waits for that one's commit here. A span whose record was taken so counts as a call
 * of its own (as it was stored before the pairing), not as a second duplicate of one record.
 */
async function claimRecords(trx: Kysely<Database>, claims: readonly Claim[], figures: WeakMap<SpanTable, Figures>) {
  for (const { span, record, byId } of [...claims].sort((a, b) => bySpanKey(a.record, b.record))) {
    if (byId) {
      await updateSpan(trx, record, { paired: 1 });
      continue;
    }
    if (await updateSpan(trx, record, { paired: 1 }, 'unpaired')) continue;
    span.duplicate = 0;
    figures.delete(span);
    // This export's own new row: no other transaction can hold it.
    await updateSpan(trx, span, { duplicate: 0 });
  }
}

/**
 * The other order: a gateway record just stored whose call a client's `unidentified` span already
 * counted. One such span per record becomes the duplicate, the record paired; returned as it was, for
 * the rollups to take back.
 */
async function outrankUnidentifiedTelemetry(
  trx: Kysely<Database>,
  fresh: ReadonlyArray<{ row: SpanTable }>,
): Promise<Array<{ twin: SpanTable; record: SpanTable }>> {
  const chosen: Array<{ twin: SpanTable; record: SpanTable }> = [];
  const taken = new Set<string>();
  for (const { row: g } of fresh) {
    // A record a span named by response id (outrankTelemetry, run first) is paired already.
    if (g.source !== 'llm' || g.agent === UNBOOKED || g.paired) continue;
    const start = Date.parse(g.start_at);
    // The spans of this agent and model that began last before the record (or just after it).
    const found = await unidentifiedSpans(
      trx,
      g,
      start - PAIR_LONGEST_MS - PAIR_SKEW_MS,
      start + PAIR_SKEW_MS,
      PAIR_CANDIDATES + taken.size,
    );
    const holding = found
      .filter((t) => !taken.has(spanKey(t)))
      .slice(0, PAIR_CANDIDATES)
      .filter((t) => unidentified(t) && streamPair(t, g));
    // In its caller's trace, the spans there with usage and no id (usageWithoutId) too.
    if (g.parent_span_id !== null)
      for (const t of await usageSpans(
        trx,
        g,
        start - PAIR_LONGEST_MS - PAIR_SKEW_MS,
        start + PAIR_SKEW_MS,
        PAIR_CANDIDATES + taken.size,
      ))
        if (!taken.has(spanKey(t)) && usageWithoutId(t) && streamPair(t, g)) holding.push(t);
    // One of the same usage in the record's trace, else one in the record's trace (its caller's), else
    // the last to begin before the record, else one within the clocks' skew after it: of an agent's
    // calls closer together than the skew, each record takes its own.
    const twin =
      holding.find(usageWithoutId) ??
      holding.find((t) => t.trace_id === g.trace_id) ??
      holding.find((t) => Date.parse(t.start_at) <= start) ??
      holding[0];
    if (!twin) continue;
    taken.add(spanKey(twin));
    chosen.push({ twin, record: g });
  }
  // Stored spans, locked as they are updated: in key order (EXPORT_LOCK_ORDER); each only if still
  // counted: on PostgreSQL another export's record may have taken it since it was read.
  const out: Array<{ twin: SpanTable; record: SpanTable }> = [];
  for (const c of [...chosen].sort((a, b) => bySpanKey(a.twin, b.twin)))
    if (await updateSpan(trx, c.twin, { duplicate: 1 }, 'counted')) out.push(c);
  // The records paired: this export's own new rows, which no other transaction can hold.
  for (const { record } of out) {
    record.paired = 1;
    await updateSpan(trx, record, { paired: 1 });
  }
  return out;
}

/**
 * Changes one stored span, found by its key; with `only`, only while it is still unpaired (a gateway
 * record no span has claimed) or still counted (not a duplicate): on PostgreSQL another export may have
 * changed it since it was read. Whether it changed.
 */
async function updateSpan(
  trx: Kysely<Database>,
  s: SpanKey,
  set: Partial<Pick<SpanTable, 'duplicate' | 'mcp_call' | 'paired'>>,
  only?: 'unpaired' | 'counted',
): Promise<boolean> {
  let q = trx
    .updateTable('spans')
    .set(set)
    .where('start_at', '=', s.start_at)
    .where('trace_id', '=', s.trace_id)
    .where('span_id', '=', s.span_id)
    .where('agent', '=', s.agent);
  if (only === 'unpaired') q = q.where('paired', 'is', null);
  if (only === 'counted') q = q.where('duplicate', '=', 0);
  const { numUpdatedRows } = await q.executeTakeFirstOrThrow();
  return numUpdatedRows > 0n;
}

/** How far apart the client's and Fulcrum's clocks may be when two records of one call are paired by time. */
const PAIR_SKEW_MS = 2_000;
/** The longest client span searched back for (a tool call the client timed for longer is not paired). */
const PAIR_LONGEST_MS = 10 * 60_000;
/**
 * The most candidates one look at a model call's records without response id reads (the nearest in
 * time): an agent's records still unpaired, or its spans without id not paired, that many deep at one
 * moment are calls whose other record was never sent, and the look's cost stays bounded.
 */
const PAIR_CANDIDATES = 50;

/**
 * One tool call, one count, without trace context (docs/evidence.md): a client that sends no
 * `traceparent` in `_meta` (the AI SDK's MCP client) leaves the gateway's record in a trace of its
 * own, so the two records cannot be matched by trace. They are paired instead by agent, Tool (the
 * registry's name) and time: the gateway's record starts within the client's span, give or take
 * PAIR_SKEW_MS. The second to arrive is marked `duplicate` (the same rule as above), and the first is
 * marked paired (`mcp_call` 'client_paired' / 'gateway_paired') so no other record pairs with it.
 * Only records the trace did not pair: a gateway record with trace context never pairs by time.
 * Run on newly stored rows, in the ingest transaction.
 */
async function pairUntracedToolCalls(trx: Kysely<Database>, fresh: ReadonlyArray<{ row: SpanTable }>): Promise<void> {
  const pairable = fresh
    .map((s) => s.row)
    .filter(
      (r) =>
        !r.duplicate && r.tool !== null && (r.mcp_call === 'client' || (r.mcp_call === 'gateway' && r.parent_span_id === null)),
    );
  if (pairable.length === 0) return;
  // Most batches have nothing to pair with (a gateway whose clients send no telemetry, or clients
  // whose calls do not go through the gateway): one indexed look per kind says so, instead of one
  // query per record (~80 µs each on the MCP gateway's path, in every evidence batch).
  const seeking = new Set<string>();
  for (const kind of ['client', 'gateway'] as const) {
    const records = pairable.filter((r) => r.mcp_call === kind);
    if (records.length > 0 && (await anyPartner(trx, kind === 'client' ? 'gateway' : 'client', records))) seeking.add(kind);
  }
  // Partners are chosen in the export's order, each out of the records not paired yet (by an earlier
  // record of this export included: `taken`, as its updates come after), and marked paired in key
  // order (EXPORT_LOCK_ORDER): two exports pairing records of their own with the same stored ones,
  // each in its own order, held one and reached for the other's.
  const taken = new Set<string>();
  const partners: Array<{ partner: SpanKey; mcp_call: 'gateway_paired' | 'client_paired' }> = [];
  const duplicates: SpanTable[] = [];
  for (const r of pairable) {
    if (r.duplicate || !seeking.has(r.mcp_call as string)) continue;
    const start = Date.parse(r.start_at);
    const iso = (ms: number) => new Date(ms).toISOString();
    const free = <S extends SpanKey>(rows: S[]) => rows.filter((c) => !taken.has(spanKey(c)));
    let partner: SpanKey | undefined;
    if (r.mcp_call === 'client') {
      // The earliest untraced gateway record of this agent's call of this Tool within the span.
      const candidates = await trx
        .selectFrom('spans')
        .select(['trace_id', 'span_id', 'start_at', 'agent'])
        // Literal values, as the partial indexes (spans_mcp_*_at) name them in their WHERE.
        .where('mcp_call', '=', sql.lit('gateway'))
        .where('parent_span_id', 'is', null)
        .where('agent', '=', r.agent)
        .where('start_at', '>=', iso(start - PAIR_SKEW_MS))
        .where('start_at', '<=', iso(start + r.duration_ms + PAIR_SKEW_MS))
        .where('tool', '=', r.tool)
        .where('duplicate', '=', 0)
        .orderBy('start_at')
        .limit(1 + taken.size)
        .execute();
      partner = free(candidates)[0];
    } else {
      // The client span of this agent and Tool that began last before the record, if it lasted past it.
      const candidates = await trx
        .selectFrom('spans')
        .select(['trace_id', 'span_id', 'start_at', 'duration_ms', 'agent'])
        .where('mcp_call', '=', sql.lit('client'))
        .where('agent', '=', r.agent)
        .where('start_at', '>=', iso(start - PAIR_LONGEST_MS))
        .where('start_at', '<=', iso(start + PAIR_SKEW_MS))
        .where('tool', '=', r.tool)
        .where('duplicate', '=', 0)
        .orderBy('start_at', 'desc')
        .limit(50 + taken.size)
        .execute();
      partner = free(candidates)
        .slice(0, 50)
        .find((c) => Date.parse(c.start_at) + Number(c.duration_ms) + PAIR_SKEW_MS >= start);
    }
    if (!partner) continue;
    taken.add(spanKey(partner));
    taken.add(spanKey(r));
    partners.push({ partner, mcp_call: r.mcp_call === 'client' ? 'gateway_paired' : 'client_paired' });
    duplicates.push(r);
    r.duplicate = 1;
  }
  partners.sort((a, b) => bySpanKey(a.partner, b.partner));
  for (const { partner, mcp_call } of partners) await updateSpan(trx, partner, { mcp_call });
  // This export's own new rows: no other transaction can hold them.
  for (const r of duplicates) await updateSpan(trx, r, { duplicate: 1 });
}

/**
 * Whether any unpaired `kind` record of these records' agents lies in the widest window the pairing
 * below searches for any of them (a superset of every record's own window: if this finds nothing,
 * none of them has a partner). On the partial index of that kind (agent, start_at).
 */
async function anyPartner(trx: Kysely<Database>, kind: 'client' | 'gateway', records: readonly SpanTable[]): Promise<boolean> {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    const start = Date.parse(r.start_at);
    // A gateway record looks back for a client span up to PAIR_LONGEST_MS; a client span looks for a
    // gateway record within itself, give or take the skew.
    from = Math.min(from, kind === 'client' ? start - PAIR_LONGEST_MS : start - PAIR_SKEW_MS);
    to = Math.max(to, kind === 'client' ? start + PAIR_SKEW_MS : start + r.duration_ms + PAIR_SKEW_MS);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const agents of orBatches([...new Set(records.map((r) => r.agent))])) {
    let q = trx
      .selectFrom('spans')
      .select('span_id')
      // Literal values, as the partial indexes (spans_mcp_*_at) name them in their WHERE.
      .where('mcp_call', '=', sql.lit(kind))
      .where('agent', 'in', agents)
      .where('start_at', '>=', iso(from))
      .where('start_at', '<=', iso(to))
      .where('duplicate', '=', 0);
    if (kind === 'gateway') q = q.where('parent_span_id', 'is', null);
    if (await q.limit(1).executeTakeFirst()) return true;
  }
  return false;
}
