// What every answer tells a browser, set in this one place.
//
// Every answer, whatever its type (a console page, /docs and its files, /metrics, a PDF, an export,
// JSON), is `nosniff`, sends no Referer onward (console paths and their query strings, /audit?agent=…,
// stay out of other sites' logs), and may not be framed (`frame-ancestors 'none'`, and X-Frame-Options
// for browsers without CSP level 2). An answer that brings no content security policy of its own (the
// console's, /docs', the HTML report's and the sign-in pages' bring theirs) gets one that lets nothing
// load or run: before, /docs had no `nosniff` and no referrer policy, and /metrics none of these.
//
// With single sign-on the session cookie authenticates a plain navigation (GET /v1/report, /v1/export,
// /v1/audit), so a browser would keep what it showed in its HTTP cache, for Back or the next person at a
// shared machine after "Sign out": every answer of the API and the sign-in routes, and every
// authenticated answer (/mcp, the LLM gateway), is also `no-store`. A route that set its own
// Cache-Control keeps it; public files (the console's, /docs, /openapi.json) are not touched.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const PREFIXES = ['/v1', '/auth'];

/** For an answer without a policy of its own: it is data, nothing in it may load, run or be framed. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";
/**
 * A PDF only may not be framed: Chromium shows a PDF with a plugin that `default-src 'none'` (its
 * `object-src`) or `sandbox` would block, and a PDF runs no script of the page's.
 */
export const PDF_CSP = "frame-ancestors 'none'";

/** The headers every answer carries (the console's pages, /docs, files, PDFs, exports, /metrics, JSON). */
export function browserHeaders(reply: FastifyReply): FastifyReply {
  if (!reply.hasHeader('content-security-policy')) {
    const type = String(reply.getHeader('content-type') ?? '');
    reply.header('content-security-policy', type.startsWith('application/pdf') ? PDF_CSP : DATA_CSP);
  }
  return reply
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/**
 * The same headers, and `no-store`, for an answer written on the raw response (the LLM gateway's relayed
 * answers, after `reply.hijack()`, which runs no onSend hook): before, those answers, streamed or whole,
 * carried none of them, and a stream of model output said only `no-cache` (stored, then revalidated).
 */
export const RAW_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': DATA_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function registerAnswerHeaders(server: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every answer, decisions included.
  server.addHook('onSend', (request, reply, payload, done) => {
    if ((request.principal || underApi(request)) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    browserHeaders(reply);
    done(null, payload);
  });
}

function underApi(request: FastifyRequest): boolean {
  const url = request.url;
  return PREFIXES.some((p) => url.startsWith(p) && (url.length === p.length || url[p.length] === '/' || url[p.length] === '?'));
}
