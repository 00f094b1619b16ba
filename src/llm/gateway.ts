// The LLM gateway's decisions around a forwarded call (proxy.ts does the forwarding):
//   admit  — the model the agent named (name or alias), the guard's `model.call` decision (audited,
//            answered after its commit), a price for today (fail closed), the call's worst-case cost
//            reserved against every applicable SpendLimit and the agent's rate limits;
//   finish — the actual cost (the provider's usage; for a cut stream what was produced) settled
//            against the limits and recorded as evidence.
import type { Kysely } from 'kysely';
import { assertCan, type Principal } from '../auth/principal.js';
import type { BackgroundCommit } from '../db/adapter.js';
import type { Database } from '../db/schema.js';
import { createPriceBook, MAX_TOKENS, type PriceBook, priceOn } from '../evidence/cost.js';
import { type CallTrace, callTrace, traceHeaders } from '../evidence/trace-context.js';
import { decide } from '../guard/decide.js';
import { type AgentCaller, type GuardService, revokedCredential } from '../guard/guard-service.js';
import type { OutboundPolicy } from '../net/outbound.js';
import type { Observability } from '../observability.js';
import type { Desired, RegistrySnapshot } from '../registry/model.js';
import { resolveModelName } from '../registry/model-names.js';
import { API_OF, type Api, type CallShape, inputBound, type Operation, type Usage } from './apis.js';
import { LlmError } from './errors.js';
import { createInferenceEvidence } from './evidence.js';
import { claimAlert, type RateLimits, reserveIn } from './ledger.js';
import { type ApplicableLimit, fromMicro, limitsFor, toMicro } from './limits.js';
import { composeForward, type Prepared } from './prepare.js';
import { createReservations } from './reservations.js';
import { allowedModels, spendLimitStatus, spendLimitStatusPage } from './status.js';
import { type Target, targetFor, type UpstreamLog } from './upstream.js';

export interface GatewayOptions {
  db: Kysely<Database>;
  guard: Pick<GuardService, 'decide' | 'snapshot' | 'committedSnapshot' | 'reportOutcome'>;
  outbound: OutboundPolicy;
  /** Where endpoint credentials are read (default: this process's environment, at each call). */
  env?: NodeJS.ProcessEnv;
  /** How long a call may wait for calls in flight to settle before a spend limit refuses it. */
  reservationWaitMs: number;
  /** The most evidence spans held while the database does not take them; past it they are dropped and counted. */
  evidenceMaxSpans: number;
  observe?: Observability;
  log: { warn(obj: object, message: string): void };
  /** How settlements and the calls' spans commit (src/db/adapter.ts's backgroundCommit); on `db` by default. */
  commit?: BackgroundCommit;
}

/** A call the gateway admitted: what it forwards, and what it needs to settle it. */
export interface Admitted {
  agent: string;
  op: Operation;
  decisionId: string;
  /** Where its record sits: the caller's trace (its `traceparent`) or the decision's; sent on to the provider. */
  trace: CallTrace;
  model: Desired<'Model'>;
  endpoint: Desired<'ModelEndpoint'>;
  shape: CallShape;
  target: Target;
  body: Buffer;
  timeoutMs: number;
  startedAt: number;
  /** When it was admitted, by the database's clock (evidence is dated by it, as the limits count). */
  at: Date;
  day: string;
  prices: PriceBook;
  worst: Usage;
  /** Held against these limits (none: nothing reserved) and the agent's rate window. */
  limits: ApplicableLimit[];
  reserved: boolean;
  minute: string | null;
  reservedTokens: number;
}

