// Stage-promotion reviews: the sign-offs a promotion needs depend on the initiative's tier in force;
// the stage changes only when every required sign-off approves, and one reject closes the review.
import type { Kysely, Transaction } from 'kysely';
import { actorName, assertCan, can, hasRole, type Principal } from '../auth/principal.js';
import { newId } from '../auth/tokens.js';
import { adapterOf } from '../db/adapter.js';
import { inSavepoint } from '../db/savepoint.js';
import type { Database, ReviewTable } from '../db/schema.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { ActRecord, ChangeWithActs } from '../guard/audit.js';
import type { Desired, RegistrySnapshot } from '../registry/model.js';
import type { RegistryService } from '../registry/registry-service.js';
import { type Role, STAGES } from '../registry/schemas.js';
import { assertSeparateDuties, missingOversight, SIGN_OFFS, signOffsFor, whyStale } from './review-rules.js';
import { latestTiers } from './risk.js';

type Stage = (typeof STAGES)[number];

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  registryService: RegistryService;
  riskTier(initiative: string): Promise<string | undefined>;
  /** A review opened, a sign-off, a review closed as rejected, each with its audit entry in one
   *  transaction (src/guard/audit.ts); a review approved commits its entry with the registry write that
   *  moves the stage (approve, below). */
  changeWithActs: ChangeWithActs;
}

export type ReviewService = ReturnType<typeof createReviewService>;

