// Replays the demo's story (story.ts) against a running Fulcrum through its public API only — the
// same calls agents and people make: descriptors applied, keys issued, decisions asked and approved,
// OTLP spans and task events sent, risk assessed, promotions signed off, spend imported.
//
// Telemetry, events, measurements and spend carry their simulated dates (up to `days` ago). Guard
// decisions cannot be backdated: the audit log records when Fulcrum decided, so a 90-day sample of
// decisions is made during the replay itself.
import fs from 'node:fs';
import path from 'node:path';
import {
  type AgentProfile,
  ATTACK,
  at,
  COLLECTOR,
  MEASUREMENTS,
  PROFILES,
  PROMOTIONS,
  RISK_ASSESSMENTS,
  type Rng,
  SHADOW,
  SPEND_LINES,
  seeded,
  UNREPORTED_CALLS_PER_DAY,
} from './story.js';

const DAY = 86_400_000;
/** The date examples/acme was written for; the demo moves every date in it by (today − this). */
export const STORY_DATE = '2026-11-28';
const SPANS_PER_REQUEST = 2000;

export interface ReplayOptions {
  url: string;
  adminToken: string;
  examplesDir: string;
  seed: number;
  days: number;
  now?: Date;
  onProgress?(done: number, total: number, label: string): void;
}

export interface ReplayStats {
  decisions: number;
  approvals: number;
  spans: number;
  events: number;
  spendLines: number;
  /** Monitors that opened an incident at the end of the replay, with what they did. */
  incidents: string[];
}

/** The API as an agent or a person calls it: JSON in and out (or a raw body with its content type). */
interface Api {
  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
}

/**
 * A client acting with `token` (an admin token, a person's token or an agent key). Plain fetch: the
 * replay calls untyped paths (OTLP, CSV import) and needs nothing of the CLI's login or token files.
 * A refusal stops the replay with the server's message, the method and the path.
 */
const client = (url: string, token: string): Api => ({
  async request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const raw = typeof body === 'string' && contentType !== undefined;
    const res = await fetch(url + path, { method, headers, body: body === undefined ? null : raw ? body : JSON.stringify(body) });
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const e = (data as { error?: { code: string; message: string } } | undefined)?.error;
      throw new Error(`${method} ${path}: ${e ? `${e.message} (${e.code})` : `HTTP ${res.status}: ${text.slice(0, 200)}`}`);
    }
    return data as T;
  },
});

/** Moves every YYYY-MM-DD in a descriptor file by `days`, so the story stays anchored to today. */
export function shiftDates(text: string, days: number): string {
  if (days === 0) return text;
  return text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (d) => new Date(Date.parse(d) + days * DAY).toISOString().slice(0, 10));
}

