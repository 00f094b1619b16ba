// A Tool's `arguments` types `context.arguments` in the Cedar schema generated from the registry, one
// record (or set) per level. cedar-wasm reads that schema with a recursion limit, and a Tool nested
// ~60 levels deep (YAML's block nesting has no depth bound) made it unreadable: the Tool was
// accepted, and from then on every write that checks Policies was refused with "generated Cedar
// schema is invalid: recursion limit exceeded", naming Policy "*" and not the Tool. Such a Tool is
// now refused where it is written, naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/** A Tool whose arguments nest `depth` objects, in YAML's block style. */
function deepTool(name: string, depth: number): string {
  let properties = '';
  let indent = '      ';
  for (let i = 0; i < depth; i++) {
    properties += `${indent}a:\n${indent}  type: object\n${indent}  properties:\n`;
    indent += '    ';
  }
  properties += `${indent}b: { type: integer }\n`;
  return `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: ${name} }
spec:
  system: deep
  effect: read
  arguments:
    type: object
    properties:
${properties}`;
}

const POLICY = {
  spec: { cedar: 'forbid (principal, action in Action::"tool.call", resource) when { resource.system == "deep" };' },
};

describe("a Tool's arguments nested too deeply for the Cedar schema", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => t?.close());

  const apply = (content: string) =>
    t.request({ method: 'POST', url: '/v1/apply', payload: { files: [{ path: 'tools.yaml', content }] } });

  it('is refused where it is written, naming the Tool, so that Policies can still be written', async () => {
    // No Policy yet: nothing reads the generated schema at this write.
    const res = await apply(deepTool('deep.tool', 60));
    expect(res.statusCode, res.body.slice(0, 500)).toBe(422);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Tool',
        name: 'deep.tool',
        path: '/spec/arguments',
        message: expect.stringMatching(/nest/),
      }),
    ]);
    const policy = await t.request({ method: 'PUT', url: '/v1/policies/deep-frozen', payload: POLICY });
    expect(policy.statusCode, policy.body.slice(0, 500)).toBe(201);
  });

  it('is accepted as deep as a JSON body may carry it', async () => {
    const res = await apply(deepTool('deep.ok', 31));
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  });
});
