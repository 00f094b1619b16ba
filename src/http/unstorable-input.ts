// The shared check of text a person sends that no database could store as sent (src/stored-text.ts):
// path parameters and query strings on every route, and the bodies of the API's person routes. Each
// route wrote such a text as it came, and PostgreSQL answered 500 for a NUL (an incident's title, an
// approval looked up by an id holding one); a lone surrogate in a descriptor stopped every decision.
// Agent and collector routes are left to their own checks: what they send is evidence, refused item
// by item or stored as JSON, which escapes both (docs/api.md, "Text Fulcrum stores").
import type { FastifyRequest } from 'fastify';
import { InputError, type Problem } from '../errors.js';
import { unstorableTextProblems } from '../stored-text.js';

/** The 400 for `request`'s first unstorable texts, or null when every one can be stored. */
export function unstorableInput(request: FastifyRequest): InputError | null {
  const problems: Problem[] = [
    ...unstorableTextProblems(request.params).map((p) => ({ ...p, path: `params${p.path}` })),
    ...unstorableTextProblems(request.query).map((p) => ({ ...p, path: `querystring${p.path}` })),
  ];
  const { agentOnly, telemetry } = request.routeOptions.config;
  // A body read as text (a CSV of spend lines) is checked by its route, which names the line.
  const parsed = typeof request.body === 'object' && request.body !== null;
  if (problems.length === 0 && parsed && !agentOnly && !telemetry && request.routeOptions.url?.startsWith('/v1/'))
    problems.push(...unstorableTextProblems(request.body));
  if (problems.length === 0) return null;
  const [first] = problems as [Problem, ...Problem[]];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new InputError(`${first.path} ${first.message}${more}`, problems);
}
