// The spec schema of every descriptor kind (ARCHITECTURE.md "Governance as code").
// One TypeBox schema per kind: Ajv validates descriptors with it and the OpenAPI document shows it.
import { type Static, Type as T, type TSchema } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
const Ref = (what: string) => T.String({ minLength: 1, description: `name of a ${what}` });
const Refs = (what: string) => T.Array(Ref(what), { uniqueItems: true, default: [] });
// Regions are compared in the built-in Cedar rules (a model must run in one of a data domain's):
// written like a cloud region's name, never a character that Cedar text has to escape.
const Region = T.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'e.g. eu-west-1: letters, digits, . _ - (at most 64)',
});
const Regions = T.Array(Region, { uniqueItems: true, default: [] });
const IsoDate = T.String({ format: 'date', description: 'YYYY-MM-DD' });
// Every number a descriptor holds is finite and bounded (docs/governance-as-code.md "Numbers"): sums
// and products over a registry stay finite, so no stored value can make a report fail.
const MAX_MAGNITUDE = 1e12;
const Money = T.Number({ minimum: 0, maximum: MAX_MAGNITUDE });
const Quantity = (opts: object = {}) => T.Number({ minimum: -MAX_MAGNITUDE, maximum: MAX_MAGNITUDE, ...opts });
const Currency = T.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code', default: 'USD' });

export const ROLES = [
  'admin',
  'platform',
  'owner',
  'reviewer:risk',
  'reviewer:legal',
  'reviewer:security',
  'reviewer:data',
  'approver',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const RISK_TIERS = ['minimal', 'low', 'medium', 'high', 'prohibited'] as const;
export const STAGES = ['proposed', 'pilot', 'production', 'scaled', 'retired'] as const;
export const EFFECTS = ['read', 'write', 'financial', 'destructive'] as const;
export const AUTONOMY = ['suggest', 'supervised', 'autonomous'] as const;
export const CAPABILITY_CLASSES = ['frontier', 'mid-tier', 'small', 'open-weight'] as const;
export const BUDGET_CATEGORIES = [
  'model-licences',
  'infrastructure-compute',
  'data-integration',
  'security-governance',
  'agents-platforms',
  'change-training',
] as const;
export const OUTCOME_SOURCES = [
  'resolution_rate',
  'escalation_rate',
  'error_rate',
  'cost_per_resolved_task',
  'avg_handle_time',
  'time_saved_hours',
  'manual',
] as const;
/**
 * The units an avg_handle_time metric may be in, in milliseconds, each with its spellings. A unit is
 * one of these, case aside, optionally followed by `/` and what it is per (`minutes/ticket`). Anything
 * else is refused when the descriptor is applied: it was read as minutes, 60× off for `second`.
 */
export const DURATION_UNITS: ReadonlyArray<{ ms: number; spellings: readonly string[] }> = [
  { ms: 1, spellings: ['ms', 'millisecond', 'milliseconds'] },
  { ms: 1000, spellings: ['s', 'sec', 'secs', 'second', 'seconds'] },
  { ms: 60_000, spellings: ['min', 'mins', 'minute', 'minutes'] },
  { ms: 3_600_000, spellings: ['h', 'hr', 'hrs', 'hour', 'hours'] },
];
const UNIT_MS = new Map(DURATION_UNITS.flatMap((u) => u.spellings.map((s) => [s, u.ms] as const)));

/** Milliseconds per unit of a duration metric, or null for a unit Fulcrum does not read. */
export function durationUnitMs(unit: string): number | null {
  const m = /^\s*([a-z]+)\s*(?:\/\s*\S.*)?$/i.exec(unit);
  return (m && UNIT_MS.get((m[1] as string).toLowerCase())) ?? null;
}

/** ISO 4217 codes this runtime knows (Intl), upper case. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * The currency a cost metric's unit names, when it is not USD (the currency telemetry is priced in):
 * an ISO 4217 code as its first word (`EUR`, `jpy/ticket`) or a currency sign other than `$` (`€`).
 * Fulcrum converts no currency, so a cost per task in another one cannot be measured. A unit naming
 * none (`USD`, `$/ticket`, `cost per ticket`) is read in USD.
 */
export function foreignCurrencyOf(unit: string): string | undefined {
  const sign = /^\s*(\p{Sc})/u.exec(unit)?.[1];
  if (sign !== undefined) return sign === '$' ? undefined : sign;
  const code = /^\s*([a-z]{3})(?![a-z])/i.exec(unit)?.[1]?.toUpperCase();
  return code !== undefined && code !== 'USD' && CURRENCIES.has(code) ? code : undefined;
}

/** Sources measured as a fraction from 0 to 1. */
export const RATE_SOURCES: ReadonlySet<string> = new Set(['resolution_rate', 'escalation_rate', 'error_rate']);

// A plain JSON Schema enum (not anyOf of literals): clearer errors and a clearer OpenAPI document.
const literals = <V extends readonly string[]>(values: V, opts: object = {}) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...opts });

