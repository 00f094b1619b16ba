// Agents' OAuth access tokens (RFC 9068 JWTs from FULCRUM_AGENT_TOKEN_ISSUER), accepted on the agent
// routes in place of an fk_ key. A token names its client; the Agent whose `spec.oauthClientId` is that
// client is the caller, as the same Principal a key gives, so suspension, retirement and policies apply
// unchanged. A verified token whose client no Agent claims is a shadow identity.
import { FulcrumError, UnauthenticatedError } from '../errors.js';
import type { RegistrySnapshot } from '../registry/model.js';
import { IdpError, type Issuer, TokenRefused } from './oidc.js';

/** Which audience a route wants (RFC 8707 resource indicators): the MCP gateway is its own resource. */
export type AgentResource = 'api' | 'mcp';

/** A 401 like an unknown key's: it counts as a failed attempt and its WWW-Authenticate says invalid_token. */
export class InvalidAgentToken extends UnauthenticatedError {}

export type AgentTokens = ReturnType<typeof createAgentTokens>;

/** A JWS compact serialization: three base64url parts (fk_ keys and other tokens never look like one). */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);

export function resourceUrl(publicUrl: string, resource: AgentResource): string {
  return resource === 'mcp' ? `${publicUrl}/mcp` : publicUrl;
}

export function createAgentTokens(deps: {
  issuer: Issuer;
  publicUrl: string;
  registry: () => Promise<RegistrySnapshot>;
  /** The registry at its committed revision, for a client the cached one does not name. */
  committedRegistry?: () => Promise<RegistrySnapshot>;
  recordShadow(identity: string, detail: string): void;
}) {
  // client id → agent, rebuilt when the registry snapshot changes.
  let byClient: { snapshot: RegistrySnapshot; map: Map<string, string> } | undefined;
  function agentOf(snapshot: RegistrySnapshot, clientId: string): string | undefined {
    if (byClient?.snapshot !== snapshot) {
      const map = new Map<string, string>();
      for (const a of snapshot.list('Agent')) if (a.spec.oauthClientId) map.set(a.spec.oauthClientId, a.name);
      byClient = { snapshot, map };
    }
    return byClient.map.get(clientId);
  }

  return {
    /** The issuer agents get tokens from, as its discovery document spells it (RFC 9728 `authorization_servers`). */
    issuer: () => deps.issuer.identifier(),

    /** The agent a token stands for, and its client; throws InvalidAgentToken (401) or `unavailable` (503, IdP down). */
    async authenticate(token: string, resource: AgentResource, address: string): Promise<{ agent: string; clientId: string }> {
      let claims: Record<string, unknown>;
      try {
        claims = await deps.issuer.verify(token, resourceUrl(deps.publicUrl, resource));
      } catch (err) {
        if (err instanceof TokenRefused) throw new InvalidAgentToken(`access token refused: ${err.message}`);
        if (err instanceof IdpError)
          throw new FulcrumError('unavailable', `the agent token issuer cannot be reached to check the token: ${err.message}`);
        throw err;
      }
      const clientId = clientOf(claims);
      if (!clientId) throw new InvalidAgentToken('access token refused: it names no client (client_id claim)');
      // A client given to an Agent through another node a moment ago: the committed registry names it.
      const agent =
        agentOf(await deps.registry(), clientId) ??
        (deps.committedRegistry ? agentOf(await deps.committedRegistry(), clientId) : undefined);
      if (agent) return { agent, clientId };
      // Signed by the operator's issuer, so bounded by who that issuer serves; still cut to a sane length.
      const shown = clientId.slice(0, 200);
      deps.recordShadow(
        `oauth:${shown}`,
        `access tokens of OAuth client "${shown}", which no Agent's spec.oauthClientId names (last from ${address})`,
      );
      throw new InvalidAgentToken(`access token refused: no Agent has spec.oauthClientId "${shown}"`);
    },
  };
}

/** RFC 9068's `client_id`; Entra ID (v2) and Keycloak put the client in `azp`, Okta in `cid`, Entra v1 in `appid`. */
function clientOf(claims: Record<string, unknown>): string | undefined {
  for (const name of ['client_id', 'azp', 'cid', 'appid']) {
    const v = claims[name];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}
