// The OpenAPI document is a contract: the typed client (src/client) is generated from it, the CLI and
// the console use that client, and in the test suite every answer is checked against it
// (src/http/contract.ts). Here: the document is complete and lints clean, the committed client types
// are exactly what the document generates, and the answer checks catch what they must.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Type as T } from '@sinclair/typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWERS_FILE, answerSchemas, clientTypes, SCHEMA_FILE } from '../../scripts/client-codegen.mjs';
import { openApiDocument } from '../../src/cli/openapi.js';
import { registerContract } from '../../src/http/contract.js';
import { toErrorReply } from '../../src/http/errors.js';
import { ErrorBody } from '../../src/http/schemas.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
type Operation = { operationId?: string; summary?: string; responses?: Record<string, unknown> };

describe('the OpenAPI document', () => {
  let doc: { servers?: unknown[]; paths: Record<string, Record<string, Operation>> };
  let dir: string;
  beforeAll(async () => {
    // Every answer serializer built at startup, as Fastify would by default (servers build them lazily,
    // src/http/contract.ts): a response schema fast-json-stringify cannot compile fails here.
    doc = (await openApiDocument({ eagerSerializers: true })) as typeof doc;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-contract-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names every operation once, summarises it, and documents a success answer', () => {
    const ids = new Map<string, string>();
    const problems: string[] = [];
    for (const [p, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${p}`;
        if (!op.operationId) problems.push(`${where}: no operationId`);
        else if (ids.has(op.operationId))
          problems.push(`${where}: operationId ${op.operationId} also on ${ids.get(op.operationId)}`);
        else ids.set(op.operationId, where);
        if (!op.summary) problems.push(`${where}: no summary`);
        // A success answer: 2XX, or 302 for the browser redirects of single sign-on, which answer nothing else.
        const success = Object.keys(op.responses ?? {}).filter((s) => /^2/.test(s) || (s === '302' && p.startsWith('/auth/')));
        if (success.length === 0) problems.push(`${where}: no success response`);
      }
    expect(problems).toEqual([]);
    expect(ids.size).toBeGreaterThan(100);
    expect(doc.servers).toEqual([{ url: '/', description: 'the server this document was fetched from' }]);
  });

  it('passes Redocly lint with no errors and no warnings (redocly.yaml explains each rule changed)', () => {
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const cli = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
    const run = spawnSync(
      process.execPath,
      [cli, 'lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=json', '--max-problems=50'],
      { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const found = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(found).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  /** Fails naming the first line where the committed `file` differs from what the generator makes now. */
  function expectCommitted(file: string, generated: string): void {
    const committed = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (generated === committed) return;
    const a = committed.split('\n');
    const b = generated.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    expect.fail(
      `${file} is out of date with the server's OpenAPI document (first difference at line ${line + 1}: ` +
        `committed ${JSON.stringify(a[line])}, generated ${JSON.stringify(b[line])}); run npm run generate:client`,
    );
  }

  it('generates exactly the committed client types (npm run generate:client after changing a route)', async () => {
    expectCommitted(SCHEMA_FILE, await clientTypes(doc));
  });

  it('generates exactly the committed answer shapes the CLI checks (npm run generate:client after changing a route)', () => {
    expectCommitted(ANSWERS_FILE, answerSchemas(doc));
  });
});

describe('answer checks (on in every test server)', () => {
  const documented = new Map<string, string[]>();
  async function server() {
    const s = Fastify();
    s.setErrorHandler((err, _req, reply) => {
      const { status, body } = toErrorReply(err);
      reply.code(status).send(body);
    });
    registerContract(s, { check: true });
    s.addHook('onRoute', (route) => {
      documented.set(route.url, Object.keys((route.schema as { response?: object } | undefined)?.response ?? {}));
    });
    s.addSchema(ErrorBody);
    const Thing = T.Object({ name: T.String(), size: T.Integer() });
    s.get('/exact', { schema: { response: { 200: Thing } } }, async () => ({ name: 'a', size: 1 }));
    s.get('/extra', { schema: { response: { 200: Thing } } }, async () => ({ name: 'a', size: 1, secret: 'x' }));
    s.get('/wrong-type', { schema: { response: { 200: Thing } } }, async () => ({ name: 'a', size: 'big' }));
    s.get('/undeclared', { schema: { response: { 200: Thing } } }, async (_req, reply) => {
      (reply as { code(status: number): unknown }).code(202);
      return { name: 'a', size: 1 };
    });
    s.get('/text', { schema: { response: { 200: T.String() } } }, async (_req, reply) => {
      reply.type('text/plain');
      (reply as { code(status: number): unknown }).code(404);
      return 'gone';
    });
    s.get('/hidden', { schema: { hide: true } }, async (_req, reply) => reply.code(418).send({ any: 'thing' }));
    await s.ready();
    return s;
  }

  it('pass an answer that is what its schema says, and add the statuses every route can answer', async () => {
    const s = await server();
    const res = await s.inject({ url: '/exact' });
    expect([res.statusCode, res.json()]).toEqual([200, { name: 'a', size: 1 }]);
    // No input, authenticated: what any such route can answer besides its own.
    expect(documented.get('/exact')?.sort()).toEqual(['200', '401', '403', '429', '500', '503']);
    expect((await s.inject({ url: '/hidden' })).statusCode).toBe(418);
    await s.close();
  });

  it('fail an answer with a property its schema does not name, a wrong type, or an undeclared status', async () => {
    const s = await server();
    const extra = await s.inject({ url: '/extra' });
    expect(extra.statusCode).toBe(500);
    expect(extra.json().error.message).toBe(
      'response contract: GET /extra answered 200 with a body its schema does not describe: / must NOT have additional properties ("secret")',
    );
    const wrong = await s.inject({ url: '/wrong-type' });
    expect(wrong.json().error.message).toContain('/size must be integer');
    const undeclared = await s.inject({ url: '/undeclared' });
    expect(undeclared.statusCode).toBe(500);
    expect(undeclared.json().error.message).toBe(
      'response contract: GET /undeclared answered 202, a status its schema does not declare',
    );
    const text = await s.inject({ url: '/text' });
    expect([text.statusCode, text.json().error.message]).toEqual([
      500,
      'response contract: GET /text answered 404, a status its schema does not declare',
    ]);
    await s.close();
  });
});
