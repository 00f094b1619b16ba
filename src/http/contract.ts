// The OpenAPI document is the contract the typed client (src/client) is generated from, so it must say
// what the server really answers. Two parts:
//
// - Every documented route gets the error statuses any route of its shape can produce (a malformed
//   request, no or a wrong token, a body too large, rate limits, an internal error), so handlers declare
//   only their own (404, 409, 422...).
// - With `checkResponses` (on in the test suite), every answer is checked against its route's schema:
//   the status must be declared, and an object body must match the schema exactly (no property the
//   schema does not name). A mismatch answers 500 naming the route, the status and what differs, so the
//   test that made the call fails and says why.

import { appendFileSync } from 'node:fs';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Type as T } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { FulcrumError } from '../errors.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

interface RouteContract {
  route: string;
  responses: Record<string, unknown>;
  validators?: Map<string, ValidateFunction>;
}

export function registerContract(server: FastifyInstance, options: { check: boolean }): void {
  server.addHook('onRoute', (route) => {
    const schema = route.schema as (FastifySchema & { hide?: boolean; response?: Record<string, unknown> }) | undefined;
    if (!schema || schema.hide) return;
    // A query parameter with a default is optional to the caller (Ajv fills it in before `required`
    // is checked): say so in the document, so generated clients need not send it. Handlers keep the
    // TypeBox type, where it is always present.
    const query = schema.querystring as { properties?: Record<string, { default?: unknown }>; required?: string[] } | undefined;
    if (query?.required && query.properties) {
      const props = query.properties;
      const required = query.required.filter((name) => props[name]?.default === undefined);
      if (required.length !== query.required.length) schema.querystring = { ...query, required };
    }
    schema.response ??= {};
    const response = schema.response;
    for (const status of commonStatuses(route)) response[status] ??= T.Ref('Error');
    if (options.check) checkAnswers(server, route, { route: `${methods(route)} ${route.url}`, responses: response });
  });
}

/** The error statuses every route of this shape can answer, whatever its handler does. */
function commonStatuses(route: RouteOptions): number[] {
  // Every route may find the database unreachable (src/db/unreachable.ts): 503.
  const statuses = [500, 503];
  const s = route.schema as FastifySchema | undefined;
  const hasBody = [route.method].flat().some((m) => BODY_METHODS.has(m));
  if (hasBody || s?.querystring || s?.params || s?.body) statuses.push(400);
  if (hasBody) statuses.push(413, 415);
  // Authentication is checked before the handler, on every route not marked public (src/http/auth.ts);
  // repeated failures from one address are rate limited.
  const config = route.config as { public?: boolean } | undefined;
  if (!config?.public) statuses.push(401, 403, 429);
  return statuses;
}

function violation(message: string): FulcrumError {
  if (process.env.FULCRUM_CONTRACT_LOG) appendFileSync(process.env.FULCRUM_CONTRACT_LOG, `${message}\n`);
  return new FulcrumError('internal', message);
}

function methods(route: RouteOptions): string {
  return [route.method].flat().join('|');
}

function checkAnswers(server: FastifyInstance, route: RouteOptions, contract: RouteContract): void {
  const validatorFor = (status: number): ValidateFunction | undefined => {
    contract.validators ??= compile(server, contract.responses);
    return contract.validators.get(String(status)) ?? contract.validators.get(`${String(status)[0]}XX`);
  };
  const declared = (status: number) => String(status) in contract.responses || `${String(status)[0]}XX` in contract.responses;

  const preSerialization = async (_req: unknown, reply: { statusCode: number }, payload: unknown) => {
    const validate = validatorFor(reply.statusCode);
    if (!validate) return payload;
    // What the client receives: dates as ISO strings, undefined properties gone.
    const sent = JSON.parse(JSON.stringify(payload ?? null));
    if (!validate(sent)) {
      const problems = (validate.errors ?? []).slice(0, 10).map((e) => {
        const extra = (e.params as { additionalProperty?: string }).additionalProperty;
        return `${e.instancePath || '/'} ${e.message}${extra ? ` ("${extra}")` : ''}`;
      });
      throw violation(
        `response contract: ${contract.route} answered ${reply.statusCode} with a body its schema does not describe: ${problems.join('; ')}`,
      );
    }
    return payload;
  };
  const onSend = async (_req: unknown, reply: { statusCode: number }, payload: unknown) => {
    if (!declared(reply.statusCode))
      throw violation(`response contract: ${contract.route} answered ${reply.statusCode}, a status its schema does not declare`);
    return payload;
  };
  route.preSerialization = [route.preSerialization ?? []].flat().concat(preSerialization) as RouteOptions['preSerialization'];
  route.onSend = [route.onSend ?? []].flat().concat(onSend) as RouteOptions['onSend'];
}

/** Validators per status, strict: an object schema that does not say otherwise allows no other property. */
function compile(server: FastifyInstance, responses: Record<string, unknown>): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  for (const shared of Object.values(server.getSchemas() as Record<string, unknown>)) ajv.addSchema(strict(shared) as object);
  const out = new Map<string, ValidateFunction>();
  for (const [status, schema] of Object.entries(responses)) {
    const body = bodySchema(schema);
    if (body !== undefined) out.set(status.toUpperCase(), ajv.compile(strict(body) as object));
  }
  return out;
}

/** A response's JSON body schema: fastify accepts the schema itself or `{content: {type: {schema}}}`. */
function bodySchema(response: unknown): unknown {
  const r = response as { content?: Record<string, { schema?: unknown }> } | undefined;
  if (r && typeof r === 'object' && r.content) {
    const json = r.content['application/json'];
    return json ? json.schema : undefined;
  }
  return response;
}

function strict(schema: unknown, insideAllOf = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strict(s, insideAllOf));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'allOf') out[k] = strict(v, true);
    else if (k === 'properties' && v && typeof v === 'object')
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, strict(s)]));
    else out[k] = k === 'const' || k === 'enum' || k === 'default' || k === 'examples' ? v : strict(v);
  }
  const isObject = out.type === 'object' || (out.properties !== undefined && out.type === undefined);
  if (
    isObject &&
    !insideAllOf &&
    !('additionalProperties' in out) &&
    !('patternProperties' in out) &&
    !('unevaluatedProperties' in out)
  )
    out.additionalProperties = false;
  return out;
}

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/**
 * Fastify's answer serializers (fast-json-stringify, from each route's response schemas), built on a
 * route's first answer with that status instead of all at startup: with every operation's answers
 * described, building them all took ~10 s of CPU per server start. `eager` builds them at startup as
 * Fastify does (test/http/contract.test.ts does, so a schema that cannot be compiled fails a test, not
 * a request).
 */
export function answerSerializers(options: { eager: boolean }): SerializerFactory {
  const build = SerializerSelector();
  if (options.eager) return build;
  return (externalSchemas, serializerOptions) => {
    let compile: ReturnType<SerializerFactory> | undefined;
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data: unknown) => {
        compile ??= build(externalSchemas, serializerOptions);
        serialize ??= compile(route) as (data: unknown) => string;
        try {
          return serialize(data);
        } catch (err) {
          // A number out of range (a stored amount that overflowed before inputs were bounded) matches
          // no branch of a nullable number: send it as JSON does, null, rather than fail the answer.
          if (!hasNonFinite(data)) throw err;
          return serialize(JSON.parse(JSON.stringify(data)));
        }
      };
    };
  };
}

function hasNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (!value || typeof value !== 'object' || depth > 64) return false;
  return Object.values(value).some((v) => hasNonFinite(v, depth + 1));
}
