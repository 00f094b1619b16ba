// What GET /v1/backup and `fulcrum backup status` answer: this node's last good backup (when, where, how
// large, what its check found), or why the node cannot say (docs/operations.md, "Backups").
import { assertCan, type Principal } from '../auth/principal.js';
import { type LastBackup, lastBackupFile, readLastBackup } from './last-backup.js';

/**
 * `recorded`: the last backup `fulcrum backup` wrote whole and checked clean. `none`: there has been
 * none. `unreadable`: its record is damaged (the age is unknown, not zero). `elsewhere`: a database
 * several nodes share (PostgreSQL) is backed up with its own tools, which Fulcrum does not see.
 */
export type BackupState = 'recorded' | 'none' | 'unreadable' | 'elsewhere';

export interface BackupStatus {
  engine: 'sqlite' | 'postgres';
  state: BackupState;
  /** Why there is no backup to show (every state but `recorded`). */
  note?: string;
  lastBackup?: LastBackup & { ageSeconds: number };
}

export interface BackupStatusSource {
  engine: 'sqlite' | 'postgres';
  /** Several nodes share the database: no one node's data directory holds its backups' record. */
  multiNode: boolean;
  dataDir: string;
}

export function backupStatus(actor: Principal, source: BackupStatusSource, now = Date.now()): BackupStatus {
  assertCan(actor, 'registry.read');
  const { engine } = source;
  if (source.multiNode)
    return {
      engine,
      state: 'elsewhere',
      note:
        'this database is backed up with its own tools (pg_dump), outside Fulcrum: no node sees when they ran; ' +
        'watch that job where it runs (docs/operations.md, "Backups")',
    };
  let last: LastBackup | undefined;
  try {
    last = readLastBackup(source.dataDir);
  } catch (err) {
    return { engine, state: 'unreadable', note: `the last backup's record cannot be read: ${(err as Error).message}` };
  }
  if (!last)
    return {
      engine,
      state: 'none',
      note: `no backup of this data directory was written whole and checked clean (${lastBackupFile(source.dataDir)} does not exist): run fulcrum backup --to FILE`,
    };
  return {
    engine,
    state: 'recorded',
    lastBackup: { ...last, ageSeconds: Math.max(0, Math.floor((now - Date.parse(last.at)) / 1000)) },
  };
}
