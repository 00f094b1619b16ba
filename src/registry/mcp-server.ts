// McpServer rules a JSON Schema cannot express and that hold whatever the operator's settings
// (those are checked at commit, src/mcp/operator-checks.ts): the fields each transport needs, a URL
// Fulcrum can use without exposing credentials, and headers whose values are secret references.
import type { Problem } from '../errors.js';
import { headerNameProblem, urlProblem } from '../net/outbound.js';
import { secretNameProblem } from '../net/secrets.js';
import type { McpServerSpec } from './schemas.js';

export function checkMcpServer(s: McpServerSpec): Problem[] {
  if (s.transport === 'stdio') {
    if (!s.command) return [{ path: '/spec/command', message: 'a stdio McpServer needs a command' }];
    if (s.headers) return [{ path: '/spec/headers', message: 'headers are sent to http McpServers only' }];
    return [];
  }
  if (!s.url) return [{ path: '/spec/url', message: 'an http McpServer needs a url' }];
  const problems: Problem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(s.url);
  } catch {
    problems.push({ path: '/spec/url', message: 'not a URL' });
  }
  const shape = url && urlProblem(url);
  if (shape) problems.push({ path: '/spec/url', message: shape });
  for (const [name, ref] of Object.entries(s.headers ?? {})) {
    // A JSON pointer escapes ~ and / in a key.
    const at = `/spec/headers/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const bad = headerNameProblem(name);
    if (bad) problems.push({ path: at, message: bad });
    const secret = secretNameProblem(ref.env);
    if (secret) problems.push({ path: `${at}/env`, message: secret });
  }
  return problems;
}
