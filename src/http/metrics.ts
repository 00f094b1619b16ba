// Prometheus metrics at /metrics: the app's own (decisions, audit commits, approvals, MCP calls,
// background jobs: src/observability.ts), process defaults, HTTP request counts and latencies.
// docs/operations.md lists them.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Observability } from '../observability.js';
import { offLoop } from './off-loop.js';
import { requestsInFlight } from './quiet.js';

/**
 * The methods Fulcrum's routes take; any other is counted as `other`. Node parses 35 (WebDAV's, M-SEARCH,
 * SOURCE, ...), and each that anyone sent, unauthenticated, to any path was new series of the request
 * counter and of the latency histogram, for the life of the process.
 */
const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function registerMetrics(
  server: FastifyInstance,
  observability: Observability,
  gauges: { registryRevision: () => Promise<number>; shadowWriteFailures: () => number },
  opts: { token?: string; cacheMs: number },
): void {
  const { register } = observability;
  // Background jobs' failures go to the server's log from now on.
  observability.logTo((message, err) => server.log.warn({ err }, message));
  const requests = new Counter({
    name: 'fulcrum_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['method', 'route', 'status'],
    registers: [register],
  });
  const duration = new Histogram({
    name: 'fulcrum_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [register],
  });
  observability.gauge('fulcrum_registry_revision', 'The registry revision this node sees', gauges.registryRevision);

  new Gauge({
    name: 'fulcrum_shadow_write_failed_batches',
    help: 'Batches of shadow-agent sightings this node failed to write since it started (each also logged)',
    registers: [register],
    collect() {
      this.set(gauges.shadowWriteFailures());
    },
  });

  // The worker threads are the process's (off-loop.ts): their counts since it started, read at scrape.
  new Counter({
    name: 'fulcrum_worker_thread_tasks_total',
    help: 'Tasks for the worker threads by kind (llm, otlp, report) and event: taken; queue_full (not taken: an LLM request body, an OTLP export or a PDF answered 503); died or timed_out (failed, its thread replaced)',
    labelNames: ['kind', 'event'],
    registers: [register],
    collect() {
      this.reset();
      for (const [kind, { counts }] of Object.entries(offLoop().lanes)) {
        this.inc({ kind, event: 'taken' }, counts.tasks);
        this.inc({ kind, event: 'queue_full' }, counts.full);
        this.inc({ kind, event: 'died' }, counts.died);
        this.inc({ kind, event: 'timed_out' }, counts.timedOut);
      }
    },
  });

  new Gauge({
    name: 'fulcrum_http_requests_in_flight',
    help: 'HTTP requests this process is answering now, this scrape included (a stopping node drains them)',
    registers: [register],
    collect() {
      this.set(requestsInFlight());
    },
  });

  server.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = ROUTED_METHODS.has(request.method) ? request.method : 'other';
    requests.inc({ method, route, status: reply.statusCode });
    duration.observe({ method, route }, reply.elapsedTime / 1000);
  });

  // Public unless FULCRUM_METRICS_TOKEN is set; then only a scraper presenting it (compared in
  // constant time) reads it. Fulcrum's own credentials are not accepted here: a scraper's config
  // should hold a token that opens nothing else.
  const expected = opts.token ? createHash('sha256').update(`Bearer ${opts.token}`).digest() : undefined;
  // A render (~10-17 ms: the database's gauges, every histogram) is served again for `cacheMs`, and
  // scrapes while one runs share it: /metrics is public by default, and each scrape cost a render.
  // Its age counts from when it was done: a render slower than `cacheMs` (the database's gauges on a
  // busy node) is still shared by the scrapes that come meanwhile, not started again by each.
  let rendered: { doneAt?: number; text: Promise<string> } | undefined;
  const render = (): Promise<string> => {
    if (opts.cacheMs > 0 && rendered && (rendered.doneAt === undefined || performance.now() - rendered.doneAt < opts.cacheMs))
      return rendered.text;
    const text = register.metrics();
    const entry: { doneAt?: number; text: Promise<string> } = { text };
    rendered = entry;
    text.then(
      () => {
        entry.doneAt = performance.now();
      },
      // A failed render is not served again (that scrape still hears of it).
      () => {
        if (rendered === entry) rendered = undefined;
      },
    );
    return text;
  };
  server.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (expected) {
      const given = createHash('sha256')
        .update(req.headers.authorization ?? '')
        .digest();
      if (!timingSafeEqual(given, expected))
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="fulcrum-metrics"')
          .send({ error: { code: 'unauthorized', message: '/metrics needs the token FULCRUM_METRICS_TOKEN names' } });
    }
    reply.type(register.contentType);
    return render();
  });
}
