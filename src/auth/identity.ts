// Enterprise identity assembled from its settings: console and CLI sessions, people's sign-in through
// the IdP, agents' access tokens, and what the HTTP auth hook asks of them (docs/auth.md#single-sign-on).
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ChangeWithActs } from '../guard/audit.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { type AgentResource, type AgentTokens, createAgentTokens } from './agent-tokens.js';
import { type ConsoleSessions, createConsoleSessions, csrfTokenFor } from './console-sessions.js';
import type { IdentitySettings } from './identity-config.js';
import { createIssuer } from './oidc.js';
import { type AuditAct, createPeopleSignIn, type PeopleSignIn } from './sign-in.js';

export interface Identity {
  settings: IdentitySettings;
  sessions: ConsoleSessions;
  /** People's sign-in through the IdP; undefined without FULCRUM_OIDC_ISSUER. */
  people: PeopleSignIn | undefined;
  /** Agents' access tokens; undefined without FULCRUM_AGENT_TOKEN_ISSUER. */
  agentTokens: AgentTokens | undefined;
  /** The session cookie's name: `__Host-` prefixed (Secure, whole site, no Domain) over https. */
  cookieName: string;
  loginCookieName: string;
  secure: boolean;
  /** The WWW-Authenticate value of a 401 on an agent route (RFC 6750 §3, RFC 9728 §5.1). */
  challenge(resource: AgentResource, error?: string): string;
  /** Whether a state-changing request made with the session cookie came from the console itself. */
  csrfOk(sessionToken: string, headers: Record<string, string | string[] | undefined>): boolean;
  recordAct(act: AuditAct): Promise<void>;
}

export function createIdentity(deps: {
  settings: IdentitySettings;
  db: Kysely<Database>;
  registry: () => Promise<RegistrySnapshot>;
  committedRegistry?: () => Promise<RegistrySnapshot>;
  recordShadow(identity: string, detail: string): void;
  recordAct(act: AuditAct): Promise<void>;
  /** Sign-ins and sign-outs: the session and its entry in one transaction (src/guard/audit.ts). */
  changeWithActs?: ChangeWithActs;
  /** A problem with the IdP that no caller is answered about (a background refresh of its keys failed). */
  warn?: (message: string) => void;
}): Identity {
  const { settings } = deps;
  const publicUrl = settings.publicUrl;
  const secure = publicUrl?.startsWith('https:') ?? false;
  // Sessions exist only through people's sign-in: with no issuer set, none is made or accepted.
  const sessions = createConsoleSessions({
    db: deps.db,
    ttlSeconds: settings.sessionSeconds,
    issuer: settings.oidc && publicUrl ? settings.oidc.issuer : undefined,
    ...(deps.changeWithActs ? { changeWithActs: deps.changeWithActs } : {}),
  });
  // One issuer object per URL: people's IdP and the agents' authorization server may be the same.
  const issuers = new Map<string, ReturnType<typeof createIssuer>>();
  const issuerFor = (url: string) => {
    const known = issuers.get(url);
    if (known) return known;
    const made = createIssuer(url, {
      cooldownMs: settings.jwksCooldownMs,
      maxAgeMs: settings.jwksMaxAgeMs,
      warn: deps.warn,
    });
    issuers.set(url, made);
    return made;
  };
  const people =
    settings.oidc && publicUrl
      ? createPeopleSignIn({
          oidc: settings.oidc,
          issuer: issuerFor(settings.oidc.issuer),
          redirectUri: `${publicUrl}/auth/callback`,
          sessions,
          // Who may sign in, as committed (a Person registered through another node a moment ago).
          registry: deps.committedRegistry ?? deps.registry,
          recordAct: deps.recordAct,
        })
      : undefined;
  const agentTokens =
    settings.agentTokenIssuer && publicUrl
      ? createAgentTokens({
          issuer: issuerFor(settings.agentTokenIssuer),
          publicUrl,
          registry: deps.registry,
          ...(deps.committedRegistry ? { committedRegistry: deps.committedRegistry } : {}),
          recordShadow: deps.recordShadow,
        })
      : undefined;
  const origin = publicUrl ? new URL(publicUrl).origin : undefined;

  return {
    settings,
    sessions,
    people,
    agentTokens,
    cookieName: secure ? '__Host-fulcrum_session' : 'fulcrum_session',
    loginCookieName: secure ? '__Host-fulcrum_login' : 'fulcrum_login',
    secure,
    recordAct: deps.recordAct,

    challenge(resource, error) {
      const parts = ['Bearer realm="fulcrum"'];
      if (publicUrl && agentTokens) parts.push(`resource_metadata="${metadataUrl(publicUrl, resource)}"`);
      // RFC 6750 §3: error_description is limited to printable ASCII without '"' and '\'.
      if (error)
        parts.push('error="invalid_token"', `error_description="${error.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')}"`);
      return parts.join(', ');
    },

    csrfOk(sessionToken, headers) {
      // The Origin a browser sends with every POST must be Fulcrum's own, when Fulcrum knows it.
      const sentOrigin = headers.origin;
      if (typeof sentOrigin === 'string' && origin && sentOrigin !== origin) return false;
      const sent = headers['x-fulcrum-csrf'];
      if (typeof sent !== 'string' || sent.length > 100) return false;
      const a = Buffer.from(sent);
      const b = Buffer.from(csrfTokenFor(sessionToken));
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

export function metadataUrl(publicUrl: string, resource: AgentResource): string {
  const u = new URL(publicUrl);
  const path = u.pathname === '/' ? '' : u.pathname;
  return `${u.origin}/.well-known/oauth-protected-resource${path}${resource === 'mcp' ? '/mcp' : ''}`;
}

/** One cookie's value from a Cookie header, or undefined; the header is bounded by Node (16 KiB). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v.length <= 2048 ? v : undefined;
    }
  }
  return undefined;
}
