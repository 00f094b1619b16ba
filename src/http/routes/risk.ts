// Risk tiering over HTTP: the questionnaire, an assessment, the versioned history.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RiskService } from '../../governance/risk.js';
import { errorResponses, Name } from '../schemas.js';

export function riskRoutes(server: FastifyInstance, risk: RiskService): void {
  const tags = ['governance'];
  const Params = T.Object({ name: Name });

  server.get(
    '/v1/risk-questionnaire',
    { schema: { tags, summary: 'The risk questionnaire: every question and the prohibited practices' } },
    async (req) => risk.questionnaire(req.principal),
  );

  server.post<{ Params: { name: string }; Body: { answers: unknown; notes?: string } }>(
    '/v1/initiatives/:name/risk-assessment',
    {
      schema: {
        tags,
        summary: 'Assess an initiative: answers → tier (prohibited | high | medium | low | minimal) with reasons',
        description:
          'Every question of GET /v1/risk-questionnaire must be answered true or false; `prohibitedPractices` lists Art. 5 ' +
          'practices (empty when none). The new assessment is the tier in force.',
        params: Params,
        body: T.Object(
          { answers: T.Record(T.String(), T.Unknown()), notes: T.Optional(T.String({ maxLength: 10_000 })) },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (req, reply) => {
      reply.code(201);
      return risk.assess(req.principal, req.params.name, req.body);
    },
  );

  server.get<{ Params: { name: string } }>(
    '/v1/initiatives/:name/risk-assessments',
    {
      schema: {
        tags,
        summary: 'Every assessment of an initiative, newest (the tier in force) first',
        params: Params,
        response: errorResponses(401, 403),
      },
    },
    async (req) => ({ items: await risk.history(req.principal, req.params.name) }),
  );
}
