// The MCP gateway's logic, free of HTTP: what an agent is shown (tools/list) and what happens to a
// call (tools/call): the guard decides first (and audits), a human is waited for when a policy asks
// for one, allowed calls go to the upstream, and every forwarded call is recorded as evidence.
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { assertCan, type Principal } from '../auth/principal.js';
import { ConflictError, FulcrumError, NotFoundError } from '../errors.js';
import { APPROVAL_ID } from '../guard/decide.js';
import type { AgentCaller, DecisionResponse, GuardService } from '../guard/guard-service.js';
import { inFlight } from '../net/in-flight.js';
import { type Observability, unobserved } from '../observability.js';
import { type Desired, type RegistrySnapshot, sameSet } from '../registry/model.js';
import { mcpName, prefixOf, toolForCall, type UpstreamTool } from './catalog.js';
import { toolDescriptor } from './discover.js';
import type { CallEvidence } from './evidence.js';
import { type ParamHeader, scanParamHeaders } from './param-headers.js';
import { RPC } from './sdk.js';
import { type Progress, UpstreamError, type UpstreamPool } from './upstream.js';
import { hiddenOutright, visibleTools } from './visibility.js';

/** `_meta` key a client may set on tools/call to present an approval granted after an earlier wait ran out. */
export const APPROVAL_META = 'fulcrum/approvalId';
/** `_meta` key on every tools/call result: the decision that let the call through or refused it. */
export const DECISION_META = 'fulcrum/decisionId';

export interface GatewayDeps {
  guard: GuardService;
  upstreams: UpstreamPool;
  evidence: CallEvidence;
  /** How long a call waits for a human when its McpServer sets no `approvalWaitSeconds`. */
  approvalWaitSeconds: number;
  /** Metrics (fulcrum_mcp_calls_total, fulcrum_mcp_upstream_seconds). */
  observe?: Observability;
  /** Hears what failed inside Fulcrum during a call (the agent is told only that something did). */
  log?: (err: unknown) => void;
  /** tools/call one agent may have in flight here, a wait for a person included (default 32). */
  maxCallsPerAgent?: number;
}

export type McpGateway = ReturnType<typeof createMcpGateway>;

/** One tools/call as the gateway takes it. */
type CallArgs = [
  /** The agent, with the key it came with (a key revoked before the decision commits is refused). */
  caller: AgentCaller,
  called: string,
  args: Record<string, unknown>,
  approvalId?: string,
  /** The agent asked for progress: it hears the wait for a person, then the upstream's reports. */
  onProgress?: (p: Progress) => void,
  /** W3C trace context from the call's `_meta` (MCP's OpenTelemetry convention): the call's span joins that trace. */
  traceparent?: string,
  /** Aborted when the agent's request is gone (its connection closed before the answer). */
  gone?: AbortSignal,
];

/** Each snapshot's tools' header declarations, by the name agents call them (gateway.paramHeaders). */
const declaredHeaders = new WeakMap<RegistrySnapshot, Map<string, readonly ParamHeader[]>>();

