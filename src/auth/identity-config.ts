// The enterprise-identity settings (docs/auth.md#single-sign-on): where Fulcrum is reached, the IdP
// people sign in with, and the authorization server whose access tokens agents may present. All
// optional; without them Fulcrum signs people in with API tokens and agents with fk_ keys only.
import { InputError } from '../errors.js';

export interface OidcSettings {
  /** FULCRUM_OIDC_ISSUER, exactly as the IdP's discovery document spells `issuer`. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string | undefined;
  /** FULCRUM_OIDC_DEVICE_CLIENT_ID: a public client for `fulcrum login` where the IdP wants one (Okta). */
  deviceClientId?: string | undefined;
  /** FULCRUM_OIDC_NAME: the IdP's name on the console's button ("Sign in with Okta"). */
  name: string;
  /**
   * FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED (default true): an email counts only where the IdP says it
   * verified it (`email_verified: true`, or Entra ID's `xms_edov: true`). false also takes an email
   * sent with neither claim; an explicit `email_verified: false` is always refused.
   */
  requireEmailVerified: boolean;
}

export interface IdentitySettings {
  /** FULCRUM_PUBLIC_URL without a trailing slash: redirect URIs, cookie scope, token audiences. */
  publicUrl?: string | undefined;
  oidc?: OidcSettings | undefined;
  /** FULCRUM_AGENT_TOKEN_ISSUER: agents' JWT access tokens (RFC 9068) from this issuer are accepted. */
  agentTokenIssuer?: string | undefined;
  /** FULCRUM_SESSION_HOURS: how long a console or `fulcrum login` session lasts. */
  sessionSeconds: number;
  /** Least time between two JWKS fetches caused by an unknown `kid` (jose's cooldown); tests shorten it. */
  jwksCooldownMs: number;
  /** How long fetched JWKS keys are fresh (default 10 minutes); tests shorten it. */
  jwksMaxAgeMs?: number | undefined;
}

const MAX_SESSION_HOURS = 24 * 30;

export function parseIdentitySettings(env: NodeJS.ProcessEnv): IdentitySettings {
  const publicUrl = env.FULCRUM_PUBLIC_URL ? baseUrl(env.FULCRUM_PUBLIC_URL, 'FULCRUM_PUBLIC_URL') : undefined;
  const issuer = env.FULCRUM_OIDC_ISSUER ? baseUrl(env.FULCRUM_OIDC_ISSUER, 'FULCRUM_OIDC_ISSUER') : undefined;
  const agentTokenIssuer = env.FULCRUM_AGENT_TOKEN_ISSUER
    ? baseUrl(env.FULCRUM_AGENT_TOKEN_ISSUER, 'FULCRUM_AGENT_TOKEN_ISSUER')
    : undefined;
  const needsPublicUrl = issuer ? 'FULCRUM_OIDC_ISSUER' : agentTokenIssuer ? 'FULCRUM_AGENT_TOKEN_ISSUER' : undefined;
  if (needsPublicUrl && !publicUrl)
    throw new InputError(
      `${needsPublicUrl} needs FULCRUM_PUBLIC_URL: the URL people and agents reach Fulcrum at (redirect URI and token audience)`,
    );
  if (issuer && !env.FULCRUM_OIDC_CLIENT_ID)
    throw new InputError('FULCRUM_OIDC_ISSUER needs FULCRUM_OIDC_CLIENT_ID: the client registered for Fulcrum at the IdP');
  for (const name of ['FULCRUM_OIDC_CLIENT_ID', 'FULCRUM_OIDC_CLIENT_SECRET', 'FULCRUM_OIDC_DEVICE_CLIENT_ID'] as const)
    if (env[name] && !issuer) throw new InputError(`${name} is set but FULCRUM_OIDC_ISSUER is not`);
  const verified = env.FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED?.trim().toLowerCase();
  if (verified !== undefined && verified !== '' && verified !== 'true' && verified !== 'false')
    throw new InputError(
      `FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED must be true or false, got "${env.FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED}"`,
    );
  if (verified && !issuer) throw new InputError('FULCRUM_OIDC_REQUIRE_EMAIL_VERIFIED is set but FULCRUM_OIDC_ISSUER is not');
  const hours = env.FULCRUM_SESSION_HOURS ? Number(env.FULCRUM_SESSION_HOURS) : 12;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_SESSION_HOURS)
    throw new InputError(
      `FULCRUM_SESSION_HOURS must be a whole number of hours from 1 to ${MAX_SESSION_HOURS}, got "${env.FULCRUM_SESSION_HOURS}"`,
    );
  return {
    publicUrl,
    oidc: issuer
      ? {
          issuer,
          clientId: env.FULCRUM_OIDC_CLIENT_ID as string,
          clientSecret: env.FULCRUM_OIDC_CLIENT_SECRET || undefined,
          deviceClientId: env.FULCRUM_OIDC_DEVICE_CLIENT_ID || undefined,
          name: env.FULCRUM_OIDC_NAME?.trim().slice(0, 60) || new URL(issuer).hostname,
          requireEmailVerified: verified !== 'false',
        }
      : undefined,
    agentTokenIssuer,
    sessionSeconds: hours * 3600,
    jwksCooldownMs: 30_000,
  };
}

/**
 * An absolute http(s) URL without query, fragment or credentials, returned without a trailing slash.
 * Plain http only for loopback (a laptop, the tests): tokens and session cookies cross this URL.
 */
function baseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${name} must be an absolute URL such as https://fulcrum.example.com, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(`${name} must be an http(s) URL, got "${value}"`);
  if (url.search || url.hash || url.username || url.password)
    throw new InputError(`${name} must have no query, fragment or credentials, got "${value}"`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw new InputError(`${name} must be https (plain http only on loopback, for development), got "${value}"`);
  return value.replace(/\/+$/, '');
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}
