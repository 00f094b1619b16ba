// Descriptor validation: the shape of one descriptor (schema per kind, defaults applied), then
// the whole next registry (references resolve, Cedar policies validate against the generated schema:
// in the Cedar worker, ahead of the write transaction; see registry-service.ts commit()).

import type * as Cedar from '@cedar-policy/cedar-wasm/nodejs';
import { Type as T, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Problem } from '../errors.js';
import { mcpNameProblems } from '../mcp/catalog.js';
import { builtinOrigin, builtinPolicies } from '../policy/builtin.js';
import { checkPolicyTexts, type PolicyVerdicts, schemaKey } from '../policy/cedar.js';
import { policiesToJsonAsync, policySetsToPartsAsync } from '../policy/cedar-runtime.js';
import { generateCedarSchema, RESERVED_ACTIONS } from '../policy/cedar-schema.js';
import { policyIdProblems } from '../policy/policy-set.js';
import { unstorableTextProblems } from '../stored-text.js';
import { emailKey } from './email.js';
import { isKind, KIND_INFO, KINDS, type Kind, referencesOf } from './kinds.js';
import { API_VERSION, type Desired, type RegistrySnapshot } from './model.js';
import { aliasConflicts } from './model-names.js';
import { Metadata } from './schemas.js';
import { nextTurn } from './slices.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
addFormats.default(ajv, ['date', 'email', 'uri']);

const Envelope = T.Object(
  {
    apiVersion: T.Literal(API_VERSION),
    kind: T.String(),
    metadata: Metadata,
    spec: T.Record(T.String(), T.Unknown()),
  },
  { additionalProperties: false },
);
const checkEnvelope = ajv.compile(Envelope);
const specValidators = new Map<Kind, ValidateFunction>(KINDS.map((k) => [k, ajv.compile(KIND_INFO[k].schema as TSchema)]));

export type DescriptorResult = { ok: true; desired: Desired } | { ok: false; problems: Problem[]; kind?: Kind; name?: string };

/**
 * Validates one raw descriptor and returns it normalised (defaults filled in), or its problems.
 * The input is never mutated. Paths in problems are JSON pointers from the descriptor root.
 */
export function validateDescriptor(raw: unknown): DescriptorResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      ok: false,
      problems: [{ path: '', message: 'a descriptor must be a mapping with apiVersion, kind, metadata and spec' }],
    };
  const doc = structuredClone(raw) as Record<string, unknown>;
  const kind = doc.kind;
  if (!isKind(kind)) {
    const message =
      kind === undefined ? 'missing required field "kind"' : `unknown kind ${JSON.stringify(kind)} (one of: ${KINDS.join(', ')})`;
    return { ok: false, problems: [{ path: kind === undefined ? '' : '/kind', message }] };
  }
  if (doc.spec === undefined) doc.spec = {};
  const problems: Problem[] = [];
  if (!checkEnvelope(doc)) problems.push(...ajvProblems(checkEnvelope.errors, ''));
  // A descriptor applied as YAML or JSON may spell a NUL or a lone surrogate as an escape; stored, a
  // lone surrogate in an Agent's spec left cedar-wasm unable to read the registry's entities, and
  // every decision after the write failed (500).
  problems.push(...unstorableTextProblems(doc));
  const name = (doc.metadata as { name?: unknown } | undefined)?.name;
  const named = typeof name === 'string' ? { kind, name } : { kind };
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => ({ ...p, ...named })), ...named };

  const spec = doc.spec as Record<string, unknown>;
  const validateSpec = specValidators.get(kind) as ValidateFunction;
  if (!validateSpec(spec)) problems.push(...ajvProblems(validateSpec.errors, '/spec'));
  else problems.push(...((KIND_INFO[kind].check as ((s: unknown) => Problem[]) | undefined)?.(spec) ?? []));
  if (kind === 'Tool' && (RESERVED_ACTIONS as readonly string[]).includes(name as string))
    problems.push({ path: '/metadata/name', message: `"${name}" is reserved for Fulcrum's own Cedar action` });
  // A name a fixed route of the collection takes: written, it could never be read back.
  const reserved = KIND_INFO[kind].reservedNames;
  if (reserved && Object.hasOwn(reserved, name as string))
    problems.push({
      path: '/metadata/name',
      message: `"${name}" is reserved: ${reserved[name as string]}; name the ${kind} otherwise`,
    });
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => ({ ...p, ...named })), ...named };

  const metadata = doc.metadata as { name: string; labels?: Record<string, string> };
  return { ok: true, desired: { kind, name: metadata.name, labels: metadata.labels ?? {}, spec } as Desired };
}

