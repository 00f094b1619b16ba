// What an IdP says when it does not sign someone in (RFC 6749 §4.1.2.1 and §5.2, OIDC Core §3.1.2.6),
// turned into words for the person and the audit log. Only a short OAuth error code is ever quoted:
// anything else the IdP (or whoever answers in its place) sends is summarised by its length, so it
// writes no text of its own into Fulcrum's page or the log.

/** An OAuth error code as IdPs send them (`access_denied`, `AADSTS…` style codes are in descriptions). */
const CODE = /^[A-Za-z0-9._:-]{1,64}$/;

/** Errors that say the IdP is failing, not that it refused anyone. */
export const OUTAGE_CODES = new Set(['server_error', 'temporarily_unavailable']);
/** Errors the authorization endpoint sends when it needs the person to do something there first. */
const INTERACTION_CODES = new Set(['login_required', 'consent_required', 'interaction_required', 'account_selection_required']);
/** Errors that say Fulcrum's client is set up wrongly at the IdP. */
const CLIENT_CODES = new Set(['invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope']);

/** `value` when it is a short OAuth error code, else undefined. */
export function oauthCode(value: unknown): string | undefined {
  return typeof value === 'string' && CODE.test(value) ? value : undefined;
}

/** The IdP's `error` of a token endpoint answer, or its HTTP status (`http_400`). */
export function errorCode(body: Record<string, unknown>, status: number): string {
  return oauthCode(body.error) ?? `http_${status}`;
}

export interface IdpRefusal {
  message: string;
  status: 400 | 403 | 502;
  /** The IdP is failing: charged to the address's budget of calls to the IdP, not its failed credentials. */
  outage: boolean;
}

/** The console's callback came back with `error` (and perhaps `error_description`) from the IdP named `name`. */
export function idpSaid(error: string, description: string | undefined, name: string): IdpRefusal {
  const code = oauthCode(error);
  const rest = description
    ? ` Its description (${description.length} characters) is not shown here: the IdP's sign-in log has it.`
    : '';
  if (code === undefined)
    return {
      message: `${name} did not sign you in, and its error is no OAuth error code (${error.length} characters), so Fulcrum does not show it. Start again from the console.${rest}`,
      status: 400,
      outage: false,
    };
  if (code === 'access_denied')
    return {
      message: `${name} did not sign you in: you declined, or it refused you (access_denied). Start again from the console, or ask your IdP's administrators whether you may use Fulcrum.${rest}`,
      status: 403,
      outage: false,
    };
  if (OUTAGE_CODES.has(code))
    return {
      message: `${name} could not sign you in just now (${code}). Try again in a moment.${rest}`,
      status: 502,
      outage: true,
    };
  if (INTERACTION_CODES.has(code))
    return {
      message: `${name} needs you to sign in or agree there first (${code}). Start again from the console.${rest}`,
      status: 400,
      outage: false,
    };
  if (CLIENT_CODES.has(code))
    return {
      message: `${name} did not sign you in (${code}): Fulcrum's client may be set up wrongly there. Tell a Fulcrum administrator.${rest}`,
      status: 400,
      outage: false,
    };
  return { message: `${name} did not sign you in (${code}). Start again from the console.${rest}`, status: 400, outage: false };
}
