// `fulcrum login` and `fulcrum logout`: a person signs in through the company's IdP with the device
// authorization grant (RFC 8628) — Fulcrum asks the IdP for a code, the person enters it in any
// browser — and the session token is kept per server in the user's config directory, mode 0600.
// Where the IdP is not configured, it says how to use an API token instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writePrivateFile } from '../private-files.js';
import { CliError } from './client.js';

interface Saved {
  token: string;
  person: string;
  expiresAt: string;
}

/** $FULCRUM_CONFIG_DIR, else $XDG_CONFIG_HOME/fulcrum, else ~/.config/fulcrum. */
export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.FULCRUM_CONFIG_DIR || path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config'), 'fulcrum');
  return path.join(dir, 'credentials.json');
}

function readAll(env: NodeJS.ProcessEnv): Record<string, Saved> {
  try {
    const parsed = JSON.parse(fs.readFileSync(credentialsFile(env), 'utf8')) as { servers?: Record<string, Saved> };
    return parsed.servers && typeof parsed.servers === 'object' ? parsed.servers : {};
  } catch {
    return {};
  }
}

/** The session `fulcrum login` saved for `url`, while it lasts (the client's token after FULCRUM_TOKEN). */
export function savedLoginToken(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const s = readAll(env)[url];
  return s && typeof s.token === 'string' && s.expiresAt > new Date().toISOString() ? s.token : undefined;
}

function save(url: string, entry: Saved | undefined, env: NodeJS.ProcessEnv): void {
  const servers = readAll(env);
  if (entry) servers[url] = entry;
  else delete servers[url];
  writePrivateFile(credentialsFile(env), `${JSON.stringify({ servers }, null, 2)}\n`);
}

async function call(url: string, method: string, p: string, body?: unknown, token?: string) {
  let res: Response;
  try {
    res = await fetch(url + p, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(
      `cannot reach Fulcrum at ${url} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`,
    );
  }
  const text = await res.text();
  let json: Answer = {};
  try {
    json = text ? (JSON.parse(text) as Answer) : {};
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, json };
}

/** What the /auth routes answer (only the fields used here). */
interface Answer {
  signIn?: { deviceLogin?: boolean };
  error?: { message?: string };
  deviceCode?: string;
  userCode?: string;
  verificationUri?: string;
  verificationUriComplete?: string;
  interval?: number;
  expiresIn?: number;
  pending?: string;
  token?: string;
  person?: string;
  expiresAt?: string;
}

const API_TOKEN_HELP =
  'sign in with an API token instead: an administrator runs `fulcrum tokens create --person <you>`, and you set FULCRUM_TOKEN';

export async function login(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' } } });
  const url = (values.url ?? env.FULCRUM_URL ?? 'http://127.0.0.1:4100').replace(/\/+$/, '');
  const info = await call(url, 'GET', '/auth/session');
  if (info.status !== 200) throw new CliError(`${url}/auth/session answered ${info.status}: is this a Fulcrum server?`);
  if (!info.json.signIn?.deviceLogin)
    throw new CliError(`this Fulcrum has no single sign-on (FULCRUM_OIDC_ISSUER is not set): ${API_TOKEN_HELP}`);
  const start = await call(url, 'POST', '/auth/device', {});
  if (start.status !== 200)
    throw new CliError(
      `the IdP would not start a device sign-in: ${start.json.error?.message ?? start.status}; ${API_TOKEN_HELP}`,
    );
  const { deviceCode, userCode, verificationUri, verificationUriComplete } = start.json;
  const expiresIn = Number(start.json.expiresIn) || 600;
  process.stderr.write(
    `To sign in, open ${verificationUriComplete ?? verificationUri} in a browser${verificationUriComplete ? '' : ` and enter the code ${userCode}`}.\n` +
      `(code ${userCode}; waiting up to ${Math.round(expiresIn / 60)} min)\n`,
  );
  let interval = Math.max(1, Number(start.json.interval) || 5);
  const deadline = Date.now() + Number(expiresIn) * 1000;
  while (Date.now() < deadline) {
    // RFC 8628 §3.5: poll no faster than the interval; slow_down adds five seconds.
    await new Promise((r) => setTimeout(r, interval * 1000));
    const r = await call(url, 'POST', '/auth/device/token', { deviceCode });
    if (r.status === 202) {
      if (r.json.pending === 'slow_down') interval += 5;
      continue;
    }
    if (r.status !== 200) throw new CliError(`sign-in refused: ${r.json.error?.message ?? `HTTP ${r.status}`}`);
    const { token, person, expiresAt } = r.json;
    if (!token || !person || !expiresAt) throw new CliError('the server answered the sign-in without a session');
    save(url, { token, person, expiresAt }, env);
    process.stderr.write(`Signed in to ${url} as ${person} until ${expiresAt} (kept in ${credentialsFile(env)}).\n`);
    return 0;
  }
  throw new CliError('the code expired before it was entered: run `fulcrum login` again');
}

export async function logout(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' } } });
  const url = (values.url ?? env.FULCRUM_URL ?? 'http://127.0.0.1:4100').replace(/\/+$/, '');
  const token = readAll(env)[url]?.token;
  if (!token) {
    process.stderr.write(`not signed in to ${url}\n`);
    return 0;
  }
  // Forget it locally whatever the server says: an unreachable server must not keep a token here.
  save(url, undefined, env);
  const r = await call(url, 'POST', '/auth/logout', undefined, token).catch(() => ({ status: 0 }));
  process.stderr.write(
    r.status === 204 ? `Signed out of ${url}.\n` : `Forgot the session for ${url} (the server did not confirm).\n`,
  );
  return 0;
}
