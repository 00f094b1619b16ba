// Risk tiering over HTTP: the questionnaire, an assessment, the versioned history.
import { Type as T } from '@sinclair/typebox';
import { PROHIBITED_PRACTICES, QUESTIONS, type RiskService } from '../../governance/risk.js';
import { errorResponses, Name, type Server } from '../schemas.js';

const TIERS = ['prohibited', 'high', 'medium', 'low', 'minimal'] as const;
const enumOf = <V extends readonly string[]>(values: V) => T.Unsafe<V[number]>({ type: 'string', enum: [...values] });
const practices = Object.keys(PROHIBITED_PRACTICES) as Array<keyof typeof PROHIBITED_PRACTICES>;

const Questionnaire = T.Object(
  {
    questions: T.Object(
      Object.fromEntries(Object.keys(QUESTIONS).map((k) => [k, T.String()])) as Record<
        keyof typeof QUESTIONS,
        ReturnType<typeof T.String>
      >,
      { description: 'each question id with its text; every one is answered true or false' },
    ),
    prohibitedPractices: T.Object(
      Object.fromEntries(practices.map((k) => [k, T.String()])) as Record<
        keyof typeof PROHIBITED_PRACTICES,
        ReturnType<typeof T.String>
      >,
      { description: 'EU AI Act Art. 5 practices by id, for `answers.prohibitedPractices`' },
    ),
  },
  { $id: 'RiskQuestionnaire', description: 'the risk questionnaire' },
);

const RiskAssessment = T.Object(
  {
    initiative: T.String(),
    version: T.Integer({ description: 'increments per assessment; the highest is the tier in force' }),
    tier: enumOf(TIERS),
    reasons: T.Array(T.String(), { description: 'why this tier: the practices, Annex III areas or obligations that apply' }),
    answers: T.Object(
      {
        ...(Object.fromEntries(Object.keys(QUESTIONS).map((k) => [k, T.Boolean()])) as Record<
          keyof typeof QUESTIONS,
          ReturnType<typeof T.Boolean>
        >),
        prohibitedPractices: T.Array(enumOf(practices)),
      },
      { description: 'the answers it was assessed on' },
    ),
    notes: T.Union([T.String(), T.Null()]),
    assessedBy: T.String(),
    assessedAt: T.String({ format: 'date-time' }),
    warning: T.Optional(T.String({ description: 'prohibited while agents are active: the guard now denies their calls' })),
  },
  { $id: 'RiskAssessment', description: "one version of an initiative's risk tier" },
);

export function riskRoutes(server: Server, risk: RiskService): void {
  const tags = ['governance'];
  const Params = T.Object({ name: Name });
  server.addSchema(Questionnaire);
  server.addSchema(RiskAssessment);

  server.get(
    '/v1/risk-questionnaire',
    {
      schema: {
        operationId: 'getRiskQuestionnaire',
        tags,
        summary: 'The risk questionnaire: every question and the prohibited practices',
        response: { 200: T.Ref(Questionnaire) },
      },
    },
    async (req) => risk.questionnaire(req.principal),
  );

  server.post(
    '/v1/initiatives/:name/risk-assessment',
    {
      schema: {
        operationId: 'assessRisk',
        tags,
        summary: 'Assess an initiative: answers → tier (prohibited | high | medium | low | minimal) with reasons',
        description:
          'Every question of GET /v1/risk-questionnaire must be answered true or false; `prohibitedPractices` lists Art. 5 ' +
          'practices (empty when none). The new assessment is the tier in force.',
        params: Params,
        body: T.Object(
          {
            answers: T.Record(T.String(), T.Unknown(), {
              description: 'question id → true or false, and prohibitedPractices: [practice id…]',
            }),
            notes: T.Optional(T.String({ maxLength: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: T.Ref(RiskAssessment), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return risk.assess(req.principal, req.params.name, req.body);
    },
  );

  server.get(
    '/v1/initiatives/:name/risk-assessments',
    {
      schema: {
        operationId: 'listRiskAssessments',
        tags,
        summary: 'Every assessment of an initiative, newest (the tier in force) first',
        params: Params,
        response: { 200: T.Object({ items: T.Array(T.Ref(RiskAssessment)) }) },
      },
    },
    async (req) => ({ items: await risk.history(req.principal, req.params.name) }),
  );
}
