// Tasks by model, kept at ingest for the plan's model mix (migration 20261203T0100, docs/insight.md
// "Model mix"): a task is a trace with a task outcome, credited to a model when all its model calls
// are of that model. A trace's spans come in any order, over any number of exports, so each trace's
// state so far is kept (task_traces) and every export moves the trace's contribution in the daily
// rollup (model_tasks_daily) from its old state to its new one: retracted, then added again.
//
// Called in the ingest transaction with the spans it actually inserted, so a re-sent span changes
// nothing. Across PostgreSQL nodes, two exports of one trace serialise on the trace's row: it is
// created if missing, then read FOR UPDATE (the second waits for the first to commit and reads its
// state). SQLite's one writer serialises them anyway.
import type { Kysely } from 'kysely';
import { adapterOf, orBatches } from '../db/adapter.js';
import { bulkInserter } from '../db/bulk-insert.js';
import type { Database, ModelTasksDailyTable, SpanTable, TaskTraceTable } from '../db/schema.js';
import { UNBOOKED } from './attribution.js';
import { byRollupKey, type ModelFold, OTHER_UNREGISTERED } from './model-fold.js';

const MODEL_CALL = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);

/** A model call, as the plan has always counted one (the same predicate as the migration's SQL). */
export function isModelCall(s: Pick<SpanTable, 'operation' | 'model_reported'>): boolean {
  return s.operation ? MODEL_CALL.has(s.operation) : s.model_reported !== null;
}

type State = Omit<TaskTraceTable, 'trace_id' | 'agent'>;

/**
 * What the rollup is given: a newly stored span, or a correction: a model call its trace counted with
 * the figures of `correction` (a client's span), to be counted with those of `by` (the LLM gateway's
 * record of the same call, which arrived after it); or a naming: a client's span paired with the
 * gateway's record of its call, which names the model `to` where the client named it `from`.
 */
export type TaskEntry =
  | SpanTable
  | { correction: SpanTable; by: SpanTable }
  | { naming: { trace_id: string; agent: string; from: string | null; to: string | null; registered: boolean } };
type Sums = Omit<ModelTasksDailyTable, 'day' | 'agent' | 'model' | 'mixed'>;
const SUMS = ['tasks', 'resolved', 'calls', 'unpriced_calls', 'cost_usd', 'input_tokens', 'output_tokens'] as const;

const TRACE_COLUMNS = [
  'trace_id',
  'agent',
  'day',
  'outcomes',
  'resolved_outcomes',
  'model',
  'mixed',
  'calls',
  'unpriced_calls',
  'cost_usd',
  'input_tokens',
  'output_tokens',
  'folded',
] as const satisfies ReadonlyArray<keyof TaskTraceTable>;
const DAILY_COLUMNS = ['day', 'agent', 'model', 'mixed', ...SUMS] as const satisfies ReadonlyArray<keyof ModelTasksDailyTable>;

const empty = (day: string): State => ({
  day,
  outcomes: 0,
  resolved_outcomes: 0,
  model: null,
  mixed: 0,
  calls: 0,
  unpriced_calls: 0,
  cost_usd: 0,
  input_tokens: 0,
  output_tokens: 0,
  folded: null,
});

/** `a` with `b` added: counts summed, the earlier day, and mixed once two different models were seen. */
function merge(a: State, b: State): State {
  const models = a.model !== null && b.model !== null && a.model !== b.model;
  return {
    // biome-ignore lint/complexity/useMathMinMax: days are strings (YYYY-MM-DD), not numbers
    day: a.day < b.day ? a.day : b.day,
    outcomes: a.outcomes + b.outcomes,
    resolved_outcomes: a.resolved_outcomes + b.resolved_outcomes,
    model: a.model ?? b.model,
    mixed: a.mixed || b.mixed || models ? 1 : 0,
    calls: a.calls + b.calls,
    unpriced_calls: a.unpriced_calls + b.unpriced_calls,
    cost_usd: a.cost_usd + b.cost_usd,
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    // Where the stored state was booked (a change's own is null): where it is taken back from.
    folded: a.folded ?? b.folded,
  };
}

