// Descriptors stored with a lone UTF-16 surrogate, before such text was refused (d8e9c1a, docs/api.md
// "Text Fulcrum stores"). `spec` and `labels` are JSON text, so `JSON.stringify` kept a lone surrogate
// as the escape `\ud800` on both engines, and reading the row back gave it again: cedar-wasm cannot
// read it, so a node on such a database answered every decision 500 and, once restarted, did not start
// at all (its first policy snapshot failed). Each such string (or object key) becomes what either
// engine stores for lone surrogates in text: U+FFFD, the replacement character. The surrogate stood
// for no character, so nothing a person wrote is lost; the object's generation is left as it is, and
// its next apply from the source files shows the difference if the source still holds the escape
// (which is then refused, naming the field).
import { type Kysely, sql } from 'kysely';
import type { DialectAdapter } from '../adapter.js';

/** A JSON `\uXXXX` escape of a surrogate (D800–DFFF): only rows holding one are parsed at all. */
const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/;

type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

function repaired(value: unknown): unknown {
  if (typeof value === 'string') return (value as WellFormed).toWellFormed();
  if (Array.isArray(value)) return value.map(repaired);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [(k as WellFormed).toWellFormed(), repaired(v)]));
  return value;
}

/** The JSON text with every lone surrogate replaced, or undefined when it holds none. */
export function repairedJson(text: string): string | undefined {
  if (!SURROGATE_ESCAPE.test(text)) return undefined; // a surrogate pair's escapes match too: parsed, then kept
  const out = JSON.stringify(repaired(JSON.parse(text)));
  return out === JSON.stringify(JSON.parse(text)) ? undefined : out;
}

export function up(_adapter: DialectAdapter) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const rows = await sql<{ kind: string; name: string; labels: string; spec: string }>`
      SELECT kind, name, labels, spec FROM registry_objects`.execute(db);
    for (const r of rows.rows) {
      const labels = repairedJson(r.labels);
      const spec = repairedJson(r.spec);
      if (labels === undefined && spec === undefined) continue;
      await sql`UPDATE registry_objects SET labels = ${labels ?? r.labels}, spec = ${spec ?? r.spec}
        WHERE kind = ${r.kind} AND name = ${r.name}`.execute(db);
    }
  };
}
