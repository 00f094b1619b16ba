// Mcp-Method / Mcp-Name on /mcp, both protocol generations side by side: a 2025-11-25 request that
// carries 2026-07-28's routing headers is held to the rule the 2026 path (the SDK 2.x server)
// applies, so a client accepted on one is accepted on the other, and a mismatch refused on one is
// refused on the other. The tools need not exist: the headers are checked before anything is decided.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMini, type TestServer } from '../support/server.js';
import { post } from './fixture.js';

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
const call = (name: unknown) => ['tools/call', { name, arguments: {} }] as const;

type Case = [string, readonly [string, Record<string, unknown>], Record<string, string>, 'accepted' | 'refused'];
const CASES: Case[] = [
  [
    'Mcp-Name as the body names the tool',
    call('crm_lookup'),
    { 'mcp-method': 'tools/call', 'mcp-name': 'crm_lookup' },
    'accepted',
  ],
  [
    'Mcp-Name base64-encoded, a plain name',
    call('crm_lookup'),
    { 'mcp-method': 'tools/call', 'mcp-name': b64('crm_lookup') },
    'accepted',
  ],
  ['Mcp-Name base64-encoded, a name with é', call('crm_é'), { 'mcp-method': 'tools/call', 'mcp-name': b64('crm_é') }, 'accepted'],
  [
    'a name shaped like the encoded form, encoded',
    call('=?base64?YQ==?='),
    { 'mcp-method': 'tools/call', 'mcp-name': b64('=?base64?YQ==?=') },
    'accepted',
  ],
  [
    'a name shaped like the encoded form, sent as it is (it reads as "a")',
    call('=?base64?YQ==?='),
    { 'mcp-method': 'tools/call', 'mcp-name': '=?base64?YQ==?=' },
    'refused',
  ],
  ['Mcp-Name naming another tool', call('crm_lookup'), { 'mcp-method': 'tools/call', 'mcp-name': 'crm_refund' }, 'refused'],
  [
    'Mcp-Name encoding another tool',
    call('crm_lookup'),
    { 'mcp-method': 'tools/call', 'mcp-name': b64('crm_refund') },
    'refused',
  ],
  ['Mcp-Name encoded, not canonical base64', call('a'), { 'mcp-method': 'tools/call', 'mcp-name': '=?base64?YQ?=' }, 'refused'],
  ['Mcp-Name encoded, not UTF-8', call('\u00ff'), { 'mcp-method': 'tools/call', 'mcp-name': '=?base64?/w==?=' }, 'refused'],
  ['Mcp-Method without Mcp-Name', call('crm_lookup'), { 'mcp-method': 'tools/call' }, 'refused'],
  ['Mcp-Name without Mcp-Method', call('crm_lookup'), { 'mcp-name': 'crm_lookup' }, 'refused'],
  ['Mcp-Method naming another method', call('crm_lookup'), { 'mcp-method': 'tools/list', 'mcp-name': 'crm_lookup' }, 'refused'],
  ['Mcp-Method alone on a list', ['tools/list', {}], { 'mcp-method': 'tools/list' }, 'accepted'],
  ['Mcp-Name on a method that has no name', ['tools/list', {}], { 'mcp-method': 'tools/list', 'mcp-name': 'x' }, 'accepted'],
  // A notification (no id): only a mismatched Mcp-Method is refused.
  ['a notification with Mcp-Name alone', ['notifications/roots/list_changed', {}], { 'mcp-name': 'x' }, 'accepted'],
  [
    'a notification with its Mcp-Method',
    ['notifications/roots/list_changed', {}],
    { 'mcp-method': 'notifications/roots/list_changed' },
    'accepted',
  ],
  ['a notification naming another method', ['notifications/roots/list_changed', {}], { 'mcp-method': 'tools/list' }, 'refused'],
];

describe('Mcp-Method and Mcp-Name on 2025-11-25 and 2026-07-28', () => {
  let t: TestServer;
  let url: string;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini('sqlite'));
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  const send = async (version: string, [method, params]: Case[1], headers: Record<string, string>) => {
    const envelope = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
    const body = {
      jsonrpc: '2.0',
      ...(method.startsWith('notifications/') ? {} : { id: 1 }),
      method,
      params: version === MODERN ? { ...params, _meta: envelope } : params,
    };
    const res = await post(url, key, body, undefined, { 'mcp-protocol-version': version, ...headers });
    const text = await res.text();
    // A refusal for the headers is a 400 saying which header; anything else got past them.
    if (res.status === 400 && /Mcp-(Method|Name)/i.test(text)) return 'refused';
    expect([200, 202], text).toContain(res.status);
    return 'accepted';
  };

  it.each(CASES)('%s', async (_name, message, headers, verdict) => {
    expect({ [MODERN]: await send(MODERN, message, headers), [LEGACY]: await send(LEGACY, message, headers) }).toEqual({
      [MODERN]: verdict,
      [LEGACY]: verdict,
    });
  });
});
