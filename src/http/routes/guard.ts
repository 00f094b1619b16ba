// The guard's API: decisions (agents), approvals (people and agents), the kill switch, the audit
// log and its verification, shadow agents and the effective policy set.
import { type Static, Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { assertCan } from '../../auth/principal.js';
import type { DatabaseHandle } from '../../db/adapter.js';
import { InputError, NotAllowedError } from '../../errors.js';
import { queryAudit } from '../../guard/audit-query.js';
import type { DecisionRequest } from '../../guard/decide.js';
import type { GuardService } from '../../guard/guard-service.js';
import { errorResponses, Name } from '../schemas.js';

// One flat shape (not a union) so a bad request gets a precise message, e.g. which action is unknown.
const DecisionBody = T.Object(
  {
    action: T.Unsafe<'tool.call' | 'model.call'>({ type: 'string', enum: ['tool.call', 'model.call'] }),
    tool: T.Optional(T.String({ minLength: 1, description: 'for tool.call' })),
    model: T.Optional(T.String({ minLength: 1, description: 'for model.call' })),
    arguments: T.Optional(T.Record(T.String(), T.Unknown(), { description: 'for tool.call: checked against the tool schema' })),
    dataDomains: T.Optional(T.Array(T.String({ minLength: 1 }), { maxItems: 100 })),
    taskId: T.Optional(T.String({ maxLength: 200 })),
    approvalId: T.Optional(T.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** The body as a DecisionRequest, or a clear 400 for what the schema alone cannot say. */
function toDecisionRequest(b: Static<typeof DecisionBody>): DecisionRequest {
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

const Reason = T.Object({ policy: T.String(), effect: T.String(), message: T.Optional(T.String()) });
const Decision = T.Object({
  // An enum, not a union of literals: the serializer would try each branch on every answer.
  decision: T.Unsafe<'allow' | 'deny' | 'approval_required'>({ type: 'string', enum: ['allow', 'deny', 'approval_required'] }),
  decisionId: T.String(),
  reasons: T.Array(Reason),
  monitor: T.Optional(T.Array(Reason, { description: 'monitor-mode policies that would have denied or required approval' })),
  approvalId: T.Optional(T.String()),
  policyVersion: T.Integer({ description: 'the registry revision the decision was made with' }),
});
const ApprovalStatus = T.Union([
  T.Literal('pending'),
  T.Literal('approved'),
  T.Literal('denied'),
  T.Literal('expired'),
  T.Literal('used'),
]);
const Approval = T.Object({
  id: T.String(),
  decisionId: T.String(),
  agent: T.String(),
  tool: T.String(),
  arguments: T.Unknown(),
  dataDomains: T.Array(T.String()),
  reasons: T.Array(Reason),
  status: ApprovalStatus,
  createdAt: T.String(),
  expiresAt: T.String(),
  decidedBy: T.Union([T.String(), T.Null()]),
  decidedAt: T.Union([T.String(), T.Null()]),
  comment: T.Union([T.String(), T.Null()]),
  usedAt: T.Union([T.String(), T.Null()]),
  usedDecisionId: T.Union([T.String(), T.Null()]),
});

export function guardRoutes(server: FastifyInstance, guard: GuardService, database: DatabaseHandle): void {
  const tags = ['guard'];

  server.post<{ Body: Static<typeof DecisionBody> }>(
    '/v1/decisions',
    {
      config: { agentOnly: true },
      schema: {
        tags,
        summary: 'May this agent make this call? (agent key)',
        description:
          'Answers only after the decision is committed to the audit log. `approval_required` comes with an `approvalId`; ' +
          'once a person approves, repeat the same request with that `approvalId` (usable once, same tool and arguments).',
        body: DecisionBody,
        response: { 200: Decision, ...errorResponses(400, 401, 409, 413, 422) },
      },
    },
    async (req) => guard.decide(req.principal.id, toDecisionRequest(req.body)),
  );

  server.post<{ Params: { id: string }; Body: { outcome: 'succeeded' | 'failed'; durationMs: number; error?: string } }>(
    '/v1/decisions/:id/outcome',
    {
      config: { agentOnly: true },
      schema: {
        tags,
        summary: 'Report how an allowed call went (agent key; recorded in the audit log)',
        params: T.Object({ id: T.String() }),
        body: T.Object(
          {
            outcome: T.Unsafe<'succeeded' | 'failed'>({ type: 'string', enum: ['succeeded', 'failed'] }),
            durationMs: T.Integer({ minimum: 0, maximum: 31_622_400_000, description: 'at most a year' }),
            error: T.Optional(T.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 204: T.Null(), ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      await guard.reportOutcome(req.principal.id, req.params.id, req.body);
      reply.code(204);
    },
  );

  server.post<{ Body: { agent: string; request: Static<typeof DecisionBody> } }>(
    '/v1/decisions/simulate',
    {
      schema: {
        tags,
        summary: 'What would happen: a decision for any agent, not recorded',
        body: T.Object({ agent: Name, request: DecisionBody }, { additionalProperties: false }),
        response: {
          200: T.Object({ decision: T.String(), reasons: T.Array(Reason), monitor: T.Array(Reason), policyVersion: T.Integer() }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (req) => guard.simulate(req.principal, req.body.agent, toDecisionRequest(req.body.request)),
  );

  server.get<{ Querystring: { status?: Static<typeof ApprovalStatus>; limit: number } }>(
    '/v1/approvals',
    {
      schema: {
        tags,
        summary: 'Approval requests, newest first (an agent sees its own)',
        querystring: T.Object({
          status: T.Optional(ApprovalStatus),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: T.Object({ items: T.Array(Approval) }), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await guard.listApprovals(req.principal, req.query) }),
  );

  server.get<{ Params: { id: string }; Querystring: { wait: number } }>(
    '/v1/approvals/:id',
    {
      schema: {
        tags,
        summary: 'One approval request; `wait=SECONDS` long-polls while it is pending',
        params: T.Object({ id: T.String() }),
        querystring: T.Object({ wait: T.Number({ minimum: 0, maximum: 60, default: 0 }) }),
        response: { 200: Approval, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => guard.getApproval(req.principal, req.params.id, req.query.wait),
  );

  for (const verdict of ['approve', 'deny'] as const) {
    server.post<{ Params: { id: string }; Body: { comment?: string } }>(
      `/v1/approvals/:id/${verdict}`,
      {
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          tags,
          summary: `${verdict === 'approve' ? 'Approve' : 'Deny'} a pending request (approver role)`,
          params: T.Object({ id: T.String() }),
          body: T.Object({ comment: T.Optional(T.String({ maxLength: 2000 })) }, { additionalProperties: false }),
          response: { 200: Approval, ...errorResponses(401, 403, 404, 409) },
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
    server.post<{ Params: { name: string }; Body: { reason: string } }>(
      `/v1/agents/:name/${verb}`,
      {
        schema: {
          tags,
          summary:
            verb === 'suspend' ? 'The kill switch: every node denies this agent from its next decision' : 'Lift a suspension',
          params: T.Object({ name: Name }),
          body: T.Object({ reason: T.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
          response: {
            200: T.Object({ agent: T.String(), status: T.String(), reason: T.String(), actor: T.String(), at: T.String() }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (req) => guard.setSuspended(req.principal, req.params.name, verb === 'suspend', req.body.reason),
    );
  }

  // GET /v1/audit and its proofs (verify, checkpoint, public key): routes/audit.ts.

  server.get<{ Querystring: { limit: number; after?: string } }>(
    '/v1/shadow-agents',
    {
      schema: {
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
          200: T.Object({
            nextCursor: T.Optional(T.String()),
            items: T.Array(
              T.Object({
                identity: T.String(),
                source: T.String(),
                detail: T.String(),
                firstSeen: T.String(),
                lastSeen: T.String(),
                count: T.Integer(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => guard.shadowAgents(req.principal, req.query),
  );

  server.get(
    '/v1/policies/effective',
    {
      schema: {
        tags,
        summary: 'Every policy in force: built-in rules generated from the registry and custom policies, as Cedar',
        response: {
          200: T.Object({
            revision: T.Integer(),
            policies: T.Array(
              T.Object({
                id: T.String(),
                effect: T.String(),
                approval: T.Optional(T.String()),
                mode: T.String(),
                source: T.String(),
                description: T.Optional(T.String()),
                text: T.String(),
              }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => guard.effectivePolicies(req.principal),
  );
}
