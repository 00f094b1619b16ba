// Which registry Tools are MCP tools, of which upstream, under which name (src/mcp/catalog.ts).
import { describe, expect, it } from 'vitest';
import type { GuardSnapshot } from '../../src/guard/snapshot.js';
import { mcpNameProblems, mcpTools, SERVER_LABEL, toolForCall } from '../../src/mcp/catalog.js';
import { visibleTools } from '../../src/mcp/visibility.js';
import { type Desired, RegistrySnapshot } from '../../src/registry/model.js';

const server = (name: string, toolPrefix?: string) =>
  ({
    kind: 'McpServer',
    name,
    labels: {},
    spec: { transport: 'stdio', command: 'x', ...(toolPrefix === undefined ? {} : { toolPrefix }) },
  }) as unknown as Desired;
const tool = (name: string, label?: string) =>
  ({
    kind: 'Tool',
    name,
    labels: label ? { [SERVER_LABEL]: label } : {},
    spec: { system: 's', effect: 'read', dataDomains: [], arguments: { type: 'object' } },
  }) as unknown as Desired;

describe('MCP tools of the registry', () => {
  it('serves no Tool named only its prefix and a dot, labelled or not (it would name no upstream tool)', () => {
    // Labelled, `crm.` was served as the upstream tool "" and shown to agents as `crm_`.
    for (const t of [tool('crm.'), tool('crm.', 'crm')]) {
      const registry = new RegistrySnapshot([server('crm'), t, tool('crm.get', 'crm')]);
      expect(mcpTools(registry).map((u) => [u.tool, u.upstreamName])).toEqual([['crm.get', 'get']]);
      expect(toolForCall(registry, 'crm_')).toBeUndefined();
      expect(toolForCall(registry, 'crm.')).toBeUndefined();
    }
  });

  it('keeps the upstream name whole under an empty prefix, and checks its MCP name against the others', () => {
    const registry = new RegistrySnapshot([server('crm'), server('raw', ''), tool('crm.get'), tool('crm_get', 'raw')]);
    expect(mcpTools(registry).map((u) => [u.tool, u.server.name, u.upstreamName])).toEqual([
      ['crm.get', 'crm', 'get'],
      ['crm_get', 'raw', 'crm_get'],
    ]);
    expect(mcpNameProblems(registry).map((p) => p.message)).toEqual([
      'Tool "crm_get" and Tool "crm.get" would both be shown to agents as the MCP tool "crm_get" (MCP names replace . : @ with _); give McpServer "raw" or "crm" another toolPrefix, or register only one of them',
    ]);
  });

  it('resolves an MCP name two Tools share (a registry from before the rule) to neither; their registry names still work', () => {
    // Written without validation, as a database from before the rule holds it.
    const registry = new RegistrySnapshot([server('crm'), tool('crm.get.order'), tool('crm.get_order')]);
    expect(mcpNameProblems(registry)).toHaveLength(1);
    expect(toolForCall(registry, 'crm_get_order')).toBeUndefined();
    expect(toolForCall(registry, 'crm.get.order')?.upstreamName).toBe('get.order');
    expect(toolForCall(registry, 'crm.get_order')?.upstreamName).toBe('get_order');
  });

  it('lists no MCP name a model API would refuse in a list (a registry from before the rule)', () => {
    const long = `crm.${'x'.repeat(61)}`;
    const registry = new RegistrySnapshot([
      server('crm'),
      tool('crm.get.order'),
      tool('crm.get_order'),
      tool(long),
      tool(`crm.${'y'.repeat(60)}`),
      tool('crm.find'),
      { kind: 'Agent', name: 'bot', labels: {}, spec: {} } as unknown as Desired,
    ]);
    // Policies that let the agent call everything: only the names decide.
    const everything = { registry, enforce: { evaluator: { evaluate: () => ({ decision: 'allow' }) }, entities: [] } };
    const listed = visibleTools(everything as unknown as GuardSnapshot, 'bot');
    expect(listed.map((u) => u.tool)).toEqual([`crm.${'y'.repeat(60)}`, 'crm.find']);
    // Still called by its registry name.
    expect(toolForCall(registry, long)?.upstreamName).toBe('x'.repeat(61));
  });
});