/** How a forwarded call ended. */
export type CallEnd =
  | {
      kind: 'answered';
      status: number;
      /** From sending the call to the provider's answer's end (its whole body read, its stream's end);
       *  none when the stream did not end as a provider ends one (charged on a usage it sent earlier). */
      providerSeconds?: number | undefined;
      usage?: Usage | undefined;
      responseId?: string | undefined;
      model?: string | undefined;
      /** The service tier the answer says it was billed at, when that is above the Model's price. */
      tierAbovePrice?: string | undefined;
    }
  /** Cut short after it was sent: the client left, or the endpoint's timeout. */
  | {
      kind: 'cut';
      why: 'cancelled' | 'timeout' | 'upstream_closed';
      /** `unread`: the provider's stream was held back for a client reading slowly before it was cut:
       *  what the provider produced past what was read is unknown. */
      partial?: { input?: Usage; output: number; unread?: boolean } | undefined;
      responseId?: string | undefined;
      model?: string | undefined;
      tierAbovePrice?: string | undefined;
    }
  /** Never reached the provider's model (refused, connection failed, redirected): nothing to charge. */
  | { kind: 'unsent'; why: string };

const MAX_DATA_DOMAINS = 32;
const RESERVATION_GRACE_MS = 60_000;
/** How long a closing gateway waits for its calls in flight to finish (their connections are cut by then). */
const CLOSE_WAIT_MS = 5_000;

export type LlmGateway = ReturnType<typeof createLlmGateway>;

