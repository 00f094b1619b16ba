// docs/security.md: "an initiative's stage moves through a review or by an admin, never by a
// `platform` registry write". A platform person could not PUT a later stage, but could DELETE the
// initiative and PUT it back at any stage: two registry writes skipped the promotion review. Only an
// admin now registers an initiative past `proposed`, or deletes one that is.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('an initiative’s stage and delete + re-create', () => {
  let t: TestServer;
  let platform: string;
  const spec = {
    title: 'Invoice matching',
    type: 'agent',
    riskTier: 'high',
    stage: 'pilot',
    stageSince: '2026-06-01',
    owner: 'dana.lee',
    businessUnit: 'cx',
    oversightOwner: 'dana.lee',
    incidentOwner: 'dana.lee',
  };
  const put = (token: string | undefined, name: string, more: object = {}) =>
    t.request({ method: 'PUT', url: `/v1/initiatives/${name}`, token, payload: { spec: { ...spec, ...more } } });
  const del = (token: string | undefined, name: string) => t.request({ method: 'DELETE', url: `/v1/initiatives/${name}`, token });

  beforeAll(async () => {
    t = await startTestServer('sqlite');
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    expect(
      (
        await t.request({
          method: 'PUT',
          url: '/v1/people/pat.platform',
          payload: { spec: { displayName: 'Pat', roles: ['platform'] } },
        })
      ).statusCode,
    ).toBe(201);
    platform = (await t.request({ method: 'POST', url: '/v1/people/pat.platform/tokens', payload: {} })).json().token;
    expect((await put(undefined, 'invoice-matching')).statusCode).toBe(201); // registered by the admin token, in pilot
  });
  afterAll(async () => t?.close());

  it('a platform PUT that moves the stage is refused (as before)', async () => {
    expect((await put(platform, 'invoice-matching', { stage: 'scaled', stageSince: '2026-07-01' })).statusCode).toBe(403);
  });

  it('a platform delete of an initiative past proposed is refused, so it cannot come back at another stage', async () => {
    const refused = await del(platform, 'invoice-matching');
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Initiative',
        name: 'invoice-matching',
        message: expect.stringMatching(/only an admin may delete/),
      }),
    ]);
    expect((await t.request({ method: 'GET', url: '/v1/initiatives/invoice-matching' })).json().spec.stage).toBe('pilot');
  });

  it('a platform person registers an initiative at proposed only', async () => {
    const scaled = await put(platform, 'fraud-triage', { stage: 'scaled' });
    expect(scaled.statusCode, scaled.body).toBe(403);
    expect(scaled.json().error.details).toEqual([
      expect.objectContaining({ kind: 'Initiative', name: 'fraud-triage', path: '/spec/stage' }),
    ]);
    expect((await put(platform, 'fraud-triage', { stage: 'proposed' })).statusCode).toBe(201);
    // A proposed one is theirs to delete (and to register again, at proposed).
    expect((await del(platform, 'fraud-triage')).statusCode).toBe(204);
    expect((await put(platform, 'fraud-triage', { stage: 'pilot' })).statusCode).toBe(403);
  });

  it('an admin may do both', async () => {
    expect((await del(undefined, 'invoice-matching')).statusCode).toBe(204);
    expect((await put(undefined, 'invoice-matching', { stage: 'scaled' })).statusCode).toBe(201);
  });
});
