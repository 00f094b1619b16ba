// The node's last good backup, as `fulcrum backup status` shows it (docs/operations.md, "Backups").
import { Type as T } from '@sinclair/typebox';
import type { App } from '../../app.js';
import { type BackupState, backupStatus } from '../../db/backup-status.js';
import type { Server } from '../schemas.js';

const STATES: BackupState[] = ['recorded', 'none', 'unreadable', 'elsewhere'];

const BackupStatus = T.Object(
  {
    engine: T.Unsafe<'sqlite' | 'postgres'>({ type: 'string', enum: ['sqlite', 'postgres'] }),
    state: T.Unsafe<BackupState>({
      type: 'string',
      enum: STATES,
      description:
        'recorded: the last backup `fulcrum backup` wrote whole and checked clean; none: there has been none; ' +
        'unreadable: its record cannot be read (the age is unknown, not zero); elsewhere: PostgreSQL, backed up with pg_dump outside Fulcrum',
    }),
    note: T.Optional(T.String({ description: 'why there is no backup to show (every state but recorded)' })),
    lastBackup: T.Optional(
      T.Object({
        at: T.String({ format: 'date-time', description: 'when it was taken' }),
        ageSeconds: T.Integer({ minimum: 0 }),
        file: T.String({ description: 'where it was written, on the machine that wrote it' }),
        bytes: T.Integer({ minimum: 0 }),
        seconds: T.Optional(T.Number({ minimum: 0, description: 'how long copying and checking it took' })),
        checked: T.Optional(T.String({ description: 'what its check found (integrity, audit chains, signed checkpoints)' })),
      }),
    ),
  },
  { $id: 'BackupStatus' },
);

export function backupRoutes(server: Server, app: App): void {
  server.addSchema(BackupStatus);
  server.get(
    '/v1/backup',
    {
      schema: {
        operationId: 'getBackupStatus',
        tags: ['operations'],
        summary: "This node's last good backup: when, where, how large, what its check found",
        response: { 200: T.Ref(BackupStatus) },
      },
    },
    async (req) =>
      backupStatus(req.principal, {
        engine: app.database.adapter.engine,
        multiNode: app.database.adapter.multiNode,
        dataDir: app.config.dataDir,
      }),
  );
}
