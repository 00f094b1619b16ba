// Monitors: the latest evaluation, and evaluating now.
import { Type as T } from '@sinclair/typebox';
import type { MonitorService } from '../../governance/monitors.js';
import { MONITOR_METRICS } from '../../registry/schemas.js';
import type { Server } from '../schemas.js';

const MonitorStatus = T.Object(
  {
    monitor: T.String(),
    metric: T.Unsafe<(typeof MONITOR_METRICS)[number]>({ type: 'string', enum: [...MONITOR_METRICS] }),
    value: T.Number({ description: 'rates as fractions 0–1, cost_per_day in USD (or a share of the budget), counts' }),
    samples: T.Integer({ description: 'decisions or tasks the value is measured over' }),
    threshold: T.Number(),
    breached: T.Boolean({ description: 'the value is above the threshold (with enough samples)' }),
    incident: T.Optional(T.String({ description: 'the incident the breach opened (or found open)' })),
    deduplicated: T.Optional(T.Boolean({ description: "the breach's incident was already open: nothing new was opened" })),
    suspended: T.Optional(T.Array(T.String(), { description: 'agents suspended by the breach (suspendOnBreach)' })),
    error: T.Optional(
      T.String({
        description: 'this monitor could not be evaluated this time (the others were): why; value and breach are not measured',
      }),
    ),
    evaluatedAt: T.String({ format: 'date-time' }),
  },
  { $id: 'MonitorStatus', description: "a monitor's value, threshold and breach at an evaluation" },
);

export function monitorRoutes(server: Server, monitors: MonitorService): void {
  const tags = ['governance'];
  server.addSchema(MonitorStatus);
  const Items = T.Object({ items: T.Array(T.Ref(MonitorStatus)) });
  server.get(
    '/v1/monitors/status',
    {
      schema: {
        operationId: 'getMonitorStatus',
        tags,
        summary: "Every monitor's value, threshold and breach at the last evaluation (this node)",
        response: { 200: Items },
      },
    },
    async (req) => ({ items: monitors.lastResults(req.principal) }),
  );
  server.post(
    '/v1/monitors/evaluate',
    {
      schema: {
        operationId: 'evaluateMonitors',
        tags,
        summary: 'Evaluate every monitor now (they also run every FULCRUM_MONITOR_INTERVAL_SECONDS)',
        response: { 200: Items },
      },
    },
    async (req) => ({ items: await monitors.evaluateAll(req.principal) }),
  );
}