export async function replay(opts: ReplayOptions): Promise<ReplayStats> {
  const now = opts.now ?? new Date();
  const admin = client(opts.url, opts.adminToken);
  const stats: ReplayStats = { decisions: 0, approvals: 0, spans: 0, events: 0, spendLines: 0, incidents: [] };
  const shift = Math.round((Date.parse(now.toISOString().slice(0, 10)) - Date.parse(STORY_DATE)) / DAY);

  // 1. The registry, as a platform team would apply it.
  const files = fs
    .readdirSync(opts.examplesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: f, content: shiftDates(fs.readFileSync(path.join(opts.examplesDir, f), 'utf8'), shift) }));
  await admin.request('POST', '/v1/apply', { files });

  // 2. Keys for the agents, tokens for the people who approve and sign off.
  const agents = new Map<string, Api>();
  for (const p of PROFILES) {
    const { key } = await admin.request<{ key: string }>('POST', `/v1/agents/${p.agent}/keys`, { description: 'demo' });
    agents.set(p.agent, client(opts.url, key));
  }
  const collectorKey = await admin.request<{ key: string }>('POST', `/v1/telemetry-collectors/${COLLECTOR.name}/keys`, {
    description: 'demo',
  });
  const collector = client(opts.url, collectorKey.key);
  const people = new Map<string, Api>();
  const person = async (name: string) => {
    let api = people.get(name);
    if (!api) {
      const { token } = await admin.request<{ token: string }>('POST', `/v1/people/${name}/tokens`, { description: 'demo' });
      api = client(opts.url, token);
      people.set(name, api);
    }
    return api;
  };
  const approver = await person('maria.okafor');

  // 3. Governance done during the quarter: risk assessments, promotion reviews.
  const questionnaire = await admin.request<{ questions: Record<string, string> }>('GET', '/v1/risk-questionnaire');
  for (const a of RISK_ASSESSMENTS) {
    const answers: Record<string, unknown> = Object.fromEntries(
      Object.keys(questionnaire.questions).map((q) => [q, a.answers[q] ?? false]),
    );
    answers.prohibitedPractices = a.prohibitedPractices ?? [];
    await admin.request('POST', `/v1/initiatives/${a.initiative}/risk-assessment`, { answers, notes: a.notes });
  }
  for (const p of PROMOTIONS) {
    const review = await admin.request<{ id: string }>('POST', `/v1/initiatives/${p.initiative}/promotions`, { to: p.to });
    for (const [role, who] of p.signOffs)
      await (await person(who)).request('POST', `/v1/reviews/${review.id}/sign-offs`, {
        role,
        decision: 'approve',
        comment: 'Reviewed the evidence pack.',
      });
  }

  // 4. The days: telemetry and task events dated in the past, a sample of guard decisions.
  const start = now.getTime() - opts.days * DAY;
  for (let d = 0; d < opts.days; d++) {
    const progress = opts.days === 1 ? 1 : d / (opts.days - 1);
    const dayStart = start + d * DAY;
    await Promise.all(
      PROFILES.map(async (p) => {
        const api = agents.get(p.agent) as Api;
        // Telemetry goes through sales-ops' collector for the agents it forwards; decisions never do.
        const forwarded = COLLECTOR.agents.includes(p.agent);
        const telemetry = forwarded ? collector : api;
        const r = seeded(opts.seed * 1_000_003 + d * 131 + PROFILES.indexOf(p));
        const { spans, events } = dayOfTasks(p, r, dayStart, progress);
        const calls = UNREPORTED_CALLS_PER_DAY[p.agent] ?? 0;
        for (let i = 0; i < calls; i++)
          spans.push(
            inferenceSpan(
              r,
              p.agent,
              p.model,
              p.provider,
              p.inputTokens,
              p.outputTokens,
              dayStart + r.next() * (DAY - 60_000),
              r.hex(32),
            ),
          );
        if (forwarded && COLLECTOR.name === SHADOW.via && d >= SHADOW.fromDay)
          for (let i = 0; i < SHADOW.callsPerDay; i++)
            spans.push(
              inferenceSpan(
                r,
                SHADOW.identity,
                SHADOW.model,
                'openai',
                1800,
                900,
                dayStart + r.next() * (DAY - 60_000),
                r.hex(32),
              ),
            );
        for (let i = 0; i < spans.length; i += SPANS_PER_REQUEST) {
          await telemetry.request('POST', '/otlp/v1/traces', otlpExport(spans.slice(i, i + SPANS_PER_REQUEST)));
        }
        stats.spans += spans.length;
        if (events.length) {
          await telemetry.request('POST', '/v1/events', {
            events: forwarded ? events.map((e) => ({ ...e, agent: p.agent })) : events,
          });
          stats.events += events.length;
        }
        for (let i = 0; i < p.decisionsPerDay; i++) await decide(api, approver, p, r, `${p.agent}-d${d}-${i}`, stats);
      }),
    );
    for (const m of MEASUREMENTS) {
      const month = Math.floor((d * m.values.length) / opts.days);
      if (Math.floor(((d + 1) * m.values.length) / opts.days) !== month || d === opts.days - 1) {
        const period = new Date(dayStart).toISOString().slice(0, 7);
        await admin.request('POST', `/v1/initiatives/${m.initiative}/measurements`, {
          metric: m.metric,
          value: m.values[month],
          period,
        });
      }
    }
    opts.onProgress?.(d + 1, opts.days, new Date(dayStart).toISOString().slice(0, 10));
  }

  // 5. The quarter's invoices, imported as finance would: one CSV.
  const csv = [
    'date,category,amount,initiative,description',
    ...SPEND_LINES.map((l) =>
      [
        new Date(now.getTime() - l.daysAgo * DAY).toISOString().slice(0, 10),
        l.category,
        l.amount,
        l.initiative ?? '',
        // Quoted as RFC 4180 asks: descriptions hold commas.
        `"${l.description.replaceAll('"', '""')}"`,
      ].join(','),
    ),
  ].join('\n');
  const imported = await admin.request<{ imported: number }>('POST', '/v1/budgets/fy2026/spend', csv, 'text/csv');
  stats.spendLines = imported.imported ?? SPEND_LINES.length;

  // 6. Today: a prompt-injection campaign makes the EU support bot reach for tools it may not use.
  const victim = agents.get(ATTACK.agent) as Api;
  for (let i = 0; i < ATTACK.attempts; i++) {
    const call = ATTACK.calls[i % ATTACK.calls.length] as (typeof ATTACK.calls)[number];
    await victim.request('POST', '/v1/decisions', {
      action: 'tool.call',
      tool: call.tool,
      arguments: call.arguments,
      taskId: `attack-${i}`,
    });
    stats.decisions++;
  }
  // The monitors run every minute on their own; evaluate once now so the replay ends with their verdict.
  const { items } = await admin.request<{ items: Array<{ monitor: string; incident?: string; suspended?: string[] }> }>(
    'POST',
    '/v1/monitors/evaluate',
  );
  stats.incidents = items
    .filter((m) => m.incident)
    .map((m) => `${m.monitor} (${m.incident}${m.suspended?.length ? `; suspended ${m.suspended.join(', ')}` : ''})`);
  return stats;
}

