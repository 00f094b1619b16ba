// What both conformance suites (test/mcp/conformance.test.ts, conformance-2026.test.ts) run against:
// the mini enterprise plus an SDK upstream over stdio offering the tools the scenarios call, an agent
// allowed them, a proxy that adds the agent's key (the suites' clients send no credentials, as any
// MCP client configured with a header would), and the suite's CLI run once over every scenario.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { operatorAllows, PEERS } from './peers.js';

const exec = promisify(execFile);
const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

/** The tools the scenarios call, as the upstream (test/mcp/peers/conformance-upstream.mjs) offers them. */
export const TOOLS = [
  'test_simple_text',
  'test_image_content',
  'test_audio_content',
  'test_embedded_resource',
  'test_multiple_content_types',
  'test_error_handling',
  'json_schema_2020_12_tool',
  'test_tool_with_progress',
  'test_custom_headers',
];

// The scenario's tool as the conformance repository's reference server declares it: JSON Schema
// 2020-12 (MCP's default dialect), with the composition, conditional and reference keywords that
// 2026-07-28 (SEP-2106) requires a server to pass through unstripped.
const SCHEMA_2020 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};

/** A tool that mirrors an argument into a header (2026-07-28's x-mcp-header), for the custom-header scenario. */
const CUSTOM_HEADERS = { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } };

function bundle() {
  const schemaOf = (name: string) =>
    name === 'json_schema_2020_12_tool' ? SCHEMA_2020 : name === 'test_custom_headers' ? CUSTOM_HEADERS : { type: 'object' };
  const tool = (name: string) => `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: ${name}, labels: { fulcrum/mcp-server: conf } }
spec: { system: conformance, effect: read, dataDomains: [], arguments: ${JSON.stringify(schemaOf(name))} }
---
`;
  const content = `apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: conf }
spec:
  transport: stdio
  command: ${JSON.stringify(process.execPath)}
  args: [${JSON.stringify(path.join(PEERS, 'conformance-upstream.mjs'))}]
  toolPrefix: ""
---
${TOOLS.map(tool).join('')}
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: conformance-bot }
spec:
  initiative: support-deflection
  owner: dana.lee
  framework: openai-agents-sdk
  extraTools: [${TOOLS.join(', ')}]
`;
  return [...readBundle(MINI), { path: 'conformance.yaml', content }];
}

/** Forwards every request to Fulcrum's /mcp with the agent's key added (headers otherwise as sent). */
function keyProxy(target: URL, key: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, authorization: `Bearer ${key}` },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/mcp`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** Why a scenario cannot pass, as both suites' tables say it. */
export const TOOLS_ONLY = 'the gateway fronts tools only (no resources, prompts, completions or logging)';
export const NO_RELAY =
  'an upstream\'s requests to the client (sampling, elicitation, roots, logs) are not relayed to agents (docs/mcp.md, "Input the gateway cannot give")';

export interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

export interface ConformanceTarget {
  url: string;
  close(): Promise<void>;
}

/** Fulcrum with the conformance registry applied, behind the key-adding proxy. */
export async function startConformanceTarget(): Promise<ConformanceTarget> {
  const t: TestServer = await startTestServer(
    'sqlite',
    operatorAllows([process.execPath, path.join(PEERS, 'conformance-upstream.mjs')]),
  );
  try {
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle() } });
    if (applied.statusCode !== 200) throw new Error(`apply: ${applied.body}`);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/conformance-bot/keys' })).json().key;
    const proxy = await keyProxy(new URL(await t.server.listen({ host: '127.0.0.1', port: 0 })), key);
    return {
      url: proxy.url,
      close: async () => {
        await proxy.close();
        await t.close();
      },
    };
  } catch (err) {
    await t.close();
    throw err;
  }
}

/**
 * Every server scenario the CLI `cli` selects with `args`, run once by `node` into a fresh folder;
 * each scenario's checks, by name.
 */
export async function runScenarios(node: string, cli: string, url: string, args: string[]): Promise<Map<string, Check[]>> {
  const out = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'fulcrum-conformance-'));
  try {
    await exec(node, [cli, 'server', '--url', url, ...args, '-o', out], { timeout: 240_000 }).catch((err: { code?: number }) => {
      if (typeof err.code !== 'number') throw err; // exit 1 means failed checks, read below
    });
    const byScenario = new Map<string, Check[]>();
    for (const dir of fs.readdirSync(out)) {
      const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(dir)?.[1];
      if (scenario) byScenario.set(scenario, JSON.parse(fs.readFileSync(path.join(out, dir, 'checks.json'), 'utf8')));
    }
    return byScenario;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** The checks of a scenario that did not pass (a failure or a warning). */
export const notPassing = (checks: readonly Check[]) => checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
