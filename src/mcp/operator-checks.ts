// What the operator's settings say about an McpServer a registry writer applies: a stdio command
// line must be in FULCRUM_MCP_STDIO_ALLOW, an http URL may not name an internal address outright, and
// each header secret must be bound to the URL's origin (FULCRUM_SECRET_<NAME>_ORIGINS).
// Checked at apply (a clear 422) and again when connecting (upstream.ts), since settings change.
import type { Problem } from '../errors.js';
import type { OutboundPolicy } from '../net/outbound.js';
import { secretBindingProblem } from '../net/secrets.js';
import type { Desired } from '../registry/model.js';
import { notAllowedMessage, type StdioAllowList, stdioAllowed } from './stdio.js';

export interface McpHostSettings {
  stdioAllow: StdioAllowList;
  outbound: OutboundPolicy;
  /** Where secret bindings are read (default: this process's environment, read at each check). */
  env?: NodeJS.ProcessEnv;
}

export function mcpOperatorChecks(settings: McpHostSettings): (o: Desired) => Problem[] {
  return (o) => {
    if (o.kind !== 'McpServer') return [];
    const s = (o as Desired<'McpServer'>).spec;
    const at = { kind: o.kind, name: o.name };
    if (s.transport === 'stdio' && s.command && !stdioAllowed(settings.stdioAllow, s.command, s.args))
      return [{ ...at, path: '/spec/command', message: notAllowedMessage(s.command, s.args) }];
    if (s.transport === 'http' && s.url) {
      const url = new URL(s.url);
      const why = settings.outbound.refusal(url);
      if (why) return [{ ...at, path: '/spec/url', message: why }];
      // Only the binding, never whether the secret is set: that would tell a writer which names exist.
      return Object.entries(s.headers ?? {}).flatMap(([name, ref]) => {
        const problem = secretBindingProblem(ref.env, url, settings.env ?? process.env);
        const path = `/spec/headers/${name.replaceAll('~', '~0').replaceAll('/', '~1')}/env`;
        return problem ? [{ ...at, path, message: problem }] : [];
      });
    }
    return [];
  };
}
