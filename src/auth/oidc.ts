// Talking to an OpenID Provider / OAuth authorization server the operator configured: discovery, its
// signing keys (JWKS, cached, refetched on an unknown `kid` or a signature that does not verify), JWT verification with asymmetric
// algorithms only, and the token endpoint (authorization code + PKCE, device authorization grant).
//
// The IdP's URLs are the operator's (environment), not a registry writer's, so they do not go through
// src/net/outbound.ts: an IdP on the private network (Keycloak next to Fulcrum) is the common case.
// What is bounded instead is what the IdP sends back: every fetch times out and reads at most
// MAX_BODY bytes.
import { createHash, randomBytes } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { bySignal } from '../net/abort.js';

/** Signatures accepted: public-key algorithms only. `none` and every HS* (a shared secret, which a
 *  public JWKS key would become if it were accepted as an HMAC key) are refused before any check. */
export const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Largest token Fulcrum parses (header or cookie); real access and ID tokens are 1–4 KiB. */
export const MAX_TOKEN_BYTES = 8192;
const MAX_BODY = 256 * 1024;
const TIMEOUT_MS = 5000;
/** Clock skew tolerated between Fulcrum and the IdP. */
const CLOCK_TOLERANCE_S = 60;
/** How long past their age the keys last fetched still serve while the issuer cannot be reached. */
const STALE_MS = 60 * 60_000;

export interface IssuerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri: string;
  device_authorization_endpoint?: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
}

/** The IdP could not be reached or answered something unusable; the message names which. */
export class IdpError extends Error {}

export type Issuer = ReturnType<typeof createIssuer>;

/** How long a discovery document serves before it is fetched again (beside the calls). */
export const DISCOVERY_MAX_AGE_MS = 24 * 60 * 60_000;
/** After a failed fetch of it again, how long the one held serves before the next try. */
const DISCOVERY_RETRY_MS = 5 * 60_000;

type Discovered = { meta: IssuerMetadata; keys: JWTVerifyGetKey; fetchAfterBadSignature: () => Promise<boolean> };

/**
 * One issuer: discovery is fetched on first use (a failed fetch is retried on the next use) and again
 * once a day, beside the calls (the document held serves meanwhile, and while the issuer cannot be
 * reached); the JWKS is jose's remote set (cached, refetched at most once per `cooldownMs` on an
 * unknown kid), and past its age the keys last fetched serve while a refresh runs beside the calls
 * (staleKeys).
 */
