// Picks the evaluator for the hot path.
import type { PolicyEvaluator, PolicyInput } from './types.js';
import { WasmEvaluator } from './wasm-evaluator.js';

export function createEvaluator(policies: PolicyInput[]): PolicyEvaluator<unknown> {
  return new WasmEvaluator(policies) as PolicyEvaluator<unknown>;
}
