// The CLI's connection to a running server: every command but serve, migrate and audit talks to one
// through the typed client (src/client), so a path, a parameter or a field the API does not have is a
// compile error here. What stays in this file is the CLI's own part: where the server and the token
// come from, and the message a command prints when the server cannot be reached or says no.
import fs from 'node:fs';
import path from 'node:path';
import { adminTokenFile } from '../auth/admin-token.js';
import { createFulcrumClient, type FulcrumClient, type Middleware } from '../client/index.js';
import { dataDirFrom } from '../config.js';
import { checkAnswers } from './answers.js';
import { boundedFetch, clientTimeoutMs } from './fetch.js';
import { savedLogin } from './login.js';

export { ok } from '../client/index.js';

/** The CLI asks for JSON (binary and text answers are read with `parseAs`), so `data` is typed as the JSON. */
export type Api = FulcrumClient<'application/json'>;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * --url, else FULCRUM_URL, else the default port on this machine; without a trailing slash. It must be an
 * http(s) URL without a user name, password, query or fragment: anything else is a usage error naming
 * where it came from (a token is never sent to a mistyped address).
 */
export function serverUrl(url: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const from = url !== undefined ? '--url' : env.FULCRUM_URL ? 'FULCRUM_URL' : undefined;
  const raw = (url ?? (env.FULCRUM_URL || 'http://127.0.0.1:4100')).replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  const wrong = !parsed
    ? 'not a URL'
    : !['http:', 'https:'].includes(parsed.protocol)
      ? `${parsed.protocol} is not http: or https:`
      : parsed.username || parsed.password
        ? 'a URL with a user name or password (give the token as FULCRUM_TOKEN)'
        : parsed.search || parsed.hash
          ? 'a URL with a query or fragment'
          : undefined;
  if (wrong) {
    const shown = parsed && (parsed.username || parsed.password) ? `${parsed.protocol}//…@${parsed.host}` : raw;
    throw new CliError(`${from} "${shown.slice(0, 200)}": ${wrong}; expected e.g. https://fulcrum.example.com`, 2);
  }
  return raw;
}

/**
 * The typed client for the server at --url / FULCRUM_URL, with FULCRUM_TOKEN, else the session of
 * `fulcrum login`, else the admin token in $FULCRUM_DATA_DIR/admin-token. Any answer that is not a
 * success, a success not of the shape the API documents (src/cli/answers.ts), and a server that cannot
 * be reached, reject the call with a CliError saying so; read a success's data with `ok(api.GET(...))`.
 */
export function connect(
  opts: { url?: string | undefined; maxAnswerBytes?: number } = {},
  env: NodeJS.ProcessEnv = process.env,
): Api {
  const url = serverUrl(opts.url, env);
  const saved = env.FULCRUM_TOKEN ? undefined : savedLogin(url, env);
  const given = env.FULCRUM_TOKEN || saved?.token;
  const admin = !given && onThisMachine(url) ? readAdminToken(env) : undefined;
  // A credential kept in a file is sent to a server on this machine only while the one listening there
  // is who it was meant for: the admin token to the user Fulcrum runs as (who owns the file), a saved
  // session to the user whose server `fulcrum login` signed in to. FULCRUM_TOKEN is the caller's choice.
  const kept = admin
    ? { owner: admin.owner, what: `the admin token in ${adminTokenFile(dataDirFrom(env))}`, whose: 'the one Fulcrum runs as' }
    : saved?.listenerUid !== undefined && onThisMachine(url)
      ? {
          owner: saved.listenerUid,
          what: 'the session `fulcrum login` saved for it',
          whose: `uid ${saved.listenerUid}, who served that sign-in`,
        }
      : undefined;
  const stranger = kept && strangerListening(url, kept.owner);
  const token = stranger ? undefined : given || admin?.token;
  if (token !== undefined) warnPlainHttp(url, env);
  const api = createFulcrumClient<'application/json'>({
    baseUrl: url,
    token,
    headers: { accept: 'application/json' },
    fetch: boundedFetch(url, clientTimeoutMs(env), opts.maxAnswerBytes),
  });
  api.use(noDotSegments);
  if (stranger && kept)
    api.use({
      onRequest() {
        throw new CliError(
          `${new URL(url).host} is listened on by another user (uid ${stranger}), not ${kept.whose}: ` +
            `${kept.what} is not sent there (is \`fulcrum serve\` running? FULCRUM_TOKEN sends a token you choose)`,
        );
      },
    });
  api.use(checkAnswers(url));
  api.use(cliErrors(url, token !== undefined));
  return api;
}

/**
 * Refuses a path parameter that is `.` or `..`: escaped or not, the URL resolves it as a dot segment,
 * so the request would go to another route than the command's. Revoking key `..` of an agent sent
 * DELETE /v1/agents/<name>/, and the command said "no route" for the agents' own route; `mcp
 * discover ..` read the registry's Tools as if they were an upstream's.
 */
const noDotSegments: Middleware = {
  onRequest({ request, params }) {
    for (const value of Object.values((params as { path?: Record<string, unknown> }).path ?? {}))
      if (value === '.' || value === '..')
        throw new CliError(
          `"${value}" is not a name or an id: as a path segment it would reach ${request.method} ${new URL(request.url).pathname}; nothing was sent`,
          2,
        );
    return undefined;
  },
};

/**
 * The user (uid) listening on `url`'s port when it is neither this process's, root's, nor `owner`
 * (who owns the admin token file: the user Fulcrum runs as); undefined otherwise, or where the
 * listeners cannot be seen (Linux's /proc/net/tcp only). Any local user may listen on an
 * unprivileged port while Fulcrum is stopped, and would be handed the token that file keeps from them.
 */
