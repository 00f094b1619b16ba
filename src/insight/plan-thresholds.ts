// Plan thresholds that bound each other, checked together (found by review: GET /v1/plan took a
// minTrendDays above trendDays, a trend needing more days with tasks than it is fitted on: never fitted).
import { DEFAULT_PLAN_THRESHOLDS, type PlanThresholds } from './plan.js';

/**
 * Pairs whose first must not exceed its second. The others stand alone: minTasksToScale (finished
 * tasks behind an attainment) and minTasksPerModel (tasks per model before a switch is judged) count
 * different things, and the rest are bounds of one quantity each.
 */
export const PLAN_THRESHOLD_BOUNDS = [['minTrendDays', 'trendDays']] as const satisfies ReadonlyArray<
  readonly [keyof PlanThresholds, keyof PlanThresholds]
>;

/**
 * What contradicts in `given` once the defaults fill in the rest, each naming the field to change: the
 * one given (the lower bound when both are). `name` spells a field as the caller wrote it (a CLI flag).
 */
export function planThresholdConflicts(
  given: Partial<PlanThresholds>,
  name: (field: keyof PlanThresholds) => string = (f) => f,
): Array<{ path: string; message: string }> {
  const t = { ...DEFAULT_PLAN_THRESHOLDS, ...given };
  const label = (k: keyof PlanThresholds) => `${name(k)} (${t[k]}${given[k] === undefined ? ', the default' : ''})`;
  return PLAN_THRESHOLD_BOUNDS.filter(([low, high]) => t[low] > t[high]).map(([low, high]) => ({
    path: name(given[low] !== undefined ? low : high),
    message: `${label(low)} must be at most ${label(high)}`,
  }));
}
