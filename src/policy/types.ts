// The contract every policy evaluator meets: the compiled engine (the hot path) and the cedar-wasm
// reference (parsing, fallback and the differential-test oracle) answer the same questions.
import type { CedarValueJson, EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';

/** Exactly one static Cedar policy (no templates) under the id Fulcrum reports it by. */
export interface PolicyInput {
  id: string;
  text: string;
}

/** A request as Cedar sees it. Entities include the Action entities with their parents. */
export interface CedarRequest {
  principal: TypeAndId;
  action: TypeAndId;
  resource: TypeAndId;
  context: Record<string, CedarValueJson>;
}

export interface EvalResult {
  /** Cedar's answer: allow when a permit is satisfied and no forbid is; otherwise deny. */
  decision: 'allow' | 'deny';
  /** Cedar's determining policies (cedar-wasm's `diagnostics.reason`), in input order: the satisfied
   *  forbids when the decision is deny (none: default deny), the satisfied permits when allow. */
  determining: string[];
  /** Policies whose evaluation raised an error; Cedar ignores them for the decision. */
  errors: Array<{ policy: string; message: string }>;
}

export interface PolicyEvaluator<E = unknown> {
  /** Turns entity JSON into whatever this evaluator reads fastest; done once per registry snapshot. */
  prepareEntities(entities: EntityJson[]): E;
  evaluate(request: CedarRequest, entities: E): EvalResult;
}

export type { CedarValueJson, EntityJson, TypeAndId };
