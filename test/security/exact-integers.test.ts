// An agent's call arguments are decided on and passed on as sent. JSON reads a number past ±(2^53 − 1)
// as the nearest double, silently: an argument the Tool's schema does not type (an account number
// 1234567890123456789 beside the typed ones) was decided on, approved and passed on as
// 1234567890123456800. A typed integer past that was refused already; an untyped number is now too,
// audited, as `invalid-arguments`, and the same value as a string goes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('numbers past ±(2^53 − 1) in call arguments, on %s', (engine) => {
  let t: TestServer;
  let key: string;

  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  /** crm.lookup types customerId only: `account` is an argument its schema does not type. */
  const decide = async (account: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      headers: { 'content-type': 'application/json' },
      payload: `{"action":"tool.call","tool":"crm.lookup","arguments":{"customerId":"C-1","account":${account}}}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { decision: string; decisionId: string; reasons: Array<{ policy: string; message?: string }> };
  };

  it('refuses, audited, an untyped number JSON may have rounded, and decides it sent as a string', async () => {
    const rounded = await decide('1234567890123456789');
    expect(rounded.decision).toBe('deny');
    expect(rounded.reasons).toEqual([
      expect.objectContaining({
        policy: 'invalid-arguments',
        message: expect.stringContaining(
          '/account 1234567890123456800 is past ±(2^53 − 1), where JSON numbers lose digits: send it as a string',
        ),
      }),
    ]);
    const audit = (await t.request({ method: 'GET', url: '/v1/audit?agent=support-bot-eu&limit=20' })).json().items as Array<{
      id: string;
      decision: string;
    }>;
    expect(audit.find((e) => e.id === rounded.decisionId)?.decision).toBe('deny');
    expect((await decide('"1234567890123456789"')).decision).toBe('allow');
    expect((await decide('-1234567890123456789')).decision).toBe('deny');
  });

  it('decides numbers JSON holds exactly as before: the largest safe integer, fractions, nested ones', async () => {
    expect((await decide('9007199254740991')).decision).toBe('allow');
    expect((await decide('-9007199254740991')).decision).toBe('allow');
    expect((await decide('1.5')).decision).toBe('allow');
    expect((await decide('{"ids":[1,2,3]}')).decision).toBe('allow');
    expect((await decide('{"ids":[1,9007199254740993]}')).reasons[0]?.message).toContain(
      '/account/ids/1 9007199254740992 is past',
    );
  });

  it('refuses an MCP request whose JSON-RPC id JSON cannot hold exactly, on both protocol versions', async () => {
    const mcp = (id: string, version: string) =>
      t.request({
        method: 'POST',
        url: '/mcp',
        token: key,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': version,
          ...(version === '2026-07-28' ? { 'mcp-method': 'tools/list' } : {}),
        },
        payload: `{"jsonrpc":"2.0","id":${id},"method":"tools/list","params":${version === '2026-07-28' ? `{"_meta":{"io.modelcontextprotocol/protocolVersion":"${version}","io.modelcontextprotocol/clientCapabilities":{}}}` : '{}'}}`,
      });
    for (const version of ['2025-11-25', '2026-07-28']) {
      // Answered with id 9007199254740992, the client would never match it to its request.
      const past = await mcp('9007199254740993', version);
      expect(past.statusCode, past.body).toBe(400);
      expect(past.json()).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32600,
          message:
            'Invalid Request: a JSON-RPC id must be a string or an integer within ±(2^53 − 1); this one reads as 9007199254740992: JSON numbers past that lose digits, and the answer could not carry the id sent (send it as a string)',
        },
      });
      expect((await mcp('1e400', version)).json().error.message).toMatch(/this one reads as Infinity:/);
      // The largest exact integer, and the same digits as a string, are answered with the id sent.
      const safe = await mcp('9007199254740991', version);
      expect(safe.statusCode, safe.body).toBe(200);
      expect(safe.body).toContain('"id":9007199254740991');
      expect((await mcp('"9007199254740993"', version)).json().id).toBe('9007199254740993');
    }
  });
});
