// /v1/<plural>: list, get, upsert and delete descriptors of every kind, plus the change log.
import { Type as T } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { assertCan } from '../../auth/principal.js';
import { InputError, type Problem } from '../../errors.js';
import { parseYamlValueSliced } from '../../registry/descriptors.js';
import { KIND_INFO, KINDS, type Kind } from '../../registry/kinds.js';
import { API_VERSION, type RegistryObject } from '../../registry/model.js';
import type { RegistryService } from '../../registry/registry-service.js';
import { descriptorInput, descriptorSchema, errorResponses, NameParams, type Server } from '../schemas.js';

const paramsAjv = new Ajv({ allErrors: true });

/** Observed state shown beside a descriptor's spec (Kubernetes-style `status`); never exported. */
export type StatusOf = (o: RegistryObject) => Record<string, unknown> | undefined;

export function toItem(o: RegistryObject, statusOf?: StatusOf) {
  const metadata = {
    name: o.name,
    ...(Object.keys(o.labels).length > 0 ? { labels: o.labels } : {}),
    generation: o.generation,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
  const status = statusOf?.(o);
  return { apiVersion: API_VERSION, kind: o.kind, metadata, spec: o.spec, ...(status ? { status } : {}) };
}

/** The PUT body, with kind and name taken from the URL when the body leaves them out. */
async function descriptorFromBody(kind: Kind, name: string, body: unknown): Promise<unknown> {
  const value = typeof body === 'string' ? await parseYamlValueSliced(body) : body;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('the body must be a descriptor object: {"spec": {...}}');
  const { status: _observed, ...d } = value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: Record<string, unknown>;
    status?: unknown;
  };
  if (d.kind !== undefined && d.kind !== kind)
    throw new InputError(`the body's kind "${String(d.kind)}" does not match the URL (${kind})`);
  // What GET returns can be PUT back: the server-managed metadata is dropped, not an error.
  const { generation: _g, createdAt: _c, updatedAt: _u, ...metadata } = d.metadata ?? {};
  if (metadata.name !== undefined && metadata.name !== name)
    throw new InputError(`the body's metadata.name "${String(metadata.name)}" does not match the URL ("${name}")`);
  return { ...d, apiVersion: d.apiVersion ?? API_VERSION, kind, metadata: { ...metadata, name } };
}

const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

const RegistryChange = T.Object(
  {
    id: T.Integer(),
    revision: T.Integer({ description: 'the registry revision this change made' }),
    kind: T.String({ description: 'the descriptor kind, e.g. Agent (as recorded: a kind since removed stays)' }),
    name: T.String(),
    action: T.Unsafe<'created' | 'updated' | 'deleted'>({ type: 'string', enum: ['created', 'updated', 'deleted'] }),
    actor: T.String({ description: 'who made it, e.g. person:ada, admin' }),
    at: T.String({ format: 'date-time' }),
  },
  { $id: 'RegistryChange' },
);

