// Fulcrum reads YAML 1.2. A file that declared `%YAML 1.1` was read under 1.1's rules, silently: the
// same text meant other values (`no` false, `0777` 511, `1:30` 90, `1_000` 1000), so a descriptor could
// hold one value in review and another in Fulcrum. Such a document is refused, naming the directive.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFiles } from '../../src/registry/descriptors.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const person = (directive: string) => `# people
${directive}---
apiVersion: fulcrum/v1
kind: Person
metadata: { name: nora.no }
spec: { displayName: no, roles: [] }
`;

describe('the YAML version a file declares', () => {
  it('refuses %YAML 1.1, at the directive’s line', () => {
    const { documents, problems } = parseFiles([{ path: 'p.yaml', content: person('%YAML 1.1\n') }]);
    expect(documents).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'p.yaml',
        line: 2,
        col: 1,
        message: expect.stringMatching(/^YAML: %YAML 1\.1 is not read: Fulcrum reads YAML 1\.2.*remove the directive$/),
      },
    ]);
  });

  it('reads %YAML 1.2, and no directive, the same: `no` is the string "no"', () => {
    for (const directive of ['%YAML 1.2\n', '']) {
      const { documents, problems } = parseFiles([{ path: 'p.yaml', content: person(directive) }]);
      expect(problems).toEqual([]);
      expect(documents[0]?.value).toMatchObject({ spec: { displayName: 'no' } });
    }
  });

  describe('through the API', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer('sqlite');
      expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    });
    afterAll(async () => t?.close());

    it('an apply (422) and a YAML PUT (400) with %YAML 1.1 are refused, and nothing is written', async () => {
      const applied = await t.request({
        method: 'POST',
        url: '/v1/apply',
        payload: { files: [{ path: 'p.yaml', content: person('%YAML 1.1\n') }] },
      });
      expect(applied.statusCode).toBe(422);
      expect(JSON.stringify(applied.json())).toContain('%YAML 1.1 is not read');
      const put = await t.request({
        method: 'PUT',
        url: '/v1/people/nora.no',
        headers: { 'content-type': 'application/yaml' },
        payload: '%YAML 1.1\n---\nspec: { displayName: no, roles: [] }\n',
      });
      expect(put.statusCode).toBe(400);
      expect(put.json().error.message).toContain('%YAML 1.1 is not read');
      expect((await t.request({ method: 'GET', url: '/v1/people/nora.no' })).statusCode).toBe(404);
    });
  });
});
