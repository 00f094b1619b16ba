/**
 * The Fulcrum agent SDK: ask the guard before a tool or model call, wait for a human when policy
 * says so, and report how the call went. Imports nothing from the server but src/net/abort.ts, which
 * imports nothing itself; runs wherever fetch does.
 *
 * ```ts
 * import { createGuard } from 'fulcrum/sdk';
 * const guard = createGuard({ url: 'http://fulcrum:4100', key: process.env.FULCRUM_AGENT_KEY! });
 * const refund = await guard.run('crm.refund', { amount: 900, orderId: 'o-1' }, () => crm.refund(...));
 * ```
 * @module
 */

import { bySignal } from '../net/abort.js';

export type Verdict = 'allow' | 'deny' | 'approval_required';

export interface Reason {
  policy: string;
  effect: string;
  message?: string;
}

export interface Decision {
  decision: Verdict;
  decisionId?: string;
  reasons: Reason[];
  approvalId?: string;
  monitor?: Reason[];
}

export interface GuardOptions {
  /** Fulcrum's base URL, e.g. http://127.0.0.1:4100 */
  url: string;
  /** The agent's key (fk_…). */
  key: string;
  /** When Fulcrum cannot be reached: deny (default, fail closed) or allow (fail open). */
  failOpen?: boolean;
  /** Per request, its whole answer included. Default 5 s. */
  timeoutMs?: number;
  /** How long `run` waits for a human. Default 10 minutes. */
  approvalTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CallOptions {
  dataDomains?: string[];
  taskId?: string;
  /**
   * Ends the call (a check, an approval wait, `run` before the guarded call starts) when it aborts:
   * the promise rejects with the signal's reason, never a decision, so an abort is not a deny nor,
   * with failOpen, an allow.
   */
  signal?: AbortSignal;
}

/** Thrown by `run` when the call may not proceed. */
export class FulcrumDenied extends Error {
  constructor(
    readonly decision: Decision,
    message = `denied: ${decision.reasons.map((r) => r.message ?? r.policy).join('; ')}`,
  ) {
    super(message);
    this.name = 'FulcrumDenied';
  }
}

/** Thrown for a request Fulcrum rejects outright (4xx): a bug in the caller, not a policy answer. */
export class FulcrumError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FulcrumError';
  }
}

/**
 * The most of one answer the SDK reads (a decision, an approval with the call's arguments): whatever
 * answers at Fulcrum's address (a proxy, a man in the middle on plain http) must not fill the memory.
 */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** Fulcrum's answer could not be used (a redirect, too long, not JSON): treated as Fulcrum unreachable. */
class UnusableAnswer extends Error {}

