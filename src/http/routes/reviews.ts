// Stage promotions and their reviews over HTTP.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ReviewService } from '../../governance/reviews.js';
import { errorResponses, Name } from '../schemas.js';

export function reviewRoutes(server: FastifyInstance, reviews: ReviewService): void {
  const tags = ['governance'];
  server.post<{ Params: { name: string }; Body: { to: string } }>(
    '/v1/initiatives/:name/promotions',
    {
      schema: {
        tags,
        summary: 'Ask to move an initiative to another stage: opens a review with the sign-offs its risk tier needs',
        params: T.Object({ name: Name }),
        body: T.Object(
          { to: T.Unsafe<string>({ type: 'string', enum: ['pilot', 'production', 'scaled', 'retired'] }) },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404, 409),
      },
    },
    async (req, reply) => {
      reply.code(201);
      return reviews.promote(req.principal, req.params.name, req.body.to);
    },
  );
  server.post<{ Params: { id: string }; Body: { role: string; decision: 'approve' | 'reject'; comment?: string } }>(
    '/v1/reviews/:id/sign-offs',
    {
      schema: {
        tags,
        summary: 'Sign off a review in a role you hold; every required approval moves the stage, one reject closes it',
        params: T.Object({ id: T.String() }),
        body: T.Object(
          {
            role: T.String({ minLength: 1 }),
            decision: T.Unsafe<'approve' | 'reject'>({ type: 'string', enum: ['approve', 'reject'] }),
            comment: T.Optional(T.String({ maxLength: 10_000 })),
          },
          { additionalProperties: false },
        ),
        response: errorResponses(400, 401, 403, 404, 409),
      },
    },
    async (req) => reviews.signOff(req.principal, req.params.id, req.body),
  );
  server.get<{ Querystring: { status?: string; initiative?: string; limit: number } }>(
    '/v1/reviews',
    {
      schema: {
        tags,
        summary: 'Reviews, newest first',
        querystring: T.Object({
          status: T.Optional(T.Unsafe<string>({ type: 'string', enum: ['open', 'approved', 'rejected'] })),
          initiative: T.Optional(Name),
          limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: errorResponses(400, 401, 403),
      },
    },
    async (req) => ({ items: await reviews.list(req.principal, req.query) }),
  );
  server.get<{ Params: { id: string } }>(
    '/v1/reviews/:id',
    {
      schema: {
        tags,
        summary: 'One review with its sign-offs',
        params: T.Object({ id: T.String() }),
        response: errorResponses(401, 403, 404),
      },
    },
    async (req) => reviews.get(req.principal, req.params.id),
  );
}
