// The demo's story, as data: what each agent of examples/acme does day by day over the replay, how
// its outcomes move, and the few events that make the story (a stalled pilot, a shadow agent, an
// attack that trips a monitor). The replay (replay.ts) turns this into API calls.

/** A deterministic random source (mulberry32): the same seed replays the same story. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    /** Normally distributed around mean (Box–Muller), for handle times and token counts. */
    normal: (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    hex: (chars: number) => {
      let s = '';
      while (s.length < chars)
        s += Math.floor(next() * 0x1_0000_0000)
          .toString(16)
          .padStart(8, '0');
      return s.slice(0, chars);
    },
  };
}
export type Rng = ReturnType<typeof seeded>;

/** A value that moves linearly from `start` (day 0) to `end` (last day) of the replay. */
export interface Trend {
  start: number;
  end: number;
}
export const at = (t: Trend, progress: number) => t.start + (t.end - t.start) * progress;

/** One tool call an agent makes, with its share of the agent's calls. */
export interface ToolCall {
  tool: string;
  weight: number;
  dataDomains?: string[];
  arguments(rng: Rng): Record<string, unknown>;
}

export interface AgentProfile {
  agent: string;
  /** How the agent reports finished tasks: OTLP `invoke_agent` spans, or task events. */
  reports: 'spans' | 'events';
  /** Tasks per day at the start and at the end of the replay. */
  tasksPerDay: Trend;
  resolved: Trend;
  escalated: Trend;
  failed: Trend;
  /** Mean handle time in minutes. */
  handleMinutes: Trend;
  model: string;
  provider: string;
  /**
   * A model trial: every `every`-th task of the day (by its index, no random draw) runs on `model`
   * instead, with the same outcome process and tokens. Fair by construction: which model a task gets
   * says nothing about how it ends, so any difference the plan sees is noise.
   */
  trial?: { model: string; provider: string; every: number };
  inputTokens: number;
  outputTokens: number;
  /** Guard decisions per day (a sample of the agent's tool calls). */
  decisionsPerDay: number;
  calls: ToolCall[];
}

const order = (rng: Rng) => `ORD-${rng.int(100000, 999999)}`;
const customer = (rng: Rng) => `C-${rng.int(10000, 99999)}`;

const SUPPORT_CALLS: ToolCall[] = [
  {
    tool: 'kb.search',
    weight: 5,
    dataDomains: ['public-help-center'],
    arguments: (r) => ({ query: r.pick(['return label', 'delivery delay', 'change address', 'warranty']) }),
  },
  {
    tool: 'crm.lookup_customer',
    weight: 4,
    dataDomains: ['customer-profiles'],
    arguments: (r) => ({ customerId: customer(r), includeOrders: true }),
  },
  { tool: 'crm.get_order', weight: 4, dataDomains: ['customer-profiles'], arguments: (r) => ({ orderId: order(r) }) },
  {
    tool: 'crm.update_case',
    weight: 3,
    dataDomains: ['support-cases'],
    arguments: (r) => ({ caseId: `CS-${r.int(1e5, 9e5)}`, status: 'resolved' }),
  },
  // Refunds: most are small; over 500 the refund-supervisor-approval policy asks a human.
  {
    tool: 'crm.refund',
    weight: 2,
    dataDomains: ['payment-data'],
    arguments: (r) => ({
      orderId: order(r),
      amount: r.next() < 0.8 ? r.int(15, 480) : r.int(520, 1400),
      currency: 'EUR',
      reason: 'damaged in transit',
    }),
  },
  { tool: 'email.send_customer', weight: 2, arguments: (r) => ({ customerId: customer(r), template: 'case-resolved' }) },
];

