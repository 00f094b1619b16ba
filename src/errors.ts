// Domain errors and the one registry of stable error codes. Domain code throws these;
// src/http/errors.ts is the only place that maps them to HTTP statuses.

export const ERROR_CODES = {
  bad_request: { status: 400, description: 'The request is malformed: unreadable JSON or YAML, a wrong parameter.' },
  validation_failed: {
    status: 422,
    description:
      'The input is well-formed but breaks a schema, a reference or a policy check; `details` lists every problem and where it is.',
  },
  unauthorized: { status: 401, description: 'No token, or a token Fulcrum does not know (or that was revoked).' },
  forbidden: { status: 403, description: 'The token is valid but its roles do not allow this operation.' },
  not_found: { status: 404, description: 'The object does not exist (or the caller may not see it).' },
  conflict: {
    status: 409,
    description: 'The operation conflicts with the current state, e.g. deleting an object that others reference.',
  },
  request_timeout: { status: 408, description: 'The request (headers and body) did not arrive whole within two minutes.' },
  payload_too_large: { status: 413, description: 'The request body is larger than the limit.' },
  unsupported_media_type: { status: 415, description: 'The request body has a content type this endpoint does not accept.' },
  rate_limited: { status: 429, description: 'Too many requests.' },
  headers_too_large: { status: 431, description: 'The request line (the URL) and headers are larger than 16 KiB.' },
  internal: { status: 500, description: 'An unexpected error inside Fulcrum; the server log has the details.' },
  unavailable: {
    status: 503,
    description: 'A dependency (the database) is not reachable, or the node is too busy for this work now (Retry-After).',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem in an input, located by a JSON pointer and, for descriptors, by file position. */
export interface Problem {
  message: string;
  /** JSON pointer inside the object the problem is about, e.g. `/spec/owner`. */
  path?: string;
  kind?: string;
  name?: string;
  /** Character offset inside the string value at `path` (Cedar text), when known. */
  offset?: number;
  file?: string;
  line?: number;
  col?: number;
}

export class FulcrumError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InputError extends FulcrumError {
  constructor(message: string, details?: unknown) {
    super('bad_request', message, details);
  }
}

export class ValidationError extends FulcrumError {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super('validation_failed', message, problems);
  }
}

export class NotFoundError extends FulcrumError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends FulcrumError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}

export class UnauthenticatedError extends FulcrumError {
  constructor(message = 'A valid bearer token is required') {
    super('unauthorized', message);
  }
}

export class RateLimitedError extends FulcrumError {
  constructor(
    message: string,
    /** Seconds until the caller may try again (the Retry-After header). */
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}

/** The node has too much of this work waiting (a bounded queue is full) or is stopping: another try,
 *  later or on another node, may succeed. */
export class BusyError extends FulcrumError {
  constructor(
    message: string,
    /** Seconds until the caller may try again (the Retry-After header). */
    readonly retryAfterSeconds: number,
  ) {
    super('unavailable', message);
  }
}

export class NotAllowedError extends FulcrumError {
  constructor(message: string, details?: unknown) {
    super('forbidden', message, details);
  }
}

/** `FILE:LINE:COL: message`, the form `fulcrum apply` prints and editors understand. */
export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}:${p.line ?? 1}:${p.col ?? 1}: ` : p.kind ? `${p.kind}/${p.name}${p.path ?? ''}: ` : '';
  return `${where}${p.message}`;
}
