// The LLM gateway in the server: its own outbound connections (under the operator's outbound policy),
// the gateway, its routes, and a shutdown that settles what is pending. docs/llm-gateway.md.
import type { App } from '../app.js';
import type { Server } from '../http/schemas.js';
import { createOutboundPolicy } from '../net/outbound.js';
import { createLlmGateway, type LlmGateway } from './gateway.js';
import { llmRoutes } from './routes.js';

export { acceptAnthropicApiKey } from './routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The LLM gateway (tests flush its pending writes through it). */
    llmGateway: LlmGateway;
  }
}

export async function registerLlmGateway(server: Server, app: App): Promise<LlmGateway> {
  const gateway = createLlmGateway({
    db: app.database.db,
    guard: app.guard,
    outbound: createOutboundPolicy({ allowHosts: app.config.outboundAllowHosts, lookup: app.config.outboundLookup }),
    reservationWaitMs: app.config.llmReservationWaitMs,
    evidenceMaxSpans: app.config.llmEvidenceMaxSpans,
    observe: app.observability,
    log: { warn: (obj, message) => server.log.warn(obj, message) },
    commit: app.backgroundCommit,
  });
  server.decorate('llmGateway', gateway);
  await llmRoutes(server, gateway, {
    bodyLimit: app.config.llmBodyLimit,
    maxCallsPerAgent: app.config.llmMaxCallsPerAgent,
    maxBytesPerAgent: app.config.llmMaxBytesPerAgent,
    log: (detail, message) => server.log.warn(detail, message),
    observe: app.observability,
  });
  // Before the app closes its database: settlements and evidence still queued are written.
  server.addHook('onClose', async () => gateway.close());
  return gateway;
}
