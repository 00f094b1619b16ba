// Callers who may not read the registry (an agent key, a Person with no role) learn nothing of which
// People, Agents and TelemetryCollectors exist from the credential routes: a name that exists and one
// that does not are both 403 (found by review: the subject was looked up before the check, so an
// unknown name was 404). A caller who may read the registry still hears 404.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('who exists, asked by callers who may not read the registry', () => {
  let t: TestServer;
  let agentKey: string;
  let nobody: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    await t.request({ method: 'PUT', url: '/v1/people/nobody', payload: { spec: { displayName: 'N' } } });
    agentKey = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys', payload: {} })).json().key;
    nobody = (await t.request({ method: 'POST', url: '/v1/people/nobody/tokens', payload: {} })).json().token;
  });
  afterAll(async () => t?.close());

  it('answers the same for a name that exists and one that does not', async () => {
    for (const token of [agentKey, nobody]) {
      // Neither may read the registry at all:
      expect((await t.request({ method: 'GET', url: '/v1/people', token })).statusCode).toBe(403);
      const exists = await t.request({ method: 'GET', url: '/v1/people/dana.lee/tokens', token });
      const missing = await t.request({ method: 'GET', url: '/v1/people/no.such.person/tokens', token });
      const agentExists = await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu/keys', token: nobody });
      const agentMissing = await t.request({ method: 'GET', url: '/v1/agents/no-such-agent/keys', token: nobody });
      expect([exists.statusCode, agentExists.statusCode]).toEqual([403, 403]);
      expect([missing.statusCode, agentMissing.statusCode], missing.body).toEqual([403, 403]);
      const collector = await t.request({ method: 'GET', url: '/v1/telemetry-collectors/no-such-collector/keys', token });
      expect(collector.statusCode, collector.body).toBe(403);
    }
    // A viewer reads the registry anyway: an unknown name is 404 to them.
    await t.request({ method: 'PUT', url: '/v1/people/vic', payload: { spec: { displayName: 'Vic', roles: ['viewer'] } } });
    const viewer = (await t.request({ method: 'POST', url: '/v1/people/vic/tokens', payload: {} })).json().token;
    expect((await t.request({ method: 'GET', url: '/v1/people/no.such.person/tokens', token: viewer })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/v1/people/dana.lee/tokens', token: viewer })).statusCode).toBe(403);
  });
});