export function createMcpGateway(deps: GatewayDeps) {
  const { guard, upstreams, evidence } = deps;
  const observe = deps.observe ?? unobserved();
  const maxCalls = deps.maxCallsPerAgent ?? 32;
  const calls = inFlight(maxCalls);

  const api = {
    async listTools(agent: string): Promise<McpTool[]> {
      try {
        const s = await guard.snapshot();
        return visibleTools(s, agent).map(({ tool }) => describeTool(s.registry.get('Tool', tool) as Desired<'Tool'>));
      } catch (err) {
        deps.log?.(err);
        throw protocolError(RPC.InternalError, 'internal error: Fulcrum could not list the tools (its log says why)');
      }
    },

    /**
     * The arguments the tool an agent calls by `called` mirrors into `Mcp-Param-*` headers (its
     * schema's `x-mcp-header` declarations; none for a name no MCP tool has). Cached per snapshot.
     */
    async paramHeaders(called: string): Promise<readonly ParamHeader[]> {
      const registry = (await guard.snapshot()).registry;
      let byName = declaredHeaders.get(registry);
      if (!byName) {
        byName = new Map();
        declaredHeaders.set(registry, byName);
      }
      let found = byName.get(called);
      if (found === undefined) {
        const tool = toolForCall(registry, called);
        const scan = tool ? scanParamHeaders(registry.get('Tool', tool.tool)?.spec.arguments) : undefined;
        // Refused at apply (registry/validate.ts); one applied before that rule is read as declaring none.
        found = scan && 'headers' in scan ? scan.headers : [];
        // Bounded: only names of MCP tools are kept (an agent may call any name).
        if (tool) byName.set(called, found);
      }
      return found;
    },

    /**
     * One tools/call. With `onProgress` (the agent asked for progress), the agent hears while the call
     * waits for a person, and then the upstream's own progress reports.
     */
    /**
     * `decideAndForward`, with what went wrong inside Fulcrum (a database error, a bug) kept out of the
     * agent's answer: it is logged, and the agent hears an internal error. Protocol errors and
     * Fulcrum's own errors (written for callers) pass as they are.
     */
    async callTool(...call: CallArgs): Promise<CallToolResult> {
      const agent = call[0].id;
      // One agent's calls (a batch of a hundred slow ones) must not hold the upstream connections
      // and the time every other agent's calls need: refused before any decision, nothing written.
      const release = calls.enter(agent);
      if (!release) {
        observe.mcpCall('refused');
        return {
          content: [
            {
              type: 'text',
              text: `${agent} already has ${calls.of(agent)} tool calls in flight on this node (at most ${maxCalls}): call again once some have answered`,
            },
          ],
          isError: true,
        };
      }
      try {
        return await api.decideAndForward(...call);
      } catch (err) {
        if (typeof (err as { code?: unknown }).code === 'number' || err instanceof FulcrumError) throw err;
        deps.log?.(err);
        throw protocolError(RPC.InternalError, 'internal error: Fulcrum could not complete this call (its log says why)');
      } finally {
        release();
      }
    },

    decideAndForward(...call: CallArgs): Promise<CallToolResult> {
      return decideAndForward(call, 0);
    },

    /** The upstream's tools as Tool descriptors, each marked whether the registry has it yet. */
    async discover(actor: Principal, serverName: string) {
      assertCan(actor, 'registry.read');
      const registry = await guard.registry();
      const server = registry.get('McpServer', serverName);
      if (!server) throw new NotFoundError(`no McpServer named "${serverName}"`);
      let tools: McpTool[];
      try {
        tools = await upstreams.listTools(server);
      } catch (err) {
        if (err instanceof UpstreamError) throw new FulcrumError('unavailable', err.message);
        throw err;
      }
      const prefix = prefixOf(server);
      return {
        server: server.name,
        prefix,
        tools: tools.map((t) => {
          const descriptor = toolDescriptor(server, t);
          return {
            name: descriptor.metadata.name,
            mcpName: mcpName(descriptor.metadata.name),
            upstreamName: t.name,
            registered: registry.has('Tool', descriptor.metadata.name),
            descriptor,
          };
        }),
      };
    },
  };
  return api;

  /**
   * One call, decided and forwarded. `again`: how many times it was decided already (the Tool it
   * names changed while it was decided, see below).
   */
  async function decideAndForward(call: CallArgs, again: number): Promise<CallToolResult> {
    const [caller, called, args, approvalId, onProgress, traceparent, gone] = call;
    const agent = caller.id;
    if (approvalId !== undefined && !APPROVAL_ID.test(approvalId))
      throw protocolError(RPC.InvalidParams, `params._meta["${APPROVAL_META}"] is not an approval id`);
    const progress = onProgress ? progressRelay(onProgress) : undefined;
    const s = await guard.snapshot();
    const registry = s.registry;
    const found = toolForCall(registry, called);
    // Not a decision: nothing by that name is served here (as MCP asks, a protocol error).
    if (!found) {
      observe.mcpCall('unknown_tool');
      // An agent that may do nothing hears why whatever it calls (see stopped below).
      if (s.status(agent) !== 'active') return stopped(agent, s.status(agent), []);
      throw protocolError(RPC.InvalidParams, `unknown tool "${called}"`);
    }
    let target: UpstreamTool = found;
    // Decisions, policies and the audit log speak the registry's name (`crm.get_order`), whichever
    // name the agent called it by.
    const name = target.tool;
    const dataDomains = registry.get('Tool', name)?.spec.dataDomains ?? [];
    const ask = (presented?: string) =>
      guard.decide(
        caller,
        {
          action: 'tool.call',
          tool: name,
          arguments: args,
          dataDomains,
          ...(presented ? { approvalId: presented } : {}),
        },
        'mcp',
      );

    /**
     * The call's Tool, read again if `dec` was made at another registry revision than the call was read
     * at (a change made through another node, seen at the commit; a wait for a person). Where it is
     * served from is taken as it is now; if what the decision was asked about changed (which Tool, the
     * data it touches), why, as a sentence.
     */
    const reread = async (dec: DecisionResponse): Promise<UpstreamTool | string> => {
      if (dec.policyVersion === s.revision) return target;
      const fresh = await guard.snapshot();
      const now = toolForCall(fresh.registry, called);
      if (!now) return `no McpServer serves "${called}" now`;
      if (now.tool !== name) return `"${called}" names Tool ${now.tool} now, not ${name}`;
      const domains = fresh.registry.get('Tool', name)?.spec.dataDomains ?? [];
      if (!sameSet(domains, dataDomains))
        return `Tool ${name}'s data domains changed from [${dataDomains.join(', ')}] to [${domains.join(', ')}]`;
      return now;
    };
    /** A decision made on the Tool as it was: not acted on; decided again, or refused where a person
     *  approved the call as it was (the approval is spent: the call needs a new one). */
    const stale = (dec: DecisionResponse, why: string, approved: boolean): Promise<CallToolResult> | CallToolResult => {
      if (dec.decision === 'allow')
        guard
          .reportOutcome(agent, dec.decisionId, {
            outcome: 'failed',
            durationMs: 0,
            error: `not forwarded: ${why} (the registry changed while the call was decided)`,
          })
          .catch((err) => deps.log?.(err));
      if (!approved && again < 2) return decideAndForward(call, again + 1);
      observe.mcpCall('refused');
      return refusal(
        `Fulcrum did not forward ${name}: the registry changed while the call was decided (${why})` +
          (approved ? '; the approval was given for the call as it was: call again to ask for a new one' : '; call again'),
        dec.decisionId,
      );
    };

    let d: DecisionResponse;
    try {
      d = await ask(approvalId);
    } catch (err) {
      // An approval that cannot be used (another call's, spent, denied): recorded as a deny.
      if (err instanceof ConflictError) {
        observe.mcpCall('refused');
        return refusal(err.message, (err.details as { decisionId?: string })?.decisionId);
      }
      throw err;
    }
    // Refused, held for a person or allowed on the Tool as it was: decided again on it as it is.
    const first = await reread(d);
    // An allow that carries an approval spent it (one the agent named, or the open one this same call
    // joined once a person approved it).
    if (typeof first === 'string') return stale(d, first, d.decision === 'allow' && d.approvalId !== undefined);
    target = first;
    if (d.decision === 'approval_required') {
      const seconds = target.server.spec.approvalWaitSeconds ?? deps.approvalWaitSeconds;
      const waited = await waitForApproval(agent, d, seconds, ask, progress, gone);
      if (typeof waited === 'string') {
        observe.mcpCall('refused');
        return refusal(waited, d.decisionId);
      }
      d = waited;
      // The call may have been let through after the registry changed again while it waited.
      if (d.decision === 'allow') {
        const after = await reread(d);
        if (typeof after === 'string') return stale(d, after, true);
        target = after;
      }
    }
    if (d.decision === 'deny') {
      observe.mcpCall('refused');
      // An agent that may do nothing hears why, whatever it called (stopped, below). Otherwise, a Tool
      // the agent is not shown and may not call with any arguments: it hears what a name nothing
      // serves hears, so a probe learns nothing from the answer; the decision is audited above, naming
      // the policies, for whoever reviews such probes (docs/mcp.md). Both asked of the registry as it
      // is now (a decision made after a change was made on it, not on the call's first read).
      const now = await guard.snapshot();
      const stops = d.reasons.filter((r) => AGENT_STOPS.has(r.policy));
      if (now.status(agent) !== 'active' || stops.length > 0) return stopped(agent, now.status(agent), stops);
      if (await hiddenOutright(now, agent, name)) throw protocolError(RPC.InvalidParams, `unknown tool "${called}"`);
      return refusal(`Fulcrum refused ${name}: ${reasons(d.reasons)}`, d.decisionId);
    }

    const startedAt = Date.now();
    const decisionId = d.decisionId;
    /** The forwarded call, in the metrics and as evidence (an `execute_tool` span of the agent). */
    const recorded = (outcome: 'forwarded' | 'upstream_error', errorType: string | null) => {
      observe.mcpCall(outcome, (Date.now() - startedAt) / 1000);
      evidence.record({
        agent,
        tool: name,
        decisionId,
        ...(traceparent ? { traceparent } : {}),
        startedAt,
        durationMs: Date.now() - startedAt,
        errorType,
      });
    };
    try {
      const result = await upstreams.callTool(target.server, target.upstreamName, args, progress?.upstream());
      recorded('forwarded', result.isError ? 'tool_error' : null);
      return { ...result, _meta: { ...(result._meta ?? {}), [DECISION_META]: decisionId } };
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      recorded('upstream_error', `upstream_${err.fault}`);
      return refusal(err.message, decisionId);
    }
  }

  /** Waits (bounded) for a person; the decision that lets the call through, or why not. */
  async function waitForApproval(
    agent: string,
    d: DecisionResponse,
    seconds: number,
    ask: (approvalId: string) => Promise<DecisionResponse>,
    progress?: ProgressRelay,
    gone?: AbortSignal,
  ): Promise<DecisionResponse | string> {
    const id = d.approvalId as string;
    // An agent that asked for progress hears why the call is waiting, now and every few seconds
    // (which also keeps a client that resets its timeout on progress from giving up).
    const started = Date.now();
    const tick = () => progress?.waiting(Math.floor((Date.now() - started) / 1000), seconds, id);
    tick();
    const ticker = progress ? setInterval(tick, WAIT_PROGRESS_MS) : undefined;
    let a: Awaited<ReturnType<GuardService['getApproval']>>;
    try {
      a = await guard.getApproval({ type: 'agent', id: agent, keyId: '' }, id, seconds, gone);
    } finally {
      clearInterval(ticker);
    }
    // Nobody is there to hear the answer: an approval granted now is left for the call's retry, which
    // would otherwise find it spent by a call whose result went nowhere (and ask again: a second run).
    if (gone?.aborted) return `the call was abandoned by its client while it waited on approval ${id}`;
    if (a.status === 'pending')
      return (
        // The time it waited: less than its bound when the node is stopping (GuardService.endWaits).
        `${reasons(d.reasons)}: approval ${id} is still pending after waiting ${Math.min(seconds, Math.round((Date.now() - started) / 1000))} s (open until ${a.expiresAt}). ` +
        'Call this tool again with the same arguments: the call waits on the same approval, and goes through once a person approves it.'
      );
    if (a.status === 'denied')
      return (
        `approval ${id} was denied by ${a.decidedBy}${a.comment ? `: ${a.comment}` : ''}. ` +
        `The same call is refused until ${a.expiresAt}; to ask again after that, call the tool again.`
      );
    if (a.status === 'expired')
      return `approval ${id} expired at ${a.expiresAt} before anyone decided it. Call the tool again to ask again.`;
    if (a.status === 'revoked') {
      const revoked = `approval ${id} was revoked (${a.revokedReason}) before the call could use it`;
      // Revoked by a suspension still in force: calling again only hears the suspension. Read at the
      // committed revision (the suspension that woke this wait may have come through another node).
      const status = (await guard.committedSnapshot()).status(agent);
      if (status === 'suspended')
        return `${revoked}: ${agentStatus(agent, status)}; once a person resumes it, call the tool again to ask a person again.`;
      if (status !== 'active') return `${revoked}: ${agentStatus(agent, status)}: it may do nothing.`;
      return `${revoked}. Call the tool again to ask a person again.`;
    }
    if (a.status !== 'approved') return `approval ${id} is ${a.status}`;
    try {
      return await ask(id);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Another identical call (its twin made at once, a retry) waited on the same approval and spent
      // it first: "already used" alone left the model to guess whether its call ran.
      const now = await guard.getApproval({ type: 'agent', id: agent, keyId: '' }, id);
      if (now.status !== 'used') return err.message;
      return (
        `approval ${id} was spent by another call with the same arguments (decision ${now.usedDecisionId}), which went through; ` +
        'this call was not made. If it is wanted too, call the tool again: that asks a person again.'
      );
    }
  }
}

