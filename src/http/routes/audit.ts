// The audit log's proof over HTTP: verification, the public key that checks signed checkpoints, and
// the latest signed checkpoint for an outside witness (docs/audit.md).
import { Type as T } from '@sinclair/typebox';
import type { AuditReader } from '../../guard/audit-reader.js';
import { errorResponses, type Server } from '../schemas.js';
import { addShared, Reason, Verdict } from '../shared-schemas.js';

const Nullable = <S extends Parameters<typeof T.Union>[0][number]>(s: S) => T.Union([s, T.Null()]);

const AuditEntry = T.Object(
  {
    id: T.String(),
    kind: T.String({ description: 'decision, approval.approved, agent.suspended, auth.signed-in, ... (docs/audit.md)' }),
    at: T.String({ format: 'date-time' }),
    actor: T.String({ description: 'who acted, e.g. agent:support-bot, person:ada, admin' }),
    agent: Nullable(T.String()),
    action: Nullable(T.String({ description: 'tool.call or model.call' })),
    target: Nullable(T.String({ description: 'the tool or model' })),
    decision: Nullable(Verdict),
    reasons: T.Array(T.Ref(Reason)),
    monitor: T.Array(T.Ref(Reason), { description: 'monitor-mode policies that would have denied or required approval' }),
    policyVersion: T.Integer({ description: 'the registry revision the decision was made with' }),
    arguments: T.Unknown({ description: "the tool call's arguments as the agent sent them; null when not kept" }),
    argumentsHash: Nullable(T.String()),
    dataDomains: T.Array(T.String()),
    taskId: Nullable(T.String()),
    approvalId: Nullable(T.String()),
    detail: T.Record(T.String(), T.Unknown(), { description: "the act's particulars, by kind" }),
    chainId: T.String(),
    seq: T.Integer(),
    hash: T.String({ description: "this entry's link in its hash chain" }),
  },
  { $id: 'AuditEntry' },
);

const TAMPER_KINDS = [
  'missing-entry',
  'link-broken',
  'content-changed',
  'arguments-changed',
  'rewritten',
  'truncated',
  'chain-deleted',
  'start-forged',
  'appended',
  'checkpoint-forged',
] as const;

const AuditFinding = T.Object(
  {
    chainId: T.String(),
    seq: T.Integer({ description: 'the entry concerned; for a cut chain, the first entry missing' }),
    id: T.String({ description: "the entry's id, or '-'" }),
    kind: T.Optional(
      T.Unsafe<(typeof TAMPER_KINDS)[number]>({
        type: 'string',
        enum: [...TAMPER_KINDS],
        description: 'what kind of damage (docs/audit.md names the tampering each means)',
      }),
    ),
    problem: T.String(),
  },
  { $id: 'AuditFinding' },
);

const AuditVerification = T.Object(
  {
    ok: T.Boolean(),
    chains: T.Integer({ description: 'chains holding entries' }),
    entries: T.Integer({ description: 'entries that verified' }),
    broken: T.Optional(T.Ref(AuditFinding, { description: 'the first finding' })),
    findings: T.Optional(T.Array(T.Ref(AuditFinding))),
    signatures: T.Optional(
      T.Unsafe<'checked' | 'unchecked'>({
        type: 'string',
        enum: ['checked', 'unchecked'],
        description: 'whether signed checkpoints were checked',
      }),
    ),
    earlierKeys: T.Optional(
      T.Record(T.String(), T.Integer(), {
        description:
          "checkpoints in the database signed with another key before this key's first, per key id (a key rotation): not checked with this key, and not findings",
      }),
    ),
    checkpoint: T.Optional(
      T.Object(
        { source: T.String(), at: T.String({ format: 'date-time' }), chains: T.Integer(), entries: T.Integer() },
        { description: 'the newest signed checkpoint checked against' },
      ),
    ),
  },
  { $id: 'AuditVerification' },
);

const SignedCheckpoint = T.Object(
  {
    payload: T.String({ description: 'the signed JSON text (format fulcrum-audit-checkpoint/1), exactly as signed' }),
    signature: T.String({ description: 'Ed25519 over the payload, base64' }),
  },
  { $id: 'SignedCheckpoint' },
);

export function auditRoutes(server: Server, audit: AuditReader): void {
  const tags = ['guard'];
  addShared(server, Reason);
  for (const s of [AuditEntry, AuditFinding, AuditVerification, SignedCheckpoint]) server.addSchema(s);

  server.get(
    '/v1/audit',
    {
      schema: {
        operationId: 'listAuditEntries',
        tags,
        summary: 'The audit log, newest first',
        querystring: T.Object({
          agent: T.Optional(T.String()),
          decision: T.Optional(Verdict),
          kind: T.Optional(T.String()),
          since: T.Optional(T.String({ format: 'date-time' })),
          until: T.Optional(T.String({ format: 'date-time' })),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: T.Object({ items: T.Array(T.Ref(AuditEntry)) }) },
      },
    },
    async (req) => ({ items: await audit.query(req.principal, req.query) }),
  );

  server.get(
    '/v1/audit/verify',
    {
      schema: {
        operationId: 'verifyAudit',
        tags,
        summary: 'Walk every audit chain, check every hash and check the chains against the signed checkpoints',
        response: { 200: T.Ref(AuditVerification) },
      },
    },
    async (req) => audit.verify(req.principal),
  );

  server.get(
    '/v1/audit/public-key',
    {
      config: { public: true },
      schema: {
        operationId: 'getAuditPublicKey',
        tags,
        summary: 'The Ed25519 public key that verifies signed audit checkpoints (keep a copy outside Fulcrum)',
        description:
          '409 on a node whose key is not the one the newest signed checkpoint names: such a node does not sign, and its key would check nothing.',
        security: [],
        response: {
          200: T.Object({
            algorithm: T.Literal('Ed25519'),
            keyId: T.String({ description: 'first 16 hex digits of SHA-256 over the key (SPKI, DER)' }),
            publicKey: T.String({ description: 'PEM (SPKI): save it to a file for `fulcrum audit verify --public-key`' }),
          }),
          ...errorResponses(409),
        },
      },
    },
    async () => audit.publicKey(),
  );

  server.get(
    '/v1/audit/checkpoint',
    {
      schema: {
        operationId: 'getAuditCheckpoint',
        tags,
        summary: 'The latest signed checkpoint over every audit chain, for an outside witness to keep',
        response: { 200: T.Ref(SignedCheckpoint), ...errorResponses(404) },
      },
    },
    async (req) => audit.checkpoint(req.principal),
  );
}