function ajvProblems(errors: ErrorObject[] | null | undefined, prefix: string): Problem[] {
  const problems = (errors ?? []).map((e): Problem => {
    const path = prefix + e.instancePath;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        return { path: `${path}/${p.additionalProperty}`, message: `unknown field "${p.additionalProperty}"` };
      case 'required':
        return { path, message: `missing required field "${p.missingProperty}"` };
      case 'enum':
        return { path, message: `must be one of: ${(p.allowedValues as unknown[]).join(', ')}` };
      case 'const':
        return { path, message: `must be ${JSON.stringify(p.allowedValue)}` };
      default:
        return { path, message: e.message ?? 'is invalid' };
    }
  });
  // Ajv can report one place twice (e.g. through two schema branches); say it once.
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.path}|${p.message}`) && seen.add(`${p.path}|${p.message}`));
}

/**
 * Every reference in `next` must name an object that exists in it (or in `alsoExisting`, names
 * whose descriptors failed validation but were written, so they are not reported twice).
 */
export function checkReferences(next: RegistrySnapshot, alsoExisting: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  for (const o of next.all()) {
    for (const ref of referencesOf(o.kind, o.spec as never)) {
      if (next.has(ref.kind, ref.name) || alsoExisting.has(`${ref.kind}/${ref.name}`)) continue;
      problems.push({ kind: o.kind, name: o.name, path: ref.path, message: `no ${ref.kind} named "${ref.name}"` });
    }
  }
  return problems;
}

/** Rules across objects: an initiative classed as a prohibited practice may hold no active agent. */
export function checkCrossRules(next: RegistrySnapshot): Problem[] {
  const problems: Problem[] = next
    .list('Agent')
    .filter((a) => a.spec.status === 'active' && next.get('Initiative', a.spec.initiative)?.spec.riskTier === 'prohibited')
    .map((a) => ({
      kind: 'Agent',
      name: a.name,
      path: '/spec/status',
      message: `initiative "${a.spec.initiative}" is prohibited (EU AI Act Art. 5): its agents may not be active`,
    }));
  // An email is who signs in as a Person (single sign-on): two People with one email would share roles.
  const byEmail = new Map<string, string>();
  for (const p of next.list('Person')) {
    const email = p.spec.email === undefined ? undefined : emailKey(p.spec.email);
    if (!email) continue;
    const first = byEmail.get(email);
    if (first)
      problems.push({
        kind: 'Person',
        name: p.name,
        path: '/spec/email',
        message: `${p.spec.email} is already Person ${first}'s email`,
      });
    else byEmail.set(email, p.name);
  }
  // An OAuth client is one agent's identity: two agents with one client would share its tokens.
  const byClient = new Map<string, string>();
  for (const a of next.list('Agent')) {
    const client = a.spec.oauthClientId;
    if (!client) continue;
    const first = byClient.get(client);
    if (first)
      problems.push({
        kind: 'Agent',
        name: a.name,
        path: '/spec/oauthClientId',
        message: `OAuth client "${client}" is already Agent ${first}'s (spec.oauthClientId must be unique across agents)`,
      });
    else byClient.set(client, a.name);
  }
  problems.push(...mcpNameProblems(next));
  // A model id must mean one Model, or telemetry would be priced by whichever was read first.
  for (const c of aliasConflicts(next))
    problems.push(
      c.field === 'name'
        ? {
            kind: 'Model',
            name: c.model,
            path: '/metadata/name',
            message: `Model ${c.model} and Model ${c.other} differ only in case, and model ids are matched case-insensitively: rename one`,
          }
        : {
            kind: 'Model',
            name: c.model,
            path: '/spec/aliases',
            message: `alias "${c.alias}" of Model ${c.model} is already Model ${c.other}'s name or alias`,
          },
    );
  return problems;
}

/** Who refers to this object: the referrers' kind, name and the field that names it. */
export function referrersOf(
  registry: RegistrySnapshot,
  kind: Kind,
  name: string,
): Array<{ kind: Kind; name: string; path: string }> {
  const found = [];
  for (const o of registry.all())
    for (const ref of referencesOf(o.kind, o.spec as never))
      if (ref.kind === kind && ref.name === name) found.push({ kind: o.kind, name: o.name, path: ref.path });
  return found;
}

/** What a registry write learns about its next registry's policies ahead of its transaction. */
export interface RegistryVerdicts {
  /** The Policies' Cedar checks; undefined when there is no Policy. */
  cedar: PolicyVerdicts | undefined;
  /** Each Policy text as its single policies in Cedar's JSON form (for their ids), or why not. */
  parts: ReadonlyMap<string, Cedar.PolicyJson[] | { error: string }>;
  /** Each built-in rule's text and why it does not parse (undefined: it parses). */
  builtins: ReadonlyMap<string, string | undefined>;
}

/**
 * Each Policy's Cedar text must be within bounds, parse and validate (strict) against the schema
 * generated from `next`; the ids its policies get must be its own; and the built-in rules generated
 * from `next` must parse (a value written into one, a region say, must never break every decision).
 * Runs in the Cedar worker, off the event loop; verdicts and parses are cached by schema and text,
 * so only what changed is checked again.
 */
