// Spend lines: imported against a budget as CSV (`date,category,amount,initiative,description`) or
// JSON, all or nothing — a file with any bad row is refused whole, with every bad row listed. The same
// lines imported again book nothing (docs/insight.md, "Importing the same lines twice").
import { createHash } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { actorName, assertCan, type Principal } from '../auth/principal.js';
import { newId } from '../auth/tokens.js';
import { bulkInserter } from '../db/bulk-insert.js';
import type { Database, SpendImportTable } from '../db/schema.js';
import { ConflictError, InputError, NotFoundError, ValidationError } from '../errors.js';
import type { ActRecord, ChangeWithActs } from '../guard/audit.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { createRegistryStore, lockRevision } from '../registry/registry-store.js';
import { BUDGET_CATEGORIES } from '../registry/schemas.js';
import { nextTurn, slicer } from '../registry/slices.js';
import { unstorableFact } from '../stored-text.js';

export interface SpendLine {
  date: string;
  category: string;
  amount: number;
  initiative?: string;
  description?: string;
}

const COLUMNS = ['date', 'category', 'amount', 'initiative', 'description'] as const;
/** What a JSON line may hold: the columns, and the currency it is in (which must be the budget's). */
const JSON_FIELDS: ReadonlySet<string> = new Set([...COLUMNS, 'currency']);
/** YYYY-MM-DD naming a day that exists. */
function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
/** An amount written out: digits, an optional fraction, an optional exponent (no hex, no binary). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The largest amount a spend line may carry (a trillion, in the budget's currency): sums stay exact enough and finite. */
export const MAX_AMOUNT = 1e12;

/**
 * The most lines one import holds. An import is written in one transaction with its audit entry, and
 * the node's decisions wait for it (docs/audit.md); at this size that is a few tens of ms. A larger
 * file is refused, naming its size: import it in parts (each part is an import of its own).
 */
export const MAX_SPEND_LINES = 10_000;

/** CSV text parsed at a time, each piece on a turn of the event loop of its own (~1-3 ms of csv-parse here). */
const CSV_PIECE = 16 * 1024;

/**
 * RFC 4180 CSV through csv-parse (quoted fields may hold commas, quotes and newlines), each row with
 * the line it starts on. Blank lines are skipped; a quote that is never closed is an error naming the
 * line where it opened (it would otherwise swallow every line after it).
 *
 * Parsed a piece at a time, the event loop turning between pieces: csv-parse takes 20-50 µs a line
 * here, and a 1.3 MB file parsed in one go held the node (every decision of it) for a second. A piece
 * is small enough that giving each its own turn costs nothing worth a clock.
 */
