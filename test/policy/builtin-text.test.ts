// The built-in rules are Cedar text written from registry values (names, a data domain's regions).
// JSON.stringify wrote them, and JSON's escapes are not Cedar's: one DataDomain region holding a
// control character made builtin/model-regions/<domain> unparseable, and every decision failed (500).
// Regions are now names (the schema), values are written as Cedar string literals, and a registry
// write parses the built-in rules it would produce, so a value that breaks one is a 422 naming it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicies, cedarString } from '../../src/policy/builtin.js';
import { policiesToJson } from '../../src/policy/cedar-runtime.js';
import type { Desired } from '../../src/registry/model.js';
import { RegistrySnapshot } from '../../src/registry/model.js';
import { checkPolicies } from '../../src/registry/validate.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

const domain = (regions: string[]): Desired =>
  ({
    kind: 'DataDomain',
    name: 'payroll',
    labels: {},
    spec: { owner: 'x', classification: 'restricted', regions },
  }) as unknown as Desired;

describe('Cedar string literals', () => {
  it('read back as the string they were written from', () => {
    const values = [
      'eu-west-1',
      'a"b',
      'back\\slash',
      'bell\u0007',
      'b\b f\f nl\n tab\t',
      'del\u007f',
      'é ü 日本',
      '\u{1f600}',
      "it's",
    ];
    const texts = values.map((v) => `permit (principal, action, resource) when { context.s == ${cedarString(v)} };`);
    const parsed = policiesToJson(texts);
    parsed.forEach((p, i) => {
      if ('error' in p) throw new Error(`${JSON.stringify(values[i])}: ${p.error}`);
      expect(JSON.stringify(p.json.conditions)).toContain(JSON.stringify(values[i]).slice(1, -1));
    });
  });

  it('keep a DataDomain region with a control character from breaking its built-in rule', () => {
    const texts = builtinPolicies(new RegistrySnapshot([domain(['eu-west-1\b'])])).map((p) => p.text);
    expect(policiesToJson(texts).filter((p) => 'error' in p)).toEqual([]);
  });

  it('are checked at write: a value Cedar cannot hold is reported at its descriptor and field', async () => {
    // A lone surrogate has no Cedar escape (the schema keeps it out of regions; this is the backstop).
    const problems = await checkPolicies(new RegistrySnapshot([domain(['eu-west-1\ud800'])]));
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'DataDomain',
        name: 'payroll',
        path: '/spec/regions',
        message: expect.stringMatching(/model-regions\/payroll/),
      }),
    ]);
  });
});

describe('regions written like names', () => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  const lookup = () =>
    t.request({
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] },
    });

  it('a DataDomain region with a control character is refused at write, naming the field; decisions go on', async () => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/data-domains/payroll',
      payload: { spec: { owner: 'dana.lee', classification: 'restricted', regions: ['eu-west-1\u0007'] } },
    });
    expect(put.statusCode, put.body).toBe(422);
    expect(put.json().error.details).toEqual([expect.objectContaining({ path: '/spec/regions/0' })]);
    const res = await lookup();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decision).toBe('allow');
  });

  it('so is a Model region with a quote or a space', async () => {
    const model = (await t.request({ method: 'GET', url: '/v1/models/gpt-4o-mini' })).json().spec;
    for (const region of ['eu" || true || "', 'eu west']) {
      const put = await t.request({
        method: 'PUT',
        url: '/v1/models/gpt-4o-mini',
        payload: { spec: { ...model, regions: [region] } },
      });
      expect(put.statusCode, put.body).toBe(422);
      expect(put.json().error.details).toEqual([expect.objectContaining({ path: '/spec/regions/0' })]);
    }
    const fine = await t.request({
      method: 'PUT',
      url: '/v1/models/gpt-4o-mini',
      payload: { spec: { ...model, regions: ['eu-central-1', 'europe-west1'] } },
    });
    expect(fine.statusCode, fine.body).toBe(200);
  });
});
