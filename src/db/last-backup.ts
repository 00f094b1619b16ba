// When `fulcrum backup` last wrote a whole, checked backup of a SQLite data directory: kept in the
// data directory beside the database, read by /metrics (fulcrum_backup_last_success_timestamp_seconds)
// so that a backup job that stopped running is noticed (deploy/prometheus/alerts.yml, FulcrumBackupOld).
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../private-files.js';

export interface LastBackup {
  /** When it was taken (ISO 8601). */
  at: string;
  file: string;
  bytes: number;
}

export const lastBackupFile = (dataDir: string) => path.join(dataDir, 'last-backup.json');

export function recordBackup(dataDir: string, backup: LastBackup): void {
  writePrivateFile(lastBackupFile(dataDir), `${JSON.stringify(backup)}\n`);
}

/** When the last backup was taken (ms since the epoch), or undefined when there has been none; throws, naming the file, when it cannot be read. */
export function lastBackupAt(dataDir: string): number | undefined {
  const file = lastBackupFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: Partial<LastBackup> | null;
  try {
    parsed = JSON.parse(text) as Partial<LastBackup> | null;
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const at = Date.parse(String(parsed?.at));
  if (!Number.isFinite(at)) throw new Error(`${file} does not say when the last backup was taken`);
  return at;
}
