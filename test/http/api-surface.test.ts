// The HTTP API as a client developer and an attacker meet it, over a real socket: every route the
// server registers is an operation of its OpenAPI document and every operation is served; what the
// document says is invalid is refused with a 400 in the documented error shape; and requests that
// never reach a route (an unreadable URL, an over-long path parameter, headers too large, a broken
// request line) answer in that shape too, naming nothing internal.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fs from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { CONSOLE_DIR, consoleBuilt } from '../../src/http/console.js';
import { clientErrorHandler } from '../../src/http/framework-errors.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

/** Registered routes the document leaves out, each with why (docs/api.md). */
const NOT_OPERATIONS: Record<string, string> = {
  'GET /mcp': "405: MCP's Streamable HTTP transport without server-initiated streams (docs/api.md)",
  'DELETE /mcp': '405: no MCP sessions (docs/api.md)',
  'GET /metrics': 'Prometheus text, not JSON (docs/operations.md)',
  'GET /openapi.json': 'the document itself',
};
const isDocsUi = (url: string) => url === '/docs' || url.startsWith('/docs/');
/** The console's files, served when it was built (`npm test` builds it first): `/` and one route per file. */
const consoleFiles = new Set(
  consoleBuilt()
    ? ['/', ...fs.readdirSync(CONSOLE_DIR, { recursive: true, encoding: 'utf8' }).map((f) => `/${f.split(path.sep).join('/')}`)]
    : [],
);
const isConsoleFile = (url: string) => consoleFiles.has(url);