export const BusinessUnitSpec = T.Object({ title: T.String({ minLength: 1 }), owner: T.Optional(Ref('Person')) }, closed);

export const PersonSpec = T.Object(
  {
    displayName: T.String({ minLength: 1 }),
    email: T.Optional(T.String({ format: 'email' })),
    roles: T.Array(literals(ROLES), { uniqueItems: true, default: [] }),
    businessUnit: T.Optional(Ref('BusinessUnit')),
  },
  closed,
);

export const DataDomainSpec = T.Object(
  {
    description: T.Optional(T.String()),
    owner: Ref('Person'),
    classification: literals(CLASSIFICATIONS),
    regions: Regions,
    maturity: T.Optional(
      T.Object(
        {
          quality: literals(['low', 'medium', 'high'] as const),
          lineage: literals(['none', 'partial', 'complete'] as const),
          accessPolicy: literals(['none', 'draft', 'enforced'] as const),
          productionReady: T.Boolean(),
          assessedAt: T.Optional(IsoDate),
        },
        closed,
      ),
    ),
  },
  closed,
);

const Rates = {
  inputPerMillion: Money,
  outputPerMillion: Money,
  cachedInputPerMillion: T.Optional(Money),
  /** Input written to a prompt cache (Anthropic bills it above input: 1.25× for 5 minutes, 2× for 1 hour). */
  cacheWriteInputPerMillion: T.Optional(Money),
};

/**
 * A long-context tariff: a call whose input (cache reads and writes included) is over
 * `aboveInputTokens` is billed whole at these rates (OpenAI's GPT-5.4 over 272K input tokens,
 * Anthropic's long context over 200K). Each rate at least the base one (src/registry/kinds.ts).
 */
const LongContextPrice = T.Object(
  { aboveInputTokens: T.Integer({ minimum: 1, maximum: 2_147_483_647 }), ...Rates },
  {
    ...closed,
    description: 'rates for a whole call whose input is over aboveInputTokens (docs/governance-as-code.md)',
  },
);

const Price = T.Object(
  {
    from: IsoDate,
    currency: Currency,
    ...Rates,
    longContext: T.Optional(LongContextPrice),
  },
  closed,
);

export const ModelSpec = T.Object(
  {
    provider: T.String({ minLength: 1 }),
    hosting: literals(['vendor', 'self-hosted'] as const),
    regions: Regions,
    status: literals(['approved', 'restricted', 'banned'] as const),
    maxClassification: literals(CLASSIFICATIONS),
    pricing: T.Array(Price, { default: [] }),
    capabilityClass: T.Optional(
      literals(CAPABILITY_CLASSES, { description: 'how the model mix reads at a glance (docs/insight.md "Model mix")' }),
    ),
    // Other ids telemetry reports for this model (Bedrock's `anthropic.claude-sonnet-4-20250514-v1:0`,
    // a deployment name): resolved to it by src/registry/model-names.ts. Unique across all Models.
    aliases: T.Optional(
      T.Array(T.String({ minLength: 1, maxLength: 256 }), {
        uniqueItems: true,
        maxItems: 100,
        description: 'model ids that mean this Model',
      }),
    ),
    // The LLM gateway (docs/llm-gateway.md): where calls to this model go, under which id, and the
    // most output one call may produce when the request sets no max_tokens.
    endpoint: T.Optional(Ref('ModelEndpoint')),
    upstreamName: T.Optional(
      T.String({ minLength: 1, maxLength: 256, description: "the provider's model id (default: the Model's name)" }),
    ),
    maxOutputTokens: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 10_000_000,
        description: 'output tokens reserved for a gateway call that sets no max_tokens',
      }),
    ),
    contextWindow: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 100_000_000,
        description: "the most input tokens one call can read: the gateway's bound when a request's input cannot be measured",
      }),
    ),
  },
  closed,
);

