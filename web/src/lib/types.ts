// The API shapes the console reads (see /openapi.json); only the fields it uses.

export interface Descriptor<S> {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; updatedAt: string };
  spec: S;
  status?: Record<string, unknown>;
}
export interface Items<T> {
  items: T[];
}

export type AreaStatus = 'pass' | 'partial' | 'fail' | 'unknown';
export interface Diagnostic {
  verdict: 'scale' | 'at-risk' | 'fail';
  areas: {
    area: string;
    question: string;
    status: AreaStatus;
    evidence: { label: string; value: string | number }[];
    action: string;
    why?: string;
  }[];
  window: { from: string; to: string };
  generatedAt: string;
}

export interface OutcomeSpec {
  name: string;
  source: string;
  unit: string;
  direction: 'increase' | 'decrease';
  baseline: { value: number; period: string };
  target: number;
  valuePerUnit?: number;
}
export interface InitiativeSpec {
  title?: string;
  type: string;
  riskTier?: string;
  stage: string;
  stageSince?: string;
  owner?: string;
  businessUnit?: string;
  outcomes?: OutcomeSpec[];
  description?: string;
}
export interface OutcomeMetric extends OutcomeSpec {
  current: number | null;
  provenance: 'measured' | 'self-reported' | 'none';
  progress: number | null;
  series: { period: string; value: number }[];
}
export interface Outcomes {
  initiative: string;
  window: { from: string; to: string };
  agents: string[];
  metrics: OutcomeMetric[];
}
export type Provenance = 'measured' | 'self-reported' | 'assumed';
export interface Roi {
  initiative: string;
  window: { from: string; to: string };
  value: {
    total: number;
    provenance: Provenance;
    items: {
      metric: string;
      unit: string;
      improvement: number;
      improvementProvenance: string;
      valuePerUnit: number;
      value: number;
    }[];
    notValued: { metric: string; why: string }[];
  };
  cost: { total: number; items: { source: string; amountUsd: number; provenance: Provenance }[] };
  roi: number | null;
  provenance: Provenance;
}
export interface Signals {
  stalledPilots: { initiative: string; since: string; days: number }[];
  agentSprawl: {
    perArchetype: { archetype: string; agents: string[] }[];
    adHoc: string[];
    nearDuplicates: { agents: string[]; sharedTools: string[]; similarity: number }[];
  };
  notReady?: unknown;
  attributionMismatches: AttributionMismatch[];
  unpricedModelCalls?: UnpricedModelCalls[];
}
/** Model calls Fulcrum could not price, per agent and model, with the reason (docs/evidence.md). */
export interface UnpricedModelCalls {
  agent: string;
  model: string;
  calls: number;
  reasons: { unknownModel: number; noPrice: number; noUsage: number };
  lastDay: string;
}
/** Telemetry that named an agent its sender may not speak for (docs/evidence.md). */
export interface AttributionMismatch {
  sentBy: string;
  claimedAgent: string;
  bookedTo: string | null;
  spans: number;
  events: number;
  costUsd: number;
  lastDay: string;
}

