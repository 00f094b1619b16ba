// The rules of a promotion review, apart from where they are stored: which sign-offs a tier needs,
// when an open review can no longer be approved, and who may sign what (separation of duties).
import type { Database, ReviewTable } from '../db/schema.js';
import { NotAllowedError } from '../errors.js';
import type { Desired } from '../registry/model.js';

/** Who must sign a promotion, by tier. `owner` is the initiative's owner. */
export const SIGN_OFFS: Record<string, string[]> = {
  minimal: ['owner'],
  low: ['owner', 'platform'],
  medium: ['owner', 'platform', 'reviewer:security', 'reviewer:data'],
  high: ['owner', 'platform', 'reviewer:security', 'reviewer:data', 'reviewer:risk', 'reviewer:legal'],
};

/**
 * The sign-offs a review needs once `tier` is in force: what it needed when it opened, plus what a
 * stricter tier assessed meanwhile adds (a review never needs fewer than it opened with).
 */
export function signOffsFor(required: readonly string[], tier: string | undefined): string[] {
  const now = SIGN_OFFS[tier ?? 'minimal'] ?? SIGN_OFFS.minimal ?? [];
  const all = SIGN_OFFS.high ?? [];
  return [...all.filter((r) => required.includes(r) || now.includes(r)), ...required.filter((r) => !all.includes(r))];
}

/**
 * Why an open review can no longer be approved, if it cannot: the initiative left the stage the review
 * moves it from (an edit, an apply, an admin; approving would move it to a stage chosen for another
 * one, maybe backward), or it was found prohibited while the review was open (it can only be retired).
 */
export function whyStale(
  row: ReviewTable,
  initiative: Desired<'Initiative'> | undefined,
  tier: string | undefined,
): string | undefined {
  if (!initiative) return `${row.initiative} no longer exists`;
  if (initiative.spec.stage !== row.from_stage)
    return `${row.initiative} is ${initiative.spec.stage} now, not ${row.from_stage} as when the review opened`;
  if (tier === 'prohibited' && row.to_stage !== 'retired')
    return `${row.initiative} was assessed a prohibited practice (EU AI Act Art. 5) while the review was open: it can only be retired`;
  return undefined;
}

/** promote's high-risk rule, at the approval that would move the stage (the tier may have risen since). */
export function missingOversight(
  row: ReviewTable,
  initiative: Desired<'Initiative'>,
  tier: string | undefined,
): string | undefined {
  if (tier !== 'high' || row.to_stage === 'retired' || (initiative.spec.oversightOwner && initiative.spec.incidentOwner))
    return undefined;
  return `${row.initiative} is high-risk: name a human-oversight owner and an incident owner, then sign off again`;
}

/**
 * Separation of duties (docs/auth.md): an owner vouches for their initiative as its owner, never as
 * its reviewer (the owner now, or when the review opened: moving ownership does not free them), and
 * one person gives at most one sign-off per review, so a review needs as many people as roles.
 */
export function assertSeparateDuties(
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
  // (The same role twice is a conflict, not a matter of duties: said by the caller.)
  const earlier = signOffs.find((x) => x.person === `person:${person}` && x.role !== role);
  if (earlier)
    throw new NotAllowedError(
      `separation of duties: ${person} already signed this review as ${earlier.role}; one person gives one sign-off`,
    );
}
