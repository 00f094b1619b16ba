// Monitors: the latest evaluation, and evaluating now.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { MonitorService } from '../../governance/monitors.js';
import { errorResponses } from '../schemas.js';

export function monitorRoutes(server: FastifyInstance, monitors: MonitorService): void {
  const tags = ['governance'];
  server.get(
    '/v1/monitors/status',
    {
      schema: {
        tags,
        summary: "Every monitor's value, threshold and breach at the last evaluation (this node)",
        response: errorResponses(401, 403),
      },
    },
    async (req) => ({ items: monitors.lastResults(req.principal) }),
  );
  server.post(
    '/v1/monitors/evaluate',
    {
      schema: {
        tags,
        summary: 'Evaluate every monitor now (they also run every FULCRUM_MONITOR_INTERVAL_SECONDS)',
        response: { 200: T.Object({ items: T.Array(T.Record(T.String(), T.Unknown())) }), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await monitors.evaluateAll(req.principal) }),
  );
}
