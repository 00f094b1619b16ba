// Shared HTTP schemas: the error body, descriptors as the API returns them, lists.
import { Type as T, type TSchema } from '@sinclair/typebox';
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

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, T.Ref('Error')])) as Record<number, TSchema>;

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
