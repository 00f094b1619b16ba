// 2026-07-28's custom headers from tool parameters (SEP-2243) on /mcp: a Tool whose arguments mark a
// property `x-mcp-header` has it mirrored by clients into `Mcp-Param-*`, and a call whose headers
// disagree with its arguments is refused (400, -32020) before anything is decided, so that what a
// proxy or firewall routed on is what the call does. Found with @modelcontextprotocol/conformance
// 0.2.0-alpha.12 (http-custom-header-server-validation): such headers were not read at all. The real
// SDK 2.x client, which builds the headers, goes through; declarations a client would refuse are
// refused at apply.

import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { gatewayBundle, post } from './fixture.js';
import { closedPort, EVERYTHING, operatorAllows } from './peers.js';

const MODERN = '2026-07-28';
const envelope = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;
const PLAIN_ECHO = '{ type: object, properties: { message: { type: string } }, required: [message] }';
const HEADER_ECHO = `{ type: object, properties: { message: { type: string, x-mcp-header: Message }, loud: { type: boolean, x-mcp-header: Loud } }, required: [message] }`;

describe('Mcp-Param-* headers on /mcp', () => {
  let t: TestServer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    t = await startTestServer('sqlite', operatorAllows([process.execPath, EVERYTHING, 'stdio']));
    // ev.echo mirrors its arguments into headers; web.echo (the same upstream tool elsewhere) does not.
    const files = gatewayBundle(`http://127.0.0.1:${await closedPort()}/mcp`).map((f) =>
      f.path === 'mcp.yaml' ? { ...f, content: f.content.replace(PLAIN_ECHO, HEADER_ECHO) } : f,
    );
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/mcp-bot/keys' })).json().key;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  it('takes a call from the SDK 2.x client pinned to 2026-07-28, which mirrors the arguments itself', async () => {
    const c = new Client({ name: 'v2', version: '2' }, { versionNegotiation: { mode: { pin: MODERN } } });
    await c.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
    );
    try {
      const tools = (await c.listTools()).tools;
      expect(tools.find((x) => x.name === 'ev_echo')?.inputSchema.properties?.message).toMatchObject({
        'x-mcp-header': 'Message',
      });
      // Non-ASCII and surrounding spaces: the client sends these in the =?base64?…?= form.
      for (const message of ['plain words', ' héllo wörld ']) {
        const r = (await c.callTool({ name: 'ev_echo', arguments: { message, loud: true } })) as {
          isError?: boolean;
          content: Array<{ text?: string }>;
        };
        expect(r.isError ?? false, JSON.stringify(r)).toBe(false);
        expect(r.content[0]?.text).toContain(message);
      }
    } finally {
      await c.close();
    }
  });

  const modern = (args: Record<string, unknown>, headers: Record<string, string>) =>
    post(
      url,
      key,
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'ev_echo', arguments: args, _meta: envelope } },
      undefined,
      {
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/call',
        'mcp-name': 'ev_echo',
        ...headers,
      },
    );

  it.each([
    ['the header as the argument', { message: 'hi' }, { 'mcp-param-message': 'hi' }],
    ['the header with spaces around it', { message: 'hi' }, { 'mcp-param-message': '  hi ' }],
    ['the header in the encoded form', { message: 'héllo' }, { 'mcp-param-message': b64('héllo') }],
    ['a boolean as true', { message: 'hi', loud: true }, { 'mcp-param-message': 'hi', 'mcp-param-loud': 'true' }],
    [
      'an argument shaped like the encoded form, encoded',
      { message: '=?base64?YQ==?=' },
      { 'mcp-param-message': b64('=?base64?YQ==?=') },
    ],
  ])('accepts %s (2026-07-28)', async (_label, args, headers) => {
    const res = await modern(args, headers);
    const body = (await res.json()) as { result?: { content: Array<{ text: string }> }; error?: unknown };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.result?.content[0]?.text).toContain(args.message);
  });

  it.each([
    ['the header missing', { message: 'hi' }, {}, 'Mcp-Param-Message is missing; it must repeat arguments.message'],
    [
      'another value',
      { message: 'refund 10' },
      { 'mcp-param-message': 'refund 1' },
      'Mcp-Param-Message does not match arguments.message',
    ],
    [
      'the encoded form of another value',
      { message: 'a' },
      { 'mcp-param-message': b64('b') },
      'Mcp-Param-Message does not match arguments.message',
    ],
    [
      'bad base64',
      { message: 'a' },
      { 'mcp-param-message': '=?base64?YQ?=' },
      'Mcp-Param-Message has the =?base64?…?= form but is not canonical base64 of UTF-8',
    ],
    [
      'an argument shaped like the encoded form, sent as it is',
      { message: '=?base64?YQ==?=' },
      { 'mcp-param-message': '=?base64?YQ==?=' },
      'Mcp-Param-Message does not match arguments.message',
    ],
    [
      'a header for an argument not sent',
      { message: 'hi' },
      { 'mcp-param-message': 'hi', 'mcp-param-loud': 'false' },
      'Mcp-Param-Loud is sent but arguments.loud is absent',
    ],
    [
      'a boolean spelled otherwise',
      { message: 'hi', loud: true },
      { 'mcp-param-message': 'hi', 'mcp-param-loud': 'True' },
      'Mcp-Param-Loud does not match arguments.loud',
    ],
  ])('refuses %s (2026-07-28: 400, -32020), deciding nothing', async (_label, args, headers, why) => {
    const before = (await t.request({ method: 'GET', url: '/v1/audit?limit=1' })).json();
    expect(before.items).toHaveLength(1);
    const res = await modern(args, headers);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32020, message: `Header mismatch: ${why}` } });
    expect((await t.request({ method: 'GET', url: '/v1/audit?limit=1' })).json()).toEqual(before);
  });

  it('checks a 2025-11-25 call on the headers it sends, and needs none', async () => {
    const legacy = (headers: Record<string, string>) =>
      post(
        url,
        key,
        { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'ev_echo', arguments: { message: 'old' } } },
        undefined,
        headers,
      );
    expect((await legacy({})).status).toBe(200);
    expect((await legacy({ 'mcp-param-message': 'old' })).status).toBe(200);
    const wrong = await legacy({ 'mcp-param-message': 'new' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: { code: -32000, message: 'Bad Request: Mcp-Param-Message does not match arguments.message' },
    });
  });

  it('refuses Mcp-Param-* headers on a batch, which they cannot describe', async () => {
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'ev_echo', arguments: { message: 'b' } },
    });
    const res = await post(url, key, [call(10), call(11)], undefined, { 'mcp-param-message': 'b' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: -32000, message: 'Bad Request: Mcp-Param-* headers describe one tools/call, not a batch' },
    });
    expect((await post(url, key, [call(12), call(13)])).status).toBe(200);
  });

  it('ignores Mcp-Param-* headers for a tool that mirrors nothing', async () => {
    const webKey = (await t.request({ method: 'POST', url: '/v1/agents/web-bot/keys' })).json().key;
    const res = await post(url, webKey, { jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }, undefined, {
      'mcp-param-message': 'x',
    });
    expect(res.status).toBe(200);
  });

  it.each([
    [
      'on an object property',
      '{ type: object, properties: { a: { type: object, x-mcp-header: A } } }',
      'properties.a: x-mcp-header is only allowed on a string, integer or boolean property, not "object"',
    ],
    [
      'on a number property',
      '{ type: object, properties: { a: { type: number, x-mcp-header: A } } }',
      'properties.a: x-mcp-header is only allowed on a string, integer or boolean property, not "number"',
    ],
    [
      'twice without case',
      '{ type: object, properties: { a: { type: string, x-mcp-header: Region }, b: { type: string, x-mcp-header: region } } }',
      'properties.b: x-mcp-header "region" is declared twice (also as "Region"; header names ignore case)',
    ],
    [
      'under anyOf',
      '{ type: object, anyOf: [{ properties: { a: { type: string, x-mcp-header: A } } }] }',
      'properties.<anyOf>.properties.a: x-mcp-header is only allowed on a property reached through "properties" alone (not under items, additionalProperties, oneOf/anyOf/allOf/not, if/then/else or $defs)',
    ],
    [
      'with a space in its name',
      '{ type: object, properties: { a: { type: string, x-mcp-header: "A B" } } }',
      `properties.a: x-mcp-header must be a header name (letters, digits and !#$%&'*+-.^_\`|~), not "A B"`,
    ],
  ])('refuses at apply an x-mcp-header %s, naming where', async (_label, args, message) => {
    const files = [
      ...readBundle(path.resolve(import.meta.dirname, '../fixtures/mini')),
      {
        path: 'bad.yaml',
        content: `apiVersion: fulcrum/v1\nkind: Tool\nmetadata: { name: crm.mirrored }\nspec: { system: crm, effect: read, dataDomains: [], arguments: ${args} }\n`,
      },
    ];
    const res = await t.request({ method: 'POST', url: '/v1/apply', payload: { files, dryRun: true } });
    expect(res.statusCode, res.body).toBe(422);
    expect(JSON.stringify(res.json())).toContain(JSON.stringify(message).slice(1, -1));
  });
});