/** How often a call waiting for a person reports that it still waits. */
const WAIT_PROGRESS_MS = 5000;

type ProgressRelay = ReturnType<typeof progressRelay>;

/**
 * One call's progress as the agent sees it: the wait for a person first (seconds waited), then the
 * upstream's own reports shifted past it, so the values only ever increase, as MCP requires.
 */
/** The longest progress message relayed (longer ones are cut), and how many characters of them one call relays in all. */
const PROGRESS_MESSAGE_MAX = 1_000;
const PROGRESS_CALL_MAX = 256 * 1024;

function progressRelay(send: (p: Progress) => void) {
  let last = -1;
  let relayed = 0;
  const emit = (p: Progress) => {
    if (p.progress <= last) return;
    last = p.progress;
    // What an upstream says along the way is bounded per call (its answer has its own bound): past
    // the budget, progress goes on without messages.
    const message = p.message === undefined ? undefined : p.message.slice(0, PROGRESS_MESSAGE_MAX);
    const kept = message !== undefined && relayed + message.length <= PROGRESS_CALL_MAX ? message : undefined;
    if (kept !== undefined) relayed += kept.length;
    send({
      progress: p.progress,
      ...(p.total !== undefined ? { total: p.total } : {}),
      ...(kept !== undefined ? { message: kept } : {}),
    });
  };
  return {
    waiting(elapsed: number, seconds: number, approvalId: string) {
      emit({ progress: elapsed, message: `waiting for a person to approve ${approvalId} (up to ${seconds} s)` });
    },
    /** The upstream's reports, from here on. */
    upstream(): (p: Progress) => void {
      const offset = last + 1;
      return (p) =>
        emit({
          progress: offset + p.progress,
          ...(p.total !== undefined ? { total: offset + p.total } : {}),
          ...(p.message !== undefined ? { message: p.message } : {}),
        });
    },
  };
}

