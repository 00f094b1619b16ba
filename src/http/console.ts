// Serves the web console (the Vite build in dist/web) at `/`: its files are public (the console
// signs in with a person's token and sends it only to /v1), and any other GET for an HTML page
// falls back to index.html so deep links work: 200 for a console page, 404 for any other path (the
// app says the page is not found). API paths keep their JSON 404.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_PAGES } from './console-pages.js';

/** Where `npm run build` puts the console: <package>/dist/web, beside the compiled server. */
export const CONSOLE_DIR = path.resolve(import.meta.dirname, '../../dist/web');

/** Paths that belong to the API and its tools: never answered with the console's page. */
const API_PREFIXES = ['/v1', '/otlp', '/mcp', '/docs', '/metrics', '/healthz', '/openapi.json'];

// The bundle loads nothing from elsewhere; charts set inline style attributes, hence 'unsafe-inline' for styles.
// No <base> may move its relative URLs, and a form posts nowhere but here.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'self'";

/** The console's content security policy, the same on every file and on the page served for a deep link (answer-headers.ts adds the rest). */
function consoleHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', CSP);
}

/** True when the console was built (`npm run build`); without it the API runs as before and `/` is a 404. */
export function consoleBuilt(dir = CONSOLE_DIR): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

/** Registers the console's files; returns its page for the not-found handler, or null when not built. */
export async function registerConsole(server: FastifyInstance, dir = CONSOLE_DIR): Promise<string | null> {
  if (!consoleBuilt(dir)) return null;
  const page = readFileSync(path.join(dir, 'index.html'), 'utf8');
  await server.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    scope.addHook('onSend', async (_req, reply, payload) => {
      consoleHeaders(reply);
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      // Hashed asset names change with their content; the page itself is always revalidated.
      setHeaders: (res, filePath) => {
        res.setHeader(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  });
  return page;
}

/** For the not-found handler: a browser navigating to a console page gets the app, not a JSON 404. */
export function isConsolePage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.url.split('?')[0] as string;
  if (API_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return false;
  if (path.extname(url) !== '') return false; // a missing asset is a real 404
  return (request.headers.accept ?? '').includes('text/html');
}

const PAGE_PATHS: ReadonlySet<string> = new Set(CONSOLE_PAGES);

/**
 * The app's page, 404 for a path that is no console page. Answered 200, every path was a page that
 * exists (`/.env`, `/.git/config`, `/admin`), for a scanner and for a link checker alike.
 */
export function sendConsolePage(request: FastifyRequest, reply: FastifyReply, page: string): FastifyReply {
  const known = PAGE_PATHS.has(request.url.split('?')[0] as string);
  return consoleHeaders(reply)
    .code(known ? 200 : 404)
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(page);
}