type Operation = {
  operationId: string;
  parameters?: Array<{ in: string; name: string; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
};

interface Answer {
  status: number;
  headers: string;
  body: string;
}

/** Sends exactly `request` (bytes as given) and reads the whole answer. */
function raw(port: number, request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    // The server may reset a connection after answering (a 431, a body it will not read): the answer counts.
    socket.on('error', (err) => {
      if (chunks.length === 0) reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
    // Not ended: a half-closed connection may be dropped before its answer; `connection: close` ends it.
    socket.write(request);
  });
}

/** Things an error answer must never show a caller: stack frames, files, SQL, the host, framework codes. */
const LEAKS = [
  /\bat [\w.<>]+ \(/,
  /node_modules/,
  /\/tmp\//,
  /\/work\//,
  /\bSELECT\b|\bINSERT\b|sqlite|SQLITE_/i,
  /FST_ERR/,
  new RegExp(`\\b${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`),
];

function expectErrorShape(what: string, a: Answer, status: number): void {
  expect(a.status, `${what}: ${a.headers}\n${a.body}`).toBe(status);
  let body: unknown;
  expect(() => {
    body = JSON.parse(a.body);
  }, `${what}: a JSON body, got ${a.body}`).not.toThrow();
  expect(Object.keys(body as object), what).toEqual(['error']);
  const { code, message } = (body as { error: { code: keyof typeof ERROR_CODES; message: string } }).error;
  expect(ERROR_CODES[code]?.status, `${what}: code ${code}`).toBe(status);
  expect(message, what).toEqual(expect.any(String));
  expect(message.length, `${what}: a message, not an echo`).toBeLessThan(1000);
  for (const leak of LEAKS) expect(a.body, `${what} shows ${leak}`).not.toMatch(leak);
}

describe('the API surface over a real socket', () => {
  let t: TestServer;
  let port: number;
  let agentKey: string;
  const registered: string[] = [];
  // Every route of the server being built, as Fastify registers it (its own hook, via the channel
  // Fastify publishes each new instance on).
  const onInit = (message: unknown) =>
    (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (r: RouteOptions) => {
      for (const m of [r.method].flat()) registered.push(`${m} ${r.url}`);
    });
  let doc: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    subscribe('fastify.initialization', onInit);
    try {
      t = await startTestServer('sqlite');
    } finally {
      unsubscribe('fastify.initialization', onInit);
    }
    await t.server.listen({ port: 0, host: '127.0.0.1' });
    port = (t.server.server.address() as net.AddressInfo).port;
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    agentKey = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    doc = (await t.request({ method: 'GET', url: '/openapi.json', token: null })).json();
  }, 60_000);
  afterAll(async () => t?.close());

  const http = (method: string, url: string, opts: { token?: string | null; headers?: string[]; body?: string } = {}) => {
    const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
    const lines = [`${method} ${url} HTTP/1.1`, 'host: localhost', 'connection: close', ...(opts.headers ?? [])];
    if (token) lines.push(`authorization: Bearer ${token}`);
    if (opts.body !== undefined) lines.push(`content-length: ${Buffer.byteLength(opts.body)}`);
    return raw(port, `${lines.join('\r\n')}\r\n\r\n${opts.body ?? ''}`);
  };

  it('documents every route it serves, and serves every operation it documents', () => {
    const operations = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths))
      for (const method of Object.keys(item)) operations.add(`${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
    const served = new Set(registered.filter((r) => !r.startsWith('HEAD ')));
    const undocumented = [...served].filter(
      (r) =>
        !operations.has(r) && !(r in NOT_OPERATIONS) && !isDocsUi(r.split(' ')[1] ?? '') && !isConsoleFile(r.split(' ')[1] ?? ''),
    );
    expect(undocumented).toEqual([]);
    expect([...operations].filter((o) => !served.has(o))).toEqual([]);
    expect(Object.keys(NOT_OPERATIONS).filter((r) => !served.has(r))).toEqual([]);
    expect(operations.size).toBeGreaterThan(100);
  });

  it('answers a request that reaches no route in the documented error shape, naming nothing internal', async () => {
    const longName = `bu-${'x'.repeat(200)}`; // a valid name (up to 253 characters)
    const cases: Array<[string, () => Promise<Answer>, number]> = [
      ['unknown route', () => http('GET', '/v1/nothing-here'), 404],
      ['a method no route has', () => http('PATCH', '/v1/agents'), 404],
      ['a method Fastify does not route', () => http('PROPFIND', '/v1/agents'), 404],
      ['bad percent-encoding in a path parameter', () => http('GET', '/v1/agents/%ZZ'), 400],
      ['bad percent-encoding, no token', () => http('GET', '/v1/agents/%E0%A4%A', { token: null }), 400],
      ['a path parameter of 5,000 characters', () => http('GET', `/v1/agents/${'a'.repeat(5000)}`), 400],
      ['an unknown name of 200 characters', () => http('GET', `/v1/business-units/${longName}`), 404],
      ['a NUL in a path parameter', () => http('GET', '/v1/agents/a%00b'), 400],
      ['a query parameter of the wrong type', () => http('GET', '/v1/audit?limit=many'), 400],
      ['a URL of 100,000 characters', () => http('GET', `/v1/agents?q=${'a'.repeat(100_000)}`), 431],
      ['3,000 headers', () => http('GET', '/v1/agents', { headers: Array.from({ length: 3000 }, (_, i) => `x-h${i}: 1`) }), 431],
      ['a request line that is not HTTP', () => raw(port, 'GARBAGE\r\n\r\n'), 400],
      [
        'two different Content-Lengths',
        () => raw(port, 'POST /v1/apply HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}'),
        400,
      ],
      [
        'malformed JSON',
        () => http('POST', '/v1/apply', { headers: ['content-type: application/json'], body: '{"files": [' }),
        400,
      ],
      [
        'a __proto__ key',
        () => http('POST', '/v1/apply', { headers: ['content-type: application/json'], body: '{"__proto__": {"admin": true}}' }),
        400,
      ],
      [
        'a body type no route reads',
        () => http('POST', '/v1/decisions', { token: agentKey, headers: ['content-type: application/xml'], body: 'a,b' }),
        415,
      ],
      [
        'a body over the limit',
        () =>
          http('POST', '/v1/incidents', { headers: ['content-type: application/json'], body: `"${'a'.repeat(1024 * 1024)}"` }),
        413,
      ],
      ['no token', () => http('GET', '/v1/agents', { token: null }), 401],
      ['a token nobody issued', () => http('GET', '/v1/agents', { token: 'fat_nobody' }), 401],
      ['an agent key on a person route', () => http('GET', '/v1/people', { token: agentKey }), 403],
    ];
    const wrong: string[] = [];
    for (const [what, send, status] of cases) {
      const answer = await send();
      try {
        expectErrorShape(what, answer, status);
      } catch (err) {
        wrong.push(`${(err as Error).message.split('\n')[0]}\n    ${answer.status} ${answer.body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses, with a 400 in the error shape, a request each operation documents as invalid', async () => {
    const schemas = (doc as unknown as { components: { schemas: Record<string, Record<string, unknown>> } }).components.schemas;
    const deref = (s: Record<string, unknown>) =>
      typeof s.$ref === 'string' ? (schemas[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s;
    const wrong: string[] = [];
    let probed = 0;
    for (const [p, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        // The gateways answer in their protocols' formats (JSON-RPC, the providers'): tested with their clients.
        if (p === '/mcp' || p.startsWith('/llm/')) continue;
        const params = op.parameters ?? [];
        // One thing the document says is invalid: a path name breaking its pattern, a query value of the
        // wrong type, or a JSON body with a property its schema does not allow / without a required one.
        const badPath = params.find((x) => x.in === 'path' && typeof x.schema.pattern === 'string');
        const badQuery = params.find(
          (x) => x.in === 'query' && (x.schema.enum || ['integer', 'number', 'boolean'].includes(x.schema.type as string)),
        );
        const json = op.requestBody?.content['application/json']?.schema;
        const body = json && deref(json);
        const badBody = body && (body.additionalProperties === false || (body.required as unknown[] | undefined)?.length);
        if (!badPath && !badQuery && !badBody) continue;
        let url = p.replace(/\{(\w+)\}/g, (_, name) => (badPath?.name === name ? '-not-a-name' : 'x'));
        if (!badPath && badQuery) url += `?${badQuery.name}=not-valid`;
        const sendsBody = ['post', 'put', 'patch'].includes(method);
        const send = (token: string | null) =>
          http(method.toUpperCase(), url, {
            token,
            ...(sendsBody
              ? {
                  headers: ['content-type: application/json'],
                  body: badPath || badQuery || !badBody ? '{}' : '{"notAField": 1}',
                }
              : {}),
          });
        const isPublic = (op as { security?: unknown[] }).security?.length === 0;
        let answer = await send(isPublic ? null : ADMIN_TOKEN);
        // Agent routes: the same request with an agent's key.
        if (answer.status === 401 || answer.status === 403) answer = await send(agentKey);
        probed++;
        // A PUT's body is checked by the descriptor validator (422, every problem listed); its URL by Ajv.
        const expected = !badPath && !badQuery && '422' in op.responses && method === 'put' ? 422 : 400;
        try {
          expectErrorShape(`${method.toUpperCase()} ${url}`, answer, expected);
        } catch (err) {
          wrong.push(`${(err as Error).message.split('\n')[0]} — ${answer.status} ${answer.body.slice(0, 160)}`);
        }
      }
    expect(wrong).toEqual([]);
    expect(probed).toBeGreaterThan(80);
  });

  it('says what is wrong with a JSON body, and where', async () => {
    const send = async (body: string) =>
      JSON.parse((await http('POST', '/v1/apply', { headers: ['content-type: application/json'], body })).body).error.message;
    expect(await send('{"files": [], }')).toMatch(/^malformed JSON body: .* at position 14\b/);
    expect(await send('{"__proto__": {"admin": true}}')).toBe(
      'malformed JSON body: Object contains forbidden prototype property',
    );
    expect(await send('')).toBe('the request body is empty; a JSON document was expected');
  });

  it('reads, replaces and deletes an object by its URL whatever the length of its (valid) name', async () => {
    const name = `bu-${'x'.repeat(250)}`; // 253 characters, the longest a name may be
    const url = `/v1/business-units/${name}`;
    const json = ['content-type: application/json'];
    const put = await http('PUT', url, { headers: json, body: JSON.stringify({ spec: { title: 'long' } }) });
    expect(put.status, put.body).toBe(201);
    const got = await http('GET', url);
    expect([got.status, JSON.parse(got.body).metadata?.name]).toEqual([200, name]);
    expect((await http('PUT', url, { headers: json, body: JSON.stringify({ spec: { title: 'longer' } }) })).status).toBe(200);
    expect((await http('DELETE', url)).status).toBe(204);
    expect((await http('GET', url)).status).toBe(404);
  });
});

describe('a request too slow to arrive', () => {
  it('is answered 408 in the error shape (Fulcrum waits two minutes; here, a quarter second)', async () => {
    // Node's own timeout with Fulcrum's handler for what its parser gives up on (src/http/framework-errors.ts).
    const server = createServer({ requestTimeout: 250, connectionsCheckingInterval: 50 }, (req, res) => {
      req.resume().on('end', () => res.end('{}'));
    });
    server.on('clientError', clientErrorHandler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const answer = await raw(port, 'POST /v1/apply HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"files"');
      expectErrorShape('a body still arriving', answer, 408);
      expect(answer.headers).toMatch(/connection: close/i);
    } finally {
      server.close();
    }
  });
});
