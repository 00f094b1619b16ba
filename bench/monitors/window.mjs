// The rate monitors' window query (src/governance/monitors.ts: task.completed events by ended_at,
// fleet-wide and for a few agents) on ~1M task events, with and without an index on ended_at:
// EXPLAIN and the median time of a run, on SQLite, and on PostgreSQL when FULCRUM_DATABASE_URL is set.
//
//   npm run build && node bench/monitors/window.mjs [--rows 1000000] [--runs 7]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../../dist/db/adapter.js';
import { migrateToLatest } from '../../dist/db/migrate.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '7' } },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const url = process.env.FULCRUM_DATABASE_URL;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-monitors-'));
const handle = openDatabase(url ? { databaseUrl: url } : { sqliteFile: path.join(dir, 'fulcrum.db') });
const { db } = handle;
const pg = Boolean(url);
await migrateToLatest(handle);
// Measured without the index first (migration 20261212T0110 creates it), then with it.
await sql`DROP INDEX IF EXISTS task_events_ended`.execute(db);

// ROWS events over 90 days, 200 agents; ended_at spread evenly, ISO strings as ingest writes them.
const start = Date.now() - 90 * 86_400_000;
const step = (90 * 86_400_000) / ROWS;
console.log(`filling ${ROWS} task events (${pg ? 'PostgreSQL' : 'SQLite'}) …`);
/** Inserts task events `from`..`to` in statements of ~500 rows, as ingest writes its slices. */
async function insertEvents(from, to) {
  const rows = [];
  for (let j = from; j < to; j++) {
    const ended = new Date(start + (j % ROWS) * step).toISOString();
    rows.push({
      agent: `agent-${j % 200}`,
      task_id: `t-${j}`,
      type: j % 4 === 0 ? 'task.started' : 'task.completed',
      workflow: null,
      outcome: j % 4 === 0 ? null : ['resolved', 'failed', 'escalated'][j % 3],
      duration_ms: 1000,
      started_at: ended,
      ended_at: ended,
      day: ended.slice(0, 10),
      cost_usd: null,
      source: 'api',
      registered: 1,
      attributes: '{}',
      received_at: ended,
      claimed_agent: null,
      sent_by: null,
    });
  }
  for (let k = 0; k < rows.length; k += 500)
    await db
      .insertInto('task_events')
      .values(rows.slice(k, k + 500))
      .execute();
}
for (let i = 0; i < ROWS; i += 5000) await insertEvents(i, Math.min(ROWS, i + 5000));
let next = ROWS;
/** Task events written a second, the median of 3 rounds of 50,000 (each batch its own statement). */
async function insertRate() {
  const rates = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await insertEvents(next, next + 50_000);
    next += 50_000;
    rates.push(50_000 / ((performance.now() - t) / 1000));
  }
  return `${Math.round(median(rates))} events/s (${rates.map((x) => Math.round(x)).join(', ')})`;
}
if (pg) await sql`ANALYZE task_events`.execute(db);
else await sql`ANALYZE`.execute(db);

const until = new Date().toISOString();
const since = new Date(Date.now() - 3_600_000).toISOString(); // a 1 h window
const query = (agents) => {
  const q = db
    .selectFrom('task_events')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.sum(eb.case().when('outcome', '=', 'failed').then(1).else(0).end()).as('hit'),
    ])
    .where('type', '=', 'task.completed')
    .where('ended_at', '>=', since)
    .where('ended_at', '<=', until);
  return agents ? q.where('agent', 'in', agents) : q.where('agent', '!=', '');
};

async function report(label) {
  for (const [what, agents] of [
    ['fleet-wide', undefined],
    ['3 agents', ['agent-1', 'agent-2', 'agent-3']],
  ]) {
    const q = query(agents).compile();
    const explain = pg ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
    const planRows = await db.executeQuery({ ...q, sql: `${explain} ${q.sql}` });
    const text = planRows.rows.map((r) => r['QUERY PLAN'] ?? r.detail).join(' | ');
    const times = [];
    let answer;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      answer = await query(agents).executeTakeFirst();
      times.push(performance.now() - t);
    }
    console.log(
      `${label}, ${what}: ${median(times).toFixed(2)} ms median (${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)}), ${answer.n} events; plan: ${text}`,
    );
  }
}

await report('no index on ended_at');
console.log(`inserting into ${ROWS}+ events without the index: ${await insertRate()}`);
const t = performance.now();
await sql`CREATE INDEX task_events_ended ON task_events (ended_at)`.execute(db);
console.log(`CREATE INDEX on ${ROWS} rows: ${Math.round(performance.now() - t)} ms`);
if (pg) await sql`ANALYZE task_events`.execute(db);
else await sql`ANALYZE`.execute(db);
await report('index on ended_at');
console.log(`inserting with the index: ${await insertRate()}`);
await handle.close?.();
fs.rmSync(dir, { recursive: true, force: true });
