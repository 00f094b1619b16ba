// A running Fulcrum with the example enterprise and some real evidence behind it: the Acme
// descriptors applied, task events from seven agents over six months (sent with their own keys,
// as agents would), an incident, a stage-promotion review, and a person to sign in as.
import { call, cli } from '../../support/process.js';

export interface Seeded {
  /** maria.okafor, the CIO: admin, owner and approver. */
  personToken: string;
  /** raj.patel, head of the AI platform team: admin and platform (the kill switch). */
  platformToken: string;
  /** A new key for an agent, as its owner would create one. */
  agentKey(agent: string): Promise<string>;
}

interface Profile {
  agent: string;
  /** Outcome shares [resolved, escalated, failed] six months ago and now (linear in between). */
  from: [number, number, number];
  to: [number, number, number];
  /** Handle time in minutes, then and now. */
  minutes: [number, number];
  costUsd: number;
  tasksPerMonth: number;
}

const PROFILES: Profile[] = [
  {
    agent: 'support-bot-eu',
    from: [0.36, 0.48, 0.02],
    to: [0.56, 0.3, 0.01],
    minutes: [10.5, 5.2],
    costUsd: 0.9,
    tasksPerMonth: 60,
  },
  {
    agent: 'support-bot-us',
    from: [0.34, 0.5, 0.03],
    to: [0.52, 0.33, 0.02],
    minutes: [11, 5.8],
    costUsd: 0.85,
    tasksPerMonth: 50,
  },
  {
    agent: 'agent-assist',
    from: [0.9, 0.05, 0.01],
    to: [0.93, 0.04, 0.01],
    minutes: [9.6, 7.9],
    costUsd: 0.12,
    tasksPerMonth: 50,
  },
  {
    agent: 'recon-bot-ie01',
    from: [0.9, 0.04, 0.05],
    to: [0.95, 0.02, 0.025],
    minutes: [22, 14],
    costUsd: 1.4,
    tasksPerMonth: 30,
  },
  {
    agent: 'it-remediator-eu',
    from: [0.12, 0.8, 0.05],
    to: [0.31, 0.63, 0.03],
    minutes: [130, 78],
    costUsd: 0.35,
    tasksPerMonth: 40,
  },
  {
    agent: 'it-helpdesk-bot',
    from: [0.3, 0.65, 0.02],
    to: [0.47, 0.5, 0.01],
    minutes: [14, 9],
    costUsd: 0.05,
    tasksPerMonth: 60,
  },
  {
    agent: 'invoice-matcher',
    from: [0.2, 0.7, 0.05],
    to: [0.27, 0.65, 0.04],
    minutes: [6, 5.5],
    costUsd: 0.6,
    tasksPerMonth: 30,
  },
];

const DAY = 86_400_000;

/** Deterministic events: the same seed gives the same portfolio on every run. */
function eventsFor(p: Profile, now: number): unknown[] {
  const events: unknown[] = [];
  let n = 0;
  for (let month = 5; month >= 0; month--) {
    const t = (5 - month) / 5;
    const mix = p.from.map((f, i) => f + ((p.to[i] as number) - f) * t) as [number, number, number];
    const minutes = p.minutes[0] + (p.minutes[1] - p.minutes[0]) * t;
    for (let k = 0; k < p.tasksPerMonth; k++) {
      const share = (k + 0.5) / p.tasksPerMonth;
      const outcome =
        share < mix[0]
          ? 'resolved'
          : share < mix[0] + mix[1]
            ? 'escalated'
            : share < mix[0] + mix[1] + mix[2]
              ? 'failed'
              : 'abandoned';
      // Spread over the month, never in the future: month 0 is the last 28 days.
      const endedAt = new Date(now - month * 30 * DAY - ((k * 28) / p.tasksPerMonth) * DAY - 3600_000).toISOString();
      events.push({
        type: 'task.completed',
        taskId: `${p.agent}-${n++}`,
        workflow: 'seed',
        outcome,
        durationMs: Math.round(minutes * 60_000 * (0.8 + (0.4 * ((k * 7) % 10)) / 10)),
        endedAt,
        costUsd: p.costUsd,
      });
    }
  }
  return events;
}

export async function seed(url: string, adminToken: string, env: NodeJS.ProcessEnv): Promise<Seeded> {
  const applied = await cli({ ...env, FULCRUM_URL: url, FULCRUM_TOKEN: adminToken }, 'apply', '-f', 'examples/acme');
  if (applied.code !== 0) throw new Error(`apply failed: ${applied.stderr}`);
  const must = async (method: string, p: string, body?: unknown, token = adminToken) => {
    const res = await call(url, token, method, p, body);
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };

  const now = Date.now();
  for (const p of PROFILES) {
    const { key } = await must('POST', `/v1/agents/${p.agent}/keys`, {});
    const res = await must('POST', '/v1/events', { events: eventsFor(p, now) }, key);
    if (res.rejected.length > 0) throw new Error(`events rejected for ${p.agent}: ${JSON.stringify(res.rejected[0])}`);
  }
  await must('POST', '/v1/incidents', {
    title: 'support-bot-de quoted a returns window that does not exist',
    description: 'A customer in Munich was told returns are accepted for 90 days; the policy is 30.',
    severity: 'sev2',
    owner: 'dana.lee',
    agents: ['support-bot-de'],
    initiatives: ['support-deflection'],
    seriousIncident: true,
    seriousKind: 'other',
    awareAt: new Date(now - 4 * DAY).toISOString(),
  });
  await must('POST', '/v1/initiatives/invoice-matching/promotions', { to: 'production' });
  const { token: personToken } = await must('POST', '/v1/people/maria.okafor/tokens', {});
  const { token: platformToken } = await must('POST', '/v1/people/raj.patel/tokens', {});
  return { personToken, platformToken, agentKey: async (agent) => (await must('POST', `/v1/agents/${agent}/keys`, {})).key };
}
