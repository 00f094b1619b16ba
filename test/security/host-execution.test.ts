// Host execution is the operator's decision: a stdio McpServer runs only if its exact command line is
// in FULCRUM_MCP_STDIO_ALLOW, checked when it is applied (whoever applies it) and again before the
// process is spawned; an allowed child gets a minimal environment, none of Fulcrum's secrets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { CHILD_ENV_NAMES } from '../../src/mcp/stdio.js';
import { createRegistryStore } from '../../src/registry/registry-store.js';
import { closedPort } from '../mcp/peers.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { ACME_STDIO, readBundle } from '../support/files.js';
import { ROOT, serve } from '../support/process.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
/** An MCP server whose tool `env` answers with its own environment. */
const ENV_PEER = path.join(ROOT, 'test/security/peers/env-stdio.mjs');

/** A command line that, if it ever ran, would leave a file behind. */
function touching(dir: string) {
  const marker = path.join(dir, `ran-${Math.random().toString(36).slice(2)}`);
  return { marker, spec: { transport: 'stdio', command: 'sh', args: ['-c', `touch ${marker}`] } };
}

const descriptor = (name: string, spec: unknown) => ({ apiVersion: 'fulcrum/v1', kind: 'McpServer', metadata: { name }, spec });

// A Tool served by `server` and an agent that may call it, so the agent's call path is tried too.
const callable = (server: string, tool: string) => `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: ${server}.${tool} }
spec: { system: ${server}, effect: read, dataDomains: [], arguments: { type: object } }
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: ${server}-bot }
spec: { initiative: support-deflection, owner: dana.lee, framework: openai-agents-sdk, extraTools: [${server}.${tool}] }
---
`;
const bundle = () => [...readBundle(MINI), { path: 'callable.yaml', content: callable('evil', 'run') + callable('envy', 'env') }];

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe.each(ENGINES)('stdio McpServers and the host (%s)', (engine) => {
  let t: TestServer;
  let viewer: string;
  let platform: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-host-exec-'));

  beforeAll(async () => {
    t = await startTestServer(engine, { mcpStdioAllow: [ACME_STDIO, [process.execPath, ENV_PEER]] });
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: bundle() } });
    expect(applied.statusCode, applied.body).toBe(200);
    viewer = (await t.request({ method: 'POST', url: '/v1/people/vic.viewer/tokens' })).json().token;
    platform = (await t.request({ method: 'POST', url: '/v1/people/dana.lee/tokens' })).json().token;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses at apply a command line not in FULCRUM_MCP_STDIO_ALLOW, for the admin token and a platform person alike', async () => {
    const { marker, spec } = touching(scratch);
    for (const token of [ADMIN_TOKEN, platform]) {
      const put = await t.request({ method: 'PUT', url: '/v1/mcp-servers/evil', payload: descriptor('evil', spec), token });
      expect(put.statusCode, put.body).toBe(422);
      expect(put.json().error.code).toBe('validation_failed');
      expect(put.json().error.details).toEqual([
        expect.objectContaining({
          kind: 'McpServer',
          name: 'evil',
          path: '/spec/command',
          message: expect.stringContaining('is not in FULCRUM_MCP_STDIO_ALLOW'),
        }),
      ]);
    }
    // A bundle is refused whole, with the file position.
    const content = `apiVersion: fulcrum/v1\nkind: McpServer\nmetadata: { name: evil }\nspec:\n  transport: stdio\n  command: sh\n  args: [-c, "touch ${marker}"]\n`;
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: [{ path: 'evil.yaml', content }] } });
    expect(applied.statusCode).toBe(422);
    expect(applied.json().error.details[0]).toMatchObject({ file: 'evil.yaml', line: 6, path: '/spec/command' });
    expect((await t.request({ method: 'GET', url: '/v1/mcp-servers/evil' })).statusCode).toBe(404);
    // Nothing was stored, so nothing can start it.
    expect((await t.request({ method: 'GET', url: '/v1/mcp-servers/evil/tools', token: viewer })).statusCode).toBe(404);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('does not spawn a command line that is not allowed when the descriptor reached the database another way', async () => {
    const { marker, spec } = touching(scratch);
    const store = createRegistryStore(t.app.database.db);
    await store.bumpRevision();
    await store.insert({ kind: 'McpServer', name: 'evil', labels: {}, spec } as never, new Date().toISOString());
    t.app.guard.invalidate();
    try {
      // A viewer's discover is answered once the attempt is over: had `sh` run, its file would exist.
      const discover = await t.request({ method: 'GET', url: '/v1/mcp-servers/evil/tools', token: viewer });
      expect(discover.statusCode).toBe(503);
      expect(discover.json().error.message).toMatch(/"evil" is not started: .* is not in FULCRUM_MCP_STDIO_ALLOW/);
      // An agent's call.
      const call = await t.app.mcp.gateway.callTool({ id: 'evil-bot', keyId: '' }, 'evil.run', {});
      expect(call.isError).toBe(true);
      expect(text(call)).toMatch(/"evil" is not started/);
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      await store.remove('McpServer', 'evil');
      t.app.guard.invalidate();
    }
  });

  it('gives an allowed child a minimal environment: no FULCRUM_* setting, no secret', async () => {
    const secrets = {
      FULCRUM_ADMIN_TOKEN: 'fat_child-must-not-see-this',
      FULCRUM_DATABASE_URL: 'postgresql://fulcrum:db-password-7c1@db.internal/fulcrum',
      FULCRUM_SECRET_UPSTREAM: 'upstream-secret-55e',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-9b2',
      LANG: 'C.UTF-8',
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((k) => [k, process.env[k]]));
    Object.assign(process.env, secrets);
    try {
      const put = await t.request({
        method: 'PUT',
        url: '/v1/mcp-servers/envy',
        payload: descriptor('envy', { transport: 'stdio', command: process.execPath, args: [ENV_PEER] }),
      });
      expect(put.statusCode, put.body).toBe(201);
      const result = await t.app.mcp.gateway.callTool({ id: 'envy-bot', keyId: '' }, 'envy.env', {});
      expect(result.isError, text(result)).toBeFalsy();
      const { env } = JSON.parse(text(result)) as { env: Record<string, string> };
      expect(Object.keys(env).filter((k) => !CHILD_ENV_NAMES.includes(k))).toEqual([]);
      for (const [name, value] of Object.entries(secrets).filter(([k]) => k !== 'LANG')) {
        expect(env, name).not.toHaveProperty(name);
        expect(text(result)).not.toContain(value);
      }
      // What a program needs to run is there.
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.LANG).toBe('C.UTF-8');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('does not spawn what an earlier allow-list let be applied, once the operator removed it', async () => {
    const { marker, spec } = touching(scratch);
    const database: TestDatabase = await createTestDatabase(engine);
    const node = async (allow: string[][]) => {
      const config = loadConfig(
        { FULCRUM_DATA_DIR: database.dir },
        { adminToken: ADMIN_TOKEN, monitorIntervalSeconds: 0, retentionIntervalHours: 0, mcpStdioAllow: allow },
      );
      const app = await createApp(config, database.open());
      return { app, server: await buildServer(app) };
    };
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    try {
      const before = await node([['sh', ...spec.args]]);
      const put = await before.server.inject({
        method: 'PUT',
        url: '/v1/mcp-servers/evil',
        headers: auth,
        payload: descriptor('evil', spec),
      });
      expect(put.statusCode, put.body).toBe(201); // applying starts nothing
      await before.server.close();
      await before.app.close();

      const after = await node([]);
      const discover = await after.server.inject({ method: 'GET', url: '/v1/mcp-servers/evil/tools', headers: auth });
      expect(discover.statusCode).toBe(503);
      expect(discover.json().error.message).toMatch(/is not started: .*FULCRUM_MCP_STDIO_ALLOW/);
      await after.server.close();
      await after.app.close();
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      await database.drop();
    }
  });
});

