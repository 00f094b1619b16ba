// The admin token: FULCRUM_ADMIN_TOKEN when set; otherwise generated once per database, its hash
// kept in the database (so every node of a cluster accepts it) and the token written to
// $FULCRUM_DATA_DIR/admin-token (mode 0600) on the node that generated it.
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { writePrivateFile } from '../private-files.js';
import { hashToken, newSecret, TOKEN_PREFIX } from './tokens.js';

const SETTING = 'admin_token_sha256';

export interface AdminToken {
  hash: string;
  /** Set only when this call generated the token: the caller prints it, once. */
  generated?: { token: string; file: string };
}

export async function setupAdminToken(
  db: Kysely<Database>,
  opts: { fixed?: string | undefined; dataDir: string },
): Promise<AdminToken> {
  if (opts.fixed) return { hash: hashToken(opts.fixed) };
  const existing = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  if (existing) return { hash: existing.value };

  const token = newSecret(TOKEN_PREFIX.admin);
  const hash = hashToken(token);
  await db
    .insertInto('settings')
    .values({ key: SETTING, value: hash })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const stored = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirstOrThrow();
  if (stored.value !== hash) return { hash: stored.value }; // another node won the race
  const file = adminTokenFile(opts.dataDir);
  writePrivateFile(file, `${token}\n`);
  return { hash, generated: { token, file } };
}

export function adminTokenFile(dataDir: string): string {
  return path.join(dataDir, 'admin-token');
}
