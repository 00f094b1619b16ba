// Retention periods and the purge that enforces them; the evidence export for auditors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Type as T, type TSchema } from '@sinclair/typebox';
import { BusyError } from '../../errors.js';
import type { EvidenceExportService } from '../../governance/evidence-export.js';
import { DATA_TYPES, type DataType, type RetentionService } from '../../governance/retention.js';
import { errorResponses, Name, type Server } from '../schemas.js';

const perDataType = <S extends TSchema>(schema: S) =>
  Object.fromEntries(DATA_TYPES.map((d) => [d, schema])) as Record<DataType, S>;

const RetentionPolicy = T.Object(
  {
    periods: T.Object(perDataType(T.Integer({ minimum: 1, description: 'days' })), {
      description: 'days each data type is kept',
    }),
    highRiskFloorDays: T.Integer({
      description: "logs of high-risk (and prohibited) initiatives' agents are kept at least this long, whatever the period",
    }),
  },
  { $id: 'RetentionPolicy', description: 'retention periods per data type, in days' },
);

const RetentionPurge = T.Object(
  {
    ...perDataType(T.Integer({ description: 'rows deleted (arguments: redacted)' })),
    held: T.Object(
      {
        highRisk: T.Array(T.String(), {
          description:
            'agents of high-risk or prohibited initiatives (or that left one since the floor): kept at least highRiskFloorDays; the first 100 by name',
        }),
        highRiskCount: T.Integer({ description: 'how many agents the high-risk hold held, listed or not' }),
        incident: T.Array(T.String(), {
          description: 'agents linked to an incident that is not closed: kept until it closes; the first 100 by name',
        }),
        incidentCount: T.Integer({ description: 'how many agents the incident hold held, listed or not' }),
      },
      { description: 'agents whose data was held back' },
    ),
    dryRun: T.Optional(
      T.Literal(true, {
        description: 'a preview (dryRun): nothing was deleted or redacted; the counts are what a purge now would',
      }),
    ),
    auditHeldBack: T.Optional(
      T.String({
        description:
          "why this node purged no audit entries: its signing key is not the one the database's checkpoints are signed with (docs/audit.md)",
      }),
    ),
  },
  { $id: 'RetentionPurge', description: 'what a purge deleted or redacted, per data type, and what it held' },
);

export function retentionRoutes(server: Server, retention: RetentionService): void {
  const tags = ['governance'];
  server.addSchema(RetentionPolicy);
  server.addSchema(RetentionPurge);
  const Periods = T.Object(perDataType(T.Optional(T.Integer({ minimum: 1, maximum: 36_500, description: 'days' }))), {
    additionalProperties: false,
  });
  server.get(
    '/v1/retention',
    {
      schema: {
        operationId: 'getRetention',
        tags,
        summary: 'Retention periods per data type, in days',
        response: { 200: T.Ref(RetentionPolicy) },
      },
    },
    async (req) => retention.get(req.principal),
  );
  server.put(
    '/v1/retention',
    {
      schema: {
        operationId: 'putRetention',
        tags,
        summary: 'Change retention periods (platform or admin)',
        body: Periods,
        response: { 200: T.Ref(RetentionPolicy) },
      },
    },
    async (req) => retention.set(req.principal, req.body),
  );
  server.post(
    '/v1/retention/purge',
    {
      schema: {
        operationId: 'purgeRetention',
        tags,
        summary: 'Purge what is past its period now (high-risk logs kept ≥ 6 months; incident-linked data held)',
        description:
          'With dryRun=true, a preview: what a purge now would delete or redact and hold, counted by the same queries, with nothing changed and nothing recorded.',
        querystring: T.Object({
          dryRun: T.Optional(T.Boolean({ description: 'count what would go, change nothing' })),
        }),
        response: { 200: T.Ref(RetentionPurge) },
      },
    },
    async (req) => (req.query.dryRun ? retention.preview(req.principal) : retention.purge(req.principal)),
  );
}

/** The evidence archive for an auditor (tar.gz). */
export function evidenceExportRoutes(server: Server, exporter: EvidenceExportService): void {
  server.get(
    '/v1/initiatives/:name/evidence',
    {
      schema: {
        operationId: 'exportEvidence',
        tags: ['governance'],
        summary:
          "An auditor's archive (tar.gz): inventory, risk, reviews, policies, audit excerpt with chain proof, monitors, incidents, outcomes",
        params: T.Object({ name: Name }),
        response: {
          200: {
            description: 'the archive, as an attachment',
            content: { 'application/gzip': { schema: T.Unsafe<Buffer | fs.ReadStream>({ type: 'string', format: 'binary' }) } },
          },
          // 503 (with Retry-After): two exports are running on this node already.
          ...errorResponses(404, 503),
        },
      },
    },
    async (req, reply) => {
      let dir: string | undefined;
      try {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-export-'));
        const file = path.join(dir, `${req.params.name}-evidence.tar.gz`);
        await exporter.export(req.principal, req.params.name, file);
        // Sent from the file as it is read, never whole in memory (an archive over 2 GiB could not be
        // read into one buffer, found by review). The open descriptor keeps the data readable after
        // the folder is removed below, and the stream closes it when the body is sent or the caller
        // leaves.
        const fd = fs.openSync(file, 'r');
        const size = fs.fstatSync(fd).size;
        reply
          .type('application/gzip')
          .header('content-length', size)
          .header('content-disposition', `attachment; filename="${req.params.name}-evidence.tar.gz"`);
        return reply.send(fs.createReadStream('', { fd }));
      } catch (err) {
        throw diskFull(err) ?? err;
      } finally {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

/** Seconds a caller is told to wait when the temporary folder's disk is full: someone must free space. */
const DISK_FULL_RETRY_S = 60;

/**
 * A full disk (or quota) under the temporary folder, as the caller should hear it: 503 naming the
 * folder, not "internal error". The archive is written there whole before it is sent.
 */
function diskFull(err: unknown): BusyError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  return new BusyError(
    `the evidence archive could not be written in ${os.tmpdir()} (the server's temporary folder, TMPDIR): ${code}, ` +
      `${code === 'ENOSPC' ? 'no space left on the device' : 'the disk quota is used up'}; free space there or point TMPDIR at a larger disk`,
    DISK_FULL_RETRY_S,
  );
}
