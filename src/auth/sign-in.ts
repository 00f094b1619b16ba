// People signing in through the company's IdP: the console's authorization code flow with PKCE, and
// `fulcrum login`'s device authorization grant (RFC 8628), both ending in a verified ID token whose
// email is a Person's `spec.email`. Nobody is created: no matching Person, no session.
import { timingSafeEqual } from 'node:crypto';
import { sameEmail } from '../registry/email.js';
import type { RegistrySnapshot } from '../registry/model.js';
import type { ConsoleSessions, SessionKind } from './console-sessions.js';
import { firstSeen } from './first-seen.js';
import type { OidcSettings } from './identity-config.js';
import { errorCode, idpSaid, OUTAGE_CODES } from './idp-errors.js';
import { IdpError, type Issuer, randomToken, s256, TokenRefused } from './oidc.js';

/** How long a started console sign-in may take at the IdP. */
export const LOGIN_TTL_SECONDS = 600;
const SCOPE = 'openid email profile';
const MAX_EMAIL = 320;
/** Longest IdP subject identifier an entry names (OIDC Core §2: at most 255 ASCII characters). */
const MAX_SUBJECT = 255;

/** A sign-in that ends without a session; `status` and `message` are for the person. */
export class SignInRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 502,
    /** The email the IdP verified, when it got that far (for the audit entry). */
    readonly email?: string,
    /**
     * False when nothing shows that this browser started a sign-in (no login cookie, no `state`):
     * anyone can link to /auth/callback, so such a refusal is no failed credential.
     */
    readonly started = true,
    /** True when the refusal was already counted against the address (`refusing`), before its entry. */
    readonly counted = false,
  ) {
    super(message);
  }
}

/**
 * Called, synchronously, just before a refusal's audit entry is written: counts it against the
 * caller's address, or throws (429) when the address has no budget left, and then nothing is recorded.
 * Checked at the request's start only, refusals made at once from one address (callbacks sent in
 * parallel, each with a code of its own) all passed, and all were recorded.
 */
export type Refusing = () => void;

export interface AuditAct {
  kind: 'auth.signed-in' | 'auth.refused' | 'auth.signed-out';
  actor: string;
  detail: Record<string, unknown>;
}

export type PeopleSignIn = ReturnType<typeof createPeopleSignIn>;

