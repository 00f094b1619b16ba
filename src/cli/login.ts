// `fulcrum login` and `fulcrum logout`: a person signs in through the company's IdP with the device
// authorization grant (RFC 8628) — Fulcrum asks the IdP for a code, the person enters it in any
// browser — and the session token is kept per server in the user's config directory, mode 0600.
// Where the IdP is not configured, it says how to use an API token instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFulcrumClient } from '../client/index.js';
import { writePrivateFile } from '../private-files.js';
import { checkAnswers } from './answers.js';
import { CliError, listenersOn, onThisMachine, serverUrl, warnPlainHttp } from './client.js';
import { boundedFetch, clientTimeoutMs } from './fetch.js';

interface Saved {
  token: string;
  person: string;
  expiresAt: string;
  /**
   * For a server on this machine: the user (uid) listening on its port when the sign-in was made. The
   * session is not sent to a listener of another user (one may take the port while Fulcrum is stopped).
   */
  listenerUid?: number;
}

/** $FULCRUM_CONFIG_DIR, else $XDG_CONFIG_HOME/fulcrum, else ~/.config/fulcrum. */
export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.FULCRUM_CONFIG_DIR || path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config'), 'fulcrum');
  return path.join(dir, 'credentials.json');
}

/**
 * The saved sessions, by server. A file that is not one (cut short, edited by hand) is never written
 * over, which would lose every other server's session: `forWrite` refuses with a message naming it;
 * a read goes on without it, saying so.
 */
function readAll(env: NodeJS.ProcessEnv, forWrite = false): Record<string, Saved> {
  const file = credentialsFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    text = '';
  }
  try {
    const parsed = JSON.parse(text) as { servers?: unknown };
    if (parsed.servers && typeof parsed.servers === 'object' && !Array.isArray(parsed.servers))
      return parsed.servers as Record<string, Saved>;
  } catch {
    // said below
  }
  const problem = `${file} is not a credentials file of fulcrum login`;
  if (forWrite) throw new CliError(`${problem}: fix or remove it (it may hold other servers' sessions)`);
  process.stderr.write(`warning: ${problem}; its sessions are not used\n`);
  return {};
}

/** The session `fulcrum login` saved for `url`, while it lasts (the client's token after FULCRUM_TOKEN). */
export function savedLogin(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): { token: string; listenerUid?: number } | undefined {
  const s = readAll(env)[url];
  if (!s || typeof s.token !== 'string' || !(s.expiresAt > new Date().toISOString())) return undefined;
  return Number.isInteger(s.listenerUid) ? { token: s.token, listenerUid: s.listenerUid as number } : { token: s.token };
}

function save(url: string, entry: Saved | undefined, env: NodeJS.ProcessEnv): void {
  const servers = readAll(env, true);
  if (entry) servers[url] = entry;
  else delete servers[url];
  writePrivateFile(credentialsFile(env), `${JSON.stringify({ servers }, null, 2)}\n`);
}

/**
 * The typed client for the /auth routes. Each step reads the status itself (202 is "not yet"), so only a
 * network failure is turned into an error here: where it tried.
 */
function authApi(url: string, env: NodeJS.ProcessEnv, token?: string) {
  const api = createFulcrumClient<'application/json'>({
    baseUrl: url,
    token,
    headers: { accept: 'application/json' },
    fetch: boundedFetch(url, clientTimeoutMs(env)),
  });
  api.use({
    onError: ({ error }) =>
      error instanceof CliError
        ? error
        : new CliError(
            `cannot reach Fulcrum at ${url} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`,
          ),
  });
  api.use(checkAnswers(url));
  return api;
}

