// Broken bundles: each problem is reported with file, line and column, and nothing is written.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/errors.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

const person = (name: string, extra = '') => `apiVersion: fulcrum/v1
kind: Person
metadata:
  name: ${name}
spec:
  displayName: Someone
  roles: [viewer]${extra}
`;

describe.each(ENGINES)('bad input on %s', (engine) => {
  let t: TestServer;
  let baseline: string;
  beforeAll(async () => {
    t = await startTestServer(engine, { applyBodyLimit: 64 * 1024 });
    const ok = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(ok.statusCode).toBe(200);
    baseline = (await t.request({ method: 'GET', url: '/v1/export' })).body;
  });
  afterAll(async () => t?.close());

  /** Applies the mini bundle plus `extra` files (or with replacements); returns the printed problems. */
  async function problemsOf(files: Array<{ path: string; content: string }>): Promise<string[]> {
    const res = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: [...readBundle(MINI), ...files] } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('validation_failed');
    // Nothing was written: the registry exports exactly as before.
    expect((await t.request({ method: 'GET', url: '/v1/export' })).body).toBe(baseline);
    return (res.json().error.details as Problem[]).map(formatProblem);
  }

  it('malformed YAML', async () => {
    const problems = await problemsOf([
      { path: 'bad.yaml', content: 'apiVersion: fulcrum/v1\nkind: Person\nspec: {title: [unclosed\n' },
    ]);
    expect(problems[0]).toBe(
      'bad.yaml:4:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    for (const p of problems) expect(p).toMatch(/^bad\.yaml:\d+:\d+: YAML: /);
    const alias = await problemsOf([{ path: 'alias.yaml', content: 'apiVersion: *nowhere\nkind: Person\n' }]);
    expect(alias).toEqual(['alias.yaml:1:1: YAML: Unresolved alias (the anchor must be set before the alias): nowhere']);
  });

  it('an unknown kind, a wrong apiVersion, a document that is not a mapping', async () => {
    const problems = await problemsOf([
      {
        path: 'kinds.yaml',
        content: `apiVersion: fulcrum/v1\nkind: Robot\nmetadata: {name: r2}\nspec: {}\n---\n- a list\n---\n${person('x').replace('fulcrum/v1', 'fulcrum/v2')}`,
      },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^kinds\.yaml:2:1: unknown kind "Robot" \(one of: BusinessUnit, .*McpServer, Monitor, TelemetryCollector\)$/,
      ),
      'kinds.yaml:6:1: a descriptor must be a mapping with apiVersion, kind, metadata and spec',
      'kinds.yaml:8:1: must be "fulcrum/v1"',
    ]);
  });

  it('an unknown field, a missing required field, a bad enum value, a bad name', async () => {
    const problems = await problemsOf([
      {
        path: 'people.yaml',
        content: `${person('p1', '\n  shoeSize: 44')}---\n${person('p2').replace('  displayName: Someone\n', '')}---\n${person('p3').replace('[viewer]', '[viewer, emperor]')}---\n${person('has space')}`,
      },
    ]);
    expect(problems).toEqual([
      'people.yaml:8:3: unknown field "shoeSize"',
      'people.yaml:14:1: missing required field "displayName"',
      expect.stringMatching(/^people\.yaml:23:19: must be one of: admin, platform, .*, viewer$/),
      expect.stringMatching(/^people\.yaml:28:3: must match pattern/),
    ]);
  });

  it('a dangling reference, reported at the field that names it', async () => {
    const problems = await problemsOf([
      {
        path: 'agent.yaml',
        content:
          'apiVersion: fulcrum/v1\nkind: Agent\nmetadata: {name: ghost-bot}\nspec:\n  initiative: support-deflection\n  owner: ghost\n  extraTools: [crm.lookup, crm.teleport]\n',
      },
    ]);
    expect(problems).toEqual(['agent.yaml:6:3: no Person named "ghost"', 'agent.yaml:7:28: no Tool named "crm.teleport"']);
  });

  it('tool arguments that are not an object schema', async () => {
    const tool = (name: string, args: string) =>
      `apiVersion: fulcrum/v1\nkind: Tool\nmetadata: {name: ${name}}\nspec:\n  system: crm\n  effect: read\n  arguments: ${args}\n`;
    const problems = await problemsOf([
      {
        path: 'tools.yaml',
        content: `${tool('a.untyped', '{properties: {amount: {type: integer}}}')}---\n${tool('b.bad', '{type: object, properties: {x: {type: 12}}}')}`,
      },
    ]);
    expect(problems).toEqual([
      'tools.yaml:7:3: arguments must be a JSON Schema of type "object"',
      expect.stringMatching(/^tools\.yaml:15:3: not a valid JSON Schema: /),
    ]);
  });

  it('tool arguments in a JSON Schema dialect Fulcrum does not validate', async () => {
    const tool = (name: string, dialect: string) =>
      `apiVersion: fulcrum/v1\nkind: Tool\nmetadata: {name: ${name}}\nspec:\n  system: crm\n  effect: read\n  arguments: {$schema: "${dialect}", type: object}\n`;
    const files = (dialects: string[]) => [
      { path: 'tools.yaml', content: dialects.map((d, i) => tool(`t.${i}`, d)).join('---\n') },
    ];
    // Each dialect as it is usually written, and with the other scheme and the `#` turned around.
    const understood = files([
      'http://json-schema.org/draft-07/schema#',
      'https://json-schema.org/draft-07/schema',
      'https://json-schema.org/draft/2019-09/schema',
      'http://json-schema.org/draft/2019-09/schema#',
      'https://json-schema.org/draft/2020-12/schema',
      'http://json-schema.org/draft/2020-12/schema',
    ]);
    const dry = await t.request({
      method: 'POST',
      url: '/v1/apply?dryRun=true',
      payload: { files: [...readBundle(MINI), ...understood] },
    });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(await problemsOf(files(['http://json-schema.org/draft-04/schema#']))).toEqual([
      'tools.yaml:7:3: not a valid JSON Schema: $schema "http://json-schema.org/draft-04/schema#" is not a dialect Fulcrum validates (draft-07, the default; 2019-09; 2020-12)',
    ]);
  });

  it('a duplicate name', async () => {
    const problems = await problemsOf([{ path: 'dup.yaml', content: `${person('twin')}---\n${person('twin')}` }]);
    expect(problems).toEqual(['dup.yaml:12:3: duplicate Person/twin (first defined at dup.yaml:4:3)']);
  });

  it('Cedar that does not parse, and Cedar that does not validate against the registry', async () => {
    const policy = (name: string, cedar: string) =>
      `apiVersion: fulcrum/v1\nkind: Policy\nmetadata:\n  name: ${name}\nspec:\n  cedar: |\n${cedar
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`;
    const problems = await problemsOf([
      {
        path: 'policies.yaml',
        content: `${policy('broken', 'permit (principal, action, resource)\nwhen { context.arguments.amount > };')}---\n${policy(
          'typo',
          'forbid (principal, action == Action::"crm.refund", resource)\nwhen { context.arguments.amont > 500 };',
        )}---\n${policy('no-such-tool', 'forbid (principal, action == Action::"crm.teleport", resource);')}`,
      },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^policies\.yaml:8:\d+: Cedar: /);
    expect(problems[1]).toMatch(/^policies\.yaml:17:12: Cedar: .*amont.*did you mean `amount`/);
    expect(problems[2]).toMatch(/^policies\.yaml:25:34: Cedar: unrecognized action `Action::"crm\.teleport"`/);
  });

  it('a body over the size limit', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [{ path: 'huge.yaml', content: `# ${'x'.repeat(70 * 1024)}\n` }] },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect((await t.request({ method: 'GET', url: '/v1/export' })).body).toBe(baseline);
  });

  it('malformed JSON and an unsupported content type', async () => {
    const json = await t.request({
      method: 'POST',
      url: '/v1/apply',
      headers: { 'content-type': 'application/json' },
      payload: '{"files": [',
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('bad_request');
    const xml = await t.request({
      method: 'POST',
      url: '/v1/apply',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('unsupported_media_type');
  });
});
