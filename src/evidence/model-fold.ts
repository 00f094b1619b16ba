// Which row of a daily rollup (evidence_daily, model_tasks_daily) a model's figures go to: its own,
// or, past MAX_MODELS_PER_DAY names for one agent and day, the fold "(other unregistered)" (docs/evidence.md
// "Model names in the rollups"). A model name is whatever the telemetry reported, so without this one
// agent key made a permanent row per name it invented.
import type { Kysely } from 'kysely';
import { adapterOf } from '../db/adapter.js';
import type { Database } from '../db/schema.js';

/** The row that holds the calls of unregistered model names past the day's bound, counts and tokens kept. */
export const OTHER_UNREGISTERED = '(other unregistered)';
/** Most model names with a row of their own per agent and day (registered Models always have theirs). */
export const MAX_MODELS_PER_DAY = 50;

export interface ModelFold {
  /**
   * The rollup row for `model` on this day and agent. `adds`: whether this books new figures (a name
   * may get a row then, if the day has room) or takes back ones booked earlier (they went to the name's
   * row if it has one, else to the fold: the day's names only grow, so that is where they went).
   */
  rowFor(day: string, agent: string, model: string, o: { registered: boolean; adds: boolean }): string;
  /**
   * Whether booking `model` would give an unregistered name a row of its own the day does not have:
   * the one decision two transactions may not take side by side (namingLocks).
   */
  names(day: string, agent: string, model: string, o: { registered: boolean; adds: boolean }): boolean;
}

type Pair = { day: string; agent: string };

/** The named rows these (day, agent) pairs have in `table` (model_tasks_daily: unmixed rows). */
export async function loadModelFold(
  trx: Kysely<Database>,
  table: 'evidence_daily' | 'model_tasks_daily',
  pairs: ReadonlyArray<Pair>,
): Promise<ModelFold> {
  const key = (day: string, agent: string) => `${day}\u0000${agent}`;
  const named = new Map<string, Set<string>>();
  const wanted = new Set(pairs.map((p) => key(p.day, p.agent)));
  for (const k of wanted) named.set(k, new Set());
  if (wanted.size > 0) {
    // Joined to the pairs themselves (one JSON parameter): IN lists of the agents and of the days read
    // every named row of their cross product, 512 agents × 395 days for an export spread that wide.
    const unique = new Map(pairs.map((p) => [key(p.day, p.agent), { day: p.day, agent: p.agent }]));
    const only = adapterOf(trx).arrayRows(JSON.stringify([...unique.values()]), ['day', 'agent'] as const);
    let q = trx
      .selectFrom(table)
      .innerJoin(only.as('pairs'), (join) =>
        join.onRef('pairs.day', '=', `${table}.day`).onRef('pairs.agent', '=', `${table}.agent`),
      )
      .select([`${table}.day`, `${table}.agent`, `${table}.model`])
      .where(`${table}.model`, '!=', '')
      .where(`${table}.model`, '!=', OTHER_UNREGISTERED);
    if (table === 'model_tasks_daily') q = q.where('model_tasks_daily.mixed', '=', 0);
    for (const r of await q.execute()) named.get(key(r.day, r.agent))?.add(r.model);
  }
  return {
    names(day, agent, model, { registered, adds }) {
      if (model === '' || model === OTHER_UNREGISTERED || registered || !adds) return false;
      const names = named.get(key(day, agent));
      return !names?.has(model) && (names?.size ?? 0) < MAX_MODELS_PER_DAY;
    },
    rowFor(day, agent, model, { registered, adds }) {
      if (model === '' || model === OTHER_UNREGISTERED) return model;
      const names = named.get(key(day, agent)) ?? new Set<string>();
      named.set(key(day, agent), names);
      if (names.has(model)) return model;
      if (adds && (registered || names.size < MAX_MODELS_PER_DAY)) {
        names.add(model);
        return model;
      }
      // A registered Model's row is made by the figures that first name it; taking back figures from a
      // row that does not exist can only mean they were folded (the name was not registered then).
      // Figures counted since 2026-12-14 say where they were counted (spans.folded, task_traces.folded)
      // and are taken back from there instead: a name registered since has a row the fold's calls never
      // went to.
      return OTHER_UNREGISTERED;
    },
  };
}

/**
 * How many locks the days share (namingLocks). An export may name new names on as many agents' days as
 * it has spans; a lock each came from PostgreSQL's shared lock table (max_locks_per_transaction × the
 * connections, and some slack: 34,000 measured with 300 connections), which exports of 395 days each
 * filled, 86 at once there and fewer on a smaller server ("out of shared memory" for every transaction
 * of the cluster). Two days that share a lock only wait for
 * each other, and only while one of them is given a new name.
 */
export const MODEL_NAME_LOCKS = 16;

/**
 * Takes the locks of these agents' days (PostgreSQL), for a transaction about to give one of them a new
 * unregistered name: two nodes that each read a day's 49 names gave theirs a row each (51). Taken once
 * per transaction, for every day it names, after its spans and traces and before any rollup row is
 * written (evidence-store.ts), so a transaction that waits holds no rollup row the holder needs; the
 * holder reads the day's names again under it. Most exports never take it: a registered Model always
 * has its row, and a name that has one keeps it. A day's lock is one of MODEL_NAME_LOCKS.
 */
export function namingLocks(trx: Kysely<Database>, pairs: ReadonlyArray<Pair>): Promise<void> {
  return adapterOf(trx).lockKeys(
    trx,
    pairs.map((p) => `fulcrum.model-names:${fnv1a(`${p.day}\u0000${p.agent}`) % MODEL_NAME_LOCKS}`),
  );
}

/** A string's 32-bit FNV-1a hash (of its UTF-16 code units): the same on every node. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Strings in UTF-16 code unit order, the same on every node (no locale). */
export const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
/** The rollups' key order (day, agent, model): the order an export locks the rows it upserts. */
export const byRollupKey = (a: Pair & { model: string }, b: Pair & { model: string }): number =>
  byText(a.day, b.day) || byText(a.agent, b.agent) || byText(a.model, b.model);