export interface AgentSpec {
  initiative: string;
  archetype?: string;
  extraTools: string[];
  owner: string;
  framework?: string;
  status: string;
  description?: string;
}
export interface ArchetypeSpec {
  description?: string;
  tools: string[];
  models: string[];
  dataDomains: string[];
  autonomy: string;
  frameworks?: string[];
}
export interface ShadowAgent {
  identity: string;
  source: string;
  detail: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

export interface Reason {
  policy: string;
  effect: string;
  message?: string;
}
export interface Approval {
  id: string;
  decisionId: string;
  agent: string;
  tool: string;
  arguments: unknown;
  dataDomains: string[];
  reasons: Reason[];
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'used';
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}
export interface AuditEntry {
  id: string;
  kind: string;
  at: string;
  actor: string;
  agent: string | null;
  action: string | null;
  target: string | null;
  decision: 'allow' | 'deny' | 'approval_required' | null;
  reasons: Reason[];
  monitor: Reason[];
  policyVersion: number;
  arguments: unknown;
  detail: Record<string, unknown>;
  chainId: string;
  seq: number;
}
export interface AuditVerify {
  ok: boolean;
  chains: number;
  entries: number;
  broken?: { chainId: string; seq: number; id: string; problem: string };
}
export interface EffectivePolicy {
  id: string;
  effect: string;
  approval?: string;
  mode: 'enforce' | 'monitor' | string;
  source: string;
  description?: string;
  text: string;
}
export interface Simulation {
  decision: 'allow' | 'deny' | 'approval_required';
  reasons: Reason[];
  monitor: Reason[];
  policyVersion: number;
}

export interface Incident {
  id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  owner: string | null;
  agents: string[];
  initiatives: string[];
  seriousIncident: boolean;
  seriousKind: string | null;
  reporting: { dueAt: string; reportedAt: string | null; overdue: boolean; daysLeft: number } | null;
  reportReference: string | null;
  source: string;
  openedAt: string;
  updatedAt: string;
  timeline?: { at: string; actor: string; kind: string; status: string | null; note: string | null }[];
}
export interface Review {
  id: string;
  initiative: string;
  from: string;
  to: string;
  tier: string | null;
  status: 'open' | 'approved' | 'rejected';
  required: string[];
  pending: string[];
  signOffs: { role: string; person: string; decision: 'approve' | 'reject'; comment: string | null; at: string }[];
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
}

export interface BudgetSpec {
  period: { from: string; to: string };
  currency: string;
  allocations: { category: string; amount: number; initiative?: string }[];
}
export interface Alignment {
  budget: string;
  currency: string;
  period: { from: string; to: string };
  elapsed: number;
  categories: {
    category: string;
    allocated: number;
    proRated: number;
    actual: number;
    deviation: number | null;
    offPlan: boolean;
  }[];
  total: number;
  spendWithoutOutcomes: { total: number; share: number; initiatives: { initiative: string; amount: number }[] };
  spendOnStalledPilots: { initiative: string; since: string; amount: number }[];
}

/** GET /v1/plan (docs/insight.md "The plan"); only the fields the Plan page reads. */
export interface PlanBlocker {
  gap: string;
  detail: string;
  action: string;
  owner: string;
  people?: string[];
}
export interface PlanInitiative {
  name: string;
  title: string;
  stage: string;
  owner: string;
  recommendation: 'scale' | 'fix-then-scale' | 'continue' | 'stop';
  reason: string;
  attainment: number | null;
  roi: number | null;
  evidence: { label: string; value: string | number }[];
  blockers: PlanBlocker[];
}
export interface PlanRoadmapEntry {
  initiative: string;
  action: 'scale' | 'retire';
  quarter: string | null;
  status: 'scheduled' | 'waits';
  volume: { now: number; atScale: number | null; basis: string; provenance: string; detail: string };
  value: { annualUsd: number | null; provenance: string; why?: string };
  cost: { annualUsd: number | null; provenance: string; why?: string };
  netValueUsd: number | null;
  compute: { status: string; detail: string; pool?: string };
  shortfalls: { kind: string; what: string; quarter: string; missing: number; unit: string }[];
  notes: string[];
}
export interface PlanSwitch {
  initiative: string;
  archetype: string | null;
  from: string;
  to: string;
  verdict: 'switch' | 'keep' | 'undecided';
  annualSavingUsd: number | null;
  estimatedAnnualSavingUsd: number | null;
  confidence: number | null;
  reason: string;
}
export interface PlanModelGroup {
  initiative: string;
  archetype: string | null;
  agents: string[];
  eventTasks: number;
  models: {
    model: string;
    capabilityClass: string;
    status: string;
    tasks: number;
    successRate: number | null;
    costPerSuccessfulTaskUsd: number | null;
    unpricedCalls: number;
  }[];
}
export interface PlanView {
  window: { from: string; to: string };
  initiatives: PlanInitiative[];
  quarters: { label: string; budget: string | null; budgetProvenance: string }[];
  roadmap: PlanRoadmapEntry[];
  modelMix: PlanSwitch[];
  modelUsage: PlanModelGroup[];
  assumptions: string[];
}
