// The request to a model provider: the endpoint's URL under the outbound policy (an internal address
// only if the operator allowed the host; names checked as they resolve), its credential read at call
// time and only if bound to that origin (FULCRUM_SECRET_<NAME>_ORIGINS), sent as the API's own auth
// header. A caller hears one sentence for every way this can fail; the server log hears why.
import http from 'node:http';
import https from 'node:https';
import { headerValueProblem, type OutboundPolicy } from '../net/outbound.js';
import { readSecret, secretsToHide } from '../net/secrets.js';
import type { Desired } from '../registry/model.js';
import { type Operation, PATH_OF } from './apis.js';
import { LlmError } from './errors.js';

/** The Anthropic API version sent when the client names none. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
// Client headers the provider needs to see (API versions and opt-in features); nothing else is sent on.
const PASSED_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-beta'];

export interface Target {
  url: URL;
  headers: Record<string, string>;
  agent: http.Agent;
  /**
   * The endpoint's credential in the forms a provider echoing it back may use (as sent, the header
   * value, URL-encoded: secretsToHide), so that it does not reach the agent or the log.
   */
  secrets: readonly string[];
}

export type UpstreamLog = (detail: { endpoint: string; detail: string }, message: string) => void;

/** Where and how a call to `endpoint` goes, or an LlmError (502) saying only that it cannot. */
export function targetFor(
  endpoint: Desired<'ModelEndpoint'>,
  op: Operation,
  clientHeaders: http.IncomingHttpHeaders,
  deps: { outbound: OutboundPolicy; env: NodeJS.ProcessEnv; log: UpstreamLog },
): Target {
  const s = endpoint.spec;
  const url = new URL(s.baseUrl.replace(/\/+$/, '') + PATH_OF[op]);
  const unusable = (detail: string) => {
    deps.log({ endpoint: endpoint.name, detail }, `model endpoint ${endpoint.name} not used`);
    return new LlmError(
      502,
      'upstream_unavailable',
      `model endpoint "${endpoint.name}" is not configured or not reachable (the Fulcrum server log says why)`,
    );
  };
  const refused = deps.outbound.refusal(url);
  if (refused) throw unusable(refused);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const h of PASSED_HEADERS) {
    const v = clientHeaders[h];
    if (typeof v === 'string' && v.length <= 1024 && !headerValueProblem(v)) headers[h] = v;
  }
  if (s.api === 'anthropic') headers['anthropic-version'] ??= DEFAULT_ANTHROPIC_VERSION;
  if (s.credential) {
    // Bound to the URL used now: the operator may have changed the binding since the endpoint was applied.
    const secret = readSecret(s.credential.env, url, deps.env);
    const bad = secret.ok ? headerValueProblem(secret.value) : undefined;
    if (!secret.ok || bad) throw unusable(secret.ok ? `the secret ${s.credential.env} ${bad}` : secret.reason);
    const value = s.api === 'anthropic' ? secret.value : `Bearer ${secret.value}`;
    headers[s.api === 'anthropic' ? 'x-api-key' : 'authorization'] = value;
    return { url, headers, agent: deps.outbound.agentFor(url), secrets: secretsToHide([value]) };
  }
  return { url, headers, agent: deps.outbound.agentFor(url), secrets: [] };
}

/**
 * Sends the body; resolves with the provider's response once its headers arrive. `signal` ends the
 * request at any time (client gone, the endpoint's timeout), the response's body included.
 */
export function post(target: Target, body: Buffer, stream: boolean, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = target.url.protocol === 'https:' ? https.request : http.request;
    const req = send(target.url, {
      method: 'POST',
      agent: target.agent,
      headers: {
        ...target.headers,
        accept: stream ? 'text/event-stream' : 'application/json',
        'content-length': String(body.length),
      },
      signal,
    });
    req.once('response', resolve);
    // Whether the provider may have the request: a failure after it was written (a reset while the
    // provider generates) is not "never sent", and is charged as a call cut short.
    req.once('error', (err) => reject(Object.assign(err, { requestSent: req.writableFinished })));
    req.end(body);
  });
}
