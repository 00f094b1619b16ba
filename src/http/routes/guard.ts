// The guard's API: decisions (agents), approvals (people and agents), the kill switch, shadow agents
// and the effective policy set. The audit log and its proofs: routes/audit.ts.
import { type Static, Type as T } from '@sinclair/typebox';
import { agentCaller } from '../../auth/principal.js';
import { InputError } from '../../errors.js';
import type { DecisionRequest as Request } from '../../guard/decide.js';
import type { GuardService } from '../../guard/guard-service.js';
import { NAME_MAX_LENGTH } from '../../registry/schemas.js';
import { errorResponses, Name, type Server } from '../schemas.js';
import { addShared, Reason, Verdict } from '../shared-schemas.js';

const enumOf = <V extends readonly string[]>(values: V, description?: string) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <S extends Parameters<typeof T.Union>[0][number]>(s: S) => T.Union([s, T.Null()]);

// One flat shape (not a union) so a bad request gets a precise message, e.g. which action is unknown.
const DecisionRequest = T.Object(
  {
    action: enumOf(['tool.call', 'model.call'] as const),
    // Names no longer than a descriptor's: an unknown one is named in the 422, twice.
    tool: T.Optional(T.String({ minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'for tool.call' })),
    model: T.Optional(T.String({ minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'for model.call' })),
    arguments: T.Optional(T.Record(T.String(), T.Unknown(), { description: 'for tool.call: checked against the tool schema' })),
    dataDomains: T.Optional(T.Array(T.String({ minLength: 1, maxLength: NAME_MAX_LENGTH }), { maxItems: 100 })),
    taskId: T.Optional(T.String({ maxLength: 200 })),
    approvalId: T.Optional(T.String({ maxLength: 100 })),
  },
  { $id: 'DecisionRequest', additionalProperties: false },
);

/** The body as a DecisionRequest, or a clear 400 for what the schema alone cannot say. */
function toDecisionRequest(b: Static<typeof DecisionRequest>): Request {
  if (b.action === 'tool.call') {
    if (!b.tool) throw new InputError('a tool.call needs "tool"');
    if (b.model) throw new InputError('a tool.call takes "tool", not "model"');
    return { action: 'tool.call', tool: b.tool, ...pick(b, ['arguments', 'dataDomains', 'taskId', 'approvalId']) };
  }
  if (!b.model) throw new InputError('a model.call needs "model"');
  if (b.tool || b.arguments || b.approvalId)
    throw new InputError('a model.call takes "model" and "dataDomains", not tool arguments');
  return { action: 'model.call', model: b.model, ...pick(b, ['dataDomains', 'taskId']) };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}

