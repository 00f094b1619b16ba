// The registry the gateway tests run on: the mini enterprise plus two upstreams (server-everything
// over stdio as `ev`, over Streamable HTTP under the prefix `web`), their tools, two agents and policies.
import path from 'node:path';
import { readBundle } from '../support/files.js';
import { EVERYTHING } from './peers.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

export function gatewayBundle(
  httpUrl: string,
  extra = '',
  opts: { httpApprovalWaitSeconds?: number } = {},
): Array<{ path: string; content: string }> {
  const tool = (name: string, effect: string, args: string) => `
apiVersion: fulcrum/v1
kind: Tool
metadata: { name: ${name} }
spec:
  system: everything
  effect: ${effect}
  dataDomains: []
  arguments: ${args}
---`;
  const content = `
apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: ev }
spec:
  transport: stdio
  command: ${JSON.stringify(process.execPath)}
  args: [${JSON.stringify(EVERYTHING)}, stdio]
  approvalWaitSeconds: 20
---
apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: evh }
spec:
  transport: http
  url: ${httpUrl}
  toolPrefix: web${opts.httpApprovalWaitSeconds ? `\n  approvalWaitSeconds: ${opts.httpApprovalWaitSeconds}` : ''}
---
${tool('ev.echo', 'read', '{ type: object, properties: { message: { type: string } }, required: [message] }')}
${tool('ev.get-sum', 'read', '{ type: object, properties: { a: { type: integer }, b: { type: integer } }, required: [a, b] }')}
${tool('ev.get-env', 'read', '{ type: object, properties: {} }')}
${tool('ev.get-tiny-image', 'read', '{ type: object, properties: {} }')}
${tool('ev.trigger-long-running-operation', 'read', '{ type: object, properties: { duration: { type: number }, steps: { type: integer } } }')}
${tool('web.echo', 'read', '{ type: object, properties: { message: { type: string } }, required: [message] }')}
${tool('web.get-sum', 'read', '{ type: object, properties: { a: { type: integer }, b: { type: integer } }, required: [a, b] }')}
apiVersion: fulcrum/v1
kind: Archetype
metadata: { name: mcp-helper }
spec:
  description: Uses the everything server
  tools: [ev.echo, ev.get-sum, ev.get-env, ev.trigger-long-running-operation, web.echo, web.get-sum]
  dataDomains: []
  models: []
  autonomy: autonomous
  frameworks: [openai-agents-sdk]
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: mcp-bot }
spec:
  initiative: support-deflection
  archetype: mcp-helper
  owner: dana.lee
  framework: openai-agents-sdk
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: web-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [web.echo]
---
apiVersion: fulcrum/v1
kind: Policy
metadata: { name: no-env }
spec:
  description: No agent reads the upstream's environment
  cedar: |
    forbid (principal, action == Action::"ev.get-env", resource);
---
apiVersion: fulcrum/v1
kind: Policy
metadata: { name: big-sums }
spec:
  description: Large sums need a person
  cedar: |
    @approval("Sums over 100 need a person")
    forbid (principal, action in [Action::"ev.get-sum", Action::"web.get-sum"], resource) when { context.arguments.a > 100 };
${extra}`;
  return [...readBundle(MINI), { path: 'mcp.yaml', content }];
}

/** One POST to `/mcp` as a 2025-11-25 client sends it, with the agent's key; `headers` added or replacing. */
export function post(url: string, key: string, body: unknown, signal?: AbortSignal, headers: Record<string, string> = {}) {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${key}`,
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}
