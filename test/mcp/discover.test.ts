// `fulcrum mcp discover` as a real process against a served Fulcrum: the upstream's tools that the
// registry lacks, written as descriptors that apply cleanly; and its errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../support/process.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { gatewayBundle } from './fixture.js';
import { closedPort, operatorAllows } from './peers.js';

describe('fulcrum mcp discover', () => {
  let t: TestServer;
  let env: NodeJS.ProcessEnv;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-discover-'));

  beforeAll(async () => {
    t = await startTestServer('sqlite', operatorAllows());
    // The HTTP upstream is down on purpose here: discover must say so.
    const down = `http://127.0.0.1:${await closedPort()}/mcp`;
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: gatewayBundle(down) } });
    expect(applied.statusCode, applied.body).toBe(200);
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    env = { ...process.env, FULCRUM_URL: url, FULCRUM_TOKEN: ADMIN_TOKEN };
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the upstream tools not in the registry, and writes descriptors that apply', async () => {
    const listed = await cli(env, 'mcp', 'discover', 'ev');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ev: \d+ upstream tool\(s\), \d+ not in the registry/);
    expect(listed.stdout).toContain('ev.get-annotated-message (agents see ev_get-annotated-message)  [new');
    expect(listed.stdout).not.toContain('ev.echo'); // registered already
    const all = await cli(env, 'mcp', 'discover', 'ev', '--all');
    expect(all.stdout).toContain('ev.echo (agents see ev_echo)  [registered');

    const written = await cli(env, 'mcp', 'discover', 'ev', '--write', dir);
    expect(written.code, written.stderr).toBe(0);
    const file = path.join(dir, 'ev-tools.yaml');
    const docs = fs
      .readFileSync(file, 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d));
    const annotated = docs.find((d) => d.metadata.name === 'ev.get-annotated-message');
    expect(annotated).toMatchObject({
      kind: 'Tool',
      metadata: { labels: { 'fulcrum/mcp-server': 'ev' } },
      spec: { system: 'ev', dataDomains: [], arguments: { type: 'object' } },
    });
    const applied = await cli(env, 'apply', '-f', file);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const after = await cli(env, 'mcp', 'discover', 'ev');
    expect(after.stdout).toMatch(/^ev: \d+ upstream tool\(s\), 0 not in the registry/);
  });

  it('names what is wrong: an unknown server, an upstream that is down, a bad subcommand', async () => {
    const unknown = await cli(env, 'mcp', 'discover', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no McpServer named "nope" (not_found)');
    const down = await cli(env, 'mcp', 'discover', 'evh');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/upstream MCP server "evh" is unreachable or is not an MCP server .*\(unavailable\)/);
    const bad = await cli(env, 'mcp', 'list');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown mcp command "list"');
  });
});
