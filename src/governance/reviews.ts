// Stage-promotion reviews: the sign-offs a promotion needs depend on the initiative's tier in force;
// the stage changes only when every required sign-off approves, and one reject closes the review.
import type { Kysely } from 'kysely';
import { actorName, assertCan, hasRole, type Principal } from '../auth/principal.js';
import { newId } from '../auth/tokens.js';
import type { Database, ReviewTable } from '../db/schema.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors.js';
import type { AuditRecord } from '../guard/audit.js';
import type { RegistrySnapshot } from '../registry/model.js';
import type { RegistryService } from '../registry/registry-service.js';
import { type Role, STAGES } from '../registry/schemas.js';

type Stage = (typeof STAGES)[number];

/** Who must sign a promotion, by tier. `owner` is the initiative's owner. */
export const SIGN_OFFS: Record<string, string[]> = {
  minimal: ['owner'],
  low: ['owner', 'platform'],
  medium: ['owner', 'platform', 'reviewer:security', 'reviewer:data'],
  high: ['owner', 'platform', 'reviewer:security', 'reviewer:data', 'reviewer:risk', 'reviewer:legal'],
};

export interface Deps {
  db: Kysely<Database>;
  registry(): Promise<RegistrySnapshot>;
  registryService: RegistryService;
  riskTier(initiative: string): Promise<string | undefined>;
  recordAct(record: Pick<AuditRecord, 'kind' | 'actor'> & Partial<AuditRecord>): Promise<void>;
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

  /**
   * Separation of duties (docs/auth.md): an owner vouches for their initiative as its owner, never as
   * its reviewer (the owner now, or when the review opened: moving ownership does not free them), and
   * one person gives at most one sign-off per review, so a review needs as many people as roles.
   */
  function assertSeparateDuties(
    person: string,
    role: string,
    review: ReviewTable,
    owner: string | undefined,
    signOffs: Database['review_signoffs'][],
  ): void {
    const owns = person === owner || person === review.owner;
    if (owns && role !== 'owner')
      throw new NotAllowedError(
        `separation of duties: ${person} ${person === owner ? 'owns' : 'owned'} ${review.initiative}${person === owner ? '' : ' when this review opened'}, so may give only its owner sign-off, not ${role}`,
      );
    // (The same role twice is a conflict, said by the insert below.)
    const earlier = signOffs.find((x) => x.person === `person:${person}` && x.role !== role);
    if (earlier)
      throw new NotAllowedError(
        `separation of duties: ${person} already signed this review as ${earlier.role}; one person gives one sign-off`,
      );
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
      const open = await db
        .selectFrom('reviews')
        .select('id')
        .where('initiative', '=', initiative)
        .where('status', '=', 'open')
        .executeTakeFirst();
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
      await db.insertInto('reviews').values(row).execute();
      await deps.recordAct({
        kind: 'review.opened',
        actor: actorName(actor),
        detail: { review: row.id, initiative, from, to, tier: row.tier },
      });
      return view(row, []);
    },

    async signOff(actor: Principal, id: string, s: { role: string; decision: 'approve' | 'reject'; comment?: string }) {
      const { row, signOffs: earlier } = await load(id);
      if (row.status !== 'open') throw new ConflictError(`review ${id} is ${row.status}`);
      const required = JSON.parse(row.required) as string[];
      if (!required.includes(s.role))
        throw new ConflictError(`review ${id} does not need a ${s.role} sign-off (it needs ${required.join(', ')})`);
      const registry = await deps.registry();
      const owner = registry.get('Initiative', row.initiative)?.spec.owner;
      // The owner sign-off is the initiative owner's (or the admin token's); the others are their role
      // holders' (a person with the admin role acts in every role, docs/auth.md).
      const holds =
        actor.type === 'admin' ||
        (actor.type === 'person' && (s.role === 'owner' ? actor.id === owner : hasRole(actor, s.role as Role)));
      if (!holds)
        throw new NotAllowedError(
          `${actorName(actor)} does not hold the ${s.role === 'owner' ? `owner role for ${row.initiative}` : `${s.role} role`}`,
        );
      if (actor.type === 'person') assertSeparateDuties(actor.id, s.role, row, owner, earlier);
      const at = new Date().toISOString();
      try {
        await db
          .insertInto('review_signoffs')
          .values({ review_id: id, role: s.role, person: actorName(actor), decision: s.decision, comment: s.comment ?? null, at })
          .execute();
      } catch {
        throw new ConflictError(`review ${id} already has a ${s.role} sign-off`);
      }
      await deps.recordAct({
        kind: 'review.signed',
        actor: actorName(actor),
        detail: { review: id, role: s.role, decision: s.decision },
      });
      const { signOffs } = await load(id);
      const rejected = signOffs.some((x) => x.decision === 'reject');
      const complete = required.every((role) => signOffs.some((x) => x.role === role && x.decision === 'approve'));
      if (rejected || complete) {
        const status = rejected ? 'rejected' : 'approved';
        const closed = await db
          .updateTable('reviews')
          .set({ status, closed_at: at })
          .where('id', '=', id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (Number(closed.numUpdatedRows) === 1) {
          if (status === 'approved') {
            // The stage changes through the registry, validated like any write, as this review.
            const current = registry.get('Initiative', row.initiative);
            if (current)
              await deps.registryService.put(
                { type: 'system', id: `review:${id}` },
                {
                  apiVersion: 'fulcrum/v1',
                  kind: 'Initiative',
                  metadata: { name: row.initiative, labels: current.labels },
                  spec: { ...current.spec, stage: row.to_stage, stageSince: at.slice(0, 10) },
                },
              );
          }
          await deps.recordAct({
            kind: status === 'approved' ? 'review.approved' : 'review.rejected',
            actor: actorName(actor),
            detail: { review: id, initiative: row.initiative, from: row.from_stage, to: row.to_stage },
          });
        }
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