/**
 * A JSON-RPC error the SDK server sends as it is (it reads `code` and `message`); the SDK's McpError
 * would prefix its code to the message, and the client prefixes it again.
 */
export function protocolError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function describeTool(t: Desired<'Tool'>): McpTool {
  const schema = t.spec.arguments as McpTool['inputSchema'];
  return {
    name: mcpName(t.name),
    // Models choose tools by their descriptions; a Tool without one still says what it touches.
    description: t.spec.description ?? `${t.name}: a ${t.spec.effect} tool of ${t.spec.system}`,
    // MCP requires an object schema at the top; a registry Tool's arguments always describe an object.
    inputSchema: { ...schema, type: 'object' },
    annotations: {
      readOnlyHint: t.spec.effect === 'read',
      destructiveHint: t.spec.effect === 'destructive',
    },
  };
}

function reasons(list: DecisionResponse['reasons']): string {
  return list.map((r) => (r.message ? `${r.policy} (${r.message})` : r.policy)).join('; ');
}

/** The built-in rules that stop an agent whatever it calls: its status, its initiative's stage or tier. */
const AGENT_STOPS = new Set(['builtin/agent-status', 'builtin/initiative-stage', 'builtin/prohibited-initiative']);

/**
 * What an agent that may do nothing hears for every call: why, and nothing of the Tool. An agent
 * suspended or retired hears the same words for a Tool it was shown, one it never was and a name
 * nothing serves, so being stopped does not become a way to map which Tools exist and what guards
 * them; no decision id is sent (none comes with a name nothing serves), and a known Tool's call is
 * decided and audited all the same. One stopped by its initiative (its stage, a prohibited tier) hears
 * the rule and its description; a name nothing serves is still `unknown tool` for it (docs/mcp.md).
 */
function stopped(agent: string, status: string, stops: DecisionResponse['reasons']): CallToolResult {
  if (status === 'suspended')
    return refusal(`Fulcrum refused the call: ${agentStatus(agent, status)}; a person must resume it`, undefined);
  if (status !== 'active')
    return refusal(`Fulcrum refused the call: ${agentStatus(agent, status)}: it may do nothing`, undefined);
  return refusal(`Fulcrum refused the call: ${reasons(stops)}`, undefined);
}

/** What a stopped agent is told of its status, with the rule: one wording for every answer that says it. */
function agentStatus(agent: string, status: string): string {
  return status === 'suspended'
    ? `agent ${agent} is suspended (builtin/agent-status, the kill switch)`
    : `agent ${agent} is ${status} (builtin/agent-status)`;
}

function refusal(message: string, decisionId: string | undefined): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: message }],
    ...(decisionId ? { _meta: { [DECISION_META]: decisionId } } : {}),
  };
}
