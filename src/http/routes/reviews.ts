// Stage promotions and their reviews over HTTP.
import { Type as T } from '@sinclair/typebox';
import type { ReviewService } from '../../governance/reviews.js';
import { STAGES } from '../../registry/schemas.js';
import { errorResponses, Name, type Server } from '../schemas.js';

const enumOf = <V extends readonly string[]>(values: V, options: { description?: string } = {}) =>
  T.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
const Stage = enumOf(STAGES);
const REVIEW_STATUSES = ['open', 'approved', 'rejected'] as const;
const DECISIONS = ['approve', 'reject'] as const;

const Review = T.Object(
  {
    id: T.String(),
    initiative: T.String(),
    from: Stage,
    to: Stage,
    tier: T.String({
      description:
        'the risk tier its sign-offs follow: in force when it opened, or a stricter one assessed while it was open (minimal when retiring an untiered one)',
    }),
    status: enumOf(REVIEW_STATUSES),
    required: T.Array(T.String(), {
      description:
        'the roles that must sign off (owner: the initiative owner); a stricter tier assessed meanwhile adds its roles',
    }),
    pending: T.Array(T.String(), { description: 'required roles without a sign-off yet' }),
    signOffs: T.Array(
      T.Object({
        role: T.String(),
        person: T.String({ description: 'person:NAME, or admin' }),
        decision: enumOf(DECISIONS),
        comment: T.Union([T.String(), T.Null()]),
        at: T.String({ format: 'date-time' }),
      }),
    ),
    openedBy: T.String(),
    openedAt: T.String({ format: 'date-time' }),
    closedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  },
  { $id: 'Review', description: 'a stage promotion and its sign-offs' },
);

export function reviewRoutes(server: Server, reviews: ReviewService): void {
  const tags = ['governance'];
  server.addSchema(Review);
  server.post(
    '/v1/initiatives/:name/promotions',
    {
      schema: {
        operationId: 'promoteInitiative',
        tags,
        summary: 'Ask to move an initiative to another stage: opens a review with the sign-offs its risk tier needs',
        params: T.Object({ name: Name }),
        body: T.Object({ to: enumOf(['pilot', 'production', 'scaled', 'retired'] as const) }, { additionalProperties: false }),
        response: { 201: T.Ref(Review), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return reviews.promote(req.principal, req.params.name, req.body.to);
    },
  );
  server.post(
    '/v1/reviews/:id/sign-offs',
    {
      schema: {
        operationId: 'signOffReview',
        tags,
        summary:
          'Sign off a review in a role you hold; every required approval moves the stage, one reject closes it (so does an approval once the initiative left the stage the review moves it from, or was found prohibited)',
        params: T.Object({ id: T.String() }),
        body: T.Object(
          {
            role: T.String({ minLength: 1, maxLength: 100 }),
            decision: enumOf(DECISIONS),
            comment: T.Optional(T.String({ maxLength: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: T.Ref(Review), ...errorResponses(404, 409) },
      },
    },
    async (req) => reviews.signOff(req.principal, req.params.id, req.body),
  );
  server.get(
    '/v1/reviews',
    {
      schema: {
        operationId: 'listReviews',
        tags,
        summary: 'Reviews, newest first',
        querystring: T.Object({
          status: T.Optional(enumOf(REVIEW_STATUSES)),
          initiative: T.Optional(Name),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: T.Object({ items: T.Array(T.Ref(Review)) }) },
      },
    },
    async (req) => ({ items: await reviews.list(req.principal, req.query) }),
  );
  server.get(
    '/v1/reviews/:id',
    {
      schema: {
        operationId: 'getReview',
        tags,
        summary: 'One review with its sign-offs',
        params: T.Object({ id: T.String() }),
        response: { 200: T.Ref(Review), ...errorResponses(404) },
      },
    },
    async (req) => reviews.get(req.principal, req.params.id),
  );
}