const FINANCE_CALLS: ToolCall[] = [
  {
    tool: 'erp.get_ledger_balance',
    weight: 4,
    dataDomains: ['general-ledger'],
    arguments: (r) => ({ companyCode: r.pick(['IE01', 'US01']), account: `${r.int(100000, 199999)}`, period: '2026-11' }),
  },
  {
    tool: 'bank.get_statement',
    weight: 3,
    arguments: (r) => ({ bankAccount: r.pick(['IE-OPS-01', 'US-OPS-02']), from: '2026-11-01', to: '2026-11-30' }),
  },
  {
    tool: 'erp.reconcile_account',
    weight: 3,
    dataDomains: ['general-ledger'],
    arguments: (r) => ({ companyCode: 'IE01', account: `${r.int(100000, 199999)}`, period: '2026-11' }),
  },
  // Journal entries of 10,000 or more need the group financial controller.
  {
    tool: 'erp.post_journal_entry',
    weight: 1,
    dataDomains: ['general-ledger'],
    arguments: (r) => ({
      companyCode: 'IE01',
      debitAccount: '410000',
      creditAccount: '120000',
      amount: r.next() < 0.7 ? r.int(200, 9500) : r.int(10000, 85000),
      currency: 'EUR',
      postingDate: '2026-11-27',
      text: 'Accrual true-up',
    }),
  },
];

const IT_CALLS: ToolCall[] = [
  {
    tool: 'kb.search_runbooks',
    weight: 4,
    dataDomains: ['internal-kb'],
    arguments: (r) => ({ query: r.pick(['disk full', 'certificate expiry', 'queue backlog']) }),
  },
  {
    tool: 'itsm.get_incident',
    weight: 4,
    dataDomains: ['it-service-records'],
    arguments: (r) => ({ number: `INC${r.int(1e6, 9e6)}` }),
  },
  {
    tool: 'monitoring.query_metrics',
    weight: 3,
    arguments: () => ({ query: 'rate(http_errors_total[5m])', lookbackMinutes: 30 }),
  },
  {
    tool: 'itsm.update_ticket',
    weight: 3,
    dataDomains: ['it-service-records'],
    arguments: (r) => ({ number: `INC${r.int(1e6, 9e6)}`, state: 'resolved' }),
  },
  // Production restarts without a runbook need the on-call SRE.
  {
    tool: 'itsm.restart_service',
    weight: 1,
    dataDomains: ['it-service-records'],
    arguments: (r) => ({
      configurationItem: r.pick(['billing-api', 'search-indexer', 'mail-relay']),
      environment: r.next() < 0.6 ? 'production' : 'staging',
      ...(r.next() < 0.5 ? { runbookId: 'RB-112' } : {}),
      incident: `INC${r.int(1e6, 9e6)}`,
    }),
  },
];

const support = (agent: string, perDay: Trend): AgentProfile => ({
  agent,
  reports: 'spans',
  tasksPerDay: perDay,
  // The win: more contacts resolved end to end, fewer escalations, faster.
  resolved: { start: 0.44, end: 0.64 },
  escalated: { start: 0.46, end: 0.23 },
  failed: { start: 0.03, end: 0.02 },
  handleMinutes: { start: 6.8, end: 4.3 },
  model: 'claude-sonnet-4',
  provider: 'aws.bedrock',
  inputTokens: 5200,
  outputTokens: 650,
  decisionsPerDay: 8,
  calls: SUPPORT_CALLS,
});

