// The CLI's requests, bounded: whatever answers at the server's address (a wrong URL, a proxy, a man in
// the middle on plain http) must not make a command hang for ever, fill the memory, or take the token
// and the request's body to another address by a redirect.
import { CliError } from './client.js';

/** The most a command reads of one answer into memory. */
export const MAX_ANSWER_BYTES = 256 * 1024 * 1024;
/** The most a download streamed to a file (-o) may hold: an evidence archive, a report. */
export const MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024 * 1024;
/** How long one request may take, its whole answer included, unless FULCRUM_CLIENT_TIMEOUT_MS says. */
export const DEFAULT_TIMEOUT_MS = 300_000;

/** FULCRUM_CLIENT_TIMEOUT_MS as milliseconds (a positive integer), else the default; anything else is a usage error. */
export function clientTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FULCRUM_CLIENT_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_TIMEOUT_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new CliError(`FULCRUM_CLIENT_TIMEOUT_MS must be a positive number of milliseconds, got "${raw}"`, 2);
  return ms;
}

/**
 * A fetch for the typed client that refuses redirects (saying where they pointed), gives the request and
 * its whole answer `timeoutMs`, and fails an answer longer than `maxBytes` as it arrives. The failures
 * are CliErrors naming the server, so they print as they are.
 */
export function boundedFetch(server: string, timeoutMs: number, maxBytes = MAX_ANSWER_BYTES) {
  return async (input: Request): Promise<Response> => {
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          new CliError(
            `Fulcrum at ${server} did not finish answering ${new URL(input.url).pathname} within ${timeoutMs / 1000} s ` +
              '(FULCRUM_CLIENT_TIMEOUT_MS)',
          ),
        ),
      timeoutMs,
    );
    timer.unref(); // an answer nobody reads must not keep the command alive
    let response: Response;
    try {
      response = await fetch(new Request(input, { redirect: 'manual', signal: controller.signal }));
    } catch (err) {
      clearTimeout(timer);
      throw controller.signal.aborted ? controller.signal.reason : err;
    }
    if (response.status >= 300 && response.status < 400) {
      clearTimeout(timer);
      await response.body?.cancel().catch(() => undefined);
      const to = response.headers.get('location') ?? '(no location)';
      throw new CliError(
        `Fulcrum at ${server} answered ${response.status}, a redirect to ${to}: not followed (the token and the ` +
          'request go only to the address given); if that is the server, give it as --url / FULCRUM_URL',
      );
    }
    if (!response.body) {
      clearTimeout(timer);
      return response;
    }
    let received = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          received += chunk.byteLength;
          if (received > maxBytes) {
            clearTimeout(timer);
            out.error(
              new CliError(`Fulcrum at ${server} answered ${new URL(input.url).pathname} with more than ${maxBytes} bytes`),
            );
            controller.abort();
            return;
          }
          out.enqueue(chunk);
        },
        flush() {
          clearTimeout(timer);
        },
      }),
      { signal: controller.signal },
    );
    const { status, statusText, headers } = response;
    return new Response(limited, { status, statusText, headers });
  };
}