export function createIssuer(
  issuer: string,
  opts: {
    cooldownMs: number;
    maxAgeMs?: number | undefined;
    /** How long a discovery document serves (default DISCOVERY_MAX_AGE_MS); tests shorten it. */
    discoveryMaxAgeMs?: number | undefined;
    warn?: ((message: string) => void) | undefined;
  },
) {
  const maxAgeMs = opts.maxAgeMs ?? 10 * 60_000;
  const discoveryMaxAgeMs = opts.discoveryMaxAgeMs ?? DISCOVERY_MAX_AGE_MS;
  let discovered: Promise<Discovered> | undefined;
  /** When the document held was fetched (or a fetch of it again last failed, moved back by its age less the retry). */
  let discoveredAt = 0;
  let rediscovering = false;

  async function discover(before?: Discovered): Promise<Discovered> {
    const meta = await discoverMetadata(issuer);
    // The same JWKS: its keys, their cache and cooldowns stay (a new set would fetch them again at once).
    if (before && before.meta.jwks_uri === meta.jwks_uri) return { ...before, meta };
    // The keys of the last fetch that succeeded, and when.
    let held: { at: number; keys: JWTVerifyGetKey } | undefined;
    const remote = createRemoteJWKSet(new URL(meta.jwks_uri), {
      timeoutDuration: TIMEOUT_MS,
      cooldownDuration: opts.cooldownMs,
      cacheMaxAge: maxAgeMs,
      [customFetch]: async (url: string, init: RequestInit) => {
        const { response, keys } = await jwksFetch(url, init);
        held = { at: Date.now(), keys };
        return response;
      },
    });
    // A signature that does not verify under the key its `kid` names (or under the one key, with no
    // `kid`) may be the issuer's new key under an old kid, or a kid-less token after a rotation: jose
    // fetches again only for a kid it does not hold, so such tokens were refused until the keys aged
    // out (10 minutes), each counted a failed credential against the agents' address. The keys are
    // fetched again once, at most once per cooldown counted from the last fetch too: a forged
    // signature costs the issuer no more fetches than an unknown kid does.
    let badSignatureAt = 0;
    const fetchAfterBadSignature = async (): Promise<boolean> => {
      const now = Date.now();
      const last = held as { at: number } | undefined; // set by the fetch, beside this closure
      if (now - badSignatureAt < opts.cooldownMs || (last && now - last.at < opts.cooldownMs)) return false;
      badSignatureAt = now;
      try {
        await remote.reload();
        return true;
      } catch (err) {
        opts.warn?.(
          `the JWKS of ${issuer} could not be fetched again after a signature that did not verify: ${(err as Error).message}`,
        );
        return false;
      }
    };
    return { meta, keys: staleKeys(remote, () => held), fetchAfterBadSignature };
  }

  /**
   * jose waits for the JWKS once its keys are older than `maxAgeMs`, in every call, and fails every
   * call while the issuer is down: every 10 minutes a slow issuer held each agent's call up to 5 s, and
   * an outage of a few seconds at that moment refused every token (found by review). Keys held less
   * than STALE_MS past their age still serve; one refresh at a time (at most once per `cooldownMs`)
   * runs beside the calls, and its keys serve from when it succeeds. A kid the held keys lack waits
   * for the issuer, as before.
   */
  function staleKeys(
    remote: ReturnType<typeof createRemoteJWKSet>,
    held: () => { at: number; keys: JWTVerifyGetKey } | undefined,
  ) {
    let triedAt = 0;
    const refresh = () => {
      if (remote.reloading || Date.now() - triedAt < opts.cooldownMs) return;
      triedAt = Date.now();
      remote
        .reload()
        .catch((err: Error) =>
          opts.warn?.(`the JWKS of ${issuer} could not be refreshed; the keys fetched before serve meanwhile: ${err.message}`),
        );
    };
    const keys: JWTVerifyGetKey = async (header, token) => {
      const last = held();
      const age = last ? Date.now() - last.at : Number.POSITIVE_INFINITY;
      if (last && age > maxAgeMs && age <= maxAgeMs + STALE_MS) {
        refresh();
        try {
          return await last.keys(header, token);
        } catch (err) {
          if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
        }
      }
      return remote(header, token);
    };
    return keys;
  }

  async function ready(): Promise<Discovered> {
    if (!discovered) {
      discoveredAt = Date.now();
      discovered = discover().catch((err) => {
        discovered = undefined;
        throw err;
      });
      return discovered;
    }
    const held = await discovered;
    // Past its age the document is fetched again beside the calls, which the one held serves meanwhile:
    // an IdP that moves its JWKS or its endpoints is followed without a restart, and one that cannot be
    // reached at that moment refuses no sign-in or token for it.
    if (Date.now() - discoveredAt > discoveryMaxAgeMs && !rediscovering) {
      rediscovering = true;
      discover(held)
        .then(
          (fresh) => {
            discovered = Promise.resolve(fresh);
            discoveredAt = Date.now();
          },
          (err: Error) => {
            discoveredAt = Date.now() - discoveryMaxAgeMs + Math.min(DISCOVERY_RETRY_MS, discoveryMaxAgeMs);
            opts.warn?.(
              `the discovery document of ${issuer} could not be fetched again; the one fetched before serves meanwhile: ${err.message}`,
            );
          },
        )
        .finally(() => {
          rediscovering = false;
        });
    }
    return held;
  }

  return {
    issuer,
    metadata: async () => (await ready()).meta,
    /** The issuer's identifier as its discovery document spells it (a trailing slash the settings drop included). */
    identifier: async () => (await ready()).meta.issuer,

    /** Verifies a JWT from this issuer for `audience`; throws with a short reason when it does not hold. */
    async verify(token: string, audience: string | string[], typ?: string): Promise<JWTPayload> {
      if (token.length > MAX_TOKEN_BYTES) throw new TokenRefused(`the token is longer than ${MAX_TOKEN_BYTES} bytes`);
      const { meta, keys, fetchAfterBadSignature } = await ready();
      const check = async () =>
        (
          await jwtVerify(token, keys, {
            // As the discovery document spells it: `iss` is compared exactly, a trailing slash included.
            issuer: meta.issuer,
            audience,
            algorithms: ASYMMETRIC_ALGS,
            clockTolerance: CLOCK_TOLERANCE_S,
            requiredClaims: ['exp'],
            ...(typ ? { typ } : {}),
          })
        ).payload;
      let payload: JWTPayload;
      try {
        try {
          payload = await check();
        } catch (err) {
          if (!(err instanceof errors.JWSSignatureVerificationFailed) || !(await fetchAfterBadSignature())) throw err;
          payload = await check();
        }
      } catch (err) {
        if (err instanceof IdpError) throw err;
        throw new TokenRefused(reasonOf(err));
      }
      // jose checks `iat` only against a maximum age, which Fulcrum does not set (the issuer's `exp`
      // bounds a token's life). A token issued later than now, past the clock tolerance, means the
      // issuer's clock or ours is wrong, and its `exp` then says nothing true about its age: refused,
      // as `nbf` in the future is.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S)
        throw new TokenRefused("the token was issued in the future (its iat claim): the issuer's clock or Fulcrum's is wrong");
      return payload;
    },

    /** The UserInfo endpoint's claims for an access token (OIDC Core §5.3), or undefined without one. */
    async userinfo(accessToken: string): Promise<Record<string, unknown> | undefined> {
      const url = (await ready()).meta.userinfo_endpoint;
      if (typeof url !== 'string') return undefined;
      const res = await boundedFetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
      if (!res.ok) throw new IdpError(`the IdP's userinfo endpoint answered ${res.status}`);
      try {
        return JSON.parse(await res.text()) as Record<string, unknown>;
      } catch {
        throw new IdpError("the IdP's userinfo endpoint answered no JSON (a signed answer is not supported)");
      }
    },

    /** A form POST to one of the issuer's endpoints; the JSON answer, whatever its status. */
    async post(endpoint: string, form: Record<string, string>, auth?: { clientId: string; secret: string }) {
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      };
      // client_secret_basic: RFC 6749 §2.3.1 form-encodes both parts before joining them.
      if (auth)
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.secret)}`).toString('base64')}`;
      const res = await boundedFetch(endpoint, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
      const text = await res.text();
      try {
        return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
      } catch {
        throw new IdpError(`the IdP's ${new URL(endpoint).pathname} answered ${res.status} with no JSON`);
      }
    },
  };
}