export async function checkPoliciesAhead(next: RegistrySnapshot): Promise<RegistryVerdicts> {
  const policies = next.list('Policy');
  const texts = [...new Set(policies.map((p) => p.spec.cedar))];
  let cedar: PolicyVerdicts | undefined;
  if (policies.length > 0) {
    let known = generated.get(next);
    if (!known) {
      // Two pieces on the event loop (with 2,000 Tools each takes ~10-30 ms here).
      const schema = generateCedarSchema(next);
      await nextTurn();
      known = { schema, key: schemaKey(schema) };
      generated.set(next, known);
    }
    cedar = await checkPolicyTexts(texts, known.schema, known.key);
  }
  // Then each text's policies (for their ids) and the built-in rules, parsed: cached by text, so
  // the worker is asked only about what changed (the guard's snapshot parses the same texts).
  const split = await policySetsToPartsAsync(texts);
  const builtins = builtinPolicies(next).map((p) => p.text);
  const partTexts = split.flatMap((s) => ('parts' in s ? s.parts : []));
  const json = await policiesToJsonAsync([...builtins, ...partTexts]);
  const parsedPart = new Map(partTexts.map((t, i) => [t, json[builtins.length + i]]));
  return {
    cedar,
    parts: new Map(texts.map((text, i) => [text, partsJson(split[i] as (typeof split)[number], parsedPart)])),
    builtins: new Map(builtins.map((t, i) => [t, errorOf(json[i])])),
  };
}

/** One Policy text's single policies in JSON form, or why it has none. */
function partsJson(
  split: { parts: string[] } | { error: string },
  parsed: ReadonlyMap<string, { json: Cedar.PolicyJson } | { error: string } | undefined>,
): Cedar.PolicyJson[] | { error: string } {
  if ('error' in split) return split;
  const each: Cedar.PolicyJson[] = [];
  for (const part of split.parts) {
    const p = parsed.get(part);
    if (!p || 'error' in p) return { error: errorOf(p) ?? 'does not parse' };
    each.push(p.json);
  }
  return each;
}

const errorOf = (p: { error: string } | { json: unknown } | undefined): string | undefined =>
  p === undefined ? 'does not parse' : 'error' in p ? p.error : undefined;

// The Cedar schema generated from a registry, and its digest, kept while that registry object lives:
// a write checks the same next registry ahead and then reads its verdicts, and each costs ms to tens
// of ms with thousands of Tools.
const generated = new WeakMap<RegistrySnapshot, { schema: ReturnType<typeof generateCedarSchema>; key: string }>();
const schemaKeyOf = (next: RegistrySnapshot): string => generated.get(next)?.key ?? schemaKey(generateCedarSchema(next));

/**
 * The policy problems of `next`, read from verdicts computed ahead; undefined when they do not
 * cover it (its generated schema, one of its policy texts or built-in rules is not what was
 * checked), so the caller must check again. Synchronous and cheap: made to run inside a write
 * transaction.
 */
export function policyProblems(next: RegistrySnapshot, verdicts: RegistryVerdicts | undefined): Problem[] | undefined {
  if (!verdicts) return undefined;
  const problems: Problem[] = [];
  const builtins = builtinPolicies(next);
  for (const b of builtins) {
    if (!verdicts.builtins.has(b.text)) return undefined;
    const error = verdicts.builtins.get(b.text);
    if (error === undefined) continue;
    // Schemas keep such values out (regions are names); this catches whatever they let through.
    const origin = builtinOrigin(b.id) ?? { kind: 'Policy', name: b.id, path: '' };
    problems.push({ ...origin, message: `a value here makes the built-in rule ${b.id} invalid Cedar (${error})` });
  }
  const ids = policyIdProblems(next, (text) => verdicts.parts.get(text), builtins);
  if (ids === undefined) return undefined;
  problems.push(...ids.map((p) => ({ kind: 'Policy', ...p })));
  const policies = next.list('Policy');
  if (policies.length === 0) return problems;
  const cedar = verdicts.cedar;
  if (!cedar || cedar.schema !== schemaKeyOf(next)) return undefined;
  if (cedar.schemaProblems.length > 0)
    return cedar.schemaProblems.map((m) => ({
      kind: 'Policy',
      name: '*',
      message: `generated Cedar schema is invalid: ${m}`,
    }));
  for (const p of policies) {
    const found = cedar.byText.get(p.spec.cedar);
    if (!found) return undefined;
    for (const c of found)
      problems.push({
        kind: 'Policy',
        name: p.name,
        path: '/spec/cedar',
        message: c.message,
        ...(c.offset === undefined ? {} : { offset: c.offset }),
      });
  }
  return problems;
}

/** Both at once, for a registry nobody else can change meanwhile (a bundle's error report). */
export async function checkPolicies(next: RegistrySnapshot): Promise<Problem[]> {
  return policyProblems(next, await checkPoliciesAhead(next)) ?? [];
}
