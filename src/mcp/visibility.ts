// Which MCP tools an agent is shown: those the enforced policies would not refuse outright.
// A tool is asked about without arguments and with the data domains it declares. Cedar skips a
// policy whose condition reads an argument that is absent, so a forbid conditioned on arguments
// (a refund limit) does not hide the tool, while an unconditional forbid or a missing permit does;
// the call itself is decided with its real arguments. Tools that need approval are shown.
import type { CedarValueJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { GuardSnapshot } from '../guard/snapshot.js';
import { PreparedEntities } from '../policy/compiled-evaluator.js';
import { deniedWhateverArguments } from '../policy/partial.js';
import type { EntityJson } from '../policy/types.js';
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

/** The request tools/list asks about `tool`: no arguments, the data domains the Tool declares. */
function asked(s: GuardSnapshot, agent: string, tool: string) {
  const domains = s.registry.get('Tool', tool)?.spec.dataDomains ?? [];
  return {
    principal: { type: 'Agent', id: agent },
    action: { type: 'Action', id: tool },
    resource: { type: 'Tool', id: tool },
    context: {
      arguments: {} as CedarValueJson,
      dataDomains: domains.map((d) => ({ __entity: { type: 'DataDomain', id: d } })) as CedarValueJson,
    },
  };
}

function mayCall(s: GuardSnapshot, agent: string, tool: string): boolean {
  return s.enforce.evaluator.evaluate(asked(s, agent, tool), s.enforce.entities).decision === 'allow';
}

// Per snapshot and agent, as the listing: a probe of many tools costs one partial evaluation each,
// made in cedar-wasm's worker (partial.ts); calls asking the same question meanwhile share its answer.
const hidden = new WeakMap<GuardSnapshot, Map<string, Promise<boolean>>>();

/**
 * Whether `tool` is hidden from `agent` outright: not in its tools/list, and no arguments could let
 * a call of it through (Cedar's partial evaluation, the arguments unknown, says deny). A Tool hidden
 * only because a permit reads arguments (the listing asks with none) is not: some call of it may be
 * allowed. Any doubt (Cedar cannot say) counts as "may be allowed".
 */
export function hiddenOutright(s: GuardSnapshot, agent: string, tool: string): Promise<boolean> {
  if (visibleTools(s, agent).some((t) => t.tool === tool)) return Promise.resolve(false);
  let byKey = hidden.get(s);
  if (!byKey) {
    byKey = new Map();
    hidden.set(s, byKey);
  }
  const key = `${agent}\n${tool}`;
  let answer = byKey.get(key);
  if (answer === undefined) {
    const entities = s.enforce.entities;
    const json = entities instanceof PreparedEntities ? entities.json : (entities as EntityJson[]);
    const enforced = s.policies.filter((p) => p.mode === 'enforce' && p.approval === undefined);
    answer = deniedWhateverArguments(
      enforced.map((p) => ({ id: p.id, text: p.text })),
      json,
      asked(s, agent, tool),
    );
    byKey.set(key, answer);
  }
  return answer;
}
