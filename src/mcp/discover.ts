// An upstream tool as a registry Tool descriptor: named `<prefix>.<tool>`, its `arguments` the
// tool's inputSchema. The effect is a first guess from the MCP annotations (which are hints the
// upstream gives, not guarantees): a person reviews it before applying, since policies key on it.
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { API_VERSION } from '../registry/model.js';
import type { McpServerObject } from './catalog.js';
import { prefixOf, SERVER_LABEL } from './catalog.js';

export interface ToolDescriptor {
  apiVersion: typeof API_VERSION;
  kind: 'Tool';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    description?: string;
    system: string;
    effect: 'read' | 'write' | 'destructive';
    dataDomains: string[];
    arguments: Record<string, unknown>;
  };
}

export function toolDescriptor(server: McpServerObject, t: McpTool): ToolDescriptor {
  const effect = t.annotations?.readOnlyHint ? 'read' : t.annotations?.destructiveHint ? 'destructive' : 'write';
  const description = t.description ?? t.annotations?.title ?? t.title;
  const prefix = prefixOf(server);
  return {
    apiVersion: API_VERSION,
    kind: 'Tool',
    metadata: { name: prefix === '' ? t.name : `${prefix}.${t.name}`, labels: { [SERVER_LABEL]: server.name } },
    spec: {
      ...(description ? { description } : {}),
      system: server.name,
      effect,
      dataDomains: [],
      arguments: t.inputSchema as Record<string, unknown>,
    },
  };
}