describe('FULCRUM_MCP_STDIO_ALLOW itself', () => {
  it('is a JSON array of command lines; anything else stops start-up, naming the setting', async () => {
    const allow = (v: string) => loadConfig({ FULCRUM_MCP_STDIO_ALLOW: v }).mcpStdioAllow;
    expect(allow('')).toEqual([]);
    expect(allow('[["npx","-y","@modelcontextprotocol/server-everything@2026.8.31"]]')).toEqual([
      ['npx', '-y', '@modelcontextprotocol/server-everything@2026.8.31'],
    ]);
    for (const bad of ['npx -y server', '["npx","-y"]', '[[]]', '[["npx",1]]', '{"npx":[]}', '[[""]]'])
      expect(() => allow(bad), bad).toThrow(/^FULCRUM_MCP_STDIO_ALLOW must be a JSON array of command lines/);

    const database = await createTestDatabase('sqlite');
    try {
      const started = serve({ PATH: process.env.PATH, FULCRUM_DATA_DIR: database.dir, FULCRUM_MCP_STDIO_ALLOW: 'npx -y server' });
      await expect(started).rejects.toThrow(/serve exited with 1:[\s\S]*FULCRUM_MCP_STDIO_ALLOW must be a JSON array/);
    } finally {
      await database.drop();
    }
  });
});

