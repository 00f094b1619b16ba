// An apply that stops an McpServer serving a Tool says so (src/mcp/serving.ts): the write is not
// refused, but its answer warns, naming each Tool and why, as does a Tool labelled for a server
// that does not serve it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WARNING_BYTES } from '../../src/http/routes/registry.js';
import { ENGINES } from '../support/databases.js';
import { ACME_STDIO } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const [command, ...args] = ACME_STDIO;
const server = (name: string, toolPrefix?: string) => `
apiVersion: fulcrum/v1
kind: McpServer
metadata: { name: ${name} }
spec:
  transport: stdio
  command: ${command}
  args: ${JSON.stringify(args)}
${toolPrefix === undefined ? '' : `  toolPrefix: "${toolPrefix}"\n`}`;
const tool = (name: string, label?: string) => `
apiVersion: fulcrum/v1
kind: Tool
metadata:
  name: ${name}
${label === undefined ? '' : `  labels: { fulcrum/mcp-server: ${label} }\n`}spec:
  system: s
  effect: read
  dataDomains: []
  arguments: { type: object }
`;
const bundle = (...docs: string[]) => docs.join('---');

describe.each(ENGINES)('apply warnings about MCP tools on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t?.close());

  const apply = async (content: string, query = '') => {
    const res = await t.request({
      method: 'POST',
      url: `/v1/apply${query}`,
      payload: { files: [{ path: 'mcp.yaml', content }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { warnings: Array<{ kind: string; name: string; message: string; file?: string; line?: number }> };
  };
  const listed = async () => {
    const res = await t.request({ method: 'GET', url: '/v1/tools' });
    return res.json().items.map((i: { metadata: { name: string } }) => i.metadata.name) as string[];
  };

  it('says nothing when every Tool stays served, or was never an MCP tool', async () => {
    const first = await apply(bundle(server('crm'), tool('crm.get'), tool('crm.put', 'crm'), tool('plain.decide')));
    expect(first.warnings).toEqual([]);
    expect((await apply(bundle(server('crm'), tool('crm.get'), tool('crm.put', 'crm'), tool('plain.decide')))).warnings).toEqual(
      [],
    );
  });

  it('names each Tool a toolPrefix change stops serving, and why; a dry run says so too', async () => {
    const next = bundle(server('crm', 'sales'), tool('crm.get'), tool('crm.put', 'crm'), tool('plain.decide'));
    const dry = await apply(next, '?dryRun=true');
    expect(dry.warnings.map((w) => [w.kind, w.name])).toEqual([
      ['Tool', 'crm.get'],
      ['Tool', 'crm.put'],
    ]);
    expect(dry.warnings[0]?.message).toBe(
      'Tool "crm.get" was served by McpServer "crm" and no longer is: no McpServer\'s tool prefix starts its name (McpServer "crm" now has the tool prefix "sales"); agents no longer see it in tools/list, and calling it answers unknown tool',
    );
    expect(dry.warnings[1]?.message).toBe(
      'Tool "crm.put" was served by McpServer "crm" and no longer is: its label fulcrum/mcp-server names McpServer "crm", whose tool prefix "sales" does not start its name; agents no longer see it in tools/list, and calling it answers unknown tool',
    );
    // Located in the file that holds the Tool.
    expect(dry.warnings[0]).toMatchObject({ file: 'mcp.yaml', line: expect.any(Number) });
    const done = await apply(next);
    expect(done.warnings).toEqual(dry.warnings);
    // Served again under the old prefix: nothing to warn about.
    expect((await apply(bundle(server('crm'), tool('crm.get'), tool('crm.put', 'crm'), tool('plain.decide')))).warnings).toEqual(
      [],
    );
  });

  it('warns about a Tool not in the bundle that a changed McpServer stops serving', async () => {
    const res = await apply(server('crm', 'sales'));
    expect(res.warnings.map((w) => w.name)).toEqual(['crm.get', 'crm.put']);
    expect(res.warnings[0]?.file).toBeUndefined();
    await apply(server('crm'));
  });

  it('names a Tool whose label names no McpServer, applied now or relabelled', async () => {
    const res = await apply(bundle(tool('crm.put', 'crn'), tool('gh.issue', 'gh')));
    expect(res.warnings.map((w) => w.message)).toEqual([
      'Tool "crm.put" was served by McpServer "crm" and no longer is: its label fulcrum/mcp-server names McpServer "crn", and there is none; agents no longer see it in tools/list, and calling it answers unknown tool',
      'Tool "gh.issue" is served by no McpServer: its label fulcrum/mcp-server names McpServer "gh", and there is none; agents do not see it in tools/list',
    ]);
    // Still applied, and still unserved: applying it again says so again.
    expect(await listed()).toContain('gh.issue');
    expect((await apply(tool('gh.issue', 'gh'))).warnings.map((w) => w.name)).toEqual(['gh.issue']);
  });

  it('does not warn about a Tool the apply deletes', async () => {
    const res = await apply(bundle(server('crm'), tool('plain.decide'), tool('gh.issue', 'gh'), server('gh')), '?prune=true');
    expect(res.warnings).toEqual([]);
    expect(await listed()).not.toContain('crm.get');
  });

  it('warns on a single PUT as well, in Warning headers, at most 20 then how many more', async () => {
    const tools = Array.from({ length: 23 }, (_, i) => tool(`crm.t${i}`));
    expect((await apply(bundle(server('crm'), ...tools))).warnings).toEqual([]);
    const put = (toolPrefix: string) =>
      t.request({
        method: 'PUT',
        url: '/v1/mcp-servers/crm',
        payload: { spec: { transport: 'stdio', command, args, toolPrefix } },
      });
    const moved = await put('sales');
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.headers['x-fulcrum-result']).toBe('updated');
    expect(moved.json().spec.toolPrefix).toBe('sales'); // the body is still the descriptor
    const warnings = [moved.headers.warning].flat() as string[];
    expect(warnings.length).toBeGreaterThan(10); // as many as 4 KiB holds, at most 20
    expect(warnings.reduce((n, w) => n + w.length, 0)).toBeLessThanOrEqual(MAX_WARNING_BYTES);
    expect(warnings[0]).toBe(
      '299 - "Tool \\"crm.t0\\" was served by McpServer \\"crm\\" and no longer is: no McpServer\'s tool prefix starts its name (McpServer \\"crm\\" now has the tool prefix \\"sales\\"); agents no longer see it in tools/list, and calling it answers unknown tool"',
    );
    expect(warnings.at(-1)).toBe(
      `299 - "and ${23 - (warnings.length - 1)} more warnings: POST /v1/apply?dryRun=true with the same descriptor lists them all"`,
    );
    // Served again: nothing to warn about.
    const back = await put('crm');
    expect(back.statusCode, back.body).toBe(200);
    expect(back.headers.warning).toBeUndefined();
  });

  it("keeps a PUT's Warning headers within 4 KiB together, however long the names they quote", async () => {
    // An McpServer's name may be 253 characters long, and each warning names it twice: 20 of them
    // passed 14 KiB of headers, more than proxies take by default (nginx's proxy_buffer_size, 4 or 8
    // KiB, answers 502 past it), after the write was made.
    const name = `s${'x'.repeat(239)}`;
    const tools = Array.from({ length: 23 }, (_, i) => tool(`long.t${i}`));
    expect((await apply(bundle(server(name, 'long'), ...tools))).warnings).toEqual([]);
    const moved = await t.request({
      method: 'PUT',
      url: `/v1/mcp-servers/${name}`,
      payload: { spec: { transport: 'stdio', command, args, toolPrefix: 'short' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const warnings = [moved.headers.warning].flat() as string[];
    expect(warnings.reduce((n, w) => n + Buffer.byteLength(w), 0)).toBeLessThanOrEqual(MAX_WARNING_BYTES);
    expect(warnings.length).toBeGreaterThan(10); // cut to fit, not left out
    expect(warnings.at(-1)).toBe(
      `299 - "and ${23 - (warnings.length - 1)} more warnings: POST /v1/apply?dryRun=true with the same descriptor lists them all"`,
    );
    for (const w of warnings.slice(0, -1))
      expect(w).toMatch(/^299 - "Tool \\"long\.t\d+\\" was served by McpServer \\"sx+.*\.\.\."$/);
  });
});
