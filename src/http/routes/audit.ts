// The audit log's proof over HTTP: verification, the public key that checks signed checkpoints, and
// the latest signed checkpoint for an outside witness (docs/audit.md).
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuditReader } from '../../guard/audit-reader.js';
import { errorResponses } from '../schemas.js';

const Finding = T.Object({
  chainId: T.String(),
  seq: T.Integer({ description: 'the entry concerned; for a cut chain, the first entry missing' }),
  id: T.String({ description: "the entry's id, or '-'" }),
  kind: T.Optional(
    T.String({
      description:
        'missing-entry | link-broken | content-changed | arguments-changed | rewritten | truncated | chain-deleted | start-forged | appended | checkpoint-forged',
    }),
  ),
  problem: T.String(),
});

const Signed = T.Object({
  payload: T.String({ description: 'the signed JSON text (format fulcrum-audit-checkpoint/1), exactly as signed' }),
  signature: T.String({ description: 'Ed25519 over the payload, base64' }),
});

export function auditRoutes(server: FastifyInstance, audit: AuditReader): void {
  const tags = ['guard'];

  server.get<{
    Querystring: { agent?: string; decision?: string; kind?: string; since?: string; until?: string; limit: number };
  }>(
    '/v1/audit',
    {
      schema: {
        tags,
        summary: 'The audit log, newest first',
        querystring: T.Object({
          agent: T.Optional(T.String()),
          decision: T.Optional(T.Union([T.Literal('allow'), T.Literal('deny'), T.Literal('approval_required')])),
          kind: T.Optional(T.String()),
          since: T.Optional(T.String({ format: 'date-time' })),
          until: T.Optional(T.String({ format: 'date-time' })),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: T.Object({ items: T.Array(T.Record(T.String(), T.Unknown())) }), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await audit.query(req.principal, req.query) }),
  );

  server.get(
    '/v1/audit/verify',
    {
      schema: {
        tags,
        summary: 'Walk every audit chain, check every hash and check the chains against the signed checkpoints',
        response: {
          200: T.Object({
            ok: T.Boolean(),
            chains: T.Integer(),
            entries: T.Integer(),
            broken: T.Optional(Finding),
            findings: T.Optional(T.Array(Finding)),
            signatures: T.Optional(T.String({ description: 'checked | unchecked' })),
            checkpoint: T.Optional(
              T.Object(
                { source: T.String(), at: T.String(), chains: T.Integer(), entries: T.Integer() },
                { description: 'the newest signed checkpoint checked against' },
              ),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => audit.verify(req.principal),
  );

  server.get(
    '/v1/audit/public-key',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The Ed25519 public key that verifies signed audit checkpoints (keep a copy outside Fulcrum)',
        security: [],
        response: {
          200: T.Object({
            algorithm: T.Literal('Ed25519'),
            keyId: T.String({ description: 'first 16 hex digits of SHA-256 over the key (SPKI, DER)' }),
            publicKey: T.String({ description: 'PEM (SPKI): save it to a file for `fulcrum audit verify --public-key`' }),
          }),
        },
      },
    },
    async () => audit.publicKey(),
  );

  server.get(
    '/v1/audit/checkpoint',
    {
      schema: {
        tags,
        summary: 'The latest signed checkpoint over every audit chain, for an outside witness to keep',
        response: { 200: Signed, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => audit.checkpoint(req.principal),
  );
}
