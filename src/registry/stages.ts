// An initiative's stage, grouped as the insight views read it: proposed work is planned, pilots and
// production and scaled deployments are active (they run, spend and are measured), retired is done.
// Defined once here: the diagnostic, the signals, the plan and the portfolio all count "active" alike.
import { STAGES } from './schemas.js';

export type Stage = (typeof STAGES)[number];
export type StageGroup = 'planned' | 'active' | 'retired';

export const STAGE_GROUPS = ['planned', 'active', 'retired'] as const satisfies readonly StageGroup[];

const GROUP: Record<Stage, StageGroup> = {
  proposed: 'planned',
  pilot: 'active',
  production: 'active',
  scaled: 'active',
  retired: 'retired',
};

/** The stages of initiatives that run: pilot, production, scaled. */
export const ACTIVE_STAGES: ReadonlySet<string> = new Set(STAGES.filter((s) => GROUP[s] === 'active'));

export function stageGroup(stage: Stage): StageGroup {
  return GROUP[stage];
}

export function isActiveStage(stage: string): boolean {
  return ACTIVE_STAGES.has(stage);
}

/** Most mature first (scaled, production, pilot), then proposed, then retired: the order lists show. */
export const STAGE_ORDER: readonly Stage[] = ['scaled', 'production', 'pilot', 'proposed', 'retired'];

/**
 * Whole days an initiative has been in its stage since `stageSince` (a day, read as its UTC start).
 * Every view compares this with `stalledPilotDays`: counted in fractions, a pilot was stalled in the
 * signals and the budget on its 180th day while the plan, in whole days, kept it inside its window.
 */
export function daysInStage(stageSince: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(stageSince)) / 86_400_000);
}
