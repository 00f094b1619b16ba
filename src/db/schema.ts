// The Kysely table types: the one schema both engines share (docs/schema.md is the generated report).
import type { Generated } from 'kysely';

export interface Database {
  registry_objects: RegistryObjectTable;
  registry_state: RegistryStateTable;
  registry_changes: RegistryChangeTable;
  credentials: CredentialTable;
  console_sessions: ConsoleSessionTable;
  settings: SettingTable;
  audit_chains: AuditChainTable;
  audit_entries: AuditEntryTable;
  approvals: ApprovalTable;
  shadow_agents: ShadowAgentTable;
  agent_controls: AgentControlTable;
  task_events: TaskEventTable;
  spans: SpanTable;
  evidence_daily: EvidenceDailyTable;
  task_traces: TaskTraceTable;
  model_tasks_daily: ModelTasksDailyTable;
  measurements: MeasurementTable;
  incidents: IncidentTable;
  incident_timeline: IncidentTimelineTable;
  risk_assessments: RiskAssessmentTable;
  initiative_stewards: InitiativeStewardTable;
  agent_client_binders: AgentClientBinderTable;
  reviews: ReviewTable;
  review_signoffs: ReviewSignoffTable;
  audit_checkpoints: AuditCheckpointTable;
  audit_signed_checkpoints: AuditSignedCheckpointTable;
  spend_lines: SpendLineTable;
  spend_imports: SpendImportTable;
  agent_departures: AgentDepartureTable;
  decision_outcomes: DecisionOutcomeTable;
  spend_limit_usage: SpendLimitUsageTable;
  spend_limit_hours: SpendLimitHourTable;
  llm_reservations: LlmReservationTable;
  llm_rate_windows: LlmRateWindowTable;
}

