// Secrets a descriptor refers to as `{env: NAME}`: the operator provides them in Fulcrum's
// environment; the registry stores and shows only the name. Only names under FULCRUM_SECRET_ may be
// referred to: anything else in the environment (the admin token, the database URL, cloud keys) would
// otherwise be one descriptor away from being sent to a URL its writer chose.
//
// A secret also goes only where the operator says: FULCRUM_SECRET_<NAME>_ORIGINS lists the origins
// (scheme, host, port) it may be sent to. Without that binding a registry writer could point an
// McpServer at their own host and name any secret; with it, the secret is sent to those origins or
// nowhere. Checked when a descriptor is applied and again, on the URL used, when connecting.
import { InputError } from '../errors.js';

export const SECRET_PREFIX = 'FULCRUM_SECRET_';
export const ORIGINS_SUFFIX = '_ORIGINS';
const SECRET_NAME = /^FULCRUM_SECRET_[A-Z0-9_]+$/;

/** The setting that lists where the secret `name` may be sent. */
export function originsSetting(name: string): string {
  return `${name}${ORIGINS_SUFFIX}`;
}

/** Why `name` may not be referred to as a secret, or undefined. */
export function secretNameProblem(name: string): string | undefined {
  if (!SECRET_NAME.test(name))
    return `{env: ${name}}: a secret must be an environment variable named ${SECRET_PREFIX}<NAME> (upper case, digits, _), set by the operator`;
  if (name.endsWith(ORIGINS_SUFFIX))
    return `{env: ${name}}: a name ending in ${ORIGINS_SUFFIX} is the setting that says where a secret may be sent, not a secret`;
  return undefined;
}

/**
 * FULCRUM_SECRET_<NAME>_ORIGINS: comma-separated origins, each `https://host[:port]` (or `http://`
 * when the operator means it: the secret then crosses the network in clear), no path.
 */
export function parseOrigins(value: string, setting: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      const bare = url && /^https?:$/.test(url.protocol) && !url.username && !url.password && url.pathname === '/';
      if (!url || !bare || url.search || url.hash || !/^https?:\/\/[^/]+\/?$/i.test(entry))
        throw new InputError(`${setting}: "${entry}" is not an origin (https://host or https://host:port, no path)`);
      return url.origin;
    });
}

/** Checks every FULCRUM_SECRET_*_ORIGINS in `env` at start-up, so a mistyped binding stops the server. */
export function checkSecretBindings(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env))
    if (name.startsWith(SECRET_PREFIX) && name.endsWith(ORIGINS_SUFFIX) && value !== undefined) parseOrigins(value, name);
}

/**
 * Why the secret `name` may not be sent to `url`, or undefined. The same words whether the operator
 * bound it elsewhere or not at all, and nothing about whether it is set: a registry writer sees this.
 */
export function secretBindingProblem(name: string, url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const problem = secretNameProblem(name);
  if (problem) return problem;
  const setting = originsSetting(name);
  let origins: string[] = [];
  try {
    origins = parseOrigins(env[setting] ?? '', setting);
  } catch {
    origins = []; // refused at start-up; if set since, it binds nothing
  }
  if (origins.includes(url.origin)) return undefined;
  return `the operator has not allowed ${name} to be sent to ${url.origin}: ${setting} lists the origins it may be sent to`;
}

/**
 * The secret's value for a request to `url`, or why there is none. The reason names the setting or
 * the variable, never the value; it is for the server log (a caller gets one message for all).
 */
export function readSecret(
  name: string,
  url: URL,
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; value: string } | { ok: false; reason: string } {
  const problem = secretBindingProblem(name, url, env);
  if (problem) return { ok: false, reason: problem };
  const value = env[name];
  if (value === undefined || value === '') return { ok: false, reason: `the secret ${name} is not set in Fulcrum's environment` };
  return { ok: true, value };
}

/** What stands where a secret was in something an outside server sent back. */
export const REDACTED = '[credential redacted]';
/** Shorter values are not looked for: "1" would blank every digit of an answer (docs/security.md). */
const MIN_REDACTED_LENGTH = 8;

/**
 * The strings to hide for a set of header values: each value and, for `<scheme> <credential>`
 * (Bearer, Basic, …), the credential alone, longest first so a value is hidden before its part.
 */
export function secretsToHide(values: Iterable<string>): string[] {
  const out = new Set<string>();
  const add = (s: string | undefined) => {
    if (s === undefined || s.length < MIN_REDACTED_LENGTH) return;
    out.add(s);
    // As it would stand in a URL or a form (an upstream echoing its request line).
    out.add(encodeURIComponent(s));
  };
  for (const value of values) {
    add(value);
    const [, scheme, credential] = /^([A-Za-z][A-Za-z0-9_-]*)\s+(\S.*)$/.exec(value) ?? [];
    add(credential);
    // Basic: the password inside the base64 (an upstream may echo the user and password it decoded).
    if (credential && scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) add(decoded.slice(colon + 1));
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced (for what goes to the log). */
export function hideSecrets(text: string, secrets: readonly string[]): string {
  for (const s of secrets) if (text.includes(s)) text = text.replaceAll(s, REDACTED);
  return text;
}

/**
 * `text` as the first part of something longer (a body read only so far), every secret replaced and
 * the beginning of one at its end dropped: a secret the bound cut in two is not whole, so hideSecrets
 * alone would leave its first part. Ends with "…".
 */
export function hideSecretsInHead(text: string, secrets: readonly string[]): string {
  const out = hideSecrets(text, secrets);
  let end = out.length;
  for (const s of secrets)
    for (let i = Math.max(0, out.length - s.length + 1); i < end; i++)
      if (out.charCodeAt(i) === s.charCodeAt(0) && s.startsWith(out.slice(i))) {
        end = i;
        break;
      }
  return `${out.slice(0, end)}…`;
}

/**
 * A parsed answer with every secret replaced in its strings and keys, after parsing, so an escaped
 * form (`\u0041…`) is found too. Walked without recursion: an answer may nest deeper than the stack.
 * Changes `value` in place and returns it (or the replacement, when `value` is itself a string).
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return hideSecrets(value, secrets) as T;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') node[i] = hideSecrets(v, secrets);
        else if (v !== null && typeof v === 'object') stack.push(v);
      }
    } else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        const v = o[key];
        const k = hideSecrets(key, secrets);
        if (k !== key) {
          delete o[key];
          o[k] = v;
        }
        if (typeof v === 'string') o[k] = hideSecrets(v, secrets);
        else if (v !== null && typeof v === 'object') stack.push(v);
      }
    }
  }
  return value;
}
