// The one place that turns errors into HTTP answers: {"error":{"code","message","details"?}}.
import type { FastifyError } from 'fastify';
import { isTransactionConflict } from '../db/conflict.js';
import { databaseUnreachable } from '../db/unreachable.js';
import { ERROR_CODES, type ErrorCode, FulcrumError } from '../errors.js';

export interface ErrorReply {
  status: number;
  body: { error: { code: ErrorCode; message: string; details?: unknown } };
}

const reply = (code: ErrorCode, message: string, details?: unknown): ErrorReply => ({
  status: ERROR_CODES[code].status,
  body: { error: details === undefined ? { code, message } : { code, message, details } },
});

export function toErrorReply(err: unknown): ErrorReply {
  if (err instanceof FulcrumError) return reply(err.code, err.message, err.details);
  const e = err as FastifyError & { validationContext?: string };
  if (e.validation) {
    // Ajv names an unknown property only in its params: say which one, where the caller can see it.
    const extra = (v: (typeof e.validation)[number]) =>
      v.keyword === 'additionalProperties'
        ? `: "${String((v.params as { additionalProperty?: unknown }).additionalProperty)}"`
        : '';
    const details = e.validation.map((v) => ({
      path: `${e.validationContext ?? ''}${v.instancePath}`,
      message: `${v.message}${extra(v)}`,
    }));
    return reply('bad_request', `invalid request: ${e.message}`, details);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply('payload_too_large', 'the request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply('unsupported_media_type', e.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply('bad_request', 'the request body is empty; a JSON document was expected');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return reply('bad_request', `malformed JSON body: ${e.message}`);
    // SQLite refusing a write: after a failed sync to disk the node writes nothing more (src/db/adapter.ts).
    case 'SQLITE_READONLY':
      return reply(
        'unavailable',
        'the database takes no writes on this node: after a failed sync to disk it writes nothing until it is restarted (or its data directory is not writable); docs/storage.md',
      );
    // SQLite's own write or sync failed (src/db/adapter.ts): the write is not made, and none after it.
    case 'SQLITE_IOERR_FSYNC':
    case 'SQLITE_IOERR_DIR_FSYNC':
    case 'SQLITE_IOERR_WRITE':
      return reply(
        'unavailable',
        `the database could not be written or synced to disk (${e.message}): this node takes no writes until it is restarted; docs/storage.md`,
      );
  }
  // Not an error in Fulcrum or the request: another try (on another node, or once the database is
  // back) may succeed. (A connection lost at its commit leaves a write unknown, as on any database.)
  if (databaseUnreachable(err)) return reply('unavailable', 'the database is not reachable; try again');
  // PostgreSQL ended the request's transaction to break a deadlock or a serialisation conflict with
  // another (the writers that meet them try again first: src/db/conflict.ts): it was rolled back
  // whole, and the same request made again very likely succeeds. Not an internal error.
  if (isTransactionConflict(err))
    return reply(
      'unavailable',
      `the database ended this request's transaction to resolve a conflict with another one (PostgreSQL ${(err as { code: string }).code}): nothing of it was written; try again`,
    );
  if (e instanceof SyntaxError || (e.statusCode && e.statusCode >= 400 && e.statusCode < 500))
    return reply('bad_request', e.message);
  return reply('internal', 'internal error');
}
