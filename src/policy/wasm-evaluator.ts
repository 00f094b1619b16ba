// The reference evaluator: cedar-wasm itself (~140 µs a call). Used as the oracle in differential
// tests, as the fallback for policies the compiler does not support, and in bench/policy.
import v8 from 'node:v8';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarRequest, EntityJson, EvalResult, PolicyEvaluator, PolicyInput } from './types.js';

// V8 11.3 (Node 20) aborts the whole process ("unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation) when a function into which TurboFan inlined a cedar-wasm
// call (WasmEvaluator.evaluate → statefulIsAuthorized → wasm) is lazily deoptimized while the wasm
// runs. The differential test hit it within a minute of fuzzing, every time; with JS→Wasm call
// inlining off it ran 2 × 200,000 requests clean. The inlining saves nothing measurable next to a
// cedar-wasm call. Set here, where every hot cedar-wasm call starts, before any can be optimized.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

let nextSet = 0;

export class WasmEvaluator implements PolicyEvaluator<EntityJson[]> {
  private readonly setId = `fulcrum-${process.pid}-${nextSet++}`;
  private readonly order: string[];

  constructor(policies: PolicyInput[]) {
    const staticPolicies: Record<string, string> = {};
    for (const p of policies) {
      staticPolicies[p.id] = p.text;
    }
    this.order = policies.map((p) => p.id);
    const parsed = cedar.preparsePolicySet(this.setId, { staticPolicies });
    if (parsed.type === 'failure') throw new Error(parsed.errors.map((e) => e.message).join('; '));
  }

  prepareEntities(entities: EntityJson[]): EntityJson[] {
    return entities;
  }

  evaluate(request: CedarRequest, entities: EntityJson[]): EvalResult {
    const answer = cedar.statefulIsAuthorized({ ...request, preparsedPolicySetId: this.setId, entities });
    if (answer.type === 'failure') throw new Error(`cedar: ${answer.errors.map((e) => e.message).join('; ')}`);
    const { decision, diagnostics } = answer.response;
    const errors = diagnostics.errors.map((e) => ({ policy: e.policyId, message: e.error.message }));
    const reason = new Set(diagnostics.reason);
    const determining = this.order.filter((id) => reason.has(id));
    return { decision, determining, errors };
  }
}