export const PROFILES: AgentProfile[] = [
  support('support-bot-eu', { start: 280, end: 420 }),
  support('support-bot-us', { start: 220, end: 330 }),
  {
    ...support('support-goodwill-eu', { start: 20, end: 30 }),
    calls: [
      ...SUPPORT_CALLS,
      {
        tool: 'crm.issue_voucher',
        weight: 3,
        dataDomains: ['payment-data'],
        arguments: (r) => ({ customerId: customer(r), amount: r.int(5, 50), currency: 'EUR' }),
      },
    ],
  },
  {
    agent: 'agent-assist',
    reports: 'spans',
    tasksPerDay: { start: 300, end: 360 },
    resolved: { start: 0.93, end: 0.95 },
    escalated: { start: 0.04, end: 0.03 },
    failed: { start: 0.03, end: 0.02 },
    // Human agents with the copilot: handle time comes down, not yet to target.
    handleMinutes: { start: 8.9, end: 7.8 },
    model: 'gpt-4.1',
    provider: 'openai',
    // The platform team trials the self-hosted Llama 3.3 (cleared for restricted data, cheaper since
    // its July charge-back cut) on every fourth suggestion: the plan reads the trial back.
    trial: { model: 'llama-3.3-70b', provider: 'self-hosted', every: 4 },
    inputTokens: 3800,
    outputTokens: 420,
    decisionsPerDay: 4,
    calls: SUPPORT_CALLS.filter((c) => c.tool !== 'crm.refund'),
  },
  ...['recon-bot-ie01', 'recon-bot-us01'].map(
    (agent): AgentProfile => ({
      agent,
      reports: 'events',
      tasksPerDay: { start: 10, end: 13 },
      resolved: { start: 0.9, end: 0.96 },
      escalated: { start: 0.05, end: 0.02 },
      // Reconciliations reopened after review: from the 6% baseline towards 2%.
      failed: { start: 0.05, end: 0.02 },
      handleMinutes: { start: 40, end: 26 },
      model: 'llama-3.3-70b',
      provider: 'self-hosted',
      inputTokens: 14000,
      outputTokens: 1800,
      decisionsPerDay: 6,
      calls: FINANCE_CALLS,
    }),
  ),
  {
    // The stalled pilot: touchless matching stuck far below target since spring, while it keeps spending.
    agent: 'invoice-matcher',
    reports: 'spans',
    tasksPerDay: { start: 60, end: 60 },
    resolved: { start: 0.31, end: 0.33 },
    escalated: { start: 0.55, end: 0.54 },
    failed: { start: 0.14, end: 0.13 },
    handleMinutes: { start: 3.5, end: 3.4 },
    model: 'gpt-4.1',
    provider: 'openai',
    inputTokens: 9000,
    outputTokens: 900,
    decisionsPerDay: 4,
    calls: FINANCE_CALLS.filter((c) => c.tool !== 'erp.post_journal_entry').concat({
      tool: 'erp.match_invoice',
      weight: 4,
      dataDomains: ['vendor-invoices'],
      arguments: (r) => ({ invoiceId: `INV-${r.int(1e5, 9e5)}`, purchaseOrder: `PO-${r.int(1e5, 9e5)}` }),
    }),
  },
  ...['it-remediator-eu', 'it-remediator-us'].map(
    (agent): AgentProfile => ({
      agent,
      reports: 'spans',
      tasksPerDay: { start: 14, end: 20 },
      resolved: { start: 0.18, end: 0.31 },
      escalated: { start: 0.76, end: 0.64 },
      failed: { start: 0.06, end: 0.05 },
      handleMinutes: { start: 118, end: 74 },
      model: 'llama-3.3-70b',
      provider: 'self-hosted',
      inputTokens: 11000,
      outputTokens: 1200,
      decisionsPerDay: 6,
      calls: IT_CALLS,
    }),
  ),
  {
    agent: 'it-helpdesk-bot',
    reports: 'spans',
    tasksPerDay: { start: 160, end: 190 },
    resolved: { start: 0.49, end: 0.58 },
    escalated: { start: 0.47, end: 0.39 },
    failed: { start: 0.04, end: 0.03 },
    handleMinutes: { start: 7, end: 5.5 },
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 2600,
    outputTokens: 380,
    decisionsPerDay: 5,
    calls: [
      ...IT_CALLS.filter((c) => c.tool !== 'itsm.restart_service'),
      {
        tool: 'iam.reset_password',
        weight: 2,
        dataDomains: ['identity-directory'],
        arguments: (r) => ({ userPrincipalName: `user${r.int(100, 999)}@acme.example`, verifiedBy: 'mfa-push' }),
      },
    ],
  },
  {
    agent: 'secops-responder',
    reports: 'spans',
    tasksPerDay: { start: 6, end: 9 },
    resolved: { start: 0.7, end: 0.8 },
    escalated: { start: 0.25, end: 0.17 },
    failed: { start: 0.05, end: 0.03 },
    handleMinutes: { start: 48, end: 22 },
    model: 'gpt-4.1',
    provider: 'openai',
    inputTokens: 7000,
    outputTokens: 800,
    decisionsPerDay: 3,
    calls: [
      {
        tool: 'monitoring.query_metrics',
        weight: 3,
        arguments: () => ({ query: 'sum(signin_failures) by (user)', lookbackMinutes: 60 }),
      },
      // Destructive actions by a pilot agent need a human.
      {
        tool: 'iam.disable_account',
        weight: 1,
        dataDomains: ['identity-directory'],
        arguments: (r) => ({
          userPrincipalName: `user${r.int(100, 999)}@acme.example`,
          reason: 'impossible travel',
          ticket: `SEC-${r.int(1000, 9999)}`,
        }),
      },
    ],
  },
  {
    // Ad hoc: no archetype, a home-grown framework. Tasks are not reported, so it has no outcomes.
    agent: 'deal-desk-gpt',
    reports: 'spans',
    tasksPerDay: { start: 0, end: 0 },
    resolved: { start: 0, end: 0 },
    escalated: { start: 0, end: 0 },
    failed: { start: 0, end: 0 },
    handleMinutes: { start: 0, end: 0 },
    model: 'gpt-4.1',
    provider: 'openai',
    inputTokens: 6000,
    outputTokens: 900,
    decisionsPerDay: 3,
    calls: [
      { tool: 'crm.lookup_customer', weight: 2, arguments: (r) => ({ customerId: customer(r) }) },
      {
        tool: 'crm.update_opportunity',
        weight: 1,
        arguments: (r) => ({ opportunityId: `OPP-${r.int(1e4, 9e4)}`, stage: 'negotiation' }),
      },
    ],
  },
];

