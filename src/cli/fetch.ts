// The CLI's requests, bounded: whatever answers at the server's address (a wrong URL, a proxy, a man in
// the middle on plain http) must not make a command hang for ever, fill the memory, or take the token
// and the request's body to another address by a redirect.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
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

/** Statuses whose answer has no body (a Response refuses one). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch for the typed client that refuses redirects (saying where they pointed), gives the request and
 * its whole answer `timeoutMs`, and fails an answer longer than `maxBytes` as it arrives. The failures
 * are CliErrors naming the server, so they print as they are; a connection that fails is a TypeError
 * with its cause, as fetch's is.
 *
 * Made on node:http rather than fetch: Node's fetch can lose an abort. The Request it builds follows
 * the caller's signal through an AbortController it holds only weakly, and a garbage collection between
 * the call and the abort drops that link (nodejs/node#55428, nodejs/undici#4984), so a command given
 * 1.5 s against a server that never answered waited for undici's own 300 s (3 of 60 tries with eight
 * at once). Here the timer holds the request itself and destroys it, connection and all.
 */
export function boundedFetch(server: string, timeoutMs: number, maxBytes = MAX_ANSWER_BYTES) {
  return async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const where = url.pathname;
    const body = input.body ? Buffer.from(await input.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    input.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? https.request : http.request;
      let req: http.ClientRequest | undefined;
      let answer: http.IncomingMessage | undefined;
      let stopped = false;
      const stop = (err: Error) => {
        stopped = true;
        (answer ?? req)?.destroy(err);
      };
      const timer = setTimeout(
        () =>
          stop(
            new CliError(
              `Fulcrum at ${server} did not finish answering ${where} within ${timeoutMs / 1000} s (FULCRUM_CLIENT_TIMEOUT_MS)`,
            ),
          ),
        timeoutMs,
      );
      timer.unref(); // the open connection keeps the command alive until then, the timer itself does not
      const cancel = () => stop(input.signal.reason instanceof Error ? input.signal.reason : new Error('aborted'));
      input.signal.addEventListener('abort', cancel, { once: true });
      const done = () => {
        clearTimeout(timer);
        input.signal.removeEventListener('abort', cancel);
      };
      const onAnswer = (res: http.IncomingMessage) => {
        answer = res;
        res.on('error', () => undefined); // read from res.errored on close
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          done();
          res.destroy();
          const to = res.headers.location ?? '(no location)';
          return reject(
            new CliError(
              `Fulcrum at ${server} answered ${status}, a redirect to ${to}: not followed (the token and the ` +
                'request go only to the address given); if that is the server, give it as --url / FULCRUM_URL',
            ),
          );
        }
        const answerHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          try {
            answerHeaders.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
          } catch {
            // a header a Response cannot hold: none the CLI reads
          }
        }
        const noBody = NO_BODY.has(status) || input.method === 'HEAD';
        let received = 0;
        let ended = false;
        const stream = noBody
          ? null
          : new ReadableStream<Uint8Array>({
              start(out) {
                res.on('data', (chunk: Buffer) => {
                  received += chunk.length;
                  if (received > maxBytes)
                    return res.destroy(new CliError(`Fulcrum at ${server} answered ${where} with more than ${maxBytes} bytes`));
                  out.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
                  if ((out.desiredSize ?? 1) <= 0) res.pause();
                });
                res.once('end', () => {
                  ended = true;
                  done();
                  out.close();
                });
                res.once('close', () => {
                  done();
                  if (ended) return;
                  const err = res.errored;
                  // Cut off: a CliError naming the server, so a command reading JSON says where as a
                  // timeout does, and a download's "not written" says by whom and after how much.
                  try {
                    out.error(
                      err instanceof CliError
                        ? err
                        : new CliError(
                            `Fulcrum at ${server} cut off its answer to ${where} after ${received} bytes${err ? ` (${(err as NodeJS.ErrnoException).code ?? err.message})` : ''}`,
                          ),
                    );
                  } catch {
                    // already cancelled by its reader
                  }
                });
              },
              pull() {
                res.resume();
              },
              cancel() {
                done();
                res.destroy();
              },
            });
        if (noBody) {
          done();
          res.resume();
        }
        // The reason phrase is words for people: a byte a Response refuses in it (a proxy's DEL) is dropped,
        // as fetch did, rather than the answer refused.
        const statusText = (res.statusMessage ?? '').replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
        try {
          resolve(new Response(stream, { status, statusText, headers: answerHeaders }));
        } catch {
          done();
          res.destroy();
          reject(new CliError(`Fulcrum at ${server} answered ${where} with status ${status}, which is not HTTP's`));
        }
      };
      const attempt = (again: boolean) => {
        const sent = send(url, { method: input.method, headers });
        req = sent;
        sent.on('error', (err) => {
          // A connection kept alive from an earlier answer that the server closed (after one answer, or
          // idle) as this request went out on it, and nothing of an answer came: sent once more, on a new
          // connection and within the same timeout, as fetch did and Node's documentation advises
          // (http.ClientRequest reusedSocket). Any method: a server that closes an idle connection has
          // not read what arrived on it.
          const code = (err as NodeJS.ErrnoException).code;
          if (!again && !answer && !stopped && sent.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE'))
            return attempt(true);
          // After the answer began, its stream hears of it (below); the promise is settled by then.
          done();
          reject(err instanceof CliError ? err : Object.assign(new TypeError('fetch failed'), { cause: err }));
        });
        sent.once('response', onAnswer);
        // A 101 goes to 'upgrade' listeners, not 'response'; with none, node:http drops the connection
        // without an error and the command ended as if it had succeeded, silently (exit 0).
        sent.once('upgrade', (res: http.IncomingMessage, socket: Duplex) => {
          answer = res;
          socket.destroy();
          done();
          reject(
            new CliError(
              `Fulcrum at ${server} answered ${where} with ${res.statusCode}, a switch to ${res.headers.upgrade || 'another protocol'}: not an answer`,
            ),
          );
        });
        // Whatever else ends a request with neither an answer nor an error still fails the command.
        sent.once('close', () => {
          if (req !== sent || answer) return;
          done();
          reject(new CliError(`Fulcrum at ${server} closed the connection without answering ${where}`));
        });
        sent.end(body);
      };
      attempt(false);
    });
  };
}