const Decision = T.Object(
  {
    decision: Verdict,
    decisionId: T.String(),
    reasons: T.Array(T.Ref(Reason)),
    monitor: T.Optional(
      T.Array(T.Ref(Reason), { description: 'monitor-mode policies that would have denied or required approval' }),
    ),
    approvalId: T.Optional(T.String({ description: 'with approval_required: the request a person decides' })),
    policyVersion: T.Integer({ description: 'the registry revision the decision was made with' }),
  },
  { $id: 'Decision' },
);
const Simulation = T.Object(
  {
    decision: Verdict,
    reasons: T.Array(T.Ref(Reason)),
    monitor: T.Array(T.Ref(Reason), { description: 'monitor-mode policies that would have denied or required approval' }),
    policyVersion: T.Integer({ description: 'the registry revision the decision was made with' }),
  },
  { $id: 'Simulation' },
);
const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired', 'used', 'revoked'] as const;
const ApprovalStatus = enumOf(APPROVAL_STATUSES);
const Approval = T.Object(
  {
    id: T.String(),
    decisionId: T.String({ description: 'the decision that opened it' }),
    agent: T.String(),
    tool: T.String(),
    arguments: T.Unknown({ description: 'the tool call arguments the agent asked to use' }),
    dataDomains: T.Array(T.String()),
    reasons: T.Array(T.Ref(Reason)),
    status: ApprovalStatus,
    createdAt: T.String({ format: 'date-time' }),
    expiresAt: T.String({ format: 'date-time' }),
    decidedBy: Nullable(T.String()),
    decidedAt: Nullable(T.String({ format: 'date-time' })),
    comment: Nullable(T.String()),
    usedAt: Nullable(T.String({ format: 'date-time' })),
    usedDecisionId: Nullable(T.String({ description: 'the decision that used the approval' })),
    revokedAt: Nullable(T.String({ format: 'date-time', description: 'revoked: when it was ended unspent' })),
    revokedReason: Nullable(
      T.String({
        description:
          "revoked: why (`agent suspended`, `opened while the agent was suspended` at the resume, `agent removed from the registry`, `agent retired (its descriptor's status)` / `agent suspended (its descriptor's status)`, or `its initiative NAME is at stage retired` / `proposed`)",
      }),
    ),
    agentOwner: Nullable(
      T.String({
        description:
          "the agent's owner when the call asked, who may not decide it (separation of duties; nor may its owner now); null for an approval opened before 2026-12",
      }),
    ),
    keyIssuer: Nullable(
      T.String({
        description:
          'the Person who issued the agent key the call came with, who may not decide it either; null for a key the admin token issued, an OAuth access token, or an approval opened before 2026-12-05',
      }),
    ),
    oauthClient: Nullable(
      T.String({ description: 'the OAuth client whose access token the call came with; null for an agent key' }),
    ),
    clientBinders: T.Array(T.String(), {
      description:
        'everyone who bound that OAuth client to the agent (set its spec.oauthClientId), who may not decide it either; recorded since 2026-12-07',
    }),
  },
  { $id: 'Approval' },
);
const AgentControl = T.Object(
  {
    agent: T.String(),
    status: T.String({ description: "the agent's status now: suspended, or its descriptor's status" }),
    reason: T.String(),
    actor: T.String(),
    at: T.String({ format: 'date-time' }),
  },
  { $id: 'AgentControl' },
);
const ShadowAgent = T.Object(
  {
    identity: T.String(),
    source: enumOf(['unknown-key', 'revoked-key', 'mcp', 'telemetry'] as const, 'where it was seen'),
    detail: T.String(),
    firstSeen: T.String({ format: 'date-time' }),
    lastSeen: T.String({ format: 'date-time' }),
    count: T.Integer(),
  },
  { $id: 'ShadowAgent' },
);
const EffectivePolicy = T.Object(
  {
    id: T.String({ description: "`builtin/...`, or the Policy descriptor's name (`name/N` when it holds several)" }),
    effect: enumOf(['permit', 'forbid'] as const),
    approval: T.Optional(T.String({ description: 'for a forbid annotated @approval("why"): it needs a person' })),
    mode: enumOf(['enforce', 'monitor'] as const),
    source: enumOf(['builtin', 'custom'] as const),
    description: T.Optional(T.String()),
    text: T.String({ description: 'the Cedar text' }),
  },
  { $id: 'EffectivePolicy' },
);

