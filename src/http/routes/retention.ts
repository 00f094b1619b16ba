// Retention periods and the purge that enforces them; the evidence export for auditors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { EvidenceExportService } from '../../governance/evidence-export.js';
import { DATA_TYPES, type Retention, type RetentionService } from '../../governance/retention.js';
import { errorResponses, Name } from '../schemas.js';

export function retentionRoutes(server: FastifyInstance, retention: RetentionService): void {
  const tags = ['governance'];
  const Periods = T.Object(
    Object.fromEntries(DATA_TYPES.map((d) => [d, T.Optional(T.Integer({ minimum: 1, description: 'days' }))])),
    {
      additionalProperties: false,
    },
  );
  server.get(
    '/v1/retention',
    { schema: { tags, summary: 'Retention periods per data type, in days', response: errorResponses(401, 403) } },
    async (req) => retention.get(req.principal),
  );
  server.put<{ Body: Partial<Retention> }>(
    '/v1/retention',
    {
      schema: {
        tags,
        summary: 'Change retention periods (platform or admin)',
        body: Periods,
        response: errorResponses(400, 401, 403),
      },
    },
    async (req) => retention.set(req.principal, req.body),
  );
  server.post(
    '/v1/retention/purge',
    {
      schema: {
        tags,
        summary: 'Purge what is past its period now (high-risk logs kept ≥ 6 months; incident-linked data held)',
        response: errorResponses(401, 403),
      },
    },
    async (req) => retention.purge(req.principal),
  );
}

/** The evidence archive for an auditor (tar.gz). */
export function evidenceExportRoutes(server: FastifyInstance, exporter: EvidenceExportService): void {
  server.get<{ Params: { name: string } }>(
    '/v1/initiatives/:name/evidence',
    {
      schema: {
        tags: ['governance'],
        summary:
          "An auditor's archive (tar.gz): inventory, risk, reviews, policies, audit excerpt with chain proof, monitors, incidents, outcomes",
        params: T.Object({ name: Name }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (req, reply) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-export-'));
      const file = path.join(dir, `${req.params.name}-evidence.tar.gz`);
      try {
        await exporter.export(req.principal, req.params.name, file);
        const body = fs.readFileSync(file);
        reply.type('application/gzip').header('content-disposition', `attachment; filename="${req.params.name}-evidence.tar.gz"`);
        return reply.send(body);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
