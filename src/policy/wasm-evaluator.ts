// The reference evaluator: cedar-wasm itself (~140 µs a call). Used as the oracle in differential
// tests, as the fallback for policies the compiler does not support, and in bench/policy.
import { cedarHere } from './cedar-runtime.js';
import type { CedarRequest, EntityJson, EvalResult, PolicyEvaluator, PolicyInput } from './types.js';

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
    const parsed = cedarHere().preparsePolicySet(this.setId, { staticPolicies });
    if (parsed.type === 'failure') throw new Error(parsed.errors.map((e) => e.message).join('; '));
  }

  prepareEntities(entities: EntityJson[]): EntityJson[] {
    return entities;
  }

  evaluate(request: CedarRequest, entities: EntityJson[]): EvalResult {
    const answer = cedarHere().statefulIsAuthorized({ ...request, preparsedPolicySetId: this.setId, entities });
    if (answer.type === 'failure') throw new Error(`cedar: ${answer.errors.map((e) => e.message).join('; ')}`);
    const { decision, diagnostics } = answer.response;
    const errors = diagnostics.errors.map((e) => ({ policy: e.policyId, message: e.error.message }));
    const reason = new Set(diagnostics.reason);
    const determining = this.order.filter((id) => reason.has(id));
    return { decision, determining, errors };
  }
}