export function guardRoutes(server: Server, guard: GuardService): void {
  const tags = ['guard'];
  addShared(server, Reason);
  for (const s of [DecisionRequest, Decision, Simulation, Approval, AgentControl, ShadowAgent, EffectivePolicy])
    server.addSchema(s);

  server.post(
    '/v1/decisions',
    {
      config: { agentOnly: true },
      schema: {
        operationId: 'decide',
        tags,
        summary: 'May this agent make this call? (agent key)',
        description:
          'Answers only after the decision is committed to the audit log. `approval_required` comes with an `approvalId`; ' +
          'once a person approves, repeat the same request with that `approvalId` (usable once, same tool and arguments).',
        body: T.Ref(DecisionRequest),
        response: { 200: T.Ref(Decision), ...errorResponses(409, 422) },
      },
    },
    async (req) => guard.decide(agentCaller(req.principal), toDecisionRequest(req.body)),
  );

  server.post(
    '/v1/decisions/:id/outcome',
    {
      config: { agentOnly: true },
      schema: {
        operationId: 'reportDecisionOutcome',
        tags,
        summary: 'Report how an allowed call went (agent key; recorded in the audit log)',
        params: T.Object({ id: T.String() }),
        body: T.Object(
          {
            outcome: enumOf(['succeeded', 'failed'] as const),
            durationMs: T.Integer({ minimum: 0, maximum: 31_622_400_000, description: 'at most a year' }),
            error: T.Optional(T.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 204: T.Null({ description: 'recorded' }), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      await guard.reportOutcome(req.principal.id, req.params.id, req.body);
      reply.code(204);
    },
  );

  server.post(
    '/v1/decisions/simulate',
    {
      schema: {
        operationId: 'simulateDecision',
        tags,
        summary: 'What would happen: a decision for any agent, not recorded',
        body: T.Object({ agent: Name, request: T.Ref(DecisionRequest) }, { additionalProperties: false }),
        response: { 200: T.Ref(Simulation), ...errorResponses(404, 422) },
      },
    },
    async (req) => guard.simulate(req.principal, req.body.agent, toDecisionRequest(req.body.request)),
  );

  server.get(
    '/v1/approvals',
    {
      schema: {
        operationId: 'listApprovals',
        tags,
        summary: 'Approval requests, newest first (an agent sees its own)',
        querystring: T.Object({
          status: T.Optional(ApprovalStatus),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: T.Object({ items: T.Array(T.Ref(Approval)) }) },
      },
    },
    async (req) => ({ items: await guard.listApprovals(req.principal, req.query) }),
  );

  server.get(
    '/v1/approvals/:id',
    {
      schema: {
        operationId: 'getApproval',
        tags,
        summary: 'One approval request; `wait=SECONDS` long-polls while it is pending',
        params: T.Object({ id: T.String() }),
        querystring: T.Object({ wait: T.Number({ minimum: 0, maximum: 60, default: 0 }) }),
        response: { 200: T.Ref(Approval), ...errorResponses(404) },
      },
    },
    async (req) => guard.getApproval(req.principal, req.params.id, req.query.wait),
  );

  for (const verdict of ['approve', 'deny'] as const) {
    server.post(
      `/v1/approvals/:id/${verdict}`,
      {
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          operationId: `${verdict}Approval`,
          tags,
          summary: `${verdict === 'approve' ? 'Approve' : 'Deny'} a pending request (approver role)`,
          params: T.Object({ id: T.String() }),
          body: T.Object({ comment: T.Optional(T.String({ maxLength: 2000 })) }, { additionalProperties: false }),
          response: { 200: T.Ref(Approval), ...errorResponses(404, 409) },
        },
      },
      async (req) =>
        guard.decideApproval(
          req.principal,
          req.params.id,
          verdict === 'approve' ? 'approved' : 'denied',
          req.body.comment ?? null,
        ),
    );
  }

  for (const verb of ['suspend', 'resume'] as const) {
    server.post(
      `/v1/agents/:name/${verb}`,
      {
        schema: {
          operationId: `${verb}Agent`,
          tags,
          summary:
            verb === 'suspend' ? 'The kill switch: every node denies this agent from its next decision' : 'Lift a suspension',
          params: T.Object({ name: Name }),
          body: T.Object({ reason: T.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
          // 409: a resume of an agent stopped by its descriptor's status, which only a registry write lifts.
          response: { 200: T.Ref(AgentControl), ...errorResponses(404, ...(verb === 'resume' ? [409] : [])) },
        },
      },
      async (req) => guard.setSuspended(req.principal, req.params.name, verb === 'suspend', req.body.reason),
    );
  }

  server.get(
    '/v1/shadow-agents',
    {
      schema: {
        operationId: 'listShadowAgents',
        tags,
        summary: 'Identities seen acting without a valid registration, newest first, a page at a time',
        description:
          'Unknown keys count as one identity per client address and key type (`key:fk_@<address>`). Pass the ' +
          "answer's `nextCursor` as `after` for the next page; there is none after the last.",
        querystring: T.Object({
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          after: T.Optional(T.String({ maxLength: 2000 })),
        }),
        response: {
          200: T.Object({ nextCursor: T.Optional(T.String()), items: T.Array(T.Ref(ShadowAgent)) }),
        },
      },
    },
    async (req) => guard.shadowAgents(req.principal, req.query),
  );

  server.get(
    '/v1/policies/effective',
    {
      schema: {
        operationId: 'listEffectivePolicies',
        tags,
        summary: 'Every policy in force: built-in rules generated from the registry and custom policies, as Cedar',
        response: {
          200: T.Object({
            revision: T.Integer({ description: 'the registry revision the set was generated from' }),
            policies: T.Array(T.Ref(EffectivePolicy)),
          }),
        },
      },
    },
    async (req) => guard.effectivePolicies(req.principal),
  );
}