/** The message of an error answer, when it is Fulcrum's error body. */
function errorMessage(error: unknown): string | undefined {
  const message = (error as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : undefined;
}

/** The longest a sign-in waits for its code to be entered, and the slowest it polls, whatever the server says. */
const MAX_WAIT_S = 1800;
const MAX_INTERVAL_S = 60;
/** Polls in a row that find the IdP unusable before `fulcrum login` gives up. */
const MAX_UNANSWERED = 3;

const API_TOKEN_HELP =
  'sign in with an API token instead: an administrator runs `fulcrum tokens create --person <you>`, and you set FULCRUM_TOKEN';

export async function login(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' } } });
  const url = serverUrl(values.url, env);
  warnPlainHttp(url, env); // the session comes back over it, and goes out with every command after
  const api = authApi(url, env);
  const info = await api.GET('/auth/session').catch((err: unknown) => {
    if (err instanceof CliError) throw err;
    // A 200 that is not JSON: something else listens there.
    return { data: undefined, response: { status: 200 } };
  });
  if (info.response.status !== 200)
    throw new CliError(`${url}/auth/session answered ${info.response.status}: is this a Fulcrum server?`);
  if (!info.data?.signIn.deviceLogin)
    throw new CliError(`this Fulcrum has no single sign-on (FULCRUM_OIDC_ISSUER is not set): ${API_TOKEN_HELP}`);
  const start = await api.POST('/auth/device');
  if (start.response.status !== 200 || !start.data)
    throw new CliError(
      `the IdP would not start a device sign-in: ${errorMessage(start.error) ?? start.response.status}; ${API_TOKEN_HELP}`,
    );
  const { deviceCode, userCode, verificationUri, verificationUriComplete } = start.data;
  // The server's numbers, bounded: a wait of at most 30 minutes, a poll every 1 to 60 s (an interval past
  // 2^31 ms made setTimeout fire at once, polling in a tight loop).
  const expiresIn = Math.min(MAX_WAIT_S, Number(start.data.expiresIn) || 600);
  process.stderr.write(
    `To sign in, open ${verificationUriComplete ?? verificationUri} in a browser${verificationUriComplete ? '' : ` and enter the code ${userCode}`}.\n` +
      `(code ${userCode}; waiting up to ${Math.round(expiresIn / 60)} min)\n`,
  );
  const pace = (seconds: number) => Math.min(MAX_INTERVAL_S, Math.max(1, seconds));
  let interval = pace(Number(start.data.interval) || 5);
  const deadline = Date.now() + Number(expiresIn) * 1000;
  /** Polls in a row the IdP could not answer (503): a short outage is waited out, a long one ends the sign-in. */
  let unanswered = 0;
  while (Date.now() < deadline) {
    // RFC 8628 §3.5: poll no faster than the interval; slow_down adds five seconds.
    await new Promise((r) => setTimeout(r, Math.min(interval * 1000, Math.max(0, deadline - Date.now()))));
    const r = await api.POST('/auth/device/token', { body: { deviceCode } });
    if (r.response.status === 202) {
      unanswered = 0;
      if (r.data && 'pending' in r.data && r.data.pending === 'slow_down') interval = pace(interval + 5);
      continue;
    }
    if (r.response.status === 503) {
      const why = errorMessage(r.error) ?? 'HTTP 503';
      if (++unanswered >= MAX_UNANSWERED)
        throw new CliError(
          `the sign-in could not finish: ${MAX_UNANSWERED} polls in a row went unanswered (${why}); run \`fulcrum login\` again later`,
        );
      if (unanswered === 1) process.stderr.write(`${why}; trying again (at most ${MAX_UNANSWERED - 1} more times)\n`);
      continue;
    }
    if (r.response.status !== 200) throw new CliError(`sign-in refused: ${errorMessage(r.error) ?? `HTTP ${r.response.status}`}`);
    const session = r.data && 'token' in r.data ? r.data : undefined;
    if (!session?.token || !session.person || !session.expiresAt)
      throw new CliError('the server answered the sign-in without a session');
    const { token, person, expiresAt } = session;
    // Who served this sign-in, on this machine: one user listening on the port (else nothing is kept,
    // and the session goes wherever the URL points, as to another machine).
    const listeners = onThisMachine(url) ? listenersOn(url) : [];
    const listenerUid = listeners.length === 1 ? listeners[0] : undefined;
    save(url, { token, person, expiresAt, ...(listenerUid !== undefined ? { listenerUid } : {}) }, env);
    process.stderr.write(`Signed in to ${url} as ${person} until ${expiresAt} (kept in ${credentialsFile(env)}).\n`);
    return 0;
  }
  throw new CliError('the code expired before it was entered: run `fulcrum login` again');
}

export async function logout(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' } } });
  const url = serverUrl(values.url, env);
  const token = readAll(env)[url]?.token;
  if (!token) {
    process.stderr.write(`not signed in to ${url}\n`);
    return 0;
  }
  // Forget it locally whatever the server says: an unreachable server must not keep a token here.
  save(url, undefined, env);
  const status = await authApi(url, env, token)
    .POST('/auth/logout')
    .then((r) => r.response.status)
    .catch(() => 0);
  process.stderr.write(
    status === 204 ? `Signed out of ${url}.\n` : `Forgot the session for ${url} (the server did not confirm).\n`,
  );
  return 0;
}
