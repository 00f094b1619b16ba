// Which registry Tools are MCP tools, and of which upstream: a Tool named `<prefix>.<tool>` belongs
// to the McpServer whose prefix (its `toolPrefix`, else its name) it starts with, unless a label
// names its server.
import type { Problem } from '../errors.js';
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
    // As without the label: a name that is the prefix alone (`crm.`) names no upstream tool.
    if (server && tool.startsWith(prefix) && tool.length > prefix.length)
      best = { tool, server, upstreamName: tool.slice(prefix.length) };
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

/** What the OpenAI and Anthropic APIs (and so the models behind every agent framework) accept as a tool name. */
export const MCP_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MCP_NAME_MAX = 64;

/**
 * The name agents see for a registry Tool: the Tool's name with every character a model API refuses
 * (registry names may hold `.`, `:` and `@`) replaced by `_`. `crm.get_order` is `crm_get_order`.
 * Registry names, policies and the audit log keep the registry name; only MCP shows this one.
 */
export function mcpName(tool: string): string {
  return tool.replace(/[^a-zA-Z0-9_-]/g, '_');
}

const shown = new WeakMap<RegistrySnapshot, UpstreamTool[]>();

/**
 * The MCP tools tools/list may show: those whose MCP name a model API accepts in a list. An apply
 * refuses the others (two Tools under one name, a name over 64 characters), but a registry written
 * before that rule may hold them, and one such name in an agent's list makes the model API refuse
 * the agent's every request. Each is still called by its registry name.
 */
export function shownTools(registry: RegistrySnapshot): UpstreamTool[] {
  let tools = shown.get(registry);
  if (!tools) {
    const all = mcpTools(registry);
    const count = new Map<string, number>();
    for (const u of all) count.set(mcpName(u.tool), (count.get(mcpName(u.tool)) ?? 0) + 1);
    tools = all.filter((u) => count.get(mcpName(u.tool)) === 1 && MCP_NAME_PATTERN.test(mcpName(u.tool)));
    shown.set(registry, tools);
  }
  return tools;
}

/** Per registry snapshot: each MCP name's Tool, or null where two Tools have it. */
const byMcpName = new WeakMap<RegistrySnapshot, Map<string, string | null>>();

/**
 * The registry Tool an agent's tools/call names: its MCP name (what tools/list shows), or its
 * registry name (the dotted names agents were shown before, which keep working). Undefined when no
 * MCP-served Tool has that name, or when two have that MCP name: an apply refuses that, but a
 * registry written before the rule (or by a node that predates it) may hold it, and the call must
 * not reach whichever of the two happens to come last.
 */
export function toolForCall(registry: RegistrySnapshot, name: string): UpstreamTool | undefined {
  // A registry Tool of that name that no McpServer serves does not hide the MCP tool shown under it.
  const direct = registry.has('Tool', name) ? resolveTool(registry, name) : undefined;
  if (direct) return direct;
  let names = byMcpName.get(registry);
  if (!names) {
    names = new Map();
    for (const u of mcpTools(registry)) {
      const shown = mcpName(u.tool);
      names.set(shown, names.has(shown) ? null : u.tool);
    }
    byMcpName.set(registry, names);
  }
  const tool = names.get(name);
  return tool == null ? undefined : resolveTool(registry, tool);
}

/**
 * An apply may not expose two MCP tools under one name, or a name a model API refuses as too long:
 * the agent could not tell them apart, or could not be given the tool at all. Each problem names
 * both Tools.
 */
export function mcpNameProblems(registry: RegistrySnapshot): Problem[] {
  const problems: Problem[] = [];
  // Two McpServers with one prefix would split its Tools by which name sorts first: adding a server
  // could silently move a reviewed Tool to another upstream. (An empty prefix claims nothing by name.)
  const byPrefix = new Map<string, string>();
  for (const server of registry.list('McpServer')) {
    const prefix = prefixOf(server);
    if (prefix === '') continue;
    const first = byPrefix.get(prefix);
    if (first !== undefined)
      problems.push({
        kind: 'McpServer',
        name: server.name,
        path: server.spec.toolPrefix === undefined ? '/metadata/name' : '/spec/toolPrefix',
        message: `McpServer "${server.name}" and McpServer "${first}" both claim the tool prefix "${prefix}"; give one another toolPrefix`,
      });
    else byPrefix.set(prefix, server.name);
  }
  // Nor may a Tool fall under two prefixes (`up` and `up.x` both match `up.x.y`) unless its label says
  // which server serves it: the longer prefix would take it over from the upstream it was reviewed
  // for, the moment a server claiming it were added.
  const servers = registry.list('McpServer').filter((m) => prefixOf(m) !== '');
  for (const t of registry.list('Tool')) {
    if (t.labels[SERVER_LABEL] !== undefined) continue;
    const claiming = servers.filter((m) => t.name.startsWith(`${prefixOf(m)}.`) && t.name.length > prefixOf(m).length + 1);
    if (claiming.length > 1)
      problems.push({
        kind: 'Tool',
        name: t.name,
        path: '/metadata/labels',
        message: `Tool "${t.name}" falls under the prefixes of ${claiming.map((m) => `McpServer "${m.name}" ("${prefixOf(m)}")`).join(' and ')}; label it ${SERVER_LABEL}: <server> to say which serves it`,
      });
  }
  // What to do about a name: the part after the prefix is the upstream tool's own name, which the
  // registry cannot rename (renaming the Tool would name another upstream tool).
  const seen = new Map<string, UpstreamTool>();
  for (const u of mcpTools(registry)) {
    const { tool } = u;
    const name = mcpName(tool);
    if (name.length > MCP_NAME_MAX)
      problems.push({
        kind: 'Tool',
        name: tool,
        path: '/metadata/name',
        message:
          `its MCP name "${name}" is ${name.length} characters; models accept at most ${MCP_NAME_MAX}: ` +
          (prefixOf(u.server) === ''
            ? `the upstream tool's own name "${u.upstreamName}" is too long to expose`
            : `give McpServer "${u.server.name}" a shorter toolPrefix (the part after it, "${u.upstreamName}", is the upstream tool's own name)`),
      });
    const first = seen.get(name);
    if (first !== undefined)
      problems.push({
        kind: 'Tool',
        name: tool,
        path: '/metadata/name',
        message:
          `Tool "${tool}" and Tool "${first.tool}" would both be shown to agents as the MCP tool "${name}" (MCP names replace . : @ with _); ` +
          (first.server.name === u.server.name
            ? `register only one of them (after the toolPrefix, each is the upstream tool's own name)`
            : `give McpServer "${u.server.name}" or "${first.server.name}" another toolPrefix, or register only one of them`),
      });
    else seen.set(name, u);
  }
  return problems;
}
