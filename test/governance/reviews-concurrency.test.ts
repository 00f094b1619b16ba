// Reviews under concurrency: one open review per initiative (a partial unique index, also settling
// duplicates left by the race on upgrade), and one sign-off per person even when signing twice at once.
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrationsFor } from '../../src/db/migrations/index.js';
import type { ReviewTable } from '../../src/db/schema.js';
import { createReviewService } from '../../src/governance/reviews.js';
import { latestTiers } from '../../src/governance/risk.js';
import type { RegistryService } from '../../src/registry/registry-service.js';
import { createEmptyDatabase, ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { gate } from '../support/pause.js';
import { startCluster, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const ADMIN = { type: 'admin', id: 'admin' } as const;
const MIGRATION = '20261209T0100-one-open-review';
const spec = (riskTier: string) => ({
  title: 'race',
  type: 'agent',
  stage: 'proposed',
  owner: 'dana.lee',
  businessUnit: 'cx',
  riskTier,
});

describe.each(ENGINES)('reviews under concurrency on %s', (engine) => {
  let t: TestServer;
  const drops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    await t.request({
      method: 'PUT',
      url: '/v1/people/sam.two-hats',
      payload: { spec: { displayName: 'Sam', roles: ['platform', 'reviewer:security'] } },
    });
    for (const [name, tier] of [
      ['race-open', 'minimal'],
      ['race-sod', 'medium'],
      ['race-admin', 'medium'],
      ['race-write', 'minimal'],
      ['race-tier', 'minimal'],
    ] as const)
      expect((await t.request({ method: 'PUT', url: `/v1/initiatives/${name}`, payload: { spec: spec(tier) } })).statusCode).toBe(
        201,
      );
  });
  afterAll(async () => {
    await t?.close();
    for (const d of drops) await d();
  });

  it('opens one review per initiative when promotions arrive at once', async () => {
    const tries = await Promise.allSettled(
      (['pilot', 'production', 'scaled', 'retired'] as const).map((to) => t.app.reviews.promote(ADMIN, 'race-open', to)),
    );
    expect(tries.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    for (const x of tries.filter((x) => x.status === 'rejected'))
      expect((x as PromiseRejectedResult).reason.message).toMatch(/race-open already has an open review \(rev_/);
    expect(await t.app.reviews.list(ADMIN, { status: 'open', initiative: 'race-open' })).toHaveLength(1);
  });

  it('takes one sign-off per person, even when one person signs in two roles at once', async () => {
    const review = await t.app.reviews.promote(ADMIN, 'race-sod', 'pilot');
    const sam: Principal = { type: 'person', id: 'sam.two-hats', roles: ['platform', 'reviewer:security'], tokenId: 't' };
    const tries = await Promise.allSettled([
      t.app.reviews.signOff(sam, review.id, { role: 'platform', decision: 'approve' }),
      t.app.reviews.signOff(sam, review.id, { role: 'reviewer:security', decision: 'approve' }),
    ]);
    expect(tries.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((tries.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason.message).toMatch(
      /already signed this review as .*; one person gives one sign-off/,
    );
    const after = await t.app.reviews.get(ADMIN, review.id);
    expect(after.signOffs.filter((s) => s.person === 'person:sam.two-hats')).toHaveLength(1);
  });

  it('still lets the admin token sign in every role (it is exempt, docs/auth.md)', async () => {
    const review = await t.app.reviews.promote(ADMIN, 'race-admin', 'pilot');
    await Promise.all(
      ['owner', 'platform', 'reviewer:security', 'reviewer:data'].map((role) =>
        t.app.reviews.signOff(ADMIN, review.id, { role, decision: 'approve' }),
      ),
    );
    expect((await t.app.reviews.get(ADMIN, review.id)).status).toBe('approved');
    expect((await t.request({ method: 'GET', url: '/v1/initiatives/race-admin' })).json().spec.stage).toBe('pilot');
  });

  /** The app's reviews, their registry writes held at `gate` until released. */
  function heldReviews() {
    const g = gate();
    const real = t.app.registry;
    const held: RegistryService = {
      ...real,
      put: async (...a) => {
        await g.stop();
        return real.put(...a);
      },
      update: async (...a) => {
        await g.stop();
        return real.update(...a);
      },
    };
    const reviews = createReviewService({
      db: t.app.database.db,
      registry: () => real.snapshot(),
      registryService: held,
      riskTier: async (i) =>
        (await latestTiers(t.app.database.db)).get(i) ?? (await real.snapshot()).get('Initiative', i)?.spec.riskTier,
      changeWithActs: t.app.guard.changeWithActs,
    });
    return { reviews, gate: g };
  }
  const initiative = async (name: string) => (await t.request({ method: 'GET', url: `/v1/initiatives/${name}` })).json().spec;

  // Found by review: the stage was written as the whole initiative read a moment before, so a registry
  // write landing in between was undone by the review's.
  it('moves the stage on the initiative as the write finds it: a change made meanwhile stays', async () => {
    const review = await t.app.reviews.promote(ADMIN, 'race-write', 'pilot');
    const { reviews, gate: g } = heldReviews();
    const signing = reviews.signOff(ADMIN, review.id, { role: 'owner', decision: 'approve' });
    await g.reached;
    const meanwhile = { spec: { ...spec('minimal'), title: 'renamed meanwhile' } };
    expect((await t.request({ method: 'PUT', url: '/v1/initiatives/race-write', payload: meanwhile })).statusCode).toBe(200);
    g.release();
    expect((await signing).status).toBe('approved');
    expect(await initiative('race-write')).toMatchObject({ stage: 'pilot', title: 'renamed meanwhile' });
  });

  it('does not approve when the risk tier changed while the sign-off was recorded: the review closes, saying why', async () => {
    const review = await t.app.reviews.promote(ADMIN, 'race-tier', 'pilot');
    const { reviews, gate: g } = heldReviews();
    const signing = reviews.signOff(ADMIN, review.id, { role: 'owner', decision: 'approve' });
    await g.reached;
    const stricter = { spec: { ...spec('high'), oversightOwner: 'dana.lee', incidentOwner: 'dana.lee' } };
    expect((await t.request({ method: 'PUT', url: '/v1/initiatives/race-tier', payload: stricter })).statusCode).toBe(200);
    g.release();
    await expect(signing).rejects.toThrow(
      `review ${review.id} can no longer be approved: its risk tier changed to high while the review was being approved. It is closed; promote again if still wanted`,
    );
    expect((await t.app.reviews.get(ADMIN, review.id)).status).toBe('rejected');
    expect(await initiative('race-tier')).toMatchObject({ stage: 'proposed', riskTier: 'high' });
  });

  it('settles reviews left open twice by the race when upgrading, keeping the earliest', async () => {
    const { handle, drop } = await createEmptyDatabase(engine);
    drops.push(async () => {
      await handle.destroy();
      await drop();
    });
    const before = Object.fromEntries(Object.entries(migrationsFor(handle.adapter)).filter(([name]) => name < MIGRATION));
    const { error } = await new Migrator({ db: handle.db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const row = (id: string, initiative: string, opened: string, status: ReviewTable['status'] = 'open'): ReviewTable => ({
      id,
      initiative,
      from_stage: 'proposed',
      to_stage: 'pilot',
      tier: 'minimal',
      required: '["owner"]',
      status,
      opened_by: 'admin',
      opened_at: `2026-12-0${opened}T10:00:00.000Z`,
      closed_at: status === 'open' ? null : '2026-12-05T10:00:00.000Z',
      owner: 'dana.lee',
    });
    await handle.db
      .insertInto('reviews')
      .values([
        row('rev_b', 'twice', '2'),
        row('rev_a', 'twice', '1'),
        row('rev_c', 'twice', '3'),
        row('rev_d', 'once', '1'),
        row('rev_e', 'once', '1', 'approved'),
      ])
      .execute();
    await migrateToLatest(handle);
    const rows = await handle.db.selectFrom('reviews').select(['id', 'status', 'closed_at']).orderBy('id').execute();
    expect(rows.map((r) => `${r.id}:${r.status}`)).toEqual([
      'rev_a:open',
      'rev_b:rejected',
      'rev_c:rejected',
      'rev_d:open',
      'rev_e:approved',
    ]);
    expect(rows.find((r) => r.id === 'rev_b')?.closed_at).toEqual(expect.any(String));
    // The index now refuses a second open review (and only an open one).
    await expect(
      handle.db
        .insertInto('reviews')
        .values(row('rev_f', 'once', '4'))
        .execute(),
    ).rejects.toThrow();
    await handle.db
      .insertInto('reviews')
      .values(row('rev_g', 'once', '4', 'rejected'))
      .execute();
  });
});

// Several nodes (PostgreSQL only): each looked for an open review on its own connection.
describe.each(ENGINES.filter((e) => e === 'postgres'))('promotions through two nodes on %s', (engine) => {
  it('opens one review per initiative', async () => {
    const c = await startCluster(engine, [{}, {}]);
    try {
      await c.request(0, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
      const put = await c.request(0, { method: 'PUT', url: '/v1/initiatives/race-nodes', payload: { spec: spec('minimal') } });
      expect(put.statusCode).toBe(201);
      const [a, b] = c.nodes.map((n) => n.app);
      const tries = await Promise.allSettled(
        (['pilot', 'production', 'scaled', 'retired'] as const).map((to, i) =>
          (i % 2 ? b : a)?.reviews.promote(ADMIN, 'race-nodes', to),
        ),
      );
      expect(tries.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      expect(await a?.reviews.list(ADMIN, { status: 'open', initiative: 'race-nodes' })).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});
