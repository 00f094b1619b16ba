// Tokens, keys and roles: who may read, who may write, and that secrets are only ever stored hashed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdminToken } from '../../src/auth/admin-token.js';
import { openDatabase } from '../../src/db/adapter.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('authentication and roles on %s', (engine) => {
  let t: TestServer;
  const issued: string[] = [];
  const tokenFor = async (person: string, as?: string) => {
    const res = await t.request({
      method: 'POST',
      url: `/v1/people/${person}/tokens`,
      payload: { description: 'test' },
      ...(as ? { token: as } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    issued.push(res.json().token);
    return res.json() as { id: string; token: string; prefix: string };
  };

  beforeAll(async () => {
    t = await startTestServer(engine);
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('rejects a missing, malformed or unknown token with 401 and a clear message', async () => {
    const none = await t.request({ method: 'GET', url: '/v1/agents', token: null });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: 'missing "Authorization: Bearer <token>" header' } });
    const basic = await t.request({ method: 'GET', url: '/v1/agents', headers: { authorization: 'Basic abc' }, token: null });
    expect(basic.json().error.message).toBe('the Authorization header must be "Bearer <token>"');
    const unknown = await t.request({ method: 'GET', url: '/v1/agents', token: 'fpt_nope' });
    expect(unknown.json()).toEqual({ error: { code: 'unauthorized', message: 'unknown or revoked token' } });
  });

  it('lets a viewer read and not write; a platform person write', async () => {
    const viewer = await tokenFor('vic.viewer');
    expect(viewer.token).toMatch(/^fpt_[A-Za-z0-9_-]{43}$/);
    expect(viewer.prefix).toBe(viewer.token.slice(0, 10));
    expect((await t.request({ method: 'GET', url: '/v1/agents', token: viewer.token })).statusCode).toBe(200);
    const who = await t.request({ method: 'GET', url: '/v1/whoami', token: viewer.token });
    // The permissions are the server's own role rules, so the console need not re-derive them.
    expect(who.json()).toEqual({ type: 'person', id: 'vic.viewer', roles: ['viewer'], permissions: ['registry.read'] });

    const put = await t.request({
      method: 'PUT',
      url: '/v1/compute-pools/x',
      token: viewer.token,
      payload: { spec: { region: 'r', unit: 'u', capacity: 1 } },
    });
    expect(put.statusCode).toBe(403);
    expect(put.json().error).toEqual({
      code: 'forbidden',
      message: 'person "vic.viewer" may not registry write (roles: viewer)',
    });
    // The role is checked before the body is parsed: a reader's YAML costs the server nothing
    // (malformed YAML would otherwise be a 400 naming the parse error).
    const yaml = await t.request({
      method: 'PUT',
      url: '/v1/compute-pools/x',
      token: viewer.token,
      headers: { 'content-type': 'application/yaml' },
      payload: 'spec: [unterminated',
    });
    expect(yaml.statusCode).toBe(403);
    expect(
      (await t.request({ method: 'POST', url: '/v1/apply', token: viewer.token, payload: { files: readBundle(MINI) } }))
        .statusCode,
    ).toBe(403);
    expect((await t.request({ method: 'DELETE', url: '/v1/compute-pools/eu-gpu', token: viewer.token })).statusCode).toBe(403);

    const platform = await tokenFor('dana.lee');
    const ok = await t.request({
      method: 'PUT',
      url: '/v1/compute-pools/x',
      token: platform.token,
      payload: { spec: { region: 'r', unit: 'u', capacity: 1 } },
    });
    expect(ok.statusCode).toBe(201);
    const changes = await t.request({ method: 'GET', url: '/v1/registry/changes?limit=1', token: platform.token });
    expect(changes.json().items[0]).toMatchObject({ kind: 'ComputePool', name: 'x', actor: 'person:dana.lee' });
  });

  it('lets a person with the admin role act in every role, as the admin token does', async () => {
    const person = await t.request({
      method: 'PUT',
      url: '/v1/people/ada.admin',
      payload: { spec: { displayName: 'Ada Admin', roles: ['admin'], businessUnit: 'cx' } },
    });
    expect(person.statusCode, person.body).toBe(201);
    const admin = await tokenFor('ada.admin');
    const suspend = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/suspend',
      token: admin.token,
      payload: { reason: 'drill' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const resume = await t.request({
      method: 'POST',
      url: '/v1/agents/support-bot-eu/resume',
      token: admin.token,
      payload: { reason: 'drill over' },
    });
    expect(resume.statusCode).toBe(200);
    // A viewer still may not.
    const viewer = await tokenFor('vic.viewer');
    expect(
      (
        await t.request({
          method: 'POST',
          url: '/v1/agents/support-bot-eu/suspend',
          token: viewer.token,
          payload: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lets a person manage their own tokens and nobody else’s', async () => {
    const vic = await tokenFor('vic.viewer');
    const own = await tokenFor('vic.viewer', vic.token);
    expect(own.id).not.toBe(vic.id);
    const other = await t.request({ method: 'POST', url: '/v1/people/dana.lee/tokens', token: vic.token });
    expect(other.statusCode).toBe(403);
    const list = await t.request({ method: 'GET', url: '/v1/people/vic.viewer/tokens', token: vic.token });
    expect(list.statusCode).toBe(200);
    for (const item of list.json().items) {
      expect(Object.keys(item).sort()).toEqual([
        'createdAt',
        'createdBy',
        'description',
        'id',
        'prefix',
        'revokedAt',
        'revokedBy',
      ]);
    }
    const revoke = await t.request({ method: 'DELETE', url: `/v1/people/vic.viewer/tokens/${own.id}`, token: vic.token });
    expect(revoke.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/v1/agents', token: own.token })).statusCode).toBe(401);
    expect((await t.request({ method: 'DELETE', url: `/v1/people/vic.viewer/tokens/${own.id}` })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/v1/people/nobody/tokens' })).statusCode).toBe(404);
  });

  it('issues agent keys once, lists prefixes, and revokes them', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' });
    expect(created.statusCode).toBe(201);
    const { id, key, prefix } = created.json();
    issued.push(key);
    expect(key).toMatch(/^fk_[A-Za-z0-9_-]{43}$/);
    const list = await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu/keys' });
    expect(list.json().items).toEqual([expect.objectContaining({ id, prefix, revokedAt: null, createdBy: 'admin' })]);
    expect(list.body).not.toContain(key);

    // An agent key is for the decision API, not for reading the registry.
    const asAgent = await t.request({ method: 'GET', url: '/v1/agents', token: key });
    expect(asAgent.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: key })).json()).toEqual({
      type: 'agent',
      id: 'support-bot-eu',
      permissions: [],
    });

    // The agent's owner may manage its keys; a viewer may not.
    const owner = await tokenFor('omar.owner');
    expect((await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys', token: owner.token })).statusCode).toBe(201);
    const viewer = await tokenFor('vic.viewer');
    expect((await t.request({ method: 'GET', url: '/v1/agents/support-bot-eu/keys', token: viewer.token })).statusCode).toBe(403);

    expect((await t.request({ method: 'DELETE', url: `/v1/agents/support-bot-eu/keys/${id}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/v1/whoami', token: key })).statusCode).toBe(401);
    expect((await t.request({ method: 'POST', url: '/v1/agents/ghost/keys' })).statusCode).toBe(404);
  });

  it('revokes a person’s tokens when the person is deleted', async () => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/people/temp.contractor',
      payload: { spec: { displayName: 'Temp', roles: ['viewer'] } },
    });
    expect(put.statusCode).toBe(201);
    const token = await tokenFor('temp.contractor');
    expect((await t.request({ method: 'GET', url: '/v1/agents', token: token.token })).statusCode).toBe(200);
    expect((await t.request({ method: 'DELETE', url: '/v1/people/temp.contractor' })).statusCode).toBe(204);
    expect(
      (
        await t.request({
          method: 'PUT',
          url: '/v1/people/temp.contractor',
          payload: { spec: { displayName: 'Temp', roles: ['admin'] } },
        })
      ).statusCode,
    ).toBe(201);
    expect((await t.request({ method: 'GET', url: '/v1/agents', token: token.token })).statusCode).toBe(401);
  });

  it('stores only hashes of tokens and keys', async () => {
    const rows = await t.app.database.db.selectFrom('credentials').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(issued.length).toBeGreaterThan(5);
    for (const secret of issued) expect(dump).not.toContain(secret);
    for (const r of rows) expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the generated admin token', () => {
  it('is generated once, kept as a hash, and written with mode 0600', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-admin-'));
    const handle = openDatabase({ sqliteFile: path.join(dir, 'fulcrum.db') });
    await migrateToLatest(handle);
    const first = await setupAdminToken(handle.db, { dataDir: dir });
    expect(first.generated?.token).toMatch(/^fat_/);
    const file = path.join(dir, 'admin-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.generated?.token);
    const second = await setupAdminToken(handle.db, { dataDir: dir });
    expect(second).toEqual({ hash: first.hash });
    const settings = JSON.stringify(await handle.db.selectFrom('settings').selectAll().execute());
    expect(settings).not.toContain(first.generated?.token);
    const fixed = await setupAdminToken(handle.db, { dataDir: dir, fixed: 'fat_from-env' });
    expect(fixed.generated).toBeUndefined();
    await handle.destroy();
    fs.rmSync(dir, { recursive: true });
  });
});