export function createReviewService(deps: Deps) {
  const { db } = deps;

  async function load(id: string) {
    const r = await db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError(`no review "${id}"`);
    const signOffs = await db.selectFrom('review_signoffs').selectAll().where('review_id', '=', id).orderBy('at').execute();
    return { row: r, signOffs };
  }
  const view = (r: ReviewTable, signOffs: Database['review_signoffs'][]) => {
    const required = JSON.parse(r.required) as string[];
    return {
      id: r.id,
      initiative: r.initiative,
      from: r.from_stage as Stage,
      to: r.to_stage as Stage,
      tier: r.tier,
      status: r.status,
      required,
      pending: required.filter((role) => !signOffs.some((s) => s.role === role)),
      signOffs: signOffs.map((s) => ({ role: s.role, person: s.person, decision: s.decision, comment: s.comment, at: s.at })),
      openedBy: r.opened_by,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
    };
  };

  const openReview = (on: Kysely<Database>, initiative: string) =>
    on.selectFrom('reviews').select('id').where('initiative', '=', initiative).where('status', '=', 'open').executeTakeFirst();

  function closedAct(actor: Principal, row: ReviewTable, status: 'approved' | 'rejected', reason?: string): ActRecord {
    return {
      kind: status === 'approved' ? 'review.approved' : 'review.rejected',
      actor: actorName(actor),
      detail: {
        review: row.id,
        initiative: row.initiative,
        from: row.from_stage,
        to: row.to_stage,
        ...(reason ? { reason } : {}),
      },
    };
  }

  /**
   * Closes an open review as rejected, with its entry in the same transaction (once: a review another
   * request closed stays as that one left it, and records nothing here); false when another did.
   */
  async function reject(actor: Principal, row: ReviewTable, at: string, reason?: string): Promise<boolean> {
    return deps.changeWithActs(async (trx) => {
      const closed = await trx
        .updateTable('reviews')
        .set({ status: 'rejected', closed_at: at })
        .where('id', '=', row.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      const done = Number(closed.numUpdatedRows) === 1;
      return { value: done, acts: done ? [closedAct(actor, row, 'rejected', reason)] : [] };
    });
  }

  const staleError = (row: ReviewTable, reason: string) =>
    new ConflictError(`review ${row.id} can no longer be approved: ${reason}. It is closed; promote again if still wanted`);

  /**
   * Moves the initiative's stage and closes the review as approved, in one registry write: the stage
   * is written on the initiative as that write finds it (never an older copy over another write's
   * change), and only if the review is still open and the move still holds there. `stale` says why it
   * no longer does; `approved: false` means another request closed the review first.
   */
  async function approve(actor: Principal, row: ReviewTable, tier: string | undefined, at: string) {
    let stale: string | undefined;
    let closedElsewhere = false;
    /** The initiative's descriptor tier where the write found it (when no assessment sets one). */
    let descriptorTier: string | undefined;
    try {
      await deps.registryService.update(
        { type: 'system', id: `review:${row.id}` },
        (registry) => {
          const current = registry.get('Initiative', row.initiative);
          descriptorTier = current?.spec.riskTier;
          stale = whyStale(row, current, tier) ?? (current ? missingOversight(row, current, tier) : undefined);
          if (stale !== undefined || !current) throw new ConflictError(stale ?? `${row.initiative} no longer exists`);
          const spec = { ...current.spec, stage: row.to_stage, stageSince: at.slice(0, 10) };
          return [{ kind: 'Initiative', name: current.name, labels: current.labels, spec }];
        },
        async (trx) => {
          // The tier in force, read under the registry's lock (an assessment takes it too): one
          // assessed since the sign-off was checked may need other sign-offs, or forbid the move.
          const now = (await latestTiers(trx)).get(row.initiative) ?? descriptorTier;
          if (now !== tier) {
            stale = `its risk tier changed to ${now ?? 'none'} while the review was being approved`;
            throw new ConflictError(stale);
          }
          const closed = await trx
            .updateTable('reviews')
            .set({ status: 'approved', closed_at: at })
            .where('id', '=', row.id)
            .where('status', '=', 'open')
            .executeTakeFirst();
          if (Number(closed.numUpdatedRows) !== 1) {
            closedElsewhere = true;
            throw new ConflictError(`review ${row.id} was closed meanwhile`);
          }
          // Committed with the stage it moves and the review it closes: recorded after, a failed entry
          // left the initiative promoted with no review.approved in the log.
          return [closedAct(actor, row, 'approved')];
        },
      );
    } catch (err) {
      if (stale === undefined && !closedElsewhere) throw err;
      // (`stale` is from the last look, under the registry's lock when another write came in.)
      return { approved: false, stale: closedElsewhere ? undefined : stale };
    }
    return { approved: true, stale: undefined };
  }

  /**
   * Records one sign-off, under the review's row lock (PostgreSQL; SQLite's write transaction
   * serialises anyway), so two sign-offs of one person at once cannot both pass the separation-of-duties
   * check. The roles it needs follow the tier in force (`tier`, read just before); nothing is written
   * when the check or the approval it would complete is refused.
   */
  async function insertSignOff(
    actor: Principal,
    id: string,
    s: { role: string; decision: 'approve' | 'reject'; comment?: string },
    facts: { initiative: Desired<'Initiative'> | undefined; tier: string | undefined; at: string },
  ) {
    // With its entry (review.signed), in one transaction: a sign-off never stands unrecorded.
    return deps.changeWithActs(async (trx) => {
      const signed = await signOffIn(trx);
      const act: ActRecord = {
        kind: 'review.signed',
        actor: actorName(actor),
        detail: {
          review: id,
          role: s.role,
          decision: s.decision,
          ...(signed.added.length ? { tier: facts.tier, added: signed.added } : {}),
        },
      };
      return { value: signed, acts: signed.repeated ? [] : [act] };
    });
    async function signOffIn(trx: Transaction<Database>) {
      let lock = trx.selectFrom('reviews').selectAll().where('id', '=', id);
      if (adapterOf(trx).rowLocks) lock = lock.forUpdate();
      const row = await lock.executeTakeFirst();
      if (!row) throw new NotFoundError(`no review "${id}"`);
      if (row.status !== 'open') throw new ConflictError(`review ${id} is ${row.status}`);
      const opened = JSON.parse(row.required) as string[];
      const required = signOffsFor(opened, facts.tier);
      if (!required.includes(s.role))
        throw new ConflictError(`review ${id} does not need a ${s.role} sign-off (it needs ${required.join(', ')})`);
      const signOffs = await trx.selectFrom('review_signoffs').selectAll().where('review_id', '=', id).orderBy('at').execute();
      if (actor.type === 'person') assertSeparateDuties(actor.id, s.role, row, facts.initiative?.spec.owner, signOffs);
      const given = signOffs.find((x) => x.role === s.role);
      // The same sign-off again, from whoever gave it, on a review its sign-offs decide already: the
      // request that wrote it failed after (the registry write that approves the review ended by a
      // conflict, the database or the node gone), and its answer said to try again. Refused, the
      // review stayed open with every sign-off given, the stage unmoved and no new promotion possible
      // (found by review); now it is closed from here, as that request would have.
      const decided =
        signOffs.some((x) => x.decision === 'reject') ||
        required.every((role) => signOffs.some((x) => x.role === role && x.decision === 'approve'));
      const repeated = given !== undefined && decided && given.person === actorName(actor) && given.decision === s.decision;
      if (given && !repeated) throw new ConflictError(`review ${id} already has a ${s.role} sign-off`);
      const completes =
        s.decision === 'approve' &&
        required.every((role) => role === s.role || signOffs.some((x) => x.role === role && x.decision === 'approve'));
      const refusal = completes && facts.initiative ? missingOversight(row, facts.initiative, facts.tier) : undefined;
      if (refusal) throw new ConflictError(refusal);
      if (repeated) return { row, required, added: [] as string[], repeated };
      await trx
        .insertInto('review_signoffs')
        .values({
          review_id: id,
          role: s.role,
          person: actorName(actor),
          decision: s.decision,
          comment: s.comment ?? null,
          at: facts.at,
        })
        .execute();
      if (required.length > opened.length)
        await trx
          .updateTable('reviews')
          .set({ required: JSON.stringify(required), tier: facts.tier ?? row.tier })
          .where('id', '=', id)
          .execute();
      return { row, required, added: required.filter((r) => !opened.includes(r)), repeated: false };
    }
  }

  return {
    /** Opens the review a promotion needs. */
    async promote(actor: Principal, initiative: string, to: string) {
      const registry = await deps.registry();
      const i = registry.get('Initiative', initiative);
      if (!i) throw new NotFoundError(`no Initiative named "${initiative}"`);
      if (!(hasRole(actor, 'platform') || (actor.type === 'person' && actor.id === i.spec.owner)))
        throw new NotAllowedError(`only the initiative's owner, platform or admin may ask to promote ${initiative}`);
      if (!(STAGES as readonly string[]).includes(to) || to === 'proposed')
        throw new InputError(`"to" must be one of pilot, production, scaled, retired`);
      const from = i.spec.stage;
      if (to === from) throw new ConflictError(`${initiative} is already ${from}`);
      if (to !== 'retired' && STAGES.indexOf(to as never) < STAGES.indexOf(from))
        throw new ConflictError(`${initiative} cannot go back from ${from} to ${to} (only forward, or to retired)`);
      if (from === 'retired') throw new ConflictError(`${initiative} is retired`);
      const tier = await deps.riskTier(initiative);
      if (!tier && to !== 'retired')
        throw new ConflictError(
          `${initiative} has no risk tier: assess it first (POST /v1/initiatives/${initiative}/risk-assessment)`,
        );
      if (tier === 'prohibited' && to !== 'retired')
        throw new ConflictError(`${initiative} is a prohibited practice (EU AI Act Art. 5): it can only be retired`);
      if (tier === 'high' && to !== 'retired' && (!i.spec.oversightOwner || !i.spec.incidentOwner))
        throw new ConflictError(
          `${initiative} is high-risk: name a human-oversight owner and an incident owner before promoting it`,
        );
      const open = await openReview(db, initiative);
      if (open) throw new ConflictError(`${initiative} already has an open review (${open.id})`);
      const row: ReviewTable = {
        id: newId('rev_'),
        initiative,
        from_stage: from,
        to_stage: to,
        tier: tier ?? 'minimal',
        required: JSON.stringify(SIGN_OFFS[tier ?? 'minimal'] ?? SIGN_OFFS.minimal),
        status: 'open',
        opened_by: actorName(actor),
        opened_at: new Date().toISOString(),
        closed_at: null,
        owner: i.spec.owner ?? null,
      };
      await deps.changeWithActs(async (trx) => {
        const inserted = await inSavepoint(trx, 'fulcrum_review_open', () => trx.insertInto('reviews').values(row).execute());
        if (!inserted.ok) {
          // Another promotion opened one between our look and our insert (one open review per
          // initiative is a partial unique index): that one is the review.
          const winner = await openReview(trx, initiative);
          if (winner) throw new ConflictError(`${initiative} already has an open review (${winner.id})`);
          throw inserted.error;
        }
        const act: ActRecord = {
          kind: 'review.opened',
          actor: actorName(actor),
          detail: { review: row.id, initiative, from, to, tier: row.tier },
        };
        return { value: undefined, acts: [act] };
      });
      return view(row, []);
    },

    /**
     * One sign-off. The review is held to what is true now, not when it opened: the tier in force
     * (a stricter one adds its sign-offs; prohibited can only be retired; high needs named owners
     * before the stage moves) and the stage (a review from a stage the initiative has left is closed).
     */
    async signOff(actor: Principal, id: string, s: { role: string; decision: 'approve' | 'reject'; comment?: string }) {
      // Who may not read reviews (an agent's key, a Person with no role who owns nothing here) is
      // refused before anything about the review is said: its existence (404), its status or the
      // sign-offs it needs (409) told them which ids exist (they count up) and their initiatives' tiers.
      const refused = () => new NotAllowedError(`${actorName(actor)} may not sign off review ${id}`);
      if (actor.type !== 'person' && actor.type !== 'admin') throw refused();
      const reader = can(actor, 'registry.read');
      const { row } = await load(id).catch((err) => {
        throw err instanceof NotFoundError && !reader ? refused() : err;
      });
      const initiative = (await deps.registry()).get('Initiative', row.initiative);
      if (!reader && actor.id !== initiative?.spec.owner) throw refused();
      if (row.status !== 'open') throw new ConflictError(`review ${id} is ${row.status}`);
      const tier = await deps.riskTier(row.initiative);
      const required = signOffsFor(JSON.parse(row.required) as string[], tier);
      if (!required.includes(s.role))
        throw new ConflictError(`review ${id} does not need a ${s.role} sign-off (it needs ${required.join(', ')})`);
      const owner = initiative?.spec.owner;
      // The owner sign-off is the initiative owner's (or the admin token's); the others are their role
      // holders' (a person with the admin role acts in every role, docs/auth.md).
      const holds =
        actor.type === 'admin' ||
        (actor.type === 'person' && (s.role === 'owner' ? actor.id === owner : hasRole(actor, s.role as Role)));
      if (!holds)
        throw new NotAllowedError(
          `${actorName(actor)} does not hold the ${s.role === 'owner' ? `owner role for ${row.initiative}` : `${s.role} role`}`,
        );
      const at = new Date().toISOString();
      const stale = s.decision === 'approve' ? whyStale(row, initiative, tier) : undefined;
      if (stale) {
        // Closed as rejected, saying why: false when another request closed it first (its sign-off may
        // have moved the stage, which is why this one reads stale).
        if (await reject(actor, row, at, stale)) throw staleError(row, stale);
        throw new ConflictError(`review ${id} is ${(await load(id)).row.status}`);
      }
      const signed = await insertSignOff(actor, id, s, { initiative, tier, at });
      const { signOffs } = await load(id);
      const rejected = signOffs.some((x) => x.decision === 'reject');
      const complete = signed.required.every((role) => signOffs.some((x) => x.role === role && x.decision === 'approve'));
      if (rejected) {
        await reject(actor, signed.row, at);
      } else if (complete) {
        const outcome = await approve(actor, signed.row, tier, at);
        if (outcome.stale !== undefined && (await reject(actor, signed.row, at, outcome.stale)))
          throw staleError(row, outcome.stale);
      }
      const after = await load(id);
      return view(after.row, after.signOffs);
    },

    /** Newest first; without a limit, every one that matches. */
    async list(actor: Principal, q: { status?: string; initiative?: string; limit?: number }) {
      assertCan(actor, 'registry.read');
      let sel = db.selectFrom('reviews').selectAll().orderBy('opened_at', 'desc');
      if (q.limit !== undefined) sel = sel.limit(q.limit);
      if (q.status) sel = sel.where('status', '=', q.status as ReviewTable['status']);
      if (q.initiative) sel = sel.where('initiative', '=', q.initiative);
      const rows = await sel.execute();
      const signOffs = rows.length
        ? await db
            .selectFrom('review_signoffs')
            .selectAll()
            .where(
              'review_id',
              'in',
              rows.map((r) => r.id),
            )
            .execute()
        : [];
      return rows.map((r) =>
        view(
          r,
          signOffs.filter((s) => s.review_id === r.id),
        ),
      );
    },

    async get(actor: Principal, id: string) {
      assertCan(actor, 'registry.read');
      const { row, signOffs } = await load(id);
      return view(row, signOffs);
    },
  };
}
