// The CLI's HTTP client: every command but serve and migrate talks to a running server.
import fs from 'node:fs';
import { adminTokenFile } from '../auth/admin-token.js';
import { loadConfig } from '../config.js';
import { savedLoginToken } from './login.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface Client {
  url: string;
  /** A JSON request; a string body with `contentType` is sent as is (CSV, YAML). */
  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
  /** GETs a binary body into a file. */
  download(path: string, file: string): Promise<number>;
}

export function createClient(opts: { url?: string | undefined } = {}, env: NodeJS.ProcessEnv = process.env): Client {
  const url = (opts.url ?? env.FULCRUM_URL ?? 'http://127.0.0.1:4100').replace(/\/+$/, '');
  const token = env.FULCRUM_TOKEN || savedLoginToken(url, env) || readAdminToken(env);
  return {
    url,
    async request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
      const raw = typeof body === 'string' && contentType !== undefined;
      let res: Response;
      try {
        res = await fetch(url + path, { method, headers, body: body === undefined ? null : raw ? body : JSON.stringify(body) });
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw new CliError(`cannot reach Fulcrum at ${url} (${cause}); is \`fulcrum serve\` running? (--url / FULCRUM_URL)`);
      }
      const text = await res.text();
      const data = text ? safeJson(text) : undefined;
      if (!res.ok) {
        const e = (data as { error?: { code: string; message: string; details?: unknown } } | undefined)?.error;
        if (res.status === 401 && !token)
          throw new CliError('no token: set FULCRUM_TOKEN, or run where $FULCRUM_DATA_DIR/admin-token exists');
        throw new CliError(e ? `${e.message} (${e.code})` : `HTTP ${res.status}: ${text.slice(0, 200)}`, 1, e?.details);
      }
      return data as T;
    },
    async download(path: string, file: string): Promise<number> {
      const res = await fetch(url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch((err) => {
        throw new CliError(
          `cannot reach Fulcrum at ${url} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`,
        );
      });
      if (!res.ok) {
        const e = ((await res.json().catch(() => ({}))) as { error?: { code: string; message: string } }).error;
        throw new CliError(e ? `${e.message} (${e.code})` : `HTTP ${res.status}`);
      }
      const bytes = Buffer.from(await res.arrayBuffer());
      fs.writeFileSync(file, bytes);
      return bytes.length;
    },
  };
}

function readAdminToken(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return fs.readFileSync(adminTokenFile(loadConfig(env).dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
