// Which registry Tools are MCP tools, and of which upstream: a Tool named `<prefix>.<tool>` belongs
// to the McpServer whose prefix (its `toolPrefix`, else its name) it starts with, unless a label
// names its server.
import type { Desired, RegistrySnapshot } from '../registry/model.js';

export type McpServerObject = Desired<'McpServer'>;

export interface UpstreamTool {
  /** The registry Tool (and the name agents see). */
  tool: string;
  server: McpServerObject;
  /** The tool's name on the upstream. */
  upstreamName: string;
}

export function prefixOf(server: McpServerObject): string {
  return server.spec.toolPrefix ?? server.name;
}

// Resolution is cached per registry snapshot: it is immutable, and tools/call resolves on every call.
const cache = new WeakMap<RegistrySnapshot, Map<string, UpstreamTool | null>>();

/** The label that ties a Tool to its McpServer explicitly (`fulcrum mcp discover` writes it). */
export const SERVER_LABEL = 'fulcrum/mcp-server';

/**
 * The upstream a Tool is served by. The Tool's `fulcrum/mcp-server` label names it when set (needed
 * with an empty `toolPrefix`, which keeps the upstream's own names); otherwise the longest matching
 * prefix wins (`crm.eu.` before `crm.`).
 */
export function resolveTool(registry: RegistrySnapshot, tool: string): UpstreamTool | undefined {
  let byTool = cache.get(registry);
  if (!byTool) {
    byTool = new Map();
    cache.set(registry, byTool);
  }
  const hit = byTool.get(tool);
  if (hit !== undefined) return hit ?? undefined;
  const labelled = registry.get('Tool', tool)?.labels[SERVER_LABEL];
  let best: UpstreamTool | undefined;
  if (labelled !== undefined) {
    const server = registry.get('McpServer', labelled);
    const prefix = server && prefixOf(server) !== '' ? `${prefixOf(server)}.` : '';
    if (server && tool.startsWith(prefix)) best = { tool, server, upstreamName: tool.slice(prefix.length) };
  } else
    for (const server of registry.list('McpServer')) {
      if (prefixOf(server) === '') continue;
      const prefix = `${prefixOf(server)}.`;
      if (!tool.startsWith(prefix) || tool.length === prefix.length) continue;
      if (!best || prefix.length > prefixOf(best.server).length + 1)
        best = { tool, server, upstreamName: tool.slice(prefix.length) };
    }
  byTool.set(tool, best ?? null);
  return best;
}

/** Every registry Tool that some McpServer serves. */
export function mcpTools(registry: RegistrySnapshot): UpstreamTool[] {
  const out: UpstreamTool[] = [];
  for (const t of registry.list('Tool')) {
    const u = resolveTool(registry, t.name);
    if (u) out.push(u);
  }
  return out;
}
