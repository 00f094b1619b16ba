// When `fulcrum backup` last wrote a whole, checked backup of a SQLite data directory, where, how large
// and what its check found: kept in the data directory beside the database, read by /metrics
// (fulcrum_backup_last_success_timestamp_seconds) so that a backup job that stopped running is noticed
// (deploy/prometheus/alerts.yml, FulcrumBackupOld), and by GET /v1/backup (`fulcrum backup status`).
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../private-files.js';

export interface LastBackup {
  /** When it was taken (ISO 8601). */
  at: string;
  file: string;
  bytes: number;
  /** How long copying and checking it took (absent in records written before session 40). */
  seconds?: number;
  /** What its check found, as the command printed it ("integrity ok; audit log intact: …"). Only a
   *  clean check is recorded: a backup whose check had findings never is. */
  checked?: string;
}

export const lastBackupFile = (dataDir: string) => path.join(dataDir, 'last-backup.json');

export function recordBackup(dataDir: string, backup: LastBackup): void {
  writePrivateFile(lastBackupFile(dataDir), `${JSON.stringify(backup)}\n`);
}

/** The last backup recorded, or undefined when there has been none; throws, naming the file, when it cannot be read. */
export function readLastBackup(dataDir: string): LastBackup | undefined {
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
  const { file: taken, bytes, seconds, checked } = parsed ?? {};
  if (typeof taken !== 'string' || !Number.isSafeInteger(bytes) || (bytes as number) < 0)
    throw new Error(`${file} does not say where the last backup was written and how large it is`);
  return {
    at: new Date(at).toISOString(),
    file: taken,
    bytes: bytes as number,
    ...(typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? { seconds } : {}),
    ...(typeof checked === 'string' ? { checked: checked.slice(0, 1000) } : {}),
  };
}

/** When the last backup was taken (ms since the epoch), or undefined when there has been none; throws, naming the file, when it cannot be read. */
export function lastBackupAt(dataDir: string): number | undefined {
  const last = readLastBackup(dataDir);
  return last && Date.parse(last.at);
}