export const ToolSpec = T.Object(
  {
    description: T.Optional(T.String()),
    system: T.String({ minLength: 1 }),
    effect: literals(EFFECTS),
    dataDomains: Refs('DataDomain'),
    arguments: T.Record(T.String(), T.Unknown(), {
      description: 'a JSON Schema for the call arguments, as MCP tools declare their inputSchema',
      default: { type: 'object', properties: {} },
    }),
  },
  closed,
);

export const ArchetypeSpec = T.Object(
  {
    description: T.Optional(T.String()),
    tools: Refs('Tool'),
    dataDomains: Refs('DataDomain'),
    models: Refs('Model'),
    autonomy: literals(AUTONOMY),
    frameworks: T.Array(T.String({ minLength: 1 }), { uniqueItems: true, default: [] }),
    handoffRules: T.Array(T.Object({ when: T.String({ minLength: 1 }), to: T.String({ minLength: 1 }) }, closed), {
      default: [],
      description: 'when the agent must hand the task to a human, and to whom',
    }),
  },
  closed,
);

const Outcome = T.Object(
  {
    name: T.String({ minLength: 1 }),
    source: literals(OUTCOME_SOURCES),
    unit: T.String({ minLength: 1 }),
    direction: literals(['increase', 'decrease'] as const),
    baseline: T.Object({ value: Quantity(), period: T.String({ minLength: 1 }) }, closed),
    target: Quantity(),
    valuePerUnit: T.Optional(
      Quantity({
        description:
          'an assumption, always labelled as such: USD per unit of improvement, as costs are (Fulcrum converts no currency)',
      }),
    ),
  },
  closed,
);

