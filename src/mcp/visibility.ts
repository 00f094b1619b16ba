// Which MCP tools an agent is shown: those the enforced policies would not refuse outright.
// A tool is asked about without arguments and with the data domains it declares. Cedar skips a
// policy whose condition reads an argument that is absent, so a forbid conditioned on arguments
// (a refund limit) does not hide the tool, while an unconditional forbid or a missing permit does;
// the call itself is decided with its real arguments. Tools that need approval are shown.
import type { CedarValueJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { GuardSnapshot } from '../guard/snapshot.js';
import { shownTools, type UpstreamTool } from './catalog.js';

// Per snapshot (immutable, replaced on every registry change) and agent: tools/list is frequent.
const cache = new WeakMap<GuardSnapshot, Map<string, UpstreamTool[]>>();

export function visibleTools(s: GuardSnapshot, agent: string): UpstreamTool[] {
  let byAgent = cache.get(s);
  if (!byAgent) {
    byAgent = new Map();
    cache.set(s, byAgent);
  }
  let tools = byAgent.get(agent);
  if (!tools) {
    tools = s.registry.has('Agent', agent) ? shownTools(s.registry).filter((t) => mayCall(s, agent, t.tool)) : [];
    byAgent.set(agent, tools);
  }
  return tools;
}

function mayCall(s: GuardSnapshot, agent: string, tool: string): boolean {
  const domains = s.registry.get('Tool', tool)?.spec.dataDomains ?? [];
  const r = s.enforce.evaluator.evaluate(
    {
      principal: { type: 'Agent', id: agent },
      action: { type: 'Action', id: tool },
      resource: { type: 'Tool', id: tool },
      context: {
        arguments: {} as CedarValueJson,
        dataDomains: domains.map((d) => ({ __entity: { type: 'DataDomain', id: d } })),
      },
    },
    s.enforce.entities,
  );
  return r.decision === 'allow';
}