/** Model calls per day of agents that do not report tasks (inference spans only). */
export const UNREPORTED_CALLS_PER_DAY: Record<string, number> = { 'deal-desk-gpt': 40 };

/** Sales-ops forwards its agents' telemetry through one OpenTelemetry Collector (examples/acme/telemetry.yaml). */
export const COLLECTOR = { name: 'sales-otel-collector', agents: ['deal-desk-gpt'] };

/** The shadow agent: an unregistered marketing bot starts sending telemetry three weeks before the end,
 *  through sales-ops' collector. It is in no collector's list, so its spans are booked to no agent. */
export const SHADOW = {
  identity: 'marketing-copy-gpt',
  fromDay: 69,
  callsPerDay: 25,
  model: 'gpt-4.1',
  via: COLLECTOR.name,
};

/** On the last day a prompt-injection campaign makes support-bot-eu try tools outside its archetype. */
export const ATTACK = {
  agent: 'support-bot-eu',
  attempts: 320,
  calls: [
    {
      tool: 'iam.disable_account',
      arguments: { userPrincipalName: 'ceo@acme.example', reason: 'customer request', ticket: 'none' },
    },
    {
      tool: 'erp.post_journal_entry',
      arguments: {
        companyCode: 'IE01',
        debitAccount: '410000',
        creditAccount: '100000',
        amount: 250000,
        currency: 'EUR',
        postingDate: '2026-11-27',
        text: 'refund',
      },
    },
  ],
};