function strangerListening(url: string, owner: number): number | undefined {
  const ours = new Set([process.getuid?.(), 0, owner]);
  return listenersOn(url).find((uid) => !ours.has(uid));
}

/**
 * The users (uids) with a socket listening on `url`'s port on this machine, from Linux's /proc/net/tcp
 * and tcp6; none where they cannot be seen.
 */
export function listenersOn(url: string): number[] {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const uids = new Set<number>();
  for (const file of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(path.join('/proc/net', file), 'utf8');
    } catch {
      continue;
    }
    // sl local_address rem_address st … uid: a listening socket is state 0A, its port the hex after the colon.
    for (const line of text.split('\n').slice(1)) {
      const [, local = '', , state, , , , uid] = line.trim().split(/\s+/);
      if (state === '0A' && Number.parseInt(local.split(':')[1] ?? '', 16) === port) uids.add(Number(uid));
    }
  }
  return [...uids];
}

/**
 * Says on stderr that a credential is about to cross the network in the clear: an
 * `http:` URL to another machine hands the token to anyone on the path (a proxy, a shared network).
 * Not refused: a server behind a TLS-terminating sidecar on the same host, or a lab network, is the
 * operator's call. FULCRUM_ALLOW_PLAIN_HTTP=1 says it was made.
 */
export function warnPlainHttp(
  url: string,
  env: NodeJS.ProcessEnv,
  write: (line: string) => void = (line) => process.stderr.write(line),
): boolean {
  if (env.FULCRUM_ALLOW_PLAIN_HTTP === '1' || !url.startsWith('http:') || onThisMachine(url)) return false;
  write(
    `fulcrum: warning: sending your credential to ${new URL(url).host} over plain http: anyone on the network path can read ` +
      'and reuse it; use an https:// URL (FULCRUM_ALLOW_PLAIN_HTTP=1 silences this)\n',
  );
  return true;
}

/**
 * Whether `url` names a server on this machine (a loopback address or `localhost`): the only servers
 * the admin token file is sent to. The file belongs to the installation in $FULCRUM_DATA_DIR (./.fulcrum
 * by default); one command pointed at another server (staging, a colleague's, a URL from a ticket)
 * must not hand that server this installation's admin token (found by review).
 */
export function onThisMachine(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, '')
      .toLowerCase();
  } catch {
    return false;
  }
  // `localhost` itself only: Node resolves names under it (`x.localhost`) through the system resolver,
  // which may answer with any address.
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The server and path of the last success a command was answered, until the command ends. */
let answered: { server: string; path: string } | undefined;

/**
 * Where the last successful answer came from: a command that cannot read what it was given (a field
 * missing, `{}`, no body at all) says which server and path gave it, as a failure of that answer.
 */
export function lastAnswer(): { server: string; path: string } | undefined {
  return answered;
}

/** Node's codes for a certificate chain that ends at no CA this machine trusts (a private CA, a self-signed one). */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);
/** What a TLS client reads from a server that answers in plain http. */
const NOT_TLS = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER']);

/**
 * Turns failures into the messages the CLI prints: the server's error body as `message (code)` with its
 * details (apply and budget import list them), a 401 without any token as how to get one, anything
 * else as its status and the start of its body; a network failure as where it tried and how to point
 * elsewhere. A middleware rather than a wrapper, so every call through `connect`'s client gets it.
 */
function cliErrors(url: string, hasToken: boolean): Middleware {
  return {
    onError({ error }) {
      if (error instanceof CliError) return error; // bounded fetch's own: a redirect, a timeout
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      // A server that answered, but not as https expects: asking whether it runs would mislead.
      if (UNTRUSTED_CERTIFICATE.has(cause))
        return new CliError(
          `cannot reach Fulcrum at ${url}: its TLS certificate is not one this machine trusts (${cause}); if your own CA signed it, give that CA's certificate as NODE_EXTRA_CA_CERTS=FILE`,
        );
      if (url.startsWith('https:') && NOT_TLS.has(cause))
        return new CliError(`cannot reach Fulcrum at ${url}: it does not answer in TLS (${cause}); is it an http:// URL?`);
      return new CliError(`cannot reach Fulcrum at ${url} (${cause}); is \`fulcrum serve\` running? (--url / FULCRUM_URL)`);
    },
    async onResponse({ request, response }) {
      if (response.ok) {
        answered = { server: url, path: new URL(request.url).pathname };
        return undefined;
      }
      const text = await response.text();
      const body = (parseJson(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
      // Fulcrum's error body only: another's (a message that is an object) printed "[object Object]".
      const e = body && typeof body.message === 'string' && typeof body.code === 'string' ? body : undefined;
      if (response.status === 401 && !hasToken)
        throw new CliError(
          onThisMachine(url)
            ? 'no token: set FULCRUM_TOKEN, run `fulcrum login`, or run where $FULCRUM_DATA_DIR/admin-token exists'
            : `no token for ${url}: set FULCRUM_TOKEN or run \`fulcrum login\` (the admin token file is sent only to a server on this machine)`,
        );
      throw new CliError(e ? `${e.message} (${e.code})` : `HTTP ${response.status}: ${text.slice(0, 200)}`, 1, e?.details);
    },
  };
}

// The data directory alone, not the server's whole configuration: a server setting the CLI's
// environment holds a bad value of (FULCRUM_WORKER_*, FULCRUM_PORT) made it read no file, and say "no token".
function readAdminToken(env: NodeJS.ProcessEnv): { token: string; owner: number } | undefined {
  const file = adminTokenFile(dataDirFrom(env));
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    return token ? { token, owner: fs.statSync(file).uid } : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