export function createLlmGateway(opts: GatewayOptions) {
  const { db } = opts;
  const env = () => opts.env ?? process.env;
  const upstreamLog: UpstreamLog = (detail, message) => opts.log.warn(detail, message);
  const reservations = createReservations(db, {
    waitMs: opts.reservationWaitMs,
    sweepMs: 30_000,
    settleDelayMs: 10,
    ...(opts.commit ? { commit: opts.commit } : {}),
    onError: (what, err) => opts.log.warn({ err }, `LLM gateway: ${what} failed`),
  });
  const evidence = createInferenceEvidence(db, {
    flushMs: 50,
    maxBatch: 256,
    // A database that hangs must not make the node's memory grow without end, nor hold the calls:
    // past this many spans held (~1 KiB each), the gateway's records are dropped and counted.
    maxHeld: opts.evidenceMaxSpans,
    onDrop: () => opts.observe?.gatewaySpansDropped('llm'),
    onError: (err) => opts.log.warn({ err }, 'LLM gateway: call evidence not written'),
    ...(opts.commit ? { commit: opts.commit } : {}),
  });
  const books = new WeakMap<RegistrySnapshot, PriceBook>();
  const pricesOf = (r: RegistrySnapshot) => {
    let b = books.get(r);
    if (!b) {
      b = createPriceBook(r);
      books.set(r, b);
    }
    return b;
  };

  /** The Model a request names, served by an endpoint of this route's API; else a 404/400 in its format. */
  function resolve(registry: RegistrySnapshot, api: Api, requested: string) {
    const name = resolveModelName(registry, requested);
    const model = name ? registry.get('Model', name) : undefined;
    if (!model)
      throw new LlmError(404, 'model_not_found', `no Model named or aliased "${requested}" in the registry`, { param: 'model' });
    const endpoint = model.spec.endpoint ? registry.get('ModelEndpoint', model.spec.endpoint) : undefined;
    if (!endpoint)
      throw new LlmError(404, 'model_not_served', `Model "${model.name}" has no endpoint: the gateway does not serve it`, {
        param: 'model',
      });
    if (endpoint.spec.api !== api)
      throw new LlmError(
        400,
        'wrong_api',
        `Model "${model.name}" is served by an ${endpoint.spec.api} endpoint: call /llm/${endpoint.spec.api}/v1/…`,
        { param: 'model' },
      );
    return { model, endpoint };
  }

  /**
   * What a call is, by a registry: the Model it names and the endpoint serving it, today's price, the
   * limits and rate limits that apply, the body forwarded and the worst case it may cost. Throws an
   * LlmError for a model the registry does not serve this way.
   */
  function plan(registry: RegistrySnapshot, agent: string, op: Operation, prepared: Prepared, now: Date) {
    const { shape, bytes: bodyBytes } = prepared;
    const { model, endpoint } = resolve(registry, API_OF[op], shape.model);
    const day = now.toISOString().slice(0, 10);
    const price = priceOn(model.spec, day);
    const limits = limitsFor(registry, agent, now);
    const rate = registry.get('Agent', agent)?.spec.rateLimits as RateLimits | undefined;
    // What is forwarded is what the provider reads: its bytes bound the input, not the client's
    // (re-serialised, `1e20` is 21 bytes, not 4).
    const injectMaxOutput = shape.maxOutput === undefined && op !== 'embeddings' ? model.spec.maxOutputTokens : undefined;
    const forwarded = composeForward(op, prepared, {
      upstreamName: model.spec.upstreamName ?? model.name,
      injectMaxOutput,
      askUsage: op === 'chat' && shape.stream && !shape.wantsUsage,
      serviceTier: endpoint.spec.serviceTier,
      outputLimit: endpoint.spec.outputLimit,
    });
    const inBound = inputBound(Math.max(bodyBytes, forwarded.length), shape, model.spec.contextWindow);
    const maxOut = maxOutputOf(shape, model);
    const mustBound = limits.some((l) => l.spec.enforce !== 'alert') || rate?.tokensPerMinute !== undefined;
    const bounded = !mustBound || (inBound !== undefined && maxOut !== undefined);
    const prices = pricesOf(registry);
    // The worst case: every input token at the dearest rate the call may be billed (a cache write
    // where it asks for one: Anthropic bills those above input).
    let worst: Usage = { input: inBound ?? bodyBytes, output: maxOut ?? 0, cached: 0 };
    let worstCost = prices.price(model.name, day, worst).cost ?? 0;
    if (shape.writesCache) {
      const written = { ...worst, cacheWrite: worst.input };
      const cost = prices.price(model.name, day, written).cost ?? 0;
      if (cost > worstCost) [worst, worstCost] = [written, cost];
    }
    const costMicro = toMicro(worstCost);
    const reservedTokens = worst.input + worst.output;
    const timeoutMs = endpoint.spec.timeoutMs;
    const reserving = limits.length > 0 || (rate !== undefined && (rate.requestsPerMinute ?? rate.tokensPerMinute) !== undefined);
    return {
      model,
      endpoint,
      price,
      limits,
      rate,
      forwarded,
      inBound,
      bounded,
      prices,
      worst,
      costMicro,
      reservedTokens,
      timeoutMs,
      reserving,
      reservation: (id: string) => ({
        id,
        agent,
        limits,
        costMicro,
        tokens: reservedTokens,
        rate,
        expiresAt: reservations.expiresIn(timeoutMs + RESERVATION_GRACE_MS),
      }),
    };
  }

  /** A refusal after the guard allowed the call: reported as the call's outcome, so the audit log has it. */
  function refuse(agent: string, decisionId: string, started: number, e: LlmError): LlmError {
    opts.guard
      .reportOutcome(agent, decisionId, { outcome: 'failed', durationMs: Date.now() - started, error: `${e.code}: ${e.message}` })
      .catch((err) => opts.log.warn({ err, decisionId }, 'LLM gateway: refusal not recorded as the call outcome'));
    return e;
  }

  // Calls admitted and not yet finished: a stopping node waits for them (close), so that a call its
  // shutdown cut is settled and recorded before the database closes.
  const open = new Set<string>();
  let allFinished: (() => void) | undefined;

  // When each endpoint, as configured (its outputLimit: setting it is the remedy), was last said to
  // have answered past a call's output bound (once a minute at most).
  const pastBound = new Map<string, number>();

  /** Settles the call on what it used and records it as evidence; never throws. */
  function finish(call: Admitted, end: CallEnd): Usage {
    open.delete(call.decisionId);
    // close() resumes once this returns (a promise continuation): the settlement and record below are queued by then.
    if (open.size === 0) allFinished?.();
    const warn = (message: string) => opts.log.warn({ decisionId: call.decisionId }, message);
    const reported = charged(call, end, warn);
    // A count past what a span's column holds (MAX_TOKENS, PostgreSQL's integer) is no measure Fulcrum
    // can keep: Anthropic's input sums three counts, each up to it, and its iterations add more. Not
    // clamped to a number that would be wrong: the call is charged its worst case (what it was admitted
    // and reserved at, so bounded) and recorded with its usage unknown (no silent zero, no invented count).
    const storable = fitsSpan(reported);
    if (!storable)
      warn(
        `model endpoint ${call.endpoint.name} reported a usage of more than ${MAX_TOKENS} tokens in one count: charged the call's worst case, recorded with its usage unknown`,
      );
    const usage = storable ? reported : call.worst;
    // More output than the call was bounded by, and reserved for: the endpoint does not read the limit
    // the gateway sent (an OpenAI-compatible server that reads only max_tokens), and a spend limit can
    // be overshot by what it adds. Charged as reported; said, so the operator sets `outputLimit`.
    if (call.worst.output > 0 && usage.output > call.worst.output) {
      const which = `${call.endpoint.name}\n${call.endpoint.spec.outputLimit ?? ''}`;
      if (Date.now() - (pastBound.get(which) ?? 0) >= 60_000) {
        pastBound.set(which, Date.now());
        opts.log.warn(
          { decisionId: call.decisionId, endpoint: call.endpoint.name, output: usage.output, bound: call.worst.output },
          `model endpoint ${call.endpoint.name} answered with ${usage.output} output tokens, past the call's bound of ${call.worst.output}: it does not read the output limit it was sent, so spend limits can be overshot (set the endpoint's outputLimit, docs/llm-gateway.md)`,
        );
      }
    }
    if (end.kind !== 'unsent') opts.observe?.llmTokens(call.model.name, usage.input, usage.output);
    const priced = call.prices.price(call.model.name, call.day, usage);
    const cost = priced.cost;
    // Billed at a tier above the Model's price: the limits are settled at the price (the least it
    // cost), and the record is unpriced, so no spend figure reads it as complete.
    const tier = end.kind === 'unsent' ? undefined : end.tierAbovePrice;
    if (tier)
      opts.log.warn(
        { decisionId: call.decisionId, endpoint: call.endpoint.name, tier },
        tier === 'fast'
          ? `model endpoint ${call.endpoint.name} billed a call in fast mode, above Model ${call.model.name}'s price: recorded unpriced (turn fast mode off for the workspace, docs/llm-gateway.md)`
          : tier.startsWith('inference_geo ')
            ? `model endpoint ${call.endpoint.name} ran a call with ${tier}, billed above Model ${call.model.name}'s price: recorded unpriced (set the workspace's default_inference_geo to global, docs/llm-gateway.md)`
            : `model endpoint ${call.endpoint.name} billed a call at service tier "${tier}", above Model ${call.model.name}'s price: recorded unpriced (set the endpoint's serviceTier, docs/llm-gateway.md)`,
      );
    if (call.reserved)
      void reservations.settle({
        id: call.decisionId,
        agent: call.agent,
        limits: call.limits,
        costMicro: toMicro(cost ?? 0),
        minute: call.minute,
        tokenDelta: usage.input + usage.output - call.reservedTokens,
        at: reservations.now(),
      });
    if (end.kind !== 'unsent')
      evidence.record({
        agent: call.agent,
        trace: call.trace,
        operation: call.op === 'embeddings' ? 'embeddings' : 'chat',
        model: call.model.name,
        modelReported: end.model ?? call.model.spec.upstreamName ?? call.model.name,
        provider: call.model.spec.provider,
        startedAt: call.at.getTime(),
        durationMs: Date.now() - call.startedAt,
        usage: storable ? usage : null,
        costUsd: tier || !storable ? null : cost,
        unpricedReason: !storable ? 'no_usage' : tier ? 'service_tier' : priced.unpriced,
        responseId: end.responseId ?? null,
        errorType: end.kind === 'cut' ? end.why : end.status >= 400 ? `http.${end.status}` : null,
      });
    return usage;
  }

  return {
    /** Decides, prices and reserves one call; throws an LlmError to refuse it. */
    async admit(
      caller: AgentCaller,
      op: Operation,
      /** The body, read (prepare.ts): its shape and what is forwarded. */
      prepared: Prepared,
      headers: Record<string, string | string[] | undefined>,
      signal: AbortSignal,
    ): Promise<Admitted> {
      const startedAt = Date.now();
      const agent = caller.id;
      const { shape } = prepared;
      let s = await opts.guard.snapshot();
      // A name this node does not know may be a Model registered through another node since it last
      // polled: looked up again at the committed revision (one read) before it is refused.
      if (!resolveModelName(s.registry, shape.model)) s = await opts.guard.committedSnapshot();
      const dataDomains = listHeader(headers['fulcrum-data-domains'], 'Fulcrum-Data-Domains');
      unpricedBetas(headers['anthropic-beta']);
      const taskId = oneHeader(headers['fulcrum-task-id']);
      // Everything the spend reservation needs is known before the decision, so a call that passes the
      // checks below reserves inside the decision's own audit commit (one durable commit, not two).
      // Periods, rate windows and expiries by the database's clock, which the first calls after start
      // wait to have read (one query), so that nodes whose clocks differ count alike.
      const reading = reservations.clockRead();
      if (reading) await reading;
      const now = reservations.now();
      const day = now.toISOString().slice(0, 10);
      const planOf = (registry: RegistrySnapshot) => plan(registry, agent, op, prepared, now);
      let p = planOf(s.registry);
      const planned = p.model.name;

      const d = await opts.guard.decide(
        caller,
        { action: 'model.call', model: planned, dataDomains, ...(taskId ? { taskId } : {}) },
        'llm',
        p.reserving && p.bounded && p.price?.currency === 'USD'
          ? {
              // Reserved in the commit only if the decision is made at the revision planned at.
              revision: s.revision,
              batch: reserveIn,
              request: (id: string) => ({ ...p.reservation(id), now: reservations.now() }),
            }
          : undefined,
      );
      /** The decision's refusal as the gateway answers it. */
      const notAllowed = (o: Pick<typeof d, 'decision' | 'reasons'>, extra: Record<string, unknown>) => {
        const first = o.reasons[0];
        return new LlmError(
          403,
          o.decision === 'approval_required' ? 'approval_required' : 'model_not_allowed',
          `${agent} may not call ${planned}: ${o.reasons.map((r) => `${r.policy}${r.message ? ` (${r.message})` : ''}`).join('; ')}` +
            (o.decision === 'approval_required' ? ': a person must approve each use, which the gateway cannot wait for' : ''),
          { policy: first?.policy ?? null, policies: o.reasons.map((r) => r.policy), decision: o.decision, ...extra },
        );
      };
      /** The call planned again on the registry as committed now: `p` and its revision, or why not. */
      let planRevision = s.revision;
      const replan = async (): Promise<LlmError | undefined> => {
        const fresh = await opts.guard.committedSnapshot();
        try {
          p = planOf(fresh.registry);
        } catch (err) {
          if (err instanceof LlmError) return err;
          throw err;
        }
        planRevision = fresh.revision;
        if (p.model.name !== planned)
          return new LlmError(
            409,
            'registry_changed',
            `"${shape.model}" named Model "${planned}" when the call was decided and names "${p.model.name}" now (the registry changed meanwhile): send the call again`,
          );
        // Decided again at this revision, its credential too: a call that waited for room (up to
        // FULCRUM_LLM_RESERVATION_WAIT_MS) while its agent was suspended (the kill switch, through any
        // node), its Model banned or its key revoked was forwarded once room came, the change committed
        // seconds before (found by review).
        const revoked = revokedCredential(fresh, caller);
        if (revoked)
          return new LlmError(
            401,
            'unauthorized',
            caller.oauthClient === undefined ? 'unknown or revoked agent key' : `access token refused: ${revoked}`,
            { decisionId: d.decisionId },
          );
        const again = decide(fresh, agent, { action: 'model.call', model: planned, dataDomains, ...(taskId ? { taskId } : {}) });
        return again.decision === 'allow' ? undefined : notAllowed(again, { decisionId: d.decisionId });
      };
      // Decided at another revision than the call was planned at (a change made through another node,
      // seen at the commit, or through this one meanwhile): nothing was reserved in the commit, and the
      // call is planned again on the registry as it now is. A name that moved to another Model answers
      // 409 whatever the decision (the Model it named may be banned or gone now: the client is to send
      // the call again, not hear about a Model it never named).
      let replanned = d.policyVersion !== s.revision ? await replan() : undefined;
      if (replanned?.code === 'registry_changed' && d.decision !== 'allow')
        throw new LlmError(409, replanned.code, replanned.message, { decisionId: d.decisionId });
      if (d.decision !== 'allow') throw notAllowed(d, { decisionId: d.decisionId });
      // A refusal past the decision: recorded as the call's outcome, answered in the API's format.
      const refused = (
        status: number,
        code: string,
        message: string,
        extra: Record<string, unknown> = {},
        headers: Record<string, string> = {},
      ) =>
        refuse(
          agent,
          d.decisionId,
          startedAt,
          new LlmError(status, code, message, { ...extra, decisionId: d.decisionId }, headers),
        );
      // Reserved in the decision's commit, unless that failed, only calls in flight stood in the way
      // (then the usual path waits for them to settle, bounded), or the call was planned again.
      let inCommit = d.inCommit?.ok && d.policyVersion === s.revision ? d.inCommit.value : undefined;
      if (d.inCommit && !d.inCommit.ok)
        opts.log.warn({ err: d.inCommit.error }, 'LLM gateway: reservation in the decision commit failed; retrying on its own');
      let minute: string | null = null;
      for (let replans = 0; ; replans++) {
        if (replanned) {
          const e = replanned;
          throw refused(e.status, e.code, e.message, e.extra, e.headers);
        }
        const { model, price, rate, inBound, bounded, costMicro, reservedTokens, reserving, reservation } = p;
        if (price?.currency !== 'USD')
          throw refused(
            403,
            'model_unpriced',
            `Model "${model.name}" has no USD price for ${day}: the gateway does not call a model whose cost it cannot count`,
          );
        if (!bounded)
          throw refused(
            400,
            'cost_unbounded',
            shape.multiStep
              ? `the provider runs ${shape.multiStep.what} within this call ${shape.multiStep.how}, so its cost cannot be bounded against the spend limits that apply (${shape.multiStep.instead} where a limit applies)`
              : inBound === undefined
                ? `the input of this call cannot be measured (${shape.unmeasured}) and Model "${model.name}" sets no contextWindow, so its cost cannot be bounded against the spend limits that apply`
                : `this call sets no ${op === 'responses' ? 'max_output_tokens' : 'max_tokens'} and Model "${model.name}" sets no maxOutputTokens, so its cost cannot be bounded against the limits that apply`,
          );
        // More than a minute's tokens can never be admitted: a 429 would have the client retry forever.
        if (rate?.tokensPerMinute !== undefined && reservedTokens > rate.tokensPerMinute)
          throw refused(
            400,
            'tokens_over_rate_limit',
            `this call may use up to ${reservedTokens} tokens, more than ${agent}'s tokensPerMinute (${rate.tokensPerMinute}) admits in any minute: ` +
              `lower ${op === 'responses' ? 'max_output_tokens' : 'max_tokens'} or the input`,
          );
        if (!reserving) break;
        const waitable = inCommit && !inCommit.ok && inCommit.reason === 'limit' && !inCommit.settledOnly;
        // On its own, the reservation is made only at the revision planned at: a change committed while
        // the call waited for room (up to FULCRUM_LLM_RESERVATION_WAIT_MS) has it planned again.
        const r =
          inCommit && !waitable
            ? inCommit
            : await reservations.reserve({ ...reservation(d.decisionId), revision: planRevision }, signal);
        inCommit = undefined;
        if (!r.ok && r.reason === 'stale') {
          replanned =
            replans < 3
              ? await replan()
              : new LlmError(
                  409,
                  'registry_changed',
                  'the registry changed again each time this call was about to be admitted: send the call again',
                );
          continue;
        }
        if (!r.ok && r.reason === 'rate')
          throw refused(
            429,
            'rate_limit_exceeded',
            `${agent} is over its ${r.what === 'requests' ? 'requestsPerMinute' : 'tokensPerMinute'} (${r.limit}); try again in ${r.retryAfterSeconds} s`,
            {},
            { 'retry-after': String(r.retryAfterSeconds) },
          );
        if (!r.ok && r.reason === 'limit') {
          const l = r.limit;
          const scope = Object.entries(l.spec.scope).map(([k, v]) => `${k} ${v}`)[0];
          const left = Math.max(0, l.amountMicro - r.spentMicro - (r.settledOnly ? 0 : r.reservedMicro));
          throw refused(
            429,
            'spend_limit_exceeded',
            `spend limit "${l.name}" (${scope}, ${l.spec.amountUsd} USD per ${l.spec.period}) has ${fromMicro(left)} USD left` +
              `${r.settledOnly ? '' : ' while calls in flight settle'}; this call may cost up to ${fromMicro(costMicro)} USD`,
            {
              limit: l.name,
              limitUsd: l.spec.amountUsd,
              spentUsd: fromMicro(r.spentMicro),
              reservedUsd: fromMicro(r.reservedMicro),
              callMaxUsd: fromMicro(costMicro),
            },
            // The SDKs retry a 429 unless told not to; only calls in flight settling could change the answer.
            { 'x-should-retry': 'false' },
          );
        }
        if (r.ok) {
          minute = r.minute;
          for (const l of r.alerts)
            claimAlert(db, l, now).then(
              (first) => {
                if (first)
                  opts.log.warn(
                    { limit: l.name, agent, periodStart: l.periodStart },
                    `spend limit ${l.name} (enforce: alert) passed ${l.spec.amountUsd} USD this ${l.spec.period}`,
                  );
              },
              (err) => opts.log.warn({ err }, 'LLM gateway: spend limit alert not recorded'),
            );
        }
        break;
      }
      const { model, endpoint, limits, forwarded, prices, worst, reservedTokens, timeoutMs, reserving } = p;
      const admitted: Admitted = {
        agent,
        op,
        decisionId: d.decisionId,
        trace: callTrace(d.decisionId, headers),
        model,
        endpoint,
        shape,
        target: undefined as unknown as Target,
        body: Buffer.alloc(0),
        timeoutMs,
        startedAt,
        at: now,
        day,
        prices,
        worst,
        limits,
        reserved: reserving,
        minute,
        reservedTokens,
      };
      try {
        admitted.target = targetFor(endpoint, op, headers, { outbound: opts.outbound, env: env(), log: upstreamLog });
        // The provider's own traces (where it keeps any) join the call's, under the gateway's record.
        Object.assign(admitted.target.headers, traceHeaders(admitted.trace));
        admitted.body = forwarded;
      } catch (err) {
        finish(admitted, { kind: 'unsent', why: (err as Error).message });
        throw err;
      }
      open.add(admitted.decisionId);
      return admitted;
    },

    finish,

    /** GET /models: the models this agent may call through this API now (the guard's answer is allow). */
    async models(agent: string, api: Api) {
      const day = (await this.now()).toISOString().slice(0, 10);
      return allowedModels(await opts.guard.snapshot(), agent, api, day);
    },

    /** The database's time, as this node knows it: what periods and price days are judged by. */
    async now(): Promise<Date> {
      await reservations.clockRead();
      return reservations.now();
    },

    /** GET /v1/spend-limits/<name>/status: the limit in its current period, and its burn-down by hour. */
    async limitStatus(actor: Principal, name: string, at?: Date) {
      assertCan(actor, 'registry.read');
      at ??= await this.now();
      return spendLimitStatus(db, (await opts.guard.snapshot()).registry, name, at);
    },

    /** Every SpendLimit's status, by name, a page at a time. */
    async limitStatuses(actor: Principal, page: { limit: number; after?: string | undefined }, at?: Date) {
      assertCan(actor, 'registry.read');
      at ??= await this.now();
      return spendLimitStatusPage(db, (await opts.guard.snapshot()).registry, page, at);
    },

    /** Failed background writes since start (settlements, expiry sweeps, evidence), each also logged. */
    failures: () => reservations.failures() + evidence.failures(),

    /** Writes what is pending (settlements, evidence); for tests and shutdown. */
    async flush(): Promise<void> {
      await evidence.flush();
    },

    /**
     * Waits (at most CLOSE_WAIT_MS) for the calls in flight to finish, then writes their settlements
     * and evidence. When a stopping node cuts a stream, the call ends a moment after its connection.
     */
    async close(): Promise<void> {
      if (open.size > 0)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CLOSE_WAIT_MS);
          allFinished = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      await reservations.close();
      await evidence.flush();
    },
  };
}