/** The body of `res` as JSON, reading at most `max` bytes (undefined when it is empty) until `signal`. */
async function readJson(res: Response, max: number, signal: AbortSignal): Promise<unknown> {
  if (!res.body) return undefined;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await bySignal(reader.read(), signal).catch(async (err) => {
      await reader.cancel().catch(() => undefined);
      throw err;
    });
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new UnusableAnswer(`its answer is over ${max} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UnusableAnswer('its answer is not JSON');
  }
}

/** Resolves after `ms`, or rejects with the reason of `signal` as soon as it aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  const slept = new Promise<void>((r) => setTimeout(r, ms));
  return signal ? bySignal(slept, signal) : slept;
}

const VERDICTS: readonly string[] = ['allow', 'deny', 'approval_required'];

/** Whether `d` is a Decision as Fulcrum answers one (anything else is no decision, never an allow). */
function isDecision(d: unknown): d is Decision {
  const x = d as Partial<Decision> | undefined;
  return typeof x?.decision === 'string' && VERDICTS.includes(x.decision) && Array.isArray(x.reasons);
}

export function createGuard(opts: GuardOptions) {
  // A URL fetch cannot use is the developer's mistake, said at once rather than as a deny on every
  // call; one holding a user name or password is refused as fetch refuses it, and it would have been
  // quoted in every unreachable reason (and so in FulcrumDenied's message and the agent's logs).
  let parsed: URL;
  try {
    parsed = new URL(opts.url);
  } catch {
    throw new TypeError(`createGuard: url ${JSON.stringify(String(opts.url).slice(0, 200))} is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TypeError(`createGuard: url must be http: or https:, not ${parsed.protocol}`);
  if (parsed.username || parsed.password)
    throw new TypeError('createGuard: url holds a user name or password; the agent authenticates with its key alone');
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;

  /**
   * One call to Fulcrum, its answer read within the timeout. A redirect is not followed (the key and
   * the call's arguments go only to `url`), and an answer that is a redirect, too long or not JSON is
   * an UnusableAnswer, as if Fulcrum could not be reached.
   */
  async function request<T>(method: string, path: string, body?: unknown, extraMs = 0, caller?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs + extraMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const res = await bySignal(
      doFetch(base + path, {
        method,
        headers: { authorization: `Bearer ${opts.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
        redirect: 'manual',
        signal,
      }),
      signal,
    );
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      await res.body?.cancel().catch(() => undefined);
      const to = res.headers.get('location');
      throw new UnusableAnswer(`it answered a redirect${to ? ` to ${to}` : ''}, not followed`);
    }
    let data: (T & { error?: { code?: unknown; message?: unknown } }) | undefined;
    try {
      data = (await readJson(res, MAX_ANSWER_BYTES, signal)) as typeof data;
    } catch (err) {
      if (res.ok || !(err instanceof UnusableAnswer)) throw err;
    }
    if (!res.ok) {
      const e = data?.error;
      throw new FulcrumError(
        res.status,
        typeof e?.code === 'string' ? e.code : 'http_error',
        typeof e?.message === 'string' ? e.message : `HTTP ${res.status}`,
      );
    }
    if (data === undefined) throw new UnusableAnswer('its answer is empty');
    return data;
  }

  /** Fulcrum unreachable (network, timeout, 5xx, an unusable answer): the configured default, with a reason that says so. */
  function unreachable(err: unknown): Decision {
    const said =
      err instanceof UnusableAnswer ? `Fulcrum at ${base}: ${err.message}` : `Fulcrum unreachable: ${(err as Error).message}`;
    // fetch quotes a header value it refuses: a key holding a line break (two lines of an env file, a
    // paste) came back whole in the reason, and so in FulcrumDenied's message and the agent's logs.
    const message = opts.key ? said.split(opts.key).join('<the key>') : said;
    return {
      decision: opts.failOpen ? 'allow' : 'deny',
      reasons: [{ policy: 'fulcrum-unreachable', effect: opts.failOpen ? 'permit' : 'forbid', message }],
    };
  }

  async function decide(body: Record<string, unknown>, signal?: AbortSignal): Promise<Decision> {
    try {
      const d = await request<unknown>('POST', '/v1/decisions', body, 0, signal);
      if (!isDecision(d)) throw new UnusableAnswer('its answer is not a decision');
      return d;
    } catch (err) {
      // The caller's own abort is no answer of Fulcrum's: with failOpen it would have been an allow.
      if (signal?.aborted) throw signal.reason;
      if (err instanceof FulcrumError && err.status < 500) {
        // A presented approval that cannot be used is a refusal, not a caller bug.
        if (err.status === 409)
          return { decision: 'deny', reasons: [{ policy: 'approval-invalid', effect: 'forbid', message: err.message }] };
        throw err;
      }
      return unreachable(err);
    }
  }

  const guard = {
    /** May this agent call `tool` with `args`? Never throws for a policy answer. */
    check(tool: string, args: Record<string, unknown> = {}, o: CallOptions & { approvalId?: string } = {}): Promise<Decision> {
      const { signal, ...rest } = o;
      return decide({ action: 'tool.call', tool, arguments: args, ...rest }, signal);
    },

    /** May this agent call `model` with data from these domains? */
    checkModel(model: string, o: CallOptions = {}): Promise<Decision> {
      const { signal, ...rest } = o;
      return decide({ action: 'model.call', model, ...rest }, signal);
    },

    /**
     * Waits (long polls) until a person decides, or the timeout passes ('pending'), or `signal` aborts
     * (a rejection with its reason).
     */
    async waitForApproval(
      approvalId: string,
      timeoutMs = opts.approvalTimeoutMs ?? 600_000,
      o: { signal?: AbortSignal } = {},
    ): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (o.signal?.aborted) throw o.signal.reason;
        const left = deadline - Date.now();
        if (left <= 0) return 'pending';
        const wait = Math.max(1, Math.min(30, Math.floor(left / 1000)));
        const asked = Date.now();
        try {
          const a = await request<{ status: string }>(
            'GET',
            `/v1/approvals/${encodeURIComponent(approvalId)}?wait=${wait}`,
            undefined,
            wait * 1000,
            o.signal,
          );
          if (typeof a.status !== 'string') throw new UnusableAnswer('its answer is not an approval');
          if (a.status !== 'pending') return a.status;
        } catch (err) {
          if (o.signal?.aborted) throw o.signal.reason;
          if (err instanceof FulcrumError && err.status < 500) throw err;
        }
        // At most one ask a second: an answer that comes back at once (a proxy that does not hold a long
        // poll, any other server at this address) was asked again without a pause, hundreds of times a second.
        await pause(Math.min(Math.max(0, 1000 - (Date.now() - asked)), Math.max(0, deadline - Date.now())), o.signal);
      }
    },

    /**
     * Runs `fn` only if the guard allows the call, waiting for a human when policy asks for one,
     * then reports how it went. Throws FulcrumDenied when the call may not proceed.
     */
    async run<T>(
      tool: string,
      args: Record<string, unknown>,
      fn: () => Promise<T> | T,
      o: CallOptions & { approvalTimeoutMs?: number } = {},
    ): Promise<T> {
      const { approvalTimeoutMs, ...callOpts } = o;
      let d = await guard.check(tool, args, callOpts);
      if (d.decision === 'approval_required' && d.approvalId) {
        const status = await guard.waitForApproval(d.approvalId, approvalTimeoutMs, { signal: o.signal });
        if (status !== 'approved')
          throw new FulcrumDenied(d, `approval ${d.approvalId} ${status === 'pending' ? 'timed out' : `was ${status}`}`);
        d = await guard.check(tool, args, { ...callOpts, approvalId: d.approvalId });
      }
      if (d.decision !== 'allow') throw new FulcrumDenied(d);
      // Aborted while the last answer was on its way: the caller has gone, so the call is not made.
      if (o.signal?.aborted) throw o.signal.reason;
      const started = Date.now();
      try {
        const result = await fn();
        await guard.report(d, 'succeeded', Date.now() - started);
        return result;
      } catch (err) {
        // Whatever the call threw goes on as it was: reading `.message` of a thrown null replaced it with
        // a TypeError of the SDK's own, and the failure went unreported.
        await guard.report(d, 'failed', Date.now() - started, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },

    /** Records how an allowed call went (best effort: never throws). */
    async report(d: Decision, outcome: 'succeeded' | 'failed', durationMs: number, error?: string): Promise<void> {
      if (!d.decisionId) return;
      try {
        await request('POST', `/v1/decisions/${encodeURIComponent(d.decisionId)}/outcome`, {
          outcome,
          durationMs: Math.round(durationMs),
          ...(error ? { error: error.slice(0, 500) } : {}),
        });
      } catch {
        // Reporting must not break the agent's work.
      }
    },
  };
  return guard;
}

export type Guard = ReturnType<typeof createGuard>;
