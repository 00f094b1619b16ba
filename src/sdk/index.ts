/**
 * The Fulcrum agent SDK: ask the guard before a tool or model call, wait for a human when policy
 * says so, and report how the call went. Imports nothing from the server; runs wherever fetch does.
 *
 * ```ts
 * import { createGuard } from 'fulcrum/sdk';
 * const guard = createGuard({ url: 'http://fulcrum:4100', key: process.env.FULCRUM_AGENT_KEY! });
 * const refund = await guard.run('crm.refund', { amount: 900, orderId: 'o-1' }, () => crm.refund(...));
 * ```
 * @module
 */

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
  /** Per request. Default 5 s. */
  timeoutMs?: number;
  /** How long `run` waits for a human. Default 10 minutes. */
  approvalTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CallOptions {
  dataDomains?: string[];
  taskId?: string;
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

export function createGuard(opts: GuardOptions) {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;

  async function request<T>(method: string, path: string, body?: unknown, extraMs = 0): Promise<T> {
    const res = await doFetch(base + path, {
      method,
      headers: { authorization: `Bearer ${opts.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs + extraMs),
    });
    const data = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
    if (!res.ok)
      throw new FulcrumError(res.status, data.error?.code ?? 'http_error', data.error?.message ?? `HTTP ${res.status}`);
    return data;
  }

  /** Fulcrum unreachable (network, timeout, 5xx): the configured default, with a reason that says so. */
  function unreachable(err: unknown): Decision {
    const message = `Fulcrum unreachable: ${(err as Error).message}`;
    return {
      decision: opts.failOpen ? 'allow' : 'deny',
      reasons: [{ policy: 'fulcrum-unreachable', effect: opts.failOpen ? 'permit' : 'forbid', message }],
    };
  }

  async function decide(body: Record<string, unknown>): Promise<Decision> {
    try {
      return await request<Decision>('POST', '/v1/decisions', body);
    } catch (err) {
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
      return decide({ action: 'tool.call', tool, arguments: args, ...o });
    },

    /** May this agent call `model` with data from these domains? */
    checkModel(model: string, o: CallOptions = {}): Promise<Decision> {
      return decide({ action: 'model.call', model, ...o });
    },

    /** Waits (long polls) until a person decides, or the timeout passes. */
    async waitForApproval(approvalId: string, timeoutMs = opts.approvalTimeoutMs ?? 600_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) return 'pending';
        const wait = Math.max(1, Math.min(30, Math.floor(left / 1000)));
        try {
          const a = await request<{ status: string }>(
            'GET',
            `/v1/approvals/${encodeURIComponent(approvalId)}?wait=${wait}`,
            undefined,
            wait * 1000,
          );
          if (a.status !== 'pending') return a.status;
        } catch (err) {
          if (err instanceof FulcrumError && err.status < 500) throw err;
          await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
        }
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
        const status = await guard.waitForApproval(d.approvalId, approvalTimeoutMs);
        if (status !== 'approved')
          throw new FulcrumDenied(d, `approval ${d.approvalId} ${status === 'pending' ? 'timed out' : `was ${status}`}`);
        d = await guard.check(tool, args, { ...callOpts, approvalId: d.approvalId });
      }
      if (d.decision !== 'allow') throw new FulcrumDenied(d);
      const started = Date.now();
      try {
        const result = await fn();
        await guard.report(d, 'succeeded', Date.now() - started);
        return result;
      } catch (err) {
        await guard.report(d, 'failed', Date.now() - started, (err as Error).message);
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