/**
 * What a call is charged:
 * - answered (2xx): the provider's usage; without one, the worst case (it cannot be counted, so it is not counted low);
 * - an error answer, or never sent: nothing (providers do not bill refused calls);
 * - a stream cut short: its input (as the provider said, else the bound) and the output produced so far
 *   (its bound once the stream was held back for a slow reader: more may have been produced unread);
 * - a whole answer cut short: the worst case (the provider may have finished it; nothing says how much).
 */
function charged(call: Admitted, end: CallEnd, warn: (message: string) => void): Usage {
  const zero = { input: 0, output: 0, cached: 0 };
  if (end.kind === 'unsent') return zero;
  if (end.kind === 'answered') {
    if (end.status >= 400) return zero;
    if (end.usage) return end.usage;
    warn(`model endpoint ${call.endpoint.name} answered without usage: charged the call's worst case`);
    return call.worst;
  }
  if (!call.shape.stream || !end.partial) return call.worst;
  const input = end.partial.input ?? { ...call.worst, output: 0 };
  const cap = maxOutputOf(call.shape, call.model) ?? Number.POSITIVE_INFINITY;
  // Held back for a slow reader before it was cut: the provider may have gone on producing into the
  // connection's buffers (it bills what it produced), so the output is not counted low: its bound.
  const output = end.partial.unread ? Math.max(end.partial.output, call.worst.output) : end.partial.output;
  return { ...input, output: Math.min(output, cap) };
}

