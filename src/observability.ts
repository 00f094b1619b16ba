// What an operator runs Fulcrum on: the node's Prometheus metrics (served at /metrics by
// src/http/metrics.ts) and the background jobs' failures, each logged and counted, never swallowed.
// One per app (tests run several apps in one process; each must count only its own).
//
// Names follow Prometheus' rules, checked by `promtool check metrics` in the tests: counters end in
// `_total`, nothing else does; units are seconds and bytes; labels have small, fixed value sets
// (a decision's action and answer, a job's name; never an agent or a tool).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where an operator reads a failure: the server's logger once it runs, a process warning before. */
export type ProblemLog = (message: string, err: unknown) => void;

const defaultLog: ProblemLog = (message, err) =>
  process.emitWarning(`${message}: ${err instanceof Error ? err.message : String(err)}`);

/** How long a gauge may read the database at scrape time (Prometheus' default scrape timeout is 10 s). */
const SCRAPE_READ_MS = 2_000;

/** prom-client's default gauges named like counters: promtool refuses them. */
const MISNAMED = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * What became of an LLM gateway call: the provider `answered` (below 400) or answered with an error
 * (`provider_error`); Fulcrum `refused` it (a 4xx of its own: policy, spend or rate limit, a bad body);
 * the provider could not be used (`upstream_failed`: unreachable, timed out, cut off, an unreadable
 * answer, Fulcrum's credential refused); the client left (`cancelled`); or Fulcrum failed (`error`).
 */
export type LlmOutcome = 'answered' | 'provider_error' | 'refused' | 'upstream_failed' | 'cancelled' | 'error';

export type Observability = ReturnType<typeof createObservability>;

export function createObservability(opts: { processMetrics?: boolean } = {}) {
  const register = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register, prefix: 'fulcrum_' });
  // prom-client also exports these per type, under the names without `_total` (kept).
  for (const name of MISNAMED) register.removeSingleMetric(`fulcrum_${name}`);
  let log: ProblemLog = defaultLog;

  const decisions = new Counter({
    name: 'fulcrum_decisions_total',
    help: 'Guard decisions this node committed, by action, answer and entry point (api, mcp, llm)',
    labelNames: ['action', 'decision', 'entry'],
    registers: [register],
  });
  const decisionSeconds = new Histogram({
    name: 'fulcrum_decision_seconds',
    help: 'From a decision request to its durable audit commit, by entry point',
    labelNames: ['entry'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [register],
  });
  const auditCommits = new Histogram({
    name: 'fulcrum_audit_commit_seconds',
    help: 'Duration of each audit group commit (the transaction and its fsync), successful or not',
    labelNames: ['result'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [register],
  });
  const auditEntries = new Counter({
    name: 'fulcrum_audit_entries_total',
    help: 'Audit entries committed by this node (decisions and human acts)',
    registers: [register],
  });
  const auditRetries = new Counter({
    name: 'fulcrum_audit_commit_retries_total',
    help: 'Audit group commits tried again, by reason: conflict (PostgreSQL ended the transaction: a deadlock or a serialisation failure), prepare (the registry moved under the batch), chain_retired',
    labelNames: ['reason'],
    registers: [register],
  });
  const approvals = new Counter({
    name: 'fulcrum_approvals_total',
    help: 'Approval events on this node: opened, joined (the same call while one is open), used, approved, denied',
    labelNames: ['event'],
    registers: [register],
  });
  const approvalWait = new Histogram({
    name: 'fulcrum_approval_decision_seconds',
    help: 'From an approval being asked for to a person approving or denying it',
    buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400],
    registers: [register],
  });
  const mcpCalls = new Counter({
    name: 'fulcrum_mcp_calls_total',
    help: 'MCP tools/call through this node, by what became of it',
    labelNames: ['outcome'],
    registers: [register],
  });
  const mcpUpstream = new Histogram({
    name: 'fulcrum_mcp_upstream_seconds',
    help: 'Time an upstream MCP server took to answer a forwarded tools/call',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
    registers: [register],
  });
  const mcpDropped = new Counter({
    name: 'fulcrum_mcp_upstream_messages_dropped_total',
    help: "Messages an upstream MCP server sent on one answer's stream past its rate (200 at once, then 100 a second), dropped unread, by kind (notification, request)",
    labelNames: ['kind'],
    registers: [register],
  });
  const llmCalls = new Counter({
    name: 'fulcrum_llm_calls_total',
    help: 'LLM gateway calls through this node, by API and what became of them (answered, provider_error, refused, upstream_failed, cancelled, error)',
    labelNames: ['api', 'outcome'],
    registers: [register],
  });
  const llmRefusals = new Counter({
    name: 'fulcrum_llm_refusals_total',
    help: "LLM gateway calls Fulcrum itself refused, by the refusal's stable code (spend_limit_exceeded, model_not_allowed, rate_limit_exceeded, ...)",
    labelNames: ['code'],
    registers: [register],
  });
  const llmUpstream = new Histogram({
    name: 'fulcrum_llm_upstream_seconds',
    help: "From sending an LLM gateway call to its model provider to the answer's end (the whole body, or the stream's last event), by ModelEndpoint",
    labelNames: ['endpoint', 'stream'],
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [register],
  });
  const llmTokens = new Counter({
    name: 'fulcrum_llm_tokens_total',
    help: 'Tokens of LLM gateway calls as they were charged, by registry Model and kind (input, output)',
    labelNames: ['model', 'kind'],
    registers: [register],
  });
  const jobRuns = new Counter({
    name: 'fulcrum_background_job_runs_total',
    help: 'Runs of background jobs (monitors, retention, registry poll, audit checkpoint, ...) by result',
    // `task`, not `job`: Prometheus' own `job` label (the scrape job) would rename it to exported_job.
    labelNames: ['task', 'result'],
    registers: [register],
  });
  const jobLastSuccess = new Gauge({
    name: 'fulcrum_background_job_last_success_timestamp_seconds',
    help: 'When each background job last ran without an error (Unix time)',
    labelNames: ['task'],
    registers: [register],
  });

  const spans = new Counter({
    name: 'fulcrum_otlp_spans_total',
    help: 'Spans received on /otlp/v1/traces by this node: accepted (stored) or rejected (with a reason to the sender)',
    labelNames: ['result'],
    registers: [register],
  });
  const unpriced = new Counter({
    name: 'fulcrum_unpriced_model_calls_total',
    help: 'Model calls in accepted spans Fulcrum could not price, by reason (unknown_model, no_price, no_usage, service_tier)',
    labelNames: ['reason'],
    registers: [register],
  });

  const gatewaySpansDropped = new Counter({
    name: 'fulcrum_gateway_spans_dropped_total',
    help: 'Records of their own calls the LLM and MCP gateways dropped unwritten: their buffer held the most it may while the database did not take them',
    labelNames: ['gateway'],
    registers: [register],
  });

  const readFailures = new Counter({
    name: 'fulcrum_metrics_read_failures_total',
    help: 'Reads from the database for a gauge at scrape time that failed or took over 2 s; that scrape shows the gauge NaN (or without its series); each logged, and counted from the next scrape',
    labelNames: ['metric'],
    registers: [register],
  });
  /**
   * A gauge's read at scrape time, bounded in time; undefined when it fails. A failed read used to fail the
   * whole scrape (a 500): with the database down, every other metric went dark with it, the audit
   * commit failures that alert on exactly that included.
   */
  async function scrapeRead<T>(metric: string, read: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${SCRAPE_READ_MS} ms`)), SCRAPE_READ_MS);
    });
    try {
      return await Promise.race([read(), late]);
    } catch (err) {
      readFailures.inc({ metric });
      log(`reading ${metric} for /metrics failed`, err);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    register,
    /** Sends problems to `to` (the server's logger) from now on. */
    logTo(to: ProblemLog): void {
      log = to;
    },
    log: (message: string, err: unknown) => log(message, err),
    decision(action: string, decision: string, entry: string, seconds: number): void {
      decisions.inc({ action, decision, entry });
      decisionSeconds.observe({ entry }, seconds);
    },
    /** A gauge read from the database when /metrics is scraped (e.g. approvals pending). */
    gauge(name: string, help: string, read: () => Promise<number>): void {
      new Gauge({
        name,
        help,
        registers: [register],
        async collect() {
          // Unmeasured, not zero: NaN when the read failed.
          this.set((await scrapeRead(name, read)) ?? Number.NaN);
        },
      });
    },
    /**
     * Gauges with labels, read together when /metrics is scraped: `read` answers every series of every
     * named gauge at once (e.g. each SpendLimit's spend, held and amount from one query).
     */
    gaugeFamily<G extends string>(
      gauges: Record<G, string>,
      labelNames: readonly string[],
      read: () => Promise<Array<{ labels: Record<string, string>; values: Record<G, number> }>>,
    ): void {
      // One read per scrape for the whole family: prom-client collects in registration order, so the
      // first gauge reads afresh and the others use what it read.
      let latest: ReturnType<typeof scrapeRead<Awaited<ReturnType<typeof read>>>> | null = null;
      const first = Object.keys(gauges)[0] as G;
      for (const [name, help] of Object.entries(gauges) as Array<[G, string]>)
        new Gauge({
          name,
          help,
          labelNames: [...labelNames],
          registers: [register],
          async collect() {
            this.reset();
            if (name === first || !latest) latest = scrapeRead(first, read);
            // A failed read shows no series: absent, not zero.
            for (const series of (await latest) ?? []) this.set(series.labels, series.values[name]);
          },
        });
    },
    /** One OTLP export: spans accepted and rejected, and the accepted model calls that could not be priced. */
    spansIngested(accepted: number, rejected: number, unpricedReasons: readonly string[]): void {
      if (accepted) spans.inc({ result: 'accepted' }, accepted);
      if (rejected) spans.inc({ result: 'rejected' }, rejected);
      for (const reason of unpricedReasons) unpriced.inc({ reason });
    },
    /** A gateway's record of a call dropped, its evidence buffer full (the database not taking it). */
    gatewaySpansDropped(gateway: 'llm' | 'mcp'): void {
      gatewaySpansDropped.inc({ gateway });
    },
    auditCommit(entries: number, seconds: number, ok: boolean): void {
      auditCommits.observe({ result: ok ? 'ok' : 'error' }, seconds);
      if (ok) auditEntries.inc(entries);
    },
    /** An audit group commit tried again (src/guard/audit.ts, onRetry). */
    auditRetry(reason: 'conflict' | 'prepare' | 'chain_retired'): void {
      auditRetries.inc({ reason });
    },
    /** An approval event; a person's approve or deny comes with how long the request had waited. */
    approval(event: 'opened' | 'joined' | 'used' | 'approved' | 'denied', waitedSeconds?: number): void {
      approvals.inc({ event });
      if (waitedSeconds !== undefined) approvalWait.observe(waitedSeconds);
    },
    mcpCall(outcome: 'forwarded' | 'refused' | 'upstream_error' | 'unknown_tool', upstreamSeconds?: number): void {
      mcpCalls.inc({ outcome });
      if (upstreamSeconds !== undefined) mcpUpstream.observe(upstreamSeconds);
    },
    /** A message an upstream's answer stream carried past its rate, dropped unread. */
    mcpUpstreamMessagesDropped(kind: 'notification' | 'request'): void {
      mcpDropped.inc({ kind });
    },
    /**
     * An LLM gateway call ended (one of its call routes): what became of it, Fulcrum's code for a refusal,
     * and for an answer the provider finished, how long it took (by endpoint; streamed or not).
     */
    llmCall(
      api: 'openai' | 'anthropic',
      outcome: LlmOutcome,
      detail: { code?: string | undefined; endpoint?: string; stream?: boolean; providerSeconds?: number | undefined } = {},
    ): void {
      llmCalls.inc({ api, outcome });
      if (outcome === 'refused' && detail.code) llmRefusals.inc({ code: detail.code });
      if (detail.providerSeconds !== undefined && detail.endpoint)
        llmUpstream.observe({ endpoint: detail.endpoint, stream: detail.stream ? 'true' : 'false' }, detail.providerSeconds);
    },
    /** Tokens an LLM gateway call was charged for. */
    llmTokens(model: string, input: number, output: number): void {
      if (input > 0) llmTokens.inc({ model, kind: 'input' }, input);
      if (output > 0) llmTokens.inc({ model, kind: 'output' }, output);
    },
    /** One run of a background job finished: counted, and a failure logged (never swallowed). */
    jobRan(job: string, err?: unknown): void {
      if (err === undefined) {
        jobRuns.inc({ task: job, result: 'ok' });
        jobLastSuccess.set({ task: job }, Date.now() / 1000);
        return;
      }
      jobRuns.inc({ task: job, result: 'error' });
      log(`background job ${job} failed`, err);
    },
    /** Runs one pass of a background job, counting and logging its outcome; never throws. */
    async job(job: string, run: () => Promise<unknown>): Promise<void> {
      try {
        await run();
        this.jobRan(job);
      } catch (err) {
        this.jobRan(job, err);
      }
    },
  };
}

/** For code built without an app (tools, some tests): counts into a registry nobody reads. */
export const unobserved = (): Observability => createObservability({ processMetrics: false });
