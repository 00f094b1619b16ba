// ModelEndpoint rules a JSON Schema cannot express, and the operator's word on them. The same
// outbound policy and secret bindings as an http McpServer (src/net/*, docs/security.md): a URL
// that carries no credentials, a credential that is a FULCRUM_SECRET_ name, sent only to the origins
// FULCRUM_SECRET_<NAME>_ORIGINS lists. Checked at apply and again on every call (settings change).
import type { Problem } from '../errors.js';
import { type OutboundPolicy, urlProblem } from '../net/outbound.js';
import { secretBindingProblem, secretNameProblem } from '../net/secrets.js';
import type { Desired } from '../registry/model.js';
import type { ModelEndpointSpec } from '../registry/schemas.js';

/** Whatever the settings: a usable http(s) URL without credentials, query or fragment; a secret name. */
export function checkModelEndpoint(s: ModelEndpointSpec): Problem[] {
  const problems: Problem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(s.baseUrl);
  } catch {
    problems.push({ path: '/spec/baseUrl', message: 'not a URL' });
  }
  const shape = url && (urlProblem(url) ?? (url.search || url.hash ? 'a base URL has no query or fragment' : undefined));
  if (shape) problems.push({ path: '/spec/baseUrl', message: shape });
  const secret = s.credential && secretNameProblem(s.credential.env);
  if (secret) problems.push({ path: '/spec/credential/env', message: secret });
  const tiers = s.api === 'anthropic' ? ['standard_only'] : ['default', 'flex'];
  if (s.serviceTier !== undefined && !tiers.includes(s.serviceTier))
    problems.push({
      path: '/spec/serviceTier',
      message: `${s.serviceTier} is not a service tier of the ${s.api} API: use ${tiers.join(' or ')}`,
    });
  if (s.outputLimit !== undefined && s.api !== 'openai')
    problems.push({
      path: '/spec/outputLimit',
      message: `is for openai endpoints: every call of the ${s.api} API sets its own max_tokens`,
    });
  return problems;
}

export interface LlmHostSettings {
  outbound: OutboundPolicy;
  /** Where secret bindings are read (default: this process's environment, read at each check). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The operator's settings applied to a ModelEndpoint being written: its URL may not name an internal
 * address outright, and its credential must be bound to the URL's origin. Only the binding is
 * checked, never whether the secret is set: that would tell a registry writer which names exist.
 * For the registry's `operatorChecks`, beside mcpOperatorChecks.
 */
export function llmOperatorChecks(settings: LlmHostSettings): (o: Desired) => Problem[] {
  return (o) => {
    if (o.kind !== 'ModelEndpoint') return [];
    const s = (o as Desired<'ModelEndpoint'>).spec;
    const at = { kind: o.kind, name: o.name };
    let url: URL;
    try {
      url = new URL(s.baseUrl);
    } catch {
      return []; // reported by checkModelEndpoint
    }
    const why = settings.outbound.refusal(url);
    if (why) return [{ ...at, path: '/spec/baseUrl', message: why }];
    const problem = s.credential && secretBindingProblem(s.credential.env, url, settings.env ?? process.env);
    return problem ? [{ ...at, path: '/spec/credential/env', message: problem }] : [];
  };
}