/** Whether every count of `u` fits a span's token columns. */
function fitsSpan(u: Usage): boolean {
  return u.input <= MAX_TOKENS && u.output <= MAX_TOKENS && u.cached <= MAX_TOKENS;
}

/** The most output a call may produce: what it asks for, else the model's cap on each of its choices. */
function maxOutputOf(shape: CallShape, model: Admitted['model']): number | undefined {
  if (shape.maxOutput !== undefined) return shape.maxOutput;
  const each = model.spec.maxOutputTokens;
  return each === undefined ? undefined : each * shape.choices;
}

function oneHeader(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length <= 200 ? s : undefined;
}

/**
 * Anthropic betas that bill a call above the Model's price (1M-token context: input past 200,000
 * tokens at twice the rate, output at 1.5 times; fast mode) would be counted at that price: refused,
 * naming the beta. Other betas pass through as the client sent them.
 */
function unpricedBetas(v: string | string[] | undefined): void {
  const text = (Array.isArray(v) ? v.join(',') : (v ?? '')).slice(0, 4096);
  const beta = text
    .split(',')
    .map((x) => x.trim())
    .find((x) => x.startsWith('context-1m') || x.startsWith('fast-mode'));
  if (beta)
    throw new LlmError(
      400,
      'bad_request',
      beta.startsWith('fast-mode')
        ? `anthropic-beta ${beta.slice(0, 60)} bills fast output at a multiple of the Model's price, which is what the gateway counts against budgets: leave it out`
        : `anthropic-beta ${beta.slice(0, 60)} bills long inputs above the Model's price, which is what the gateway counts against budgets: leave it out, or register the long-context model with its own price`,
    );
}

/** A comma-separated header as a list (bounded). */
function listHeader(v: string | string[] | undefined, name: string): string[] {
  const text = Array.isArray(v) ? v.join(',') : (v ?? '');
  const list = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (list.length > MAX_DATA_DOMAINS || list.some((x) => x.length > 253))
    throw new LlmError(400, 'bad_request', `${name} lists at most ${MAX_DATA_DOMAINS} data domains, each a registry name`);
  return [...new Set(list)];
}
