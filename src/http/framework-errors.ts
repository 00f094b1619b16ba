// Answers for requests that never reach a route, in the one error shape (docs/errors.md). Fastify and
// Node answer these themselves, before any hook runs, each in its own body
// ({"error":"Bad Request","code":"FST_ERR_BAD_URL","statusCode":400}...), so a client that parses
// {"error":{"code","message"}} failed on them, and a path parameter over Fastify's default 100
// characters was a 414 no operation declares: every object named with 101 to 253 characters (valid
// names, created by apply) could not be read, replaced or deleted by its URL.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../errors.js';

/**
 * The longest path parameter the router reads, decoded. Names are at most 253 characters
 * (src/registry/schemas.ts) and ids far shorter: a longer parameter can match no object, and is
 * refused (400) before any work is done for it.
 */
export const MAX_PATH_PARAM = 1024;

const body = (code: ErrorCode, message: string) => ({ error: { code, message } });

/** Fastify's router errors: an undecodable URL, an over-long path parameter. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `a path parameter is longer than ${MAX_PATH_PARAM} characters`
      : err.code === 'FST_ERR_BAD_URL'
        ? 'the URL path is not valid percent-encoding (RFC 3986)'
        : 'the request could not be routed';
  reply
    .code(400)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(body('bad_request', message));
}

/**
 * Node's parser gave up on the request (not HTTP, headers too large, too slow to arrive): the answer is
 * written to the socket directly, which is then closed, as Node does.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ['request_timeout', 'the request did not arrive whole in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? ['headers_too_large', 'the request line and headers are larger than 16 KiB']
        : ['bad_request', `the request is not valid HTTP/1.1${err.code?.startsWith('HPE_') ? ` (${err.code})` : ''}`];
  // Not in the middle of an answer already sent on this connection (Node's own check).
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !answering?.headersSent) {
    const status = ERROR_CODES[code].status;
    const json = JSON.stringify(body(code, message));
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(err);
}

/** The Fastify options that route these answers here. */
export const frameworkErrorOptions: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'routerOptions'> = {
  frameworkErrors,
  clientErrorHandler,
  routerOptions: { maxParamLength: MAX_PATH_PARAM },
};