export function createPeopleSignIn(deps: {
  oidc: OidcSettings;
  issuer: Issuer;
  redirectUri: string;
  sessions: ConsoleSessions;
  registry: () => Promise<RegistrySnapshot>;
  recordAct(act: AuditAct): Promise<void>;
  now?: () => number;
}) {
  const { oidc, issuer } = deps;
  const now = deps.now ?? Date.now;
  /** Device codes whose poll found the IdP unusable, recorded already. */
  const outageOf = firstSeen({ max: 10_000, ttlMs: 30 * 60_000, now });
  const clientAuth = oidc.clientSecret ? { clientId: oidc.clientId, secret: oidc.clientSecret } : undefined;
  /** The client `fulcrum login` uses: a public one when the operator named it, else Fulcrum's own. */
  const device = oidc.deviceClientId
    ? { clientId: oidc.deviceClientId, auth: undefined }
    : { clientId: oidc.clientId, auth: clientAuth };

  async function endpoint(name: 'authorization_endpoint' | 'token_endpoint' | 'device_authorization_endpoint') {
    const meta = await deps.issuer.metadata();
    const url = meta[name];
    if (typeof url !== 'string') throw new IdpError(`the IdP's discovery document has no ${name}`);
    return url;
  }

  /** The verified ID token's email → a Person and a session; refusals counted (`refusing`), audited and thrown. */
  async function finish(
    tokens: Record<string, unknown>,
    audience: string,
    kind: SessionKind,
    refusing: Refusing,
    nonce?: string,
  ) {
    const refuse = (message: string, status: 400 | 403 | 502, email?: string, about: { subject?: string } = {}) =>
      refused(refusing, message, status, email, about);
    const idToken = tokens.id_token;
    if (typeof idToken !== 'string') throw await refuse('the IdP answered without an ID token', 502);
    let claims: Record<string, unknown>;
    try {
      claims = await issuer.verify(idToken, audience);
    } catch (err) {
      // A token that does not verify (another signer, another audience, expired): a forged or replayed
      // answer is exactly what the log is for, so it is recorded as the refusals below are.
      if (err instanceof TokenRefused) throw await refuse(`the IdP's ID token was refused: ${err.message}`, 502);
      throw err;
    }
    // A token the IdP signed for this client, refused: recorded as the refusals below are, with the
    // IdP's subject (its email is often at UserInfo only, which a refused token is not taken to). Each
    // costs the address a failed credential (routes/identity.ts), so a flood of them is refused (429)
    // before it is recorded, as the others are.
    const subject = typeof claims.sub === 'string' && claims.sub.length <= MAX_SUBJECT ? { subject: claims.sub } : {};
    if (nonce !== undefined && (typeof claims.nonce !== 'string' || !same(claims.nonce, nonce)))
      throw await refuse('the ID token is not for this sign-in (nonce)', 400, undefined, subject);
    // The authorized party, when the token names one, must be this client, and a token with several
    // audiences must name it (OIDC Core §3.1.3.7). Checked only with several audiences, a token for this
    // client alone that named another as its authorized party signed the person in.
    const severalAudiences = Array.isArray(claims.aud) && claims.aud.length > 1;
    if ((claims.azp !== undefined || severalAudiences) && claims.azp !== audience)
      throw await refuse('the ID token was issued to another client (azp)', 400, undefined, subject);
    // Where the IdP keeps profile claims out of the ID token (OIDC Core §5.4 with an access token),
    // they come from UserInfo, for the same subject (§5.3.2).
    if (claims.email === undefined && typeof tokens.access_token === 'string') {
      const info = await issuer.userinfo(tokens.access_token);
      if (info && info.sub === claims.sub)
        claims = { ...claims, email: info.email, email_verified: info.email_verified, xms_edov: info.xms_edov };
    } else if (
      // An ID token with the email but not whether it is verified: UserInfo may say, for that email.
      oidc.requireEmailVerified &&
      claims.email_verified === undefined &&
      claims.xms_edov === undefined &&
      typeof tokens.access_token === 'string'
    ) {
      const info = await issuer.userinfo(tokens.access_token).catch(() => undefined);
      if (info && info.sub === claims.sub && info.email === claims.email)
        claims = { ...claims, email_verified: info.email_verified, xms_edov: info.xms_edov };
    }
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!email) throw await refuse('the IdP sent no email claim (ask for the "email" scope, see docs/auth.md)', 403);
    // Refused, not cut: an address cut to MAX_EMAIL is another address, and may be a Person's (the
    // owner of kate@…acme.examples signed in as the Person whose email is kate@…acme.example).
    if (email.length > MAX_EMAIL) {
      const shown = `${email.slice(0, 64)}…`;
      throw await refuse(`the IdP's email ${shown} is longer than ${MAX_EMAIL} characters, which no email is`, 403, shown);
    }
    // Some IdPs send the flag as a string (UserInfo of AWS Cognito).
    const verified = String(claims.email_verified);
    if (verified === 'false') throw await refuse(`the IdP has not verified ${email}`, 403, email);
    // An email nobody verified is whatever the account's owner typed: taking it as the Person would
    // let anyone with an account at the IdP become anyone (the "nOAuth" mistake). Entra ID sends no
    // email_verified; its xms_edov says the email's domain is verified by its owner.
    if (oidc.requireEmailVerified && verified !== 'true' && String(claims.xms_edov) !== 'true')
      throw await refuse(
        `the IdP does not say it verified ${email} (no email_verified claim; with Entra ID add the xms_edov optional claim, see docs/auth.md)`,
        403,
        email,
      );
    const snapshot = await deps.registry();
    const person = snapshot.list('Person').find((p) => sameEmail(p.spec.email, email));
    if (!person)
      throw await refuse(
        `You signed in as ${email}, but no Person in Fulcrum has that email. Ask a Fulcrum administrator to register you (a Person descriptor with spec.email).`,
        403,
        email,
      );
    const session = await deps.sessions.create(person.name, email, kind, {
      kind: 'auth.signed-in',
      actor: `person:${person.name}`,
      detail: { email, via: kind === 'browser' ? 'console' : 'device', issuer: oidc.issuer },
    });
    // Deleted, or given another email, since it was found (through another node, say).
    if (!session)
      throw await refuse(
        `You signed in as ${email}, but no Person in Fulcrum has that email any more. Ask a Fulcrum administrator.`,
        403,
        email,
      );
    return { ...session, person: person.name, email };
  }

  async function refused(
    refusing: Refusing,
    message: string,
    status: 400 | 403 | 502,
    email: string | undefined,
    about: { subject?: string },
  ): Promise<SignInRefused> {
    refusing();
    await deps.recordAct({
      kind: 'auth.refused',
      actor: email ? `oidc:${email}` : 'oidc',
      detail: { reason: message, issuer: oidc.issuer, ...about },
    });
    return new SignInRefused(message, status, email, true, true);
  }

  return {
    name: oidc.name,
    deviceClientId: device.clientId,

    /** A new console sign-in: where to send the browser, and the cookie that binds the answer to it. */
    async start(returnTo: string): Promise<{ location: string; cookie: string }> {
      const state = randomToken();
      const nonce = randomToken();
      const verifier = randomToken();
      const url = new URL(await endpoint('authorization_endpoint'));
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: oidc.clientId,
        redirect_uri: deps.redirectUri,
        scope: SCOPE,
        state,
        nonce,
        code_challenge: s256(verifier),
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(k, v);
      const issued = Math.floor(now() / 1000);
      return {
        location: url.toString(),
        cookie: [state, nonce, verifier, issued, Buffer.from(returnTo).toString('base64url')].join('.'),
      };
    },

    /**
     * The IdP sent the browser back: check it, redeem the code, and sign the person in.
     * `redeeming` runs just before Fulcrum calls the IdP (the route counts that call, or throws when the
     * address has no budget of calls left: then nothing is called nor recorded).
     */
    async callback(
      query: Record<string, string | undefined>,
      cookie: string | undefined,
      redeeming = () => {},
      refusing: Refusing = () => {},
    ) {
      // First whether this browser started a sign-in: anyone can link a person to
      // /auth/callback?error=…&error_description=<their words>, and Fulcrum's page would show them.
      const login = parseLoginCookie(cookie, now());
      if (!login || !query.state)
        throw new SignInRefused(
          'This sign-in expired or was started in another browser. Start again from the console.',
          400,
          undefined,
          false,
        );
      if (!same(query.state, login.state))
        throw new SignInRefused('The sign-in answer does not match this browser (state). Start again.', 400);
      // RFC 9207: when the IdP names itself in the answer (an error too, §2.4), it must be the one we
      // sent the person to (as its discovery document spells it: the settings drop a trailing slash).
      if (query.iss !== undefined && query.iss !== (await issuer.identifier()))
        throw new SignInRefused('The sign-in answer came from another issuer.', 400);
      // The IdP's refusal, come back to the browser that started the sign-in: recorded, as the
      // refusals after a code are, and charged to the address first (an IdP outage, to its budget of
      // calls to the IdP, as a code exchange in an outage is). Before, it was a page and nothing more.
      if (query.error !== undefined) {
        const said = idpSaid(query.error, query.error_description, oidc.name);
        throw await refused(said.outage ? redeeming : refusing, said.message, said.status, undefined, {});
      }
      if (!query.code) throw new SignInRefused('The IdP sent no authorization code.', 400);
      const code = query.code;
      redeeming();
      try {
        const { status, body } = await issuer.post(
          await endpoint('token_endpoint'),
          {
            grant_type: 'authorization_code',
            code,
            redirect_uri: deps.redirectUri,
            code_verifier: login.verifier,
            ...(clientAuth ? {} : { client_id: oidc.clientId }),
          },
          clientAuth,
        );
        // The IdP failing (5xx, server_error) is an outage (503, below), not a code refused.
        if (status >= 500 || (status !== 200 && OUTAGE_CODES.has(errorCode(body, status))))
          throw new IdpError(`the IdP's token endpoint answered ${status} (${errorCode(body, status)})`);
        // A code the IdP refuses (used already, made up, for another client) is recorded, as a token refused is.
        if (status !== 200)
          throw await refused(
            refusing,
            `the IdP refused the authorization code (${errorCode(body, status)})`,
            502,
            undefined,
            {},
          );
        const session = await finish(body, oidc.clientId, 'browser', refusing, login.nonce);
        return { ...session, returnTo: login.returnTo };
      } catch (err) {
        // The IdP unreachable, or answering what is no answer (no JSON, a redirect), once the person
        // came back with a code: their sign-in failed, and the log says so (the answer is still 503).
        // Bounded by the address's budget of calls to the IdP, which `redeeming` counted before the call,
        // not its failed credentials: people signing in behind one NAT while the IdP is down are not
        // locked out of the API for it.
        if (err instanceof IdpError)
          await deps.recordAct({
            kind: 'auth.refused',
            actor: 'oidc',
            detail: { reason: `the identity provider: ${err.message}`, issuer: oidc.issuer },
          });
        throw err;
      }
    },

    /** `fulcrum login`, step one: ask the IdP for a user code. */
    async deviceStart() {
      const { status, body } = await issuer.post(
        await endpoint('device_authorization_endpoint'),
        { scope: SCOPE, ...(device.auth ? {} : { client_id: device.clientId }) },
        device.auth,
      );
      if (status !== 200 || typeof body.device_code !== 'string' || typeof body.user_code !== 'string')
        throw new IdpError(`the IdP refused the device authorization request (${String(body.error ?? status)})`);
      return {
        deviceCode: body.device_code,
        userCode: body.user_code,
        verificationUri: String(body.verification_uri ?? ''),
        ...(typeof body.verification_uri_complete === 'string'
          ? { verificationUriComplete: body.verification_uri_complete }
          : {}),
        interval: typeof body.interval === 'number' ? body.interval : 5,
        expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 600,
      };
    },

    /** `fulcrum login`, step two (polled): pending, or the person's session. */
    async devicePoll(deviceCode: string, refusing: Refusing = () => {}) {
      try {
        return await poll(deviceCode, refusing);
      } catch (err) {
        // The IdP unusable while `fulcrum login` polls: recorded once per code (and node), not at every
        // poll, which `fulcrum login` goes on making for a while; each poll counted against the address's
        // budget of calls to the IdP, so made-up codes add entries no faster than that.
        if (err instanceof IdpError && outageOf.first(deviceCode))
          await deps.recordAct({
            kind: 'auth.refused',
            actor: 'oidc',
            detail: { reason: `the identity provider, polled for a \`fulcrum login\`: ${err.message}`, issuer: oidc.issuer },
          });
        throw err;
      }
    },
  };

  /** `fulcrum login`, step two: one poll of the IdP. */
  async function poll(deviceCode: string, refusing: Refusing) {
    const { status, body } = await issuer.post(
      await endpoint('token_endpoint'),
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: deviceCode,
        ...(device.auth ? {} : { client_id: device.clientId }),
      },
      device.auth,
    );
    if (status !== 200) {
      const error = errorCode(body, status);
      // The IdP failing (5xx, server_error, temporarily_unavailable) is an outage, not a refusal of the
      // code: the poll is answered 503 and `fulcrum login` tries again (before, it was a refused code,
      // a failed credential of the address, and the CLI stopped).
      if (status >= 500 || OUTAGE_CODES.has(error)) throw new IdpError(`the IdP's token endpoint answered ${status} (${error})`);
      if (error === 'authorization_pending' || error === 'slow_down') return { pending: error } as const;
      // A person declining the sign-in at the IdP, or a code that expired before anyone entered it
      // (one phished and not taken up, say), is recorded, as the console's refusals are, and charged to
      // the address as they are (`refusing`), so its entries come no faster than its budget. A code the
      // IdP does not know is not: anyone can make one up, as anyone can link to /auth/callback.
      if (error === 'expired_token')
        throw await refused(refusing, 'the code expired before it was entered: run `fulcrum login` again', 400, undefined, {});
      if (error === 'access_denied') throw await refused(refusing, 'the sign-in was denied at the IdP', 400, undefined, {});
      throw new SignInRefused(`the IdP refused the device code (${error})`, 400);
    }
    return { session: await finish(body, device.clientId, 'cli', refusing) } as const;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const PART = /^[A-Za-z0-9_-]{43}$/;

/** The login cookie: state, nonce, PKCE verifier, when it was issued, and where to go after. */
function parseLoginCookie(value: string | undefined, nowMs: number) {
  if (!value || value.length > 1024) return undefined;
  const [state, nonce, verifier, issued, back] = value.split('.');
  if (!state || !nonce || !verifier || !PART.test(state) || !PART.test(nonce) || !PART.test(verifier)) return undefined;
  const at = Number(issued);
  if (!Number.isInteger(at) || nowMs / 1000 - at > LOGIN_TTL_SECONDS || at > nowMs / 1000 + 60) return undefined;
  const returnTo = safeReturnTo(Buffer.from(back ?? '', 'base64url').toString());
  return { state, nonce, verifier, returnTo };
}

/** A path on this site to go back to after signing in; anything else is "/". */
export function safeReturnTo(value: string | undefined): string {
  return value && value.length <= 512 && /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(value) ? value : '/';
}
