// Builds the Fastify server: auth, error mapping, OpenAPI and its reference, metrics, routes.
import type http from 'node:http';
import type net from 'node:net';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { createIdentity } from '../auth/identity.js';
import { isTransactionConflict } from '../db/conflict.js';
import { lastBackupAt } from '../db/last-backup.js';
import { BusyError, InputError, RateLimitedError } from '../errors.js';
import { createAuditReader } from '../guard/audit-reader.js';
import { createPortfolioService } from '../insight/portfolio.js';
import { acceptAnthropicApiKey, registerLlmGateway } from '../llm/index.js';
import { mcpRoutes } from '../mcp/route.js';
import { registerAnswerHeaders } from './answer-headers.js';
import { registerAuth } from './auth.js';
import { isConsolePage, registerConsole, sendConsolePage } from './console.js';
import { answerSerializers, registerContract } from './contract.js';
import { toErrorReply } from './errors.js';
import { frameworkErrorOptions } from './framework-errors.js';
import { registerBoundedJsonParser } from './json-depth.js';
import { registerMetrics } from './metrics.js';
import { trackRequest } from './quiet.js';
import { createFailureLimiter, IDP_CALLS_PER_FAILURE } from './rate-limit.js';
import { auditRoutes } from './routes/audit.js';
import { backupRoutes } from './routes/backup.js';
import { bundleRoutes, registerYamlParser } from './routes/bundles.js';
import { credentialRoutes } from './routes/credentials.js';
import { evidenceRoutes } from './routes/evidence.js';
import { guardRoutes } from './routes/guard.js';
import { healthRoutes } from './routes/health.js';
import { identityRoutes } from './routes/identity.js';
import { incidentRoutes } from './routes/incidents.js';
import { insightRoutes } from './routes/insight.js';
import { monitorRoutes } from './routes/monitors.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { registryRoutes } from './routes/registry.js';
import { evidenceExportRoutes, retentionRoutes } from './routes/retention.js';
import { reviewRoutes } from './routes/reviews.js';
import { riskRoutes } from './routes/risk.js';
import { sessionRoutes } from './routes/sessions.js';
import { ErrorBody } from './schemas.js';
import { unstorableInput } from './unstorable-input.js';

export interface ServerOptions {
  logger?: boolean;
  /** Build every answer serializer at startup (default: on a route's first answer; src/http/contract.ts). */
  eagerSerializers?: boolean;
}

/** How long a request (headers and body) may take to arrive. */
export const REQUEST_TIMEOUT_MS = 120_000;

/**
 * A stopping node (docs/operations.md, "Stopping a node"): no new connections; requests in flight may
 * finish for `graceMs`, then their connections are cut. Node closes idle keep-alive connections only
 * once, when the server starts closing, and never a connection that has sent nothing yet (a
 * preconnect): either kind kept the node running for up to 72 s after SIGTERM, past an orchestrator's
 * patience, so that its last audit checkpoint and evidence were never written. Both are closed as
 * they are found.
 */
function drain(server: http.Server, connections: ReadonlySet<net.Socket>, graceMs: number): void {
  const closeIdle = () => {
    server.closeIdleConnections();
    for (const socket of connections) if (socket.bytesRead === 0) socket.destroy();
  };
  closeIdle();
  const idle = setInterval(closeIdle, 50);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  idle.unref();
  cut.unref();
  server.once('close', () => {
    clearInterval(idle);
    clearTimeout(cut);
  });
}

/**
 * A request as the log shows it: Fastify's own fields, but the sign-in callback's query left out. It
 * holds the IdP's authorization code and the sign-in's state, and every request is logged with its URL
 * at info, so each console sign-in put a code in the log (found by review). A code is a credential
 * (RFC 9700 §4.2): PKCE keeps one read there from being redeemed, but it has no business there.
 */