export const InitiativeSpec = T.Object(
  {
    title: T.String({ minLength: 1 }),
    description: T.Optional(T.String()),
    type: literals(['chatbot', 'copilot', 'agent'] as const),
    riskTier: T.Optional(literals(RISK_TIERS)),
    stage: literals(STAGES),
    stageSince: T.Optional(IsoDate),
    owner: Ref('Person'),
    businessUnit: Ref('BusinessUnit'),
    oversightOwner: T.Optional(Ref('Person')),
    incidentOwner: T.Optional(Ref('Person')),
    outcomes: T.Array(Outcome, { default: [] }),
    // What the plan (docs/insight.md "The plan") assumes at scale instead of extrapolating the trend.
    forecast: T.Optional(
      T.Object(
        {
          tasksPerMonth: T.Optional(
            Quantity({ minimum: 0, description: "tasks a month at scale: the owner's forecast, labelled self-reported" }),
          ),
          computePerTask: T.Optional(
            Quantity({
              minimum: 0,
              description: "compute one task uses on a ComputePool, in the pool's unit (e.g. gpu-hours), for self-hosted models",
            }),
          ),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const AgentSpec = T.Object(
  {
    description: T.Optional(T.String()),
    initiative: Ref('Initiative'),
    archetype: T.Optional(Ref('Archetype')),
    extraTools: Refs('Tool'),
    owner: Ref('Person'),
    framework: T.Optional(T.String({ minLength: 1 })),
    status: literals(['active', 'suspended', 'retired'] as const, { default: 'active' }),
    oauthClientId: T.Optional(
      T.String({
        minLength: 1,
        maxLength: 255,
        pattern: '^\\S+$',
        description:
          "the OAuth client (an access token's client_id) this agent authenticates as with FULCRUM_AGENT_TOKEN_ISSUER; unique across agents",
      }),
    ),
    rateLimits: T.Optional(
      T.Object(
        {
          requestsPerMinute: T.Optional(T.Integer({ minimum: 1, maximum: 1_000_000 })),
          tokensPerMinute: T.Optional(T.Integer({ minimum: 1, maximum: 1_000_000_000 })),
        },
        { ...closed, description: 'LLM gateway calls of this agent per minute, across all nodes (docs/llm-gateway.md)' },
      ),
    ),
  },
  closed,
);

/** The longest text a policy may give as its reason (its description, an @approval): each decision
 *  it denies or sends for approval carries it, in the answer and the audit row. */
export const MAX_REASON_TEXT = 2_000;

export const PolicySpec = T.Object(
  {
    cedar: T.String({ minLength: 1, description: 'one or more Cedar policies' }),
    mode: literals(['enforce', 'monitor'] as const, { default: 'enforce' }),
    description: T.Optional(
      T.String({ maxLength: MAX_REASON_TEXT, description: "the message of this policy's reasons (with no @approval)" }),
    ),
  },
  closed,
);

export const BudgetSpec = T.Object(
  {
    period: T.Object({ from: IsoDate, to: IsoDate }, closed),
    currency: Currency,
    allocations: T.Array(
      T.Object({ category: literals(BUDGET_CATEGORIES), amount: Money, initiative: T.Optional(Ref('Initiative')) }, closed),
      { default: [] },
    ),
    actuals: T.Array(
      T.Object(
        {
          category: literals(BUDGET_CATEGORIES),
          amount: Money,
          date: IsoDate,
          initiative: T.Optional(Ref('Initiative')),
          description: T.Optional(T.String()),
        },
        closed,
      ),
      { default: [], description: 'spend booked outside telemetry (invoices, contracts)' },
    ),
  },
  closed,
);

export const ComputePoolSpec = T.Object(
  {
    region: T.String({ minLength: 1 }),
    unit: T.String({ minLength: 1, description: 'e.g. gpu-hours/month' }),
    capacity: Quantity({ minimum: 0 }),
    forecastDemand: T.Optional(Quantity({ minimum: 0 })),
    powerConstrained: T.Boolean({ default: false }),
  },
  closed,
);

/** A secret the operator provides in Fulcrum's environment; descriptors hold only its name (src/net/secrets.ts). */
export const SecretRef = T.Object(
  { env: T.String({ minLength: 1, description: 'an environment variable named FULCRUM_SECRET_…' }) },
  closed,
);

export const McpServerSpec = T.Object(
  {
    description: T.Optional(T.String()),
    transport: literals(['stdio', 'http'] as const),
    command: T.Optional(T.String({ minLength: 1 })),
    args: T.Optional(T.Array(T.String())),
    url: T.Optional(T.String({ format: 'uri' })),
    headers: T.Optional(
      T.Record(T.String(), SecretRef, {
        description:
          'http only: request headers sent to the upstream, each value a secret the operator provides ({env: FULCRUM_SECRET_…})',
      }),
    ),
    toolPrefix: T.Optional(
      T.String({ description: 'Tools are named <toolPrefix>.<tool> (default: the server name); "" keeps upstream names' }),
    ),
    timeoutMs: T.Optional(T.Integer({ minimum: 1, maximum: 600000 })),
    approvalWaitSeconds: T.Optional(
      T.Integer({ minimum: 0, maximum: 3600, description: 'how long an MCP call waits for a human approval' }),
    ),
  },
  closed,
);

/** A credential for an OpenTelemetry Collector that forwards many agents' telemetry (docs/evidence.md). */
export const TelemetryCollectorSpec = T.Object(
  {
    description: T.Optional(T.String()),
    owner: Ref('Person'),
    agents: T.Array(Ref('Agent'), {
      uniqueItems: true,
      default: [],
      description: 'the agents its keys may book telemetry to; a span naming any other agent is an attribution mismatch',
    }),
  },
  closed,
);

/** Where the LLM gateway sends a Model's calls (docs/llm-gateway.md). */
export const ModelEndpointSpec = T.Object(
  {
    description: T.Optional(T.String()),
    api: literals(['openai', 'anthropic'] as const),
    baseUrl: T.String({ format: 'uri', description: 'the API up to its version, e.g. https://api.openai.com/v1' }),
    // Sent as the API's own auth header, only to the origins FULCRUM_SECRET_<NAME>_ORIGINS lists.
    credential: T.Optional(SecretRef),
    timeoutMs: T.Integer({ minimum: 1000, maximum: 3_600_000, default: 600_000, description: 'bound on one whole call' }),
    serviceTier: T.Optional(
      literals(['default', 'flex', 'standard_only'] as const, {
        description:
          "the service tier the gateway asks for when a call names none or auto, so the provider never picks one billed above the Model's price: default or flex (openai), standard_only (anthropic)",
      }),
    ),
    outputLimit: T.Optional(
      literals(['max_completion_tokens', 'max_tokens', 'both'] as const, {
        description:
          "openai only: the member the gateway sets when a chat call names no output limit (the Model's maxOutputTokens); default max_completion_tokens (OpenAI's own, which its reasoning models require); max_tokens or both for an OpenAI-compatible server that reads only max_tokens",
      }),
    ),
  },
  closed,
);

/** A cap on LLM gateway spend in one UTC calendar period, for one agent, initiative or business unit. */
export const SpendLimitSpec = T.Object(
  {
    description: T.Optional(T.String()),
    scope: T.Object(
      {
        agent: T.Optional(Ref('Agent')),
        initiative: T.Optional(Ref('Initiative')),
        businessUnit: T.Optional(Ref('BusinessUnit')),
      },
      { ...closed, minProperties: 1, maxProperties: 1, description: 'exactly one of agent, initiative, businessUnit' },
    ),
    period: literals(['day', 'week', 'month'] as const, { description: 'UTC calendar day, ISO week (from Monday) or month' }),
    amountUsd: T.Number({ minimum: 0, maximum: 1e9 }),
    enforce: literals(['block', 'alert'] as const, { default: 'block' }),
  },
  closed,
);

export const MONITOR_METRICS = [
  'deny_rate',
  'approval_rate',
  'error_rate',
  'escalation_rate',
  'cost_per_day',
  'shadow_agents',
  'monitor_policy_hits',
] as const;

export const MonitorSpec = T.Object(
  {
    description: T.Optional(T.String()),
    metric: literals(MONITOR_METRICS, {
      description:
        'deny_rate and approval_rate over decisions; error_rate and escalation_rate over completed tasks (fractions 0–1); ' +
        'cost_per_day in USD; shadow_agents and monitor_policy_hits as counts',
    }),
    agent: T.Optional(Ref('Agent')),
    initiative: T.Optional(Ref('Initiative')),
    budget: T.Optional(
      T.String({
        minLength: 1,
        description:
          'cost_per_day only: measure against this Budget — the value is the share of its daily allocation (1 = on plan)',
      }),
    ),
    window: T.String({ pattern: '^[1-9][0-9]*(m|h|d)$', description: 'e.g. 15m, 1h, 1d', default: '1h' }),
    threshold: Quantity({ minimum: 0, description: 'a breach is a value above this' }),
    minSamples: T.Integer({ minimum: 0, default: 20, description: 'rates need at least this many decisions or tasks' }),
    severity: literals(['sev1', 'sev2', 'sev3', 'sev4'] as const),
    suspendOnBreach: T.Boolean({ default: false, description: 'sev1 only: suspend the agents in scope (the kill switch)' }),
  },
  closed,
);

/** A Monitor window (`15m`, `1h`, `1d`) in milliseconds. */
export function windowMs(w: string): number {
  const n = Number(w.slice(0, -1));
  return n * { m: 60_000, h: 3_600_000, d: 86_400_000 }[w.slice(-1) as 'm' | 'h' | 'd'];
}
/** The longest Monitor window: a year (a leap one). */
export const MAX_MONITOR_WINDOW_MS = 366 * 86_400_000;

export type BusinessUnitSpec = Static<typeof BusinessUnitSpec>;
export type PersonSpec = Static<typeof PersonSpec>;
export type DataDomainSpec = Static<typeof DataDomainSpec>;
export type ModelSpec = Static<typeof ModelSpec>;
export type ToolSpec = Static<typeof ToolSpec>;
export type ArchetypeSpec = Static<typeof ArchetypeSpec>;
export type InitiativeSpec = Static<typeof InitiativeSpec>;
export type AgentSpec = Static<typeof AgentSpec>;
export type PolicySpec = Static<typeof PolicySpec>;
export type BudgetSpec = Static<typeof BudgetSpec>;
export type ComputePoolSpec = Static<typeof ComputePoolSpec>;
export type McpServerSpec = Static<typeof McpServerSpec>;
export type MonitorSpec = Static<typeof MonitorSpec>;
export type TelemetryCollectorSpec = Static<typeof TelemetryCollectorSpec>;
export type ModelEndpointSpec = Static<typeof ModelEndpointSpec>;
export type SpendLimitSpec = Static<typeof SpendLimitSpec>;

export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,252}$';
/** The longest name NAME_PATTERN admits. */
export const NAME_MAX_LENGTH = 253;

export const Metadata = T.Object(
  {
    name: T.String({ pattern: NAME_PATTERN, description: 'unique per kind; letters, digits, . _ : @ -' }),
    labels: T.Optional(T.Record(T.String({ minLength: 1 }), T.String())),
  },
  closed,
);

export type SpecSchema = TSchema;
