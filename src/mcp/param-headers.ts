// 2026-07-28's custom headers from tool parameters (SEP-2243): a Tool's arguments schema may mark a
// property `x-mcp-header: Name`, and a client then mirrors that argument into an `Mcp-Param-Name`
// header of each tools/call, so that a proxy, load balancer or firewall can route or filter on it
// without reading the body. Whatever such a middlebox decided on must be what the call does: the
// server rejects a call whose headers disagree with its arguments (HTTP 400, -32020). The rules, as
// the SDK 2.x client applies them when it builds the headers (which the server side of the SDK does
// not check), are kept here for both sides: the registry refuses a declaration a client would refuse,
// and /mcp checks every tools/call against the declarations of the tool it names.
import { decodeHeaderValue, SENTINEL, stripOws } from './routing-headers.js';

/** One argument mirrored into a header: where it sits in the arguments, and the header's name after `Mcp-Param-`. */
export interface ParamHeader {
  path: readonly string[];
  name: string;
}

/** RFC 9110 `token`: a header name's characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PERMITTED_TYPES = new Set(['string', 'integer', 'boolean']);
/** Keywords whose subschemas are not reached through `properties` alone: a declaration there is invalid. */
const UNREACHABLE = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
];
const NAME_VALUED = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);
/** How deep the scan follows `properties` (a registry Tool's schema is bounded well below this). */
const MAX_DEPTH = 64;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const where = (path: readonly string[]) => (path.length === 0 ? 'the schema itself' : `properties.${path.join('.properties.')}`);

/**
 * The `x-mcp-header` declarations of a tool's input schema, or why they are invalid (as the spec and
 * the SDK 2.x client define it): only on a property reached from the root through `properties`
 * alone, a non-empty RFC 9110 token, on a string, integer or boolean property, unique without case.
 */
export function scanParamHeaders(schema: unknown): { headers: ParamHeader[] } | { problem: string } {
  const headers: ParamHeader[] = [];
  const seen = new Map<string, string>();
  const visit = (node: unknown, path: string[], reachable: boolean, depth: number): string | undefined => {
    if (!isObject(node) || depth > MAX_DEPTH) return undefined;
    if ('x-mcp-header' in node) {
      if (!reachable || path.length === 0)
        return `${where(path)}: x-mcp-header is only allowed on a property reached through "properties" alone (not under items, additionalProperties, oneOf/anyOf/allOf/not, if/then/else or $defs)`;
      const name = node['x-mcp-header'];
      if (typeof name !== 'string' || !TOKEN.test(name))
        return `${where(path)}: x-mcp-header must be a header name (letters, digits and !#$%&'*+-.^_\`|~), not ${JSON.stringify(name)}`;
      const type = node.type;
      if (typeof type !== 'string' || !PERMITTED_TYPES.has(type))
        return `${where(path)}: x-mcp-header is only allowed on a string, integer or boolean property, not ${type === undefined ? 'one without a type' : JSON.stringify(type)}`;
      const before = seen.get(name.toLowerCase());
      if (before !== undefined)
        return `${where(path)}: x-mcp-header ${JSON.stringify(name)} is declared twice (also as ${JSON.stringify(before)}; header names ignore case)`;
      seen.set(name.toLowerCase(), name);
      headers.push({ path: [...path], name });
    }
    if (isObject(node.properties))
      for (const [key, child] of Object.entries(node.properties)) {
        const problem = visit(child, [...path, key], reachable, depth + 1);
        if (problem) return problem;
      }
    for (const k of UNREACHABLE) {
      const sub = node[k];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub) ? sub : NAME_VALUED.has(k) && isObject(sub) ? Object.values(sub) : [sub];
      for (const b of branches) {
        const problem = visit(b, [...path, `<${k}>`], false, depth + 1);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  const problem = visit(schema, [], true, 0);
  return problem ? { problem } : { headers };
}

/** An argument as its header carries it (the client's rule), or undefined when it has no header form. */
function headerForm(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value)))
    return String(value);
  return undefined;
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let node = args;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Why a tools/call's `Mcp-Param-*` headers disagree with its arguments, or undefined. A present
 * argument needs its header (when `required`: a 2026-07-28 request; an older one is only checked on
 * the headers it sends), equal to the argument after optional whitespace is stripped and the
 * `=?base64?…?=` form decoded; an absent or null argument needs no header, and one sent is refused.
 */
export function paramHeaderProblem(
  declared: readonly ParamHeader[],
  args: unknown,
  headers: Record<string, string | string[] | undefined>,
  required: boolean,
): string | undefined {
  for (const d of declared) {
    const header = `Mcp-Param-${d.name}`;
    const raw = headers[header.toLowerCase()];
    const sent = Array.isArray(raw) ? raw.join(', ') : raw;
    const value = valueAt(args, d.path);
    const argument = `arguments.${d.path.join('.')}`;
    if (value === undefined || value === null) {
      if (sent !== undefined) return `${header} is sent but ${argument} is ${value === null ? 'null' : 'absent'}`;
      continue;
    }
    const expected = headerForm(value);
    if (sent === undefined) {
      if (required) return `${header} is missing; it must repeat ${argument}`;
      continue;
    }
    const trimmed = stripOws(sent);
    // Field values reach Node as latin1: a plain value past 0x7E was not sent as the spec allows.
    if (!SENTINEL.test(trimmed) && /[^\t\x20-\x7e]/.test(trimmed))
      return `${header} carries characters outside printable ASCII; such a value is sent in the =?base64?…?= form`;
    const decoded = decodeHeaderValue(trimmed);
    if (decoded === undefined) return `${header} has the =?base64?…?= form but is not canonical base64 of UTF-8`;
    if (expected === undefined || decoded !== expected) return `${header} does not match ${argument}`;
  }
  return undefined;
}