export function createTaskModelRollup(db: Kysely<Database>) {
  const rowLocks = adapterOf(db).rowLocks;
  const ensureTraces = bulkInserter('task_traces', TRACE_COLUMNS, (q) => q.onConflict((oc) => oc.doNothing()));
  const writeTraces = bulkInserter('task_traces', TRACE_COLUMNS, (q) =>
    q.onConflict((oc) =>
      oc
        .columns(['trace_id', 'agent'])
        .doUpdateSet((eb) => Object.fromEntries(TRACE_COLUMNS.slice(2).map((k) => [k, eb.ref(`excluded.${k}`)]))),
    ),
  );
  const addDaily = bulkInserter('model_tasks_daily', DAILY_COLUMNS, (q) =>
    q.onConflict((oc) =>
      oc
        .columns(['day', 'agent', 'model', 'mixed'])
        .doUpdateSet((eb) =>
          Object.fromEntries(SUMS.map((k) => [k, eb(`model_tasks_daily.${k}`, '+', eb.ref(`excluded.${k}`))])),
        ),
    ),
  );

  /**
   * Adds `entries` (spans newly stored in this transaction, and corrections) to their traces' states
   * and to the daily rollup. A span marked duplicate adds nothing (the caller passes the figures that
   * count in its place, see evidence-store.ts).
   */
  async function rollUp(trx: Kysely<Database>, entries: ReadonlyArray<TaskEntry>): Promise<TaskRollup | null> {
    // What this export adds to each trace (spans booked to no agent, and spans that are neither a task
    // outcome nor a model call, add nothing).
    const added = new Map<string, { trace_id: string; agent: string; state: State }>();
    // A trace's model as one record named it, to be named as another does (a correction, below).
    const renames = new Map<string, { from: string | null; to: string | null }>();
    // Model names the registry knows, as the records name them (never folded, model-fold.ts).
    const registered = new Set<string>();
    const into = (trace_id: string, agent: string, own: State) => {
      const key = `${trace_id}\u0000${agent}`;
      const t = added.get(key);
      if (t) t.state = merge(t.state, own);
      else added.set(key, { trace_id, agent, state: own });
    };
    // In a trace, a model as a client named it (the provider's id, say) that a record of the gateway
    // named otherwise, in this export: the other calls the client names so in it are named as the
    // gateway does too. Found under load (session 40): one call paired with its record, the other's
    // record still to come, and the trace counted as of two models (mixed) where there was one.
    const aliases = new Map<string, Map<string, string>>();
    const alias = (trace: string, from: string | null, to: string | null) => {
      if (from === null || to === null || from === to) return;
      const of = aliases.get(trace) ?? new Map<string, string>();
      of.set(from, to);
      aliases.set(trace, of);
    };
    for (const e of entries) {
      if ('correction' in e)
        alias(
          `${e.correction.trace_id}\u0000${e.correction.agent}`,
          e.correction.model ?? e.correction.model_reported,
          e.by.model ?? e.by.model_reported,
        );
      else if ('naming' in e) {
        alias(`${e.naming.trace_id}\u0000${e.naming.agent}`, e.naming.from, e.naming.to);
        // A Model the registry knows, as the gateway's record names it: a task booked to it is not folded.
        if (e.naming.registered && e.naming.to !== null) registered.add(e.naming.to);
      }
    }
    const named = (s: SpanTable) => {
      const name = s.model ?? s.model_reported;
      return (name !== null && aliases.get(`${s.trace_id}\u0000${s.agent}`)?.get(name)) || name;
    };
    for (const e of entries) {
      if ('naming' in e) continue;
      if ('correction' in e) {
        // A call the trace counted with one record's figures, now counted with another's.
        const { correction: was, by } = e;
        if (was.agent === UNBOOKED) continue;
        if (by.model !== null) registered.add(by.model);
        const delta = empty(was.day);
        // The model too: the client may name the provider's id where the gateway names the Model. A
        // trace of that one model takes the gateway's name; one of several models stays mixed.
        renames.set(`${was.trace_id}\u0000${was.agent}`, {
          from: was.model ?? was.model_reported,
          to: by.model ?? by.model_reported,
        });
        delta.unpriced_calls = (by.cost_usd === null ? 1 : 0) - (was.cost_usd === null ? 1 : 0);
        delta.cost_usd = (by.cost_usd ?? 0) - (was.cost_usd ?? 0);
        delta.input_tokens = (by.input_tokens ?? 0) - (was.input_tokens ?? 0);
        delta.output_tokens = (by.output_tokens ?? 0) - (was.output_tokens ?? 0);
        into(was.trace_id, was.agent, delta);
        continue;
      }
      const s = e;
      const call = isModelCall(s) && !s.duplicate;
      if (s.agent === UNBOOKED || (s.task_outcome === null && !call)) continue;
      const own = empty(s.day);
      if (s.task_outcome !== null) {
        own.outcomes = 1;
        own.resolved_outcomes = s.task_outcome === 'resolved' ? 1 : 0;
      }
      if (call) {
        own.model = named(s);
        if (s.model !== null) registered.add(s.model);
        own.calls = 1;
        own.unpriced_calls = s.cost_usd === null ? 1 : 0;
        own.cost_usd = s.cost_usd ?? 0;
        own.input_tokens = s.input_tokens ?? 0;
        own.output_tokens = s.output_tokens ?? 0;
      }
      into(s.trace_id, s.agent, own);
    }
    if (added.size === 0) return null;
    // In key order: nodes that lock the same traces lock them in the same order (no deadlock).
    const traces = [...added.values()].sort((a, b) =>
      a.trace_id < b.trace_id ? -1 : a.trace_id > b.trace_id ? 1 : a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0,
    );
    const row = (t: { trace_id: string; agent: string }, s: State) => ({ trace_id: t.trace_id, agent: t.agent, ...s });

    // The traces' states so far (an empty state for a trace not seen before), locked where nodes race.
    if (rowLocks)
      await ensureTraces(
        trx,
        traces.map((t) => row(t, empty(t.state.day))),
      );
    const before = new Map<string, State>();
    for (const ids of orBatches([...new Set(traces.map((t) => t.trace_id))])) {
      let q = trx.selectFrom('task_traces').selectAll().where('trace_id', 'in', ids);
      if (rowLocks) q = q.orderBy('trace_id').orderBy('agent').forUpdate();
      for (const r of await q.execute()) {
        const { trace_id, agent, ...state } = r;
        for (const k of ['cost_usd', 'input_tokens', 'output_tokens'] as const) state[k] = Number(state[k]);
        before.set(`${trace_id}\u0000${agent}`, state);
      }
    }

    const moves = traces.map((t) => {
      const old = before.get(`${t.trace_id}\u0000${t.agent}`);
      const next = old ? merge(old, t.state) : t.state;
      const rename = renames.get(`${t.trace_id}\u0000${t.agent}`);
      if (rename && !next.mixed && next.model === rename.from) next.model = rename.to;
      return { t, old, next };
    });
    // A task of an unregistered model name past the agent's bound for the day goes to the fold, as its
    // calls do in evidence_daily (model-fold.ts); its trace keeps the name it reported. The caller
    // reads the fold (under the days' locks if a task names a day anew) and books with it.
    const booked = (s: State | undefined) => !!s && s.outcomes > 0 && !s.mixed && !!s.model;
    const bookings: TaskBooking[] = moves.flatMap(({ t, old, next }) => [
      ...(old && booked(old)
        ? [{ day: old.day, agent: t.agent, model: old.model ?? '', registered: registered.has(old.model ?? ''), adds: false }]
        : []),
      ...(booked(next)
        ? [{ day: next.day, agent: t.agent, model: next.model ?? '', registered: registered.has(next.model ?? ''), adds: true }]
        : []),
    ]);
    return { bookings, write: (fold: ModelFold) => write(trx, moves, registered, fold) };
  }

  /** Each trace's contribution moved from its old state to its new one, and the traces' new states. */
  async function write(
    trx: Kysely<Database>,
    moves: ReadonlyArray<{ t: { trace_id: string; agent: string }; old: State | undefined; next: State }>,
    registered: ReadonlySet<string>,
    fold: ModelFold,
  ): Promise<void> {
    const row = (t: { trace_id: string; agent: string }, s: State) => ({ trace_id: t.trace_id, agent: t.agent, ...s });
    // Each trace's contribution moves from its old state to its new one.
    const daily = new Map<string, ModelTasksDailyTable>();
    const book = (agent: string, s: State, sign: 1 | -1) => {
      if (s.outcomes === 0) return; // not a task (yet)
      // Taken back from the row it was booked to, when that was kept: a name registered since has a row
      // of its own, but a task booked in the fold before is still there.
      const model = s.mixed
        ? ''
        : sign === -1 && s.folded !== null
          ? s.folded
            ? OTHER_UNREGISTERED
            : (s.model ?? '')
          : fold.rowFor(s.day, agent, s.model ?? '', { registered: registered.has(s.model ?? ''), adds: sign === 1 });
      if (sign === 1) s.folded = s.mixed ? 0 : model === OTHER_UNREGISTERED && s.model !== OTHER_UNREGISTERED ? 1 : 0;
      const key = `${s.day}\u0000${agent}\u0000${model}\u0000${s.mixed}`;
      let d = daily.get(key);
      if (!d) {
        d = {
          day: s.day,
          agent,
          model,
          mixed: s.mixed,
          tasks: 0,
          resolved: 0,
          calls: 0,
          unpriced_calls: 0,
          cost_usd: 0,
          input_tokens: 0,
          output_tokens: 0,
        };
        daily.set(key, d);
      }
      const sums: Sums = {
        tasks: 1,
        resolved: s.resolved_outcomes === s.outcomes ? 1 : 0,
        calls: s.calls,
        unpriced_calls: s.unpriced_calls,
        cost_usd: s.cost_usd,
        input_tokens: s.input_tokens,
        output_tokens: s.output_tokens,
      };
      for (const k of SUMS) d[k] += sign * sums[k];
    };
    const after = moves.map(({ t, old, next }) => {
      if (old) book(t.agent, old, -1);
      book(t.agent, next, 1);
      return row(t, next);
    });
    await writeTraces(trx, after);
    // In key order, as evidence_daily's: exports that add to the same rows lock them in one order.
    const changed = [...daily.values()]
      .filter((d) => SUMS.some((k) => d[k] !== 0))
      .sort((a, b) => byRollupKey(a, b) || a.mixed - b.mixed);
    if (changed.length) await addDaily(trx, changed as unknown as Array<Record<string, unknown>>);
  }

  return rollUp;
}

/** One trace's task as the daily rollup books it: added (its new state), or taken back (its old one). */
export type TaskBooking = { day: string; agent: string; model: string; registered: boolean; adds: boolean };
/** What an export brings the tasks' rollup: its bookings, and the write once the fold is read. */
export interface TaskRollup {
  bookings: TaskBooking[];
  write(fold: ModelFold): Promise<void>;
}