export function registryRoutes(server: Server, registry: RegistryService, statusOf?: StatusOf): void {
  const item_ = (o: RegistryObject) => toItem(o, statusOf);
  server.addSchema(RegistryChange);
  for (const kind of KINDS) {
    const { plural, reservedNames } = KIND_INFO[kind];
    const Plural = pascal(plural);
    const reserved = Object.keys(reservedNames ?? {});
    const tags = ['registry'];
    server.addSchema(descriptorSchema(kind));
    const item = T.Ref(kind);

    server.get(
      `/v1/${plural}`,
      {
        schema: {
          operationId: `list${Plural}`,
          tags,
          summary: `List ${kind} descriptors`,
          response: { 200: T.Object({ items: T.Array(item) }) },
        },
      },
      async (req) => ({ items: (await registry.list(req.principal, kind)).map(item_) }),
    );

    server.get(
      `/v1/${plural}/:name`,
      {
        schema: {
          operationId: `get${kind}`,
          tags,
          summary: `Get one ${kind}`,
          params: NameParams,
          response: { 200: item, ...errorResponses(404) },
        },
      },
      async (req) => item_(await registry.get(req.principal, kind, req.params.name)),
    );

    server.put(
      `/v1/${plural}/:name`,
      {
        schema: {
          operationId: `put${kind}`,
          tags,
          summary: `Create or replace one ${kind}`,
          description:
            'Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.' +
            (reserved.length > 0
              ? ` Names this collection's own routes take are refused (422): ${reserved.map((n) => `\`${n}\``).join(', ')}.`
              : ''),
          params: NameParams,
          body: descriptorInput(kind),
          response: {
            200: putAnswer(kind, 'replaced, or unchanged'),
            201: putAnswer(kind, 'created'),
            ...errorResponses(409, 422),
          },
        },
        // The descriptor validator (the same one `apply` uses) checks the body and says where it is wrong;
        // the URL's name is checked here, as on every other route (a 400 naming params/name, not a 422
        // pointing into a body that did not hold it).
        validatorCompiler: ({ httpPart, schema }) => (httpPart === 'params' ? paramsAjv.compile(schema) : () => true),
      },
      async (req, reply) => {
        // Who may not write gets the 403 before the server spends anything on parsing the body.
        assertCan(req.principal, 'registry.write');
        const { result, object, warnings } = await registry.put(
          req.principal,
          await descriptorFromBody(kind, req.params.name, req.body),
        );
        reply.code(result === 'created' ? 201 : 200).header('x-fulcrum-result', result);
        if (warnings.length > 0) reply.header('warning', warningHeaders(warnings));
        return item_(object);
      },
    );

    server.delete(
      `/v1/${plural}/:name`,
      {
        schema: {
          operationId: `delete${kind}`,
          tags,
          summary: `Delete one ${kind}`,
          description: 'Refused with 409 while another descriptor (or a Policy) refers to it.',
          params: NameParams,
          response: { 204: T.Null({ description: 'deleted' }), ...errorResponses(404, 409) },
        },
      },
      async (req, reply) => {
        await registry.remove(req.principal, kind, req.params.name);
        reply.code(204);
      },
    );
  }

  server.get(
    '/v1/registry/changes',
    {
      schema: {
        operationId: 'listRegistryChanges',
        tags: ['registry'],
        summary: 'Recent registry changes, newest first',
        querystring: T.Object({ limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: T.Object({ items: T.Array(T.Ref(RegistryChange)) }) },
      },
    },
    async (req) => ({ items: await registry.changes(req.principal, req.query.limit) }),
  );
}

/** The most warnings a PUT's answer carries as headers; `POST /v1/apply?dryRun=true` lists them all. */
export const MAX_WARNING_HEADERS = 20;
/**
 * The most bytes a PUT's Warning header values hold together, as Kubernetes' API server bounds its
 * own (4 KiB; each message cut to MAX_WARNING_LENGTH characters once they would not all fit): an
 * McpServer's name may be 253 characters long and each warning names it twice, so 20 passed 14 KiB,
 * more than proxies take in a response's headers by default (nginx's proxy_buffer_size, 4 or 8 KiB,
 * answers 502 past it), and the client heard a failure of a write that was made.
 */
export const MAX_WARNING_BYTES = 4096;
const MAX_WARNING_LENGTH = 256;

/** A PUT's answer: the stored descriptor, and what the write did unsaid as `Warning` headers. */
function putAnswer(kind: string, what: string) {
  return T.Ref(kind, {
    description: `the descriptor as stored: ${what}`,
    headers: {
      'x-fulcrum-result': T.String({ description: '`created`, `updated` or `unchanged`' }),
      warning: T.String({
        description:
          "one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` " +
          '(a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): ' +
          `\`299 - "<message>"\`, at most ${MAX_WARNING_HEADERS} and ${MAX_WARNING_BYTES} bytes together (messages cut to ` +
          `${MAX_WARNING_LENGTH} characters when they would not all fit), then one saying how many more (as Kubernetes' API warns)`,
      }),
    },
  });
}

/**
 * `Warning` header values (RFC 9111's form, code 299, as Kubernetes' API server sends its warnings):
 * each message a quoted string, printable ASCII only, as many of the first MAX_WARNING_HEADERS as
 * MAX_WARNING_BYTES holds, then how many more and where to read them all.
 */
export function warningHeaders(warnings: readonly Problem[]): string[] {
  const quoted = (text: string) => `299 - "${text.replace(/["\\]/g, '\\$&')}"`;
  const more = (n: number) =>
    quoted(`and ${n} more warnings: POST /v1/apply?dryRun=true with the same descriptor lists them all`);
  const texts = warnings.slice(0, MAX_WARNING_HEADERS).map((w) => w.message.replace(/[^\x20-\x7e]/g, '?'));
  let values = texts.map(quoted);
  if (bytes(values) > MAX_WARNING_BYTES)
    values = texts.map((text) => quoted(text.length > MAX_WARNING_LENGTH ? `${text.slice(0, MAX_WARNING_LENGTH - 3)}...` : text));
  const shown: string[] = [];
  let used = 0;
  for (const value of values) {
    // Room is kept for the line saying how many more, should any be left out after this one.
    const after = warnings.length - shown.length - 1;
    if (used + value.length + (after > 0 ? more(after).length : 0) > MAX_WARNING_BYTES) break;
    shown.push(value);
    used += value.length;
  }
  if (warnings.length > shown.length) shown.push(more(warnings.length - shown.length));
  return shown;
}

/** Printable ASCII: a byte each. */
function bytes(values: readonly string[]): number {
  return values.reduce((n, v) => n + v.length, 0);
}