export async function parseCsv(text: string): Promise<Array<{ line: number; fields: string[] }>> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let lastEnd = 0;
  // One kind of line break, so that lines count the same inside quoted fields and out (csv-parse
  // counts a CRLF inside a quoted field as two lines); a description keeps its breaks as LF.
  const lf = text.replace(/\r\n?/g, '\n');
  let failure: { code?: string; message: string } | undefined;
  const parser = parse({
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
    on_record: (fields: string[], context: { lines: number }) => {
      // context.lines is the line the record ends on; its own newlines are inside its fields.
      const inside = fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
      rows.push({ line: context.lines - inside, fields });
      lastEnd = context.lines;
      return null; // kept here, not in the parser's own list
    },
  });
  parser.on('error', (err: { code?: string; message: string }) => {
    failure ??= err;
  });
  parser.resume(); // nothing is passed on (on_record keeps each row), so the stream ends once flushed
  for (let at = 0; at < lf.length && failure === undefined; ) {
    let end = Math.min(at + CSV_PIECE, lf.length);
    // Not between the two halves of a surrogate pair: each piece is encoded as UTF-8 on its own.
    const last = lf.charCodeAt(end - 1);
    if (end < lf.length && last >= 0xd800 && last <= 0xdbff) end--;
    parser.write(lf.slice(at, end));
    at = end;
    await nextTurn();
  }
  parser.end();
  await finished(parser).catch(() => undefined); // its error, if any, is `failure`
  if (failure) {
    const line = firstNonBlankLineAfter(lf, lastEnd);
    if (failure.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new InputError(`CSV line ${line}: a quoted field opens here and is never closed`);
    throw new InputError(`CSV line ${line}: ${failure.message}`);
  }
  return rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

function firstNonBlankLineAfter(text: string, line: number): number {
  const lines = text.split('\n');
  for (let i = line; i < lines.length; i++) if ((lines[i] ?? '').trim() !== '') return i + 1;
  return line + 1;
}

/** Lines from a CSV text (with a header row) or a JSON array, before checking them against a budget. */
export async function readLines(body: unknown): Promise<Array<{ where: string; raw: Record<string, unknown>; extra?: number }>> {
  if (typeof body === 'string') {
    const [header, ...rows] = await parseCsv(body);
    const names = (header?.fields ?? []).map((h) => h.trim());
    if (names.join(',') !== COLUMNS.join(',')) throw new InputError(`the CSV header must be "${COLUMNS.join(',')}"`);
    tooManyLines(rows.length);
    return rows.map((r) => ({
      where: `line ${r.line}`,
      raw: Object.fromEntries(COLUMNS.map((c, j) => [c, (r.fields[j] ?? '').trim()]).filter(([, v]) => v !== '')),
      ...(r.fields.length > COLUMNS.length ? { extra: r.fields.length - COLUMNS.length } : {}),
    }));
  }
  const lines = (body as { lines?: unknown } | null)?.lines ?? body;
  if (!Array.isArray(lines))
    throw new InputError('the body must be CSV (text/csv) or JSON: {"lines":[{date,category,amount,initiative?,description?}]}');
  tooManyLines(lines.length);
  return lines.map((raw, i) => ({ where: `lines[${i}]`, raw: (raw ?? {}) as Record<string, unknown> }));
}

function tooManyLines(n: number): void {
  if (n > MAX_SPEND_LINES)
    throw new InputError(
      `the import holds ${n} lines, more than the ${MAX_SPEND_LINES} one import may hold: import it in parts (the same lines imported again are booked once, so a part retried is safe)`,
    );
}

/** spend_lines rows, written many a statement (src/db/bulk-insert.ts). */
const insertLines = bulkInserter('spend_lines', [
  'budget',
  'date',
  'category',
  'amount',
  'initiative',
  'description',
  'imported_by',
  'imported_at',
  'import_id',
]);

export type SpendService = ReturnType<typeof createSpendService>;

export function createSpendService(deps: {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  /** The audit log: an import and a withdrawal are acts (a withdrawal leaves no other trace). */
  /** An import or a withdrawal and its audit entry, in one transaction (src/guard/audit.ts). */
  changeWithActs: ChangeWithActs;
}) {
  const { db } = deps;
  return {
    async import(actor: Principal, budget: string, body: unknown) {
      assertCan(actor, 'registry.write');
      const registry = await deps.registry();
      const b = registry.get('Budget', budget);
      if (!b) throw new NotFoundError(`no Budget named "${budget}"`);
      const problems: Array<{ path: string; message: string }> = [];
      const good: SpendLine[] = [];
      // Checked in slices of a few ms, the event loop turning between them, as the CSV was parsed.
      const pause = slicer();
      for (const { where, raw, extra } of await readLines(body)) {
        const paused = pause();
        if (paused) await paused;
        const bad = (message: string) => problems.push({ path: where, message: `${where}: ${message}` });
        if (extra) bad(`${extra} field(s) more than the header's ${COLUMNS.length} (quote a description that holds a comma)`);
        const date = String(raw.date ?? '');
        // A JSON number, or a decimal in text (CSV, or JSON from a spreadsheet export): `Number()`
        // alone read [], null and " " as 0, true as 1 and "0x10" as 16.
        const amount =
          typeof raw.amount === 'number'
            ? raw.amount
            : typeof raw.amount === 'string' && DECIMAL.test(raw.amount.trim())
              ? Number(raw.amount.trim())
              : Number.NaN;
        const category = String(raw.category ?? '');
        const initiative = raw.initiative === undefined || raw.initiative === null ? undefined : String(raw.initiative);
        const before = problems.length;
        // A day that exists: Date.parse took 2026-02-31.
        if (!isDay(date)) bad(`date "${date}" is not a day written YYYY-MM-DD`);
        else if (date < b.spec.period.from || date > b.spec.period.to)
          bad(`date ${date} is outside ${budget} (${b.spec.period.from} … ${b.spec.period.to})`);
        if (!(BUDGET_CATEGORIES as readonly string[]).includes(category))
          bad(`category "${category}" is not one of ${BUDGET_CATEGORIES.join(', ')}`);
        if (raw.amount === undefined || raw.amount === '' || !Number.isFinite(amount) || amount < 0 || amount > MAX_AMOUNT)
          bad(`amount "${String(raw.amount ?? '')}" is not a number from 0 to ${MAX_AMOUNT.toExponential()}`);
        if (initiative !== undefined && !registry.has('Initiative', initiative)) bad(`no Initiative named "${initiative}"`);
        // A field a JSON line holds and Fulcrum does not read was dropped (found by review): 1,000 EUR
        // imported into a USD budget was booked as $1,000, and a misspelt "initative" booked to no
        // initiative. A currency is read, and must be the budget's: no currency is converted.
        if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
          const unknown = Object.keys(raw).find((k) => !JSON_FIELDS.has(k));
          if (unknown !== undefined) bad(`unknown field ${JSON.stringify(unknown)} (a line has ${[...JSON_FIELDS].join(', ')})`);
        }
        if (
          typeof raw.currency === 'string' &&
          raw.currency.trim() !== '' &&
          raw.currency.trim().toUpperCase() !== b.spec.currency.toUpperCase()
        )
          bad(
            `currency ${JSON.stringify(raw.currency)} is not the currency of ${budget} (${b.spec.currency}): Fulcrum converts no currency; import it into a budget in ${raw.currency.trim()}, or convert it first`,
          );
        for (const field of ['date', 'category', 'initiative', 'description', 'currency'] as const) {
          const v = raw[field];
          if (v !== undefined && v !== null && typeof v !== 'string')
            bad(`${field} must be text, got ${Array.isArray(v) ? 'a list' : typeof v}`);
          // PostgreSQL's text holds no NUL (the import failed there with a 500; SQLite stored it): the
          // shared check of text no database stores, which names the line.
          else if (typeof v === 'string') {
            const fact = unstorableFact(v);
            if (fact) bad(`${field} ${fact}`);
          }
        }
        if (problems.length === before)
          good.push({
            date,
            category,
            amount,
            ...(initiative ? { initiative } : {}),
            ...(raw.description ? { description: String(raw.description) } : {}),
          });
      }
      if (problems.length > 0) throw new ValidationError(`${problems.length} bad line(s); nothing was imported`, problems);
      if (good.length === 0) throw new InputError('no spend lines to import');
      const total = Math.round(good.reduce((s, l) => s + l.amount, 0) * 100) / 100;
      const contentHash = hashLines(good);
      const id = newId('spi_');
      const at = new Date().toISOString();
      const result = await deps.changeWithActs(async (trx) => {
        // The registry's lock, shared, and the Budget as committed: its currency is the lines' (they
        // carry none), and a change of it counts the lines under that lock (registry-service.ts), so
        // an import and the change never both go through on two nodes.
        await lockRevision(trx, 'shared');
        const committed = await createRegistryStore(trx).get('Budget', budget);
        if (committed?.spec.currency !== b.spec.currency)
          throw new ConflictError(
            `${budget} ${committed ? `is now in ${committed.spec.currency}, not ${b.spec.currency}` : 'was deleted'} while these lines were checked; nothing was imported: import them again`,
          );
        // The import's record first, in the lines' transaction: a retry, or the same lines again,
        // meets the unique (budget, content_hash) and is answered with the earlier import. On
        // PostgreSQL a concurrent identical import waits here for the first to commit or roll back.
        const fresh = await trx
          .insertInto('spend_imports')
          .values({
            id,
            budget,
            content_hash: contentHash,
            lines: good.length,
            total,
            imported_by: actorName(actor),
            imported_at: at,
          })
          .onConflict((oc) => oc.columns(['budget', 'content_hash']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!fresh) {
          const earlier = await trx
            .selectFrom('spend_imports')
            .selectAll()
            .where('budget', '=', budget)
            .where('content_hash', '=', contentHash)
            .executeTakeFirstOrThrow();
          return { value: { ...importResult(earlier), alreadyImported: true as const }, acts: [] };
        }
        const by = actorName(actor);
        await insertLines(
          trx,
          good.map((l) => ({
            budget,
            date: l.date,
            category: l.category,
            amount: l.amount,
            initiative: l.initiative ?? null,
            description: l.description ?? null,
            imported_by: by,
            imported_at: at,
            import_id: id,
          })),
        );
        const act: ActRecord = {
          kind: 'spend.imported',
          actor: actorName(actor),
          detail: { budget, import: id, lines: good.length, total, contentHash },
        };
        return { value: { budget, importId: id, imported: good.length, total }, acts: [act] };
      });
      return result;
    },

    /** The budget's recorded imports, newest first (lines imported before they were recorded are in none). */
    async list(actor: Principal, budget: string) {
      assertCan(actor, 'registry.read');
      if (!(await deps.registry()).has('Budget', budget)) throw new NotFoundError(`no Budget named "${budget}"`);
      const rows = await db
        .selectFrom('spend_imports')
        .selectAll()
        .where('budget', '=', budget)
        .orderBy('imported_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((r) => ({ ...importResult(r), importedBy: r.imported_by, importedAt: r.imported_at }));
    },

    /**
     * Withdraws an import: its lines and its record, in one transaction. This is how a corrected
     * re-issue of an invoice is booked: withdraw the earlier import, then import the corrected file
     * (which, differing in content, would otherwise be booked beside the earlier one).
     */
    async withdraw(actor: Principal, budget: string, importId: string) {
      assertCan(actor, 'registry.write');
      // The import's record is gone with its lines: the audit log keeps what was withdrawn, and by whom.
      await deps.changeWithActs(async (trx) => {
        const row = await trx
          .deleteFrom('spend_imports')
          .where('budget', '=', budget)
          .where('id', '=', importId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new NotFoundError(`no spend import "${importId}" in ${budget}`);
        await trx.deleteFrom('spend_lines').where('budget', '=', budget).where('import_id', '=', importId).execute();
        const act: ActRecord = {
          kind: 'spend.withdrawn',
          actor: actorName(actor),
          detail: {
            budget,
            import: importId,
            lines: Number(row.lines),
            total: Number(row.total),
            contentHash: row.content_hash,
            importedBy: row.imported_by,
            importedAt: row.imported_at,
          },
        };
        return { value: undefined, acts: [act] };
      });
    },
  };
}

function importResult(r: Pick<SpendImportTable, 'id' | 'budget' | 'lines' | 'total'>) {
  return { budget: r.budget, importId: r.id, imported: Number(r.lines), total: Number(r.total) };
}

/**
 * What makes two imports the same: their lines as booked (after parsing, so CSV and JSON, line
 * endings, spacing and `200.50` against `200.5` make no difference), in any order.
 */
export function hashLines(lines: readonly SpendLine[]): string {
  const canonical = lines
    .map((l) => JSON.stringify([l.date, l.category, l.amount, l.initiative ?? null, l.description ?? null]))
    .sort();
  return createHash('sha256').update(canonical.join('\n')).digest('hex');
}

/** Every spend line of a budget: the descriptor's `actuals` and the imported ones. */
export async function spendLinesOf(db: Kysely<Database>, registry: RegistrySnapshot, budget: string): Promise<SpendLine[]> {
  const b = registry.get('Budget', budget);
  const imported = await db.selectFrom('spend_lines').selectAll().where('budget', '=', budget).execute();
  return [
    ...(b?.spec.actuals ?? []),
    ...imported.map((l) => ({
      date: l.date,
      category: l.category,
      amount: Number(l.amount),
      ...(l.initiative ? { initiative: l.initiative } : {}),
      ...(l.description ? { description: l.description } : {}),
    })),
  ];
}