function loggedRequest(req: FastifyRequest) {
  const query = req.url.indexOf('?');
  const path = query < 0 ? req.url : req.url.slice(0, query);
  const version = req.headers['accept-version'];
  return {
    method: req.method,
    url: query >= 0 && path === '/auth/callback' ? `${path}?[redacted]` : req.url,
    version: typeof version === 'string' ? version : undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export async function buildServer(app: App, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: opts.logger
      ? {
          level: app.config.logLevel,
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          serializers: { req: loggedRequest },
        }
      : false,
    bodyLimit: app.config.bodyLimit,
    // A request must arrive whole within two minutes (Node checks every 30 s): a client trickling a
    // declared 30 MB body a byte at a time held its connection and buffers open without end.
    requestTimeout: REQUEST_TIMEOUT_MS,
    schemaController: { compilersFactory: { buildSerializer: answerSerializers({ eager: opts.eagerSerializers === true }) } },
    // Behind a load balancer, the client's address (rate limits, logs) comes from X-Forwarded-For,
    // believed only from the proxies the operator names.
    ...(app.config.trustProxy ? { trustProxy: app.config.trustProxy } : {}),
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false } },
    // A request that reaches no route (an unreadable URL or request) still answers in the error shape.
    ...frameworkErrorOptions,
    // A request arriving on an open connection while the node stops is refused by the hook below, in
    // the error shape with Retry-After; Fastify's own 503 was {"error":"Service Unavailable"}, neither.
    return503OnClosing: false,
  });

  // Every request counts until its response closes: background writes wait for none to be in flight.
  // The responses being written, so that a stopping node can tell their clients not to reuse the connection.
  const responses = new Set<http.ServerResponse>();
  let stopping = false;
  server.server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    trackRequest(res);
    if (stopping) res.setHeader('connection', 'close');
    responses.add(res);
    res.once('close', () => responses.delete(res));
  });
  const connections = new Set<net.Socket>();
  server.server.on('connection', (socket: net.Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  // First of all hooks: a stopping node starts no new work (its requests in flight have their grace).
  // A BusyError, so that each route's error handler answers it in its own shape (the LLM gateway's
  // OpenAI or Anthropic one) with Retry-After.
  server.addHook('onRequest', (_request, _reply, done) => {
    done(stopping ? new BusyError('the node is stopping; try again on another node', 1) : undefined);
  });
  server.addHook('preClose', (done) => {
    app.guard.endWaits();
    stopping = true;
    // Answers still to come say `Connection: close`: their clients open a new connection (to
    // another node) for their next request instead of reusing one this node is about to close.
    for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
    drain(server.server, connections, app.config.shutdownGraceMs);
    done();
  });

  server.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorReply(err);
    if (err instanceof RateLimitedError || err instanceof BusyError) reply.header('retry-after', String(err.retryAfterSeconds));
    else if (isTransactionConflict(err)) reply.header('retry-after', '1');
    if (status >= 500) request.log.error({ err }, 'request failed');
    reply.code(status).send(body);
  });
  let consolePage: string | null = null;
  server.setNotFoundHandler((request, reply) => {
    if (consolePage && isConsolePage(request)) return sendConsolePage(request, reply, consolePage);
    reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  // Ajv turns a query's "Infinity" into a number and then skips `minimum`/`maximum`, which it checks
  // on finite numbers only: every number-typed parameter got through unbounded ("pilots older than
  // Infinity days"). After validation, a non-finite number can only have come that way.
  // (A callback hook, not an async one: it runs on every request, decisions included.)
  server.addHook('preHandler', (request, _reply, done) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object')
      for (const [k, v] of Object.entries(query))
        for (const x of Array.isArray(v) ? v : [v])
          if (typeof x === 'number' && !Number.isFinite(x))
            return done(new InputError(`querystring/${k} must be a finite number, got ${x}`));
    done(unstorableInput(request) ?? undefined);
  });

  // Before any route: the error statuses every route can answer, and (in tests) the answer checks.
  registerContract(server, { check: app.config.checkResponses });
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fulcrum API',
        version: '1',
        description:
          'The control plane for running enterprise AI at scale. Every error is `{"error":{"code","message","details"?}}`; ' +
          'the codes are listed in docs/errors.md. Besides the statuses each operation lists, any request may be ' +
          'answered 408 (it did not arrive whole within two minutes) or 431 (its URL and headers are over 16 KiB), ' +
          'before any operation is chosen.',
      },
      // Where the API is served: FULCRUM_PUBLIC_URL when set, else relative to the document's own address.
      servers: [
        app.config.identity.publicUrl
          ? { url: app.config.identity.publicUrl, description: 'this deployment (FULCRUM_PUBLIC_URL)' }
          : { url: '/', description: 'the server this document was fetched from' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) || `def-${i}` },
  });
  // The API reference and its assets are public, like the OpenAPI document they render.
  server.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await server.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list' },
    // Swagger UI loads its own files only (no inline script); its React views set inline styles. No
    // page may frame it, and it posts nowhere but here.
    staticCSP:
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; " +
      "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  });
  server.addSchema(ErrorBody);

  registerBoundedJsonParser(server);
  registerYamlParser(server);
  // Before authentication: Anthropic clients send the agent's key as x-api-key (docs/llm-gateway.md).
  acceptAnthropicApiKey(server);
  // Single sign-on and agents' access tokens (docs/auth.md#single-sign-on); inert without their settings.
  const identity = createIdentity({
    settings: app.config.identity,
    db: app.database.db,
    registry: () => app.guard.registry(),
    committedRegistry: () => app.guard.committedRegistry(),
    recordShadow: (identity, detail) => void app.guard.recordShadow(identity, 'unknown-key', detail),
    // Sign-ins, refusals and sign-outs are acts in the audit chain (kinds auth.*).
    recordAct: (act) => app.guard.recordAct(act),
    changeWithActs: app.guard.changeWithActs,
    warn: (message) => server.log.warn(message),
  });
  // Failed credential attempts and refused sign-in steps, per client address (rate-limit.ts).
  const failures = createFailureLimiter({ max: app.config.authFailuresPerMinute, windowMs: 60_000, capacity: 100_000 });
  registerAuth(server, app.auth, app.guard, failures, identity);
  registerAnswerHeaders(server);
  registerMetrics(
    server,
    app.observability,
    {
      registryRevision: () => app.registry.revision(),
      shadowWriteFailures: () => app.guard.shadowWriteFailures(),
    },
    { token: app.config.metricsToken, cacheMs: app.config.metricsCacheMs },
  );
  // A single node's database only (SQLite): one several nodes share is backed up with its own tools
  // (pg_dump), which Fulcrum does not see.
  if (!app.database.adapter.multiNode)
    app.observability.gauge(
      'fulcrum_backup_last_success_timestamp_seconds',
      'When `fulcrum backup` last wrote a whole, checked backup of this data directory (Unix seconds; 0: never)',
      async () => (lastBackupAt(app.config.dataDir) ?? 0) / 1000,
    );

  // Route modules register on the typed view: each handler's request and answer are typed from its schemas.
  const api = server.withTypeProvider<TypeBoxTypeProvider>();
  server.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => server.swagger());
  healthRoutes(api, app);
  backupRoutes(api, app);
  registryRoutes(api, app.registry, (o) => (o.kind === 'Agent' ? app.guard.agentStatus(o.name) : undefined));
  bundleRoutes(api, app.registry, { applyBodyLimit: app.config.applyBodyLimit });
  credentialRoutes(api, app.auth);
  // What an address may have Fulcrum ask the IdP in a minute: four times its failure budget (120).
  const idpCalls = createFailureLimiter({
    max: app.config.authFailuresPerMinute * IDP_CALLS_PER_FAILURE,
    windowMs: 60_000,
    capacity: 100_000,
    counts: 'sign-in requests to the identity provider',
  });
  identityRoutes(api, identity, { failures, idpCalls });
  sessionRoutes(api, identity.sessions, app.database.db);
  guardRoutes(api, app.guard);
  auditRoutes(api, createAuditReader(app.database.db, app.auditKey, { rotating: app.config.auditKeyRotate }));
  evidenceRoutes(api, app.evidence, { otlpBodyLimit: app.config.otlpBodyLimit });
  incidentRoutes(api, app.incidents);
  riskRoutes(api, app.risk);
  reviewRoutes(api, app.reviews);
  monitorRoutes(api, app.monitors);
  retentionRoutes(api, app.retention);
  evidenceExportRoutes(api, app.evidenceExport);
  insightRoutes(api, app.insight, app.spend);
  portfolioRoutes(api, createPortfolioService({ db: app.database.db, registry: () => app.guard.registry() }));
  mcpRoutes(api, app.mcp.gateway, { version: '1', allowedHosts: app.mcp.settings.allowedHosts });
  await registerLlmGateway(api, app);
  // What an upstream sent when it failed goes to the log only, never to the caller.
  app.mcp.logUpstreamsTo((entry, message) => server.log.warn(entry, message));
  consolePage = await registerConsole(server);

  await server.ready();
  return server;
}
