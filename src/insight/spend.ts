// Spend lines: imported against a budget as CSV (`date,category,amount,initiative,description`) or
// JSON, all or nothing — a file with any bad row is refused whole, with every bad row listed.
import type { Kysely } from 'kysely';
import { actorName, assertCan, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { InputError, NotFoundError, ValidationError } from '../errors.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { BUDGET_CATEGORIES } from '../registry/schemas.js';

export interface SpendLine {
  date: string;
  category: string;
  amount: number;
  initiative?: string;
  description?: string;
}

const COLUMNS = ['date', 'category', 'amount', 'initiative', 'description'] as const;

/** RFC 4180-style CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Lines from a CSV text (with a header row) or a JSON array, before checking them against a budget. */
export function readLines(body: unknown): Array<{ where: string; raw: Record<string, unknown> }> {
  if (typeof body === 'string') {
    const [header, ...rows] = parseCsv(body);
    const names = (header ?? []).map((h) => h.trim());
    if (names.join(',') !== COLUMNS.join(',')) throw new InputError(`the CSV header must be "${COLUMNS.join(',')}"`);
    return rows.map((r, i) => ({
      where: `line ${i + 2}`,
      raw: Object.fromEntries(COLUMNS.map((c, j) => [c, (r[j] ?? '').trim()]).filter(([, v]) => v !== '')),
    }));
  }
  const lines = (body as { lines?: unknown } | null)?.lines ?? body;
  if (!Array.isArray(lines))
    throw new InputError('the body must be CSV (text/csv) or JSON: {"lines":[{date,category,amount,initiative?,description?}]}');
  return lines.map((raw, i) => ({ where: `lines[${i}]`, raw: (raw ?? {}) as Record<string, unknown> }));
}

export type SpendService = ReturnType<typeof createSpendService>;

export function createSpendService(deps: { db: Kysely<Database>; registry(): Promise<RegistrySnapshot> }) {
  const { db } = deps;
  return {
    async import(actor: Principal, budget: string, body: unknown) {
      assertCan(actor, 'registry.write');
      const registry = await deps.registry();
      const b = registry.get('Budget', budget);
      if (!b) throw new NotFoundError(`no Budget named "${budget}"`);
      const problems: Array<{ path: string; message: string }> = [];
      const good: SpendLine[] = [];
      for (const { where, raw } of readLines(body)) {
        const bad = (message: string) => problems.push({ path: where, message: `${where}: ${message}` });
        const date = String(raw.date ?? '');
        const amount = typeof raw.amount === 'number' ? raw.amount : Number(raw.amount);
        const category = String(raw.category ?? '');
        const initiative = raw.initiative === undefined ? undefined : String(raw.initiative);
        const before = problems.length;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) bad(`date "${date}" is not YYYY-MM-DD`);
        else if (date < b.spec.period.from || date > b.spec.period.to)
          bad(`date ${date} is outside ${budget} (${b.spec.period.from} … ${b.spec.period.to})`);
        if (!(BUDGET_CATEGORIES as readonly string[]).includes(category))
          bad(`category "${category}" is not one of ${BUDGET_CATEGORIES.join(', ')}`);
        if (raw.amount === undefined || raw.amount === '' || !Number.isFinite(amount) || amount < 0)
          bad(`amount "${String(raw.amount ?? '')}" is not a non-negative number`);
        if (initiative !== undefined && !registry.has('Initiative', initiative)) bad(`no Initiative named "${initiative}"`);
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
      const at = new Date().toISOString();
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < good.length; i += 500)
          await trx
            .insertInto('spend_lines')
            .values(
              good.slice(i, i + 500).map((l) => ({
                budget,
                date: l.date,
                category: l.category,
                amount: l.amount,
                initiative: l.initiative ?? null,
                description: l.description ?? null,
                imported_by: actorName(actor),
                imported_at: at,
              })),
            )
            .execute();
      });
      return { budget, imported: good.length, total: Math.round(good.reduce((s, l) => s + l.amount, 0) * 100) / 100 };
    },
  };
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