async function decide(api: Api, approver: Api, p: AgentProfile, r: Rng, taskId: string, stats: ReplayStats): Promise<void> {
  const call = weighted(p.calls, r);
  const body = {
    action: 'tool.call',
    tool: call.tool,
    arguments: call.arguments(r),
    ...(call.dataDomains ? { dataDomains: call.dataDomains } : {}),
    taskId,
  };
  const first = await api.request<{ decision: string; approvalId?: string }>('POST', '/v1/decisions', body);
  stats.decisions++;
  if (first.decision !== 'approval_required' || !first.approvalId) return;
  // A human looks at the exact call; most are approved, some are not.
  const verdict = r.next() < 0.88 ? 'approve' : 'deny';
  await approver.request('POST', `/v1/approvals/${first.approvalId}/${verdict}`, {
    comment: verdict === 'approve' ? 'Checked the order history.' : 'Not covered by policy; escalate to a supervisor.',
  });
  stats.approvals++;
  if (verdict === 'approve') {
    await api.request('POST', '/v1/decisions', { ...body, approvalId: first.approvalId });
    stats.decisions++;
  }
}

/** One of `items`, each as likely as its weight. */
function weighted<T extends { weight: number }>(items: readonly T[], r: Rng): T {
  let x = r.next() * items.reduce((s, c) => s + c.weight, 0);
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1] as T;
}

type Attr = { key: string; value: { stringValue: string } | { intValue: string } };
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attr[];
  status?: { code: number };
}

const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): Attr => ({ key, value: { intValue: String(Math.round(v)) } });
const nanos = (ms: number) => `${Math.round(ms)}000000`;

function inferenceSpan(
  r: Rng,
  agent: string,
  model: string,
  provider: string,
  input: number,
  output: number,
  startMs: number,
  traceId: string,
  parent?: string,
): Span {
  const inTok = Math.max(200, r.normal(input, input * 0.25));
  const outTok = Math.max(20, r.normal(output, output * 0.3));
  return {
    traceId,
    spanId: r.hex(16),
    ...(parent ? { parentSpanId: parent } : {}),
    name: `chat ${model}`,
    kind: 3,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(startMs + 800 + outTok * 12),
    attributes: [
      str('gen_ai.operation.name', 'chat'),
      str('gen_ai.agent.name', agent),
      str('gen_ai.provider.name', provider),
      str('gen_ai.request.model', model),
      int('gen_ai.usage.input_tokens', inTok),
      int('gen_ai.usage.output_tokens', outTok),
    ],
  };
}

/** One day of an agent's finished tasks, as `invoke_agent` spans or as task events, plus its model calls. */
function dayOfTasks(p: AgentProfile, r: Rng, dayStart: number, progress: number) {
  const spans: Span[] = [];
  const events: Array<Record<string, unknown>> = [];
  const n = Math.round(at(p.tasksPerDay, progress) * (0.9 + r.next() * 0.2));
  const [res, esc, fail] = [at(p.resolved, progress), at(p.escalated, progress), at(p.failed, progress)];
  for (let i = 0; i < n; i++) {
    const minutes = Math.max(0.5, r.normal(at(p.handleMinutes, progress), at(p.handleMinutes, progress) * 0.3));
    const duration = minutes * 60_000;
    const begin = dayStart + r.next() * (DAY - duration - 60_000);
    const x = r.next();
    const outcome = x < res ? 'resolved' : x < res + esc ? 'escalated' : x < res + esc + fail ? 'failed' : 'abandoned';
    const traceId = r.hex(32);
    const taskId = `${p.agent}-${traceId.slice(0, 12)}`;
    if (p.reports === 'events') {
      events.push({
        type: 'task.completed',
        taskId,
        workflow: 'reconciliation',
        outcome,
        durationMs: Math.round(duration),
        startedAt: new Date(begin).toISOString(),
        endedAt: new Date(begin + duration).toISOString(),
      });
      spans.push(inferenceSpan(r, p.agent, p.model, p.provider, p.inputTokens, p.outputTokens, begin + 1000, traceId));
      continue;
    }
    const root = r.hex(16);
    spans.push({
      traceId,
      spanId: root,
      name: `invoke_agent ${p.agent}`,
      kind: 1,
      startTimeUnixNano: nanos(begin),
      endTimeUnixNano: nanos(begin + duration),
      attributes: [
        str('gen_ai.operation.name', 'invoke_agent'),
        str('gen_ai.agent.name', p.agent),
        str('fulcrum.task.outcome', outcome),
        str('fulcrum.task.id', taskId),
      ],
      ...(outcome === 'failed' ? { status: { code: 2 } } : {}),
    });
    const onTrial = p.trial !== undefined && i % p.trial.every === p.trial.every - 1;
    const [model, provider] = onTrial && p.trial ? [p.trial.model, p.trial.provider] : [p.model, p.provider];
    spans.push(inferenceSpan(r, p.agent, model, provider, p.inputTokens, p.outputTokens, begin + 500, traceId, root));
  }
  return { spans, events };
}

function otlpExport(spans: Span[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'acme-agents'), str('deployment.environment.name', 'production')] },
        scopeSpans: [{ scope: { name: 'fulcrum-demo' }, spans }],
      },
    ],
  };
}
