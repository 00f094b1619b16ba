// Renders the database schema as Markdown (docs/schema.md), so schema drift shows in review.
// A test regenerates it from the migrations and fails when the checked-in copy differs.
import type { DatabaseHandle } from './adapter.js';

export async function schemaReport({ db, adapter }: DatabaseHandle): Promise<string> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_'));
  tables.sort((a, b) => a.name.localeCompare(b.name));
  const lines = [
    '# Database schema',
    '',
    `Generated from the migrations on ${adapter.engine} by \`npm run schema-report\`; do not edit by hand.`,
    '',
  ];
  for (const t of tables) {
    lines.push(`## ${t.name}`, '', '| column | type | null | default |', '|---|---|---|---|');
    for (const c of t.columns)
      lines.push(
        `| ${c.name} | ${c.dataType.toLowerCase()} | ${c.isNullable ? 'yes' : 'no'} | ${c.hasDefaultValue ? 'yes' : ''} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
