// Shared HTTP schemas: the error body, descriptors as the API returns them, lists.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type as T, type TSchema } from '@sinclair/typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { ERROR_CODES } from '../errors.js';
import { KIND_INFO, type Kind } from '../registry/kinds.js';
import { API_VERSION } from '../registry/model.js';
import { NAME_PATTERN } from '../registry/schemas.js';

export const ErrorBody = T.Object(
  {
    error: T.Object({
      code: T.Unsafe<string>({ type: 'string', enum: Object.keys(ERROR_CODES) }),
      message: T.String(),
      details: T.Optional(T.Unknown()),
    }),
  },
  { $id: 'Error', description: 'Every error answer has this shape.' },
);

/** The server every route module registers on: handlers are typed from their route's schemas. */
export type Server = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A reference to the shared Error schema, typed as the error body (so handlers' answers stay typed). */
export const ErrorRef = T.Unsafe<Static<typeof ErrorBody>>(T.Ref('Error'));

/**
 * The error statuses a route answers beyond the ones every route can (src/http/contract.ts adds 400, 401,
 * 403, 413, 415, 429 and 500 by the route's shape): typically 404, 409, 422.
 */
export const errorResponses = <S extends number>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorRef])) as { [K in S]: typeof ErrorRef };

export const Name = T.String({ pattern: NAME_PATTERN });
export const NameParams = T.Object({ name: Name });

export const StoredMetadata = T.Object({
  name: T.String(),
  labels: T.Optional(T.Record(T.String(), T.String())),
  generation: T.Integer({ description: 'increments on every change' }),
  createdAt: T.String({ format: 'date-time' }),
  updatedAt: T.String({ format: 'date-time' }),
});

export function descriptorSchema(kind: Kind): TSchema {
  return T.Object(
    {
      apiVersion: T.Literal(API_VERSION),
      kind: T.Literal(kind),
      metadata: StoredMetadata,
      spec: KIND_INFO[kind].schema,
      status: T.Optional(
        T.Record(T.String(), T.Unknown(), { description: 'observed state, e.g. an agent suspended by the kill switch' }),
      ),
    },
    { $id: kind },
  );
}

export function descriptorInput(kind: Kind): TSchema {
  return T.Object(
    {
      apiVersion: T.Optional(T.Literal(API_VERSION)),
      kind: T.Optional(T.Literal(kind)),
      metadata: T.Optional(T.Object({ name: T.Optional(Name), labels: T.Optional(T.Record(T.String(), T.String())) })),
      spec: KIND_INFO[kind].schema,
      status: T.Optional(T.Unknown({ description: 'ignored: observed state is not written' })),
    },
    { description: `a ${kind} descriptor; kind and metadata.name default to the URL's` },
  );
}

export const SourceFiles = T.Object({
  files: T.Array(T.Object({ path: T.String({ minLength: 1 }), content: T.String() })),
});
