// Separation of duties under concurrency, on PostgreSQL with two nodes: a person's risk assessment of
// an initiative and a write making that person its owner, sent at the same moment to different
// nodes, never both succeed (whoever assessed the tier in force may not own it; whoever owns it may
// not assess it). The assessment takes the registry lock and reads the owner under it, as the write
// does (docs/auth.md). Without that lock the first round already let both through.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startCluster, type TestCluster } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const ROUNDS = 20;

describe.skipIf(!ENGINES.includes('postgres'))('separation of duties across two nodes at once (postgres)', () => {
  let c: TestCluster;
  const tokens: Record<string, string> = {};

  const request = (node: number, method: 'GET' | 'PUT' | 'POST', url: string, token: string, payload?: object) =>
    c.request(node, { method, url, token, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    c = await startCluster('postgres', [{}, {}]);
    expect((await request(0, 'POST', '/v1/apply', ADMIN_TOKEN, { files: readBundle(MINI) })).statusCode).toBe(200);
    for (const name of ['ada.admin', 'abe.admin']) {
      const put = await request(0, 'PUT', `/v1/people/${name}`, ADMIN_TOKEN, {
        spec: { displayName: name, roles: ['admin'], email: `${name}@acme.example` },
      });
      expect(put.statusCode, put.body).toBe(201);
      const made = await request(0, 'POST', `/v1/people/${name}/tokens`, ADMIN_TOKEN, { description: 'race' });
      expect(made.statusCode, made.body).toBe(201);
      tokens[name] = made.json().token;
    }
  });
  afterAll(async () => c?.close());

  it('never lets one person both assess an initiative and take it over, whichever node hears first', async () => {
    const { questions } = (await request(0, 'GET', '/v1/risk-questionnaire', ADMIN_TOKEN)).json();
    const answers = { ...Object.fromEntries(Object.keys(questions).map((q) => [q, false])), prohibitedPractices: [] };
    const spec = (owner: string) => ({
      title: 'Race',
      type: 'agent',
      stage: 'pilot',
      stageSince: '2026-06-01',
      owner,
      businessUnit: 'cx',
      oversightOwner: 'dana.lee',
      incidentOwner: 'dana.lee',
    });
    for (let i = 0; i < ROUNDS; i++) {
      const name = `race-${i}`;
      expect((await request(0, 'PUT', `/v1/initiatives/${name}`, ADMIN_TOKEN, { spec: spec('dana.lee') })).statusCode).toBe(201);
      // ada.admin assesses on one node while abe.admin makes her the owner on the other.
      const assess = () =>
        request(i % 2, 'POST', `/v1/initiatives/${name}/risk-assessment`, tokens['ada.admin'] as string, { answers });
      const handOff = () =>
        request(1 - (i % 2), 'PUT', `/v1/initiatives/${name}`, tokens['abe.admin'] as string, { spec: spec('ada.admin') });
      // Sent in one order or the other, alternately, so that each may reach the lock first.
      let assessed: Awaited<ReturnType<typeof assess>>;
      let handed: Awaited<ReturnType<typeof assess>>;
      if (i % 4 < 2) [assessed, handed] = await Promise.all([assess(), handOff()]);
      else [handed, assessed] = await Promise.all([handOff(), assess()]);
      const both = assessed.statusCode === 201 && handed.statusCode === 200;
      expect(both, `round ${i}: the assessment (${assessed.body}) and the hand-off (${handed.body}) both went through`).toBe(
        false,
      );
      // Exactly one goes through: the other is refused by separation of duties, not by an error.
      const refused = assessed.statusCode === 201 ? handed : assessed;
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.message).toMatch(/^separation of duties: ada\.admin /);
      // What the database says agrees: her assessment stands, or she owns it, never both.
      const owner = (await request(0, 'GET', `/v1/initiatives/${name}`, ADMIN_TOKEN)).json().spec.owner;
      expect(owner).toBe(assessed.statusCode === 201 ? 'dana.lee' : 'ada.admin');
    }
  });
});