/** A token that does not verify; the message is safe to show the caller (no token bytes). */
export class TokenRefused extends Error {}

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  const claim = (err as { claim?: string }).claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'aud'
        ? 'the token is not for this resource (audience)'
        : claim === 'iss'
          ? 'the token is from another issuer'
          : claim === 'nbf'
            ? 'the token is not valid yet (its nbf claim is in the future)'
            : `the token's ${claim} claim does not hold`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token is not signed with an allowed (public-key) algorithm';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "the token's signing key is not among the issuer's keys";
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return "the token's signature does not verify";
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return "the issuer's signing keys could not be fetched";
    default:
      return code === 'ERR_JWT_INVALID' || code === 'ERR_JWS_INVALID'
        ? 'the token is not a well-formed JWT'
        : 'the token is not valid';
  }
}

async function discoverMetadata(issuer: string): Promise<IssuerMetadata> {
  // OpenID Connect discovery, else RFC 8414 (an OAuth-only authorization server).
  const urls = [`${issuer}/.well-known/openid-configuration`, wellKnown8414(issuer)];
  // Why each URL gave nothing: the first one's reason (a redirect, say) is the one that matters for
  // an OpenID Provider, and the RFC 8414 URL tried after it mostly answers 404.
  const failed: string[] = [];
  for (const url of urls) {
    let res: Response;
    try {
      res = await boundedFetch(url, { headers: { accept: 'application/json' } });
    } catch (err) {
      const message = (err as Error).message;
      failed.push(message.startsWith(url) ? message : `${url}: ${message}`);
      continue;
    }
    if (!res.ok) {
      failed.push(`${url}: HTTP ${res.status}`);
      continue;
    }
    let meta: IssuerMetadata;
    try {
      meta = JSON.parse(await res.text()) as IssuerMetadata;
    } catch {
      failed.push(`${url}: not JSON`);
      continue;
    }
    // OIDC Discovery §4.3 / RFC 8414 §3.3: the document must name exactly the issuer it was fetched for.
    // The settings drop a trailing slash, and an issuer whose identifier ends in one (Auth0's
    // `https://<tenant>.auth0.com/`, Entra ID v1's `https://sts.windows.net/<tenant>/`) has its
    // document at the same URL (§4.1 drops the slash before appending the well-known path): that
    // document names it with the slash, and its spelling is the one tokens carry. Refusing it left
    // such an IdP unusable however the operator wrote it.
    if (meta.issuer !== issuer && meta.issuer !== `${issuer}/`)
      throw new IdpError(`the discovery document at ${url} names issuer "${String(meta.issuer)}", not "${issuer}"`);
    if (typeof meta.jwks_uri !== 'string') throw new IdpError(`the discovery document at ${url} has no jwks_uri`);
    return meta;
  }
  throw new IdpError(`no discovery document for ${issuer} (${failed.join('; ')})`);
}