/** Governance work people did during the quarter, through the API. */
export const RISK_ASSESSMENTS: Array<{
  initiative: string;
  answers: Record<string, boolean>;
  prohibitedPractices?: string[];
  notes: string;
}> = [
  {
    initiative: 'support-deflection',
    answers: {
      interactsWithPublic: true,
      generatesContent: true,
      actsAutonomouslyOnMoneyOrSystems: true,
      usesPersonalOrRestrictedData: true,
    },
    notes: 'Refunds within limits; Art. 50 disclosure in the chat widget.',
  },
  {
    initiative: 'agent-assist-copilot',
    answers: { usesPersonalOrRestrictedData: true },
    notes: 'Suggestions only; a human sends every reply.',
  },
  {
    initiative: 'it-self-healing',
    answers: { actsAutonomouslyOnMoneyOrSystems: true },
    notes: 'Restarts services; production restarts without a runbook need the on-call SRE.',
  },
  {
    initiative: 'employee-it-helpdesk',
    answers: { usesPersonalOrRestrictedData: true },
    notes: 'Employees only; password resets after MFA.',
  },
  {
    initiative: 'identity-threat-response',
    answers: { criticalInfrastructure: true, actsAutonomouslyOnMoneyOrSystems: true, usesPersonalOrRestrictedData: true },
    notes: 'Safety component of the identity platform (Annex III 2).',
  },
  { initiative: 'meeting-notes-copilot', answers: {}, notes: 'Internal notes; no personal data beyond attendee names.' },
  {
    initiative: 'workplace-sentiment-monitor',
    answers: { usesPersonalOrRestrictedData: true, biometricIdentification: true },
    prohibitedPractices: ['emotion-recognition-work-education'],
    notes: 'Rejected: emotion recognition at work is prohibited.',
  },
];

/** A promotion that went through (every sign-off approved) and one waiting for legal. */
export const PROMOTIONS = [
  {
    initiative: 'it-self-healing',
    to: 'scaled',
    signOffs: [
      ['owner', 'elena.popescu'],
      ['platform', 'raj.patel'],
      ['reviewer:security', 'amara.nwosu'],
      ['reviewer:data', 'pieter.devries'],
    ],
  },
  {
    initiative: 'identity-threat-response',
    to: 'production',
    signOffs: [
      ['owner', 'amara.nwosu'],
      ['platform', 'tom.becker'],
      // Amara, Acme's security reviewer, owns this initiative: separation of duties hands its
      // security review to raj.patel, an admin (who acts in every role).
      ['reviewer:security', 'raj.patel'],
      ['reviewer:data', 'pieter.devries'],
      ['reviewer:risk', 'hannah.schmidt'],
    ],
  },
] as const;

/** Self-reported measurements (source `manual`), one per month of the replay, oldest first. */
export const MEASUREMENTS = [{ initiative: 'finance-close-reconciliation', metric: 'days to close', values: [7.5, 6.5, 6] }];

/** Invoices that arrive during the quarter, imported as one CSV (date offsets are days before today). */
export const SPEND_LINES: Array<{ daysAgo: number; category: string; amount: number; initiative?: string; description: string }> =
  [
    ...[80, 50, 20].flatMap((d) => [
      { daysAgo: d, category: 'infrastructure-compute', amount: 31_000, description: 'Vector database (managed), monthly' },
      { daysAgo: d, category: 'agents-platforms', amount: 14_500, description: 'Agent observability usage, monthly' },
      {
        daysAgo: d,
        category: 'data-integration',
        amount: 22_000,
        initiative: 'invoice-matching',
        description: 'Invoice OCR vendor, monthly',
      },
      {
        daysAgo: d,
        category: 'model-licences',
        amount: 9_800,
        initiative: 'sales-pipeline-copilot',
        description: 'Sales copilot seats, monthly',
      },
      {
        daysAgo: d,
        category: 'infrastructure-compute',
        amount: 15_000,
        initiative: 'it-self-healing',
        description: 'Inference nodes for the remediation agents, monthly',
      },
      {
        daysAgo: d - 5,
        category: 'model-licences',
        amount: 52_000,
        initiative: 'support-deflection',
        description: 'Anthropic via AWS Bedrock, monthly usage',
      },
    ]),
    { daysAgo: 35, category: 'security-governance', amount: 42_000, description: 'Prompt-injection red-team retest' },
    {
      daysAgo: 12,
      category: 'change-training',
      amount: 18_000,
      initiative: 'agent-assist-copilot',
      description: 'Copilot refresher training, second wave',
    },
  ];