/** One governance-as-code descriptor; `spec` and `labels` are JSON text (portable across engines). */
export interface RegistryObjectTable {
  kind: string;
  name: string;
  labels: string;
  spec: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** A single row whose revision grows with every registry change: caches compare it to know they are stale. */
export interface RegistryStateTable {
  id: number;
  revision: number;
}

export interface RegistryChangeTable {
  id: Generated<number>;
  revision: number;
  kind: string;
  name: string;
  action: 'created' | 'updated' | 'deleted';
  actor: string;
  at: string;
}

/** Person API tokens, agent keys and telemetry-collector keys, stored only as SHA-256 hashes. */
export interface CredentialTable {
  id: string;
  subject_kind: 'person' | 'agent' | 'collector';
  subject: string;
  token_hash: string;
  prefix: string;
  description: string | null;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  /** Who revoked it (actorName); NULL while live, and for those revoked before this was kept. */
  revoked_by: string | null;
}

/** A person's sign-in session through the IdP (console cookie or `fulcrum login`); the secret's hash only. */
export interface ConsoleSessionTable {
  token_hash: string;
  person: string;
  email: string;
  kind: 'browser' | 'cli';
  /** The IdP it was made through (FULCRUM_OIDC_ISSUER): a session ends when that setting changes. */
  issuer: string;
  created_at: string;
  expires_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

/** One writer process's audit chain: many nodes append without a global lock. */
export interface AuditChainTable {
  id: string;
  node: string;
  started_at: string;
  /** Where the chain ends: written in the same transaction as its entries (docs/audit.md). */
  head_seq: number;
  head_hash: string;
  /** 1: opened by a writer that moves to a new chain when the row is gone, so a checkpoint may retire it. */
  retirable: Generated<number>;
}

/** An append-only, hash-chained record of a decision or a human act. JSON columns are text. */
export interface AuditEntryTable {
  chain_id: string;
  seq: number;
  id: string;
  kind: string;
  at: string;
  actor: string;
  agent: string | null;
  action: string | null;
  target: string | null;
  decision: string | null;
  reasons: string;
  monitor: string;
  policy_version: number;
  arguments_hash: string | null;
  arguments: string | null;
  data_domains: string;
  task_id: string | null;
  approval_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface ApprovalTable {
  id: string;
  decision_id: string;
  agent: string;
  tool: string;
  arguments: string;
  arguments_hash: string;
  data_domains: string;
  reasons: string;
  status: 'pending' | 'approved' | 'denied' | 'used' | 'revoked';
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
  used_at: string | null;
  used_decision_id: string | null;
  /** The agent's owner when the approval was requested (separation of duties); null before 2026-12. */
  agent_owner: string | null;
  /** The call (agent, tool, arguments hash) while this approval is open for it; null once used or expired. */
  open_key: string | null;
  /** The Person who issued the agent key the call that opened it came with (separation of duties); null
   *  for a key the admin token issued, an OAuth access token, or an approval opened before 2026-12-05. */
  key_issuer: string | null;
  /** When and why it was ended unspent (status `revoked`: its agent was suspended); null otherwise. */
  revoked_at: string | null;
  revoked_reason: string | null;
  /** The OAuth client whose access token the call that opened it came with; null for an agent key, or
   *  an approval opened before 2026-12-07. Who bound that client to the agent may not decide it. */
  oauth_client: string | null;
  /** When its agent was deleted: an agent registered again under the name does not read it. Null while
   *  the agent it was opened for is registered. */
  agent_removed_at: string | null;
}

export interface ShadowAgentTable {
  identity: string;
  source: string;
  detail: string;
  first_seen: string;
  last_seen: string;
  count: number;
}

/** Operational state that overrides a descriptor: a suspended agent (the kill switch). */
export interface AgentControlTable {
  agent: string;
  status: 'suspended';
  reason: string;
  actor: string;
  at: string;
}

export interface TaskEventTable {
  agent: string;
  task_id: string;
  type: string;
  workflow: string | null;
  outcome: string | null;
  duration_ms: number | null;
  started_at: string | null;
  ended_at: string;
  day: string;
  cost_usd: number | null;
  /** api (POST /v1/events) or otlp (an invoke_agent span with fulcrum.task.outcome). */
  source: string;
  registered: number;
  attributes: string;
  received_at: string;
  /** The agent the event named when it was not booked to it (an attribution mismatch), else null. */
  claimed_agent: string | null;
  /** The credential that sent it: `agent:NAME` or `collector:NAME` (null before attribution was recorded). */
  sent_by: string | null;
}

export interface SpanTable {
  /** Arrival order: the key appends (spans_once, on start_at, trace_id, span_id, stores a re-send once). */
  seq?: Generated<number>;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  agent: string;
  registered: number;
  name: string;
  operation: string | null;
  start_at: string;
  day: string;
  duration_ms: number;
  model_reported: string | null;
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  cost_usd: number | null;
  tool: string | null;
  error_type: string | null;
  task_outcome: string | null;
  received_at: string;
  /** The agent the span named when it was not booked to it (an attribution mismatch), else null. */
  claimed_agent: string | null;
  /** The credential that sent it: `agent:NAME` or `collector:NAME` (null before attribution was recorded). */
  sent_by: string | null;
  /**
   * The provider's response id (gen_ai.response.id; the LLM gateway records it too): one inference per
   * agent and response id, so a client's own span of a gateway call is not counted twice. Optional:
   * writers that have none (tool spans) leave it out.
   */
  response_id?: string | null;
  /** Why a model call has no cost: unknown_model, no_price or no_usage (null: priced, or not a model call).
   *  Optional, like `mcp_call` and `duplicate`: writers that have none leave them out (the store fills them in). */
  unpriced_reason?: string | null;
  /** Who recorded it: otlp (telemetry), mcp (the MCP gateway), llm (the LLM gateway); null for spans stored before 2026-12. */
  source?: string | null;
  /** gateway: the MCP gateway's own record of a call; client: a client's tool span for a Tool an McpServer
   *  serves (maybe the same call); null for every other span. */
  mcp_call?: string | null;
  /** 1: a second record of a tool call another span counts (the gateway's and the client's): kept, not counted. */
  duplicate?: number;
  /** Where evidence_daily counted it: 1 "(other unregistered)", 0 its model's row; null before 2026-12-14. */
  folded?: number | null;
  /** An LLM gateway record a client's span without response id holds (its duplicate): 1; else null. */
  paired?: number | null;
}

/** Daily totals per agent and model ('' for none), kept up to date in the ingest transaction. */
export interface EvidenceDailyTable {
  day: string;
  agent: string;
  model: string;
  tasks_resolved: number;
  tasks_escalated: number;
  tasks_failed: number;
  tasks_abandoned: number;
  tasks_started: number;
  handoffs: number;
  handle_ms: number;
  handled: number;
  cost_measured_usd: number;
  cost_reported_usd: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  model_calls: number;
  unpriced_calls: number;
  /** unpriced_calls by reason (calls rolled up before reasons were kept may have none). */
  unpriced_unknown_model: number;
  unpriced_no_price: number;
  unpriced_service_tier: number;
  unpriced_no_usage: number;
  tool_calls: number;
  errors: number;
  spans: number;
}

/**
 * Per trace and agent, what the model mix needs of it so far (migration 20261203T0100): updated in the
 * ingest transaction as the trace's spans arrive; purged with the spans.
 */
export interface TaskTraceTable {
  trace_id: string;
  agent: string;
  /** The day of its earliest span, which its task is booked to. */
  day: string;
  outcomes: number;
  resolved_outcomes: number;
  /** The model of its model calls; `mixed` 1 once another one appeared. */
  model: string | null;
  mixed: number;
  calls: number;
  unpriced_calls: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  /** Where model_tasks_daily books its task: 1 "(other unregistered)", 0 its model's row; null: not yet, or before 2026-12-14. */
  folded: number | null;
}

/** Tasks (traces with a task outcome) per day, agent and model ('' when mixed, or no model call), kept at ingest. */
export interface ModelTasksDailyTable {
  day: string;
  agent: string;
  model: string;
  mixed: number;
  tasks: number;
  /** Tasks whose every outcome is `resolved`. */
  resolved: number;
  calls: number;
  unpriced_calls: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
}

export interface MeasurementTable {
  id: Generated<number>;
  initiative: string;
  metric: string;
  period: string;
  value: number;
  provenance: string;
  recorded_by: string;
  recorded_at: string;
}

export interface IncidentTable {
  id: string;
  title: string;
  description: string;
  severity: 'sev1' | 'sev2' | 'sev3' | 'sev4';
  status: 'open' | 'mitigated' | 'resolved' | 'closed';
  owner: string | null;
  agents: string;
  initiatives: string;
  serious: number;
  serious_kind: string | null;
  aware_at: string;
  report_due_at: string | null;
  reported_at: string | null;
  report_reference: string | null;
  source: string;
  opened_at: string;
  updated_at: string;
}

export interface IncidentTimelineTable {
  id: Generated<number>;
  incident_id: string;
  at: string;
  actor: string;
  kind: string;
  status: string | null;
  note: string | null;
}

/** Who has owned an initiative, and who set its risk tier in the registry (separation of duties). */
export interface InitiativeStewardTable {
  initiative: string;
  role: 'owner' | 'tier';
  /** A Person's name; for a tier set by the admin token or Fulcrum, the actor in parentheses (`(admin)`). */
  person: string;
  /** When they last became owner, or last set the tier. */
  at: string;
}

/** Who bound an OAuth client to an Agent (`spec.oauthClientId`): they stand behind its access tokens'
 *  calls as a key's issuer does (separation of duties on approvals). */
export interface AgentClientBinderTable {
  agent: string;
  client_id: string;
  /** A Person's name; for the admin token or Fulcrum, the actor in parentheses (`(admin)`). */
  person: string;
  /** When they last bound it. */
  at: string;
}

export interface RiskAssessmentTable {
  initiative: string;
  version: number;
  tier: string;
  reasons: string;
  answers: string;
  notes: string | null;
  assessed_by: string;
  assessed_at: string;
}

export interface ReviewTable {
  id: string;
  initiative: string;
  from_stage: string;
  to_stage: string;
  tier: string;
  required: string;
  status: 'open' | 'approved' | 'rejected';
  opened_by: string;
  opened_at: string;
  closed_at: string | null;
  /** The initiative's owner when the review opened (separation of duties); null before 2026-12. */
  owner: string | null;
}

export interface ReviewSignoffTable {
  review_id: string;
  role: string;
  person: string;
  decision: 'approve' | 'reject';
  comment: string | null;
  at: string;
}

/** The last purged entry of a chain: verification resumes from its hash. */
export interface AuditCheckpointTable {
  chain_id: string;
  seq: number;
  hash: string;
  at: string;
  /** Ed25519 (base64) over the start, by the audit signing key; null for starts written before it. */
  signature: string | null;
  /** 1 for the unsigned starts that existed when signing began (migration 20261201T2320), else 0. */
  legacy: number;
}

/** A checkpoint over every audit chain's start and head, signed with the audit key (docs/audit.md). */
export interface AuditSignedCheckpointTable {
  id: Generated<number>;
  at: string;
  node: string;
  key_id: string;
  /** The signed JSON text, exactly as signed. */
  payload: string;
  signature: string;
}

export interface SpendLineTable {
  id: Generated<number>;
  budget: string;
  date: string;
  category: string;
  amount: number;
  initiative: string | null;
  description: string | null;
  imported_by: string;
  imported_at: string;
  /** The import that booked it; null for lines imported before imports were recorded. */
  import_id: string | null;
}

/** One import of spend lines into a budget, known by its lines' content: the same lines book once. */
export interface SpendImportTable {
  id: string;
  budget: string;
  /** SHA-256 of the import's lines, canonical and sorted (src/insight/spend.ts). */
  content_hash: string;
  lines: number;
  total: number;
  imported_by: string;
  imported_at: string;
}

/** The one reported outcome of an allowed decision (a second report is refused). */
export interface DecisionOutcomeTable {
  decision_id: string;
  outcome: string;
  at: string;
}

/**
 * LLM gateway spend per SpendLimit and period (UTC day, ISO week or month, by its first day), in
 * micro-USD so that sums and the admission check are exact: settled spend and what calls in flight
 * hold. A call is admitted by one conditional UPDATE per limit (docs/llm-gateway.md).
 */
export interface SpendLimitUsageTable {
  limit_name: string;
  period_start: string;
  spent_micro: number;
  reserved_micro: number;
  calls: number;
  /** When an `enforce: alert` limit was first passed in this period (recorded once). */
  alerted_at: string | null;
}

/** Settled spend per SpendLimit per UTC hour (the console's burn-down). */
export interface SpendLimitHourTable {
  limit_name: string;
  hour: string;
  spent_micro: number;
}

/** What a call in flight holds against each limit; released when it settles, or when it expires (a node died). */
export interface LlmReservationTable {
  id: string;
  limit_name: string;
  period_start: string;
  amount_micro: number;
  agent: string;
  expires_at: string;
}

/** Requests and tokens per agent per UTC minute, shared by every node (an agent's rateLimits). */
export interface LlmRateWindowTable {
  agent: string;
  minute: string;
  requests: number;
  tokens: number;
}

/** An agent leaving an initiative (moved or deleted): retention holds what it did there to the
 *  high-risk floor when that initiative is, or was when it left, high-risk. */
export interface AgentDepartureTable {
  agent: string;
  initiative: string;
  /** The initiative's tier in force when the agent left. */
  tier: string | null;
  left_at: string;
}