function wellKnown8414(issuer: string): string {
  const u = new URL(issuer);
  return `${u.origin}/.well-known/oauth-authorization-server${u.pathname === '/' ? '' : u.pathname}`;
}

/**
 * The issuer's JWKS (the answer for jose, and its keys), or an IdpError. jose reports an HTTP error or
 * a body that is no key set as a plain JOSEError, which read as the agent's token being refused: a
 * 401 counted against the agents' address, so an IdP answering 503 for a minute locked that address
 * out, people's API tokens included (found by review). It is the issuer being unavailable (503, not
 * counted).
 */
async function jwksFetch(url: string, init: RequestInit): Promise<{ response: Response; keys: JWTVerifyGetKey }> {
  const res = await boundedFetch(url, init);
  if (res.status !== 200) throw new IdpError(`the issuer's JWKS at ${url} answered HTTP ${res.status}`);
  const text = await res.text();
  try {
    const keys = createLocalJWKSet(JSON.parse(text) as JSONWebKeySet);
    return { response: new Response(text, { status: 200, headers: res.headers }), keys };
  } catch {
    throw new IdpError(`the issuer's JWKS at ${url} is not a JSON Web Key Set`);
  }
}

/** fetch with a timeout and at most MAX_BODY bytes of body, as a fresh Response jose can read. */
async function boundedFetch(url: string, init: RequestInit): Promise<Response> {
  const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    // bySignal: fetch can lose the abort (src/net/abort.ts).
    res = await bySignal(
      fetch(url, { ...init, signal, redirect: 'manual' }).catch((err) =>
        // A kept-alive connection the IdP closed as it was reused: the request never arrived; once more.
        (err as { cause?: { code?: string } }).cause?.code === 'ECONNRESET'
          ? fetch(url, { ...init, signal, redirect: 'manual' })
          : Promise.reject(err),
      ),
      signal,
    );
  } catch (err) {
    throw new IdpError(
      `${new URL(url).origin} is unreachable (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name})`,
    );
  }
  // No redirect is followed (the operator's URLs are the IdP's). With `redirect: 'error'` fetch failed
  // as if the IdP were down ("unreachable (TypeError)"), which sent the operator looking at the network
  // for an endpoint that had moved or a URL written another way: say it answered, and where it pointed.
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    const to = res.headers.get('location');
    throw new IdpError(
      `${url} answered HTTP ${res.status}, a redirect to ${to ? to.slice(0, 300) : '(no Location)'}, which Fulcrum does not follow: the issuer setting, or the URL its metadata names, must be the one the IdP answers at`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  while (reader) {
    const { done, value } = await bySignal(reader.read(), signal).catch(async (err) => {
      await reader.cancel().catch(() => undefined);
      throw signal.aborted ? new IdpError(`${new URL(url).origin} did not finish answering within ${TIMEOUT_MS / 1000} s`) : err;
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new IdpError(`${new URL(url).origin} sent more than ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return new Response(Buffer.concat(chunks), { status: res.status, headers: res.headers });
}

// PKCE (RFC 7636) and the random values of a sign-in.
export const randomToken = (): string => randomBytes(32).toString('base64url');
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');
