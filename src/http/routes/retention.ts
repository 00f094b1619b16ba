// Retention periods and the purge that enforces them.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DATA_TYPES, type Retention, type RetentionService } from '../../governance/retention.js';
import { errorResponses } from '../schemas.js';

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