// The allow-list is an exact match, and `npx -y <package>` without a version may fetch whatever is
// newest at each spawn: the command line examples/acme, the demo and the tests use names the
// version package.json installs, so npx runs the local copy.
describe('the stdio command line examples/acme names', () => {
  const installed = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/package.json'), 'utf8'),
  ).version as string;

  it('is pinned to the installed server-everything, the same wherever it is named', () => {
    expect(ACME_STDIO).toEqual(['npx', '-y', `@modelcontextprotocol/server-everything@${installed}`]);
    for (const file of ['examples/acme/mcp.yaml', 'test/fixtures/mini/portfolio.yaml', 'docs/governance-as-code.md']) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const yaml = file.endsWith('.md')
        ? (/```yaml\n([^`]*kind: McpServer[^`]*transport: stdio[^`]*)```/.exec(text)?.[1] ?? '')
        : text;
      const stdio = parseAllDocuments(yaml)
        .map((d) => d.toJS() as { kind?: string; spec?: { transport?: string; command?: string; args?: string[] } })
        .filter((d) => d?.kind === 'McpServer' && d.spec?.transport === 'stdio');
      expect(stdio.length, file).toBeGreaterThan(0);
      for (const d of stdio) expect([d.spec?.command, ...(d.spec?.args ?? [])], file).toEqual(ACME_STDIO);
    }
    const allow = JSON.stringify([ACME_STDIO]);
    for (const file of ['README.md', 'examples/acme/README.md', 'examples/acme/mcp.yaml', 'docs/mcp.md', 'src/cli/demo.ts'])
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8').replaceAll("'", '"').replaceAll(', ', ','), file).toContain(
        file.endsWith('.ts') ? JSON.stringify(ACME_STDIO) : allow,
      );
  });

  it('starts from the local install with no registry reachable and an empty npm cache', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-npx-'));
    const client = new Client({ name: 'pin-test', version: '1' });
    try {
      await client.connect(
        new StdioClientTransport({
          command: ACME_STDIO[0] as string,
          args: ACME_STDIO.slice(1),
          cwd: ROOT,
          stderr: 'ignore',
          // A registry nobody answers on: a download would fail, not reach the network.
          env: {
            PATH: process.env.PATH ?? '',
            HOME: home,
            npm_config_registry: `http://127.0.0.1:${await closedPort()}/`,
            npm_config_fetch_retries: '0',
          },
        }),
      );
      expect(client.getServerVersion()?.name).toMatch(/everything/);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('echo');
    } finally {
      await client.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
