// Picks the evaluator for the hot path: Cedar policies compiled to closures, with cedar-wasm
// answering only what the compiler does not support (see compiled-evaluator.ts).
import { CompiledEvaluator } from './compiled-evaluator.js';
import type { PolicyEvaluator, PolicyInput } from './types.js';

export function createEvaluator(policies: PolicyInput[]): PolicyEvaluator<unknown> {
  return new CompiledEvaluator(policies) as PolicyEvaluator<unknown>;
}
