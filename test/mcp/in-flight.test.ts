// One agent's tool calls in flight are bounded per node: a batch of a hundred slow calls held the
// shared upstream connections and made another agent's echo wait 10-19 s. Refused before any decision.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createMcpGateway } from '../../src/mcp/gateway.js';
import { mcpSettings } from '../../src/mcp/index.js';
import { inFlight } from '../../src/net/in-flight.js';

describe('calls in flight per agent', () => {
  it('counts by weight, lets one oversized weight through alone, and releases once', () => {
    const f = inFlight(10);
    const a = f.enter('a', 6);
    expect(a).toBeDefined();
    expect(f.enter('a', 5)).toBeUndefined();
    const b = f.enter('b', 10);
    expect(b).toBeDefined();
    a?.();
    a?.();
    expect(f.of('a')).toBe(0);
    expect(f.enter('a', 50)).toBeDefined(); // alone, even over the bound
    expect(f.enter('a', 1)).toBeUndefined();
    b?.();
    expect(f.of('b')).toBe(0);
  });

  it("refuses an agent's call past its bound without asking the guard; other agents' calls go on", async () => {
    let asked = 0;
    let finish: () => void = () => {};
    const held = new Promise<void>((r) => {
      finish = r;
    });
    // A guard whose snapshot read waits: every call that reaches it stays in flight until `finish`.
    const guard = {
      snapshot: async () => {
        asked++;
        await held;
        throw Object.assign(new Error('stop here'), { code: -32602 });
      },
    };
    const gateway = createMcpGateway({
      guard: guard as never,
      upstreams: {} as never,
      evidence: {} as never,
      approvalWaitSeconds: 1,
      maxCallsPerAgent: 2,
    });
    const first = [
      gateway.callTool({ id: 'a', keyId: 'key_a' }, 't', {}),
      gateway.callTool({ id: 'a', keyId: 'key_a' }, 't', {}),
    ].map((p) => p.catch((e) => e));
    const third = await gateway.callTool({ id: 'a', keyId: 'key_a' }, 't', {});
    expect(third.isError).toBe(true);
    expect((third.content[0] as { text: string }).text).toBe(
      'a already has 2 tool calls in flight on this node (at most 2): call again once some have answered',
    );
    const other = gateway.callTool({ id: 'b', keyId: 'key_b' }, 't', {}).catch((e) => e);
    expect(asked).toBe(3); // a's two and b's one: the refused call asked nothing
    finish();
    await Promise.all([...first, other]);
    // Released: a may call again.
    const again = await gateway.callTool({ id: 'a', keyId: 'key_a' }, 't', {}).catch((e) => e);
    expect(again.message).toBe('stop here');
  });

  it('takes bounds of at least 1 from the environment (0 would refuse every call, not lift the bound)', () => {
    expect(mcpSettings({ FULCRUM_MCP_MAX_CALLS_PER_AGENT: '5' }).maxCallsPerAgent).toBe(5);
    expect(() => mcpSettings({ FULCRUM_MCP_MAX_CALLS_PER_AGENT: '0' })).toThrow(
      /FULCRUM_MCP_MAX_CALLS_PER_AGENT must be at least 1/,
    );
    expect(loadConfig({ FULCRUM_DATA_DIR: '/tmp/x', FULCRUM_LLM_MAX_CALLS_PER_AGENT: '3' }).llmMaxCallsPerAgent).toBe(3);
    expect(() => loadConfig({ FULCRUM_DATA_DIR: '/tmp/x', FULCRUM_LLM_MAX_BYTES_PER_AGENT: '0' })).toThrow(
      /FULCRUM_LLM_MAX_BYTES_PER_AGENT must be at least 1/,
    );
  });
});
