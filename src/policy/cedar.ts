// Cedar text checks through cedar-wasm, the reference implementation: parse, then strict
// validation against the generated schema. Problems carry offsets into the policy text.
import type * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { cedarOffThread } from './cedar-runtime.js';

export interface CedarProblem {
  message: string;
  /** Character offset of the problem in the policy text, when cedar-wasm reports one. */
  offset?: number;
}

export function checkPolicyText(text: string, schema: cedar.Schema): CedarProblem[] {
  const [parsed] = cedarOffThread('checkParsePolicySet', [[{ staticPolicies: text }]]);
  if (!parsed) throw new Error('cedar-wasm gave no answer');
  if (parsed.type === 'failure') return parsed.errors.map(toProblem);
  const [result] = cedarOffThread('validate', [
    [{ schema, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } }],
  ]);
  if (!result) throw new Error('cedar-wasm gave no answer');
  if (result.type === 'failure') return result.errors.map(toProblem);
  return result.validationErrors.map((e) => toProblem(e.error));
}

function toProblem(e: cedar.DetailedError): CedarProblem {
  const related = (e.related ?? []).map((r) => r.message).filter(Boolean);
  const label = e.sourceLocations?.[0]?.label;
  const parts = [e.message.replace(/^for policy `policy\d+`, /, ''), label, ...related];
  const message = `Cedar: ${parts.filter(Boolean).join('; ')}${e.help ? ` (${e.help})` : ''}`;
  const offset = e.sourceLocations?.[0]?.start ?? e.related?.[0]?.sourceLocations?.[0]?.start;
  return offset === undefined ? { message } : { message, offset };
}

/** Checks that a generated schema is itself valid Cedar (it always should be). */
export function checkSchema(schema: cedar.Schema): string[] {
  const [r] = cedarOffThread('checkParseSchema', [[schema]]);
  return r?.type === 'failure' ? r.errors.map((e) => e.message) : [];
}
