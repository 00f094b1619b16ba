// A person's sign-in sessions (/v1/people/<name>/sessions): the console's cookies and `fulcrum login`'s
// bearers, listed (never their secrets) and ended one by one or all at once. For a laptop lost, a
// device code phished (RFC 8628 §5.4: whoever started the flow holds the session the victim approved),
// or a person leaving: before, a session ended only by its own sign-out, by its Person's deletion or
// email change, or at its end, so nobody could see one made in their name, let alone end it.
import { Type as T } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { ConsoleSessions, SessionKind } from '../../auth/console-sessions.js';
import { actorName, can, describe, type Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import { NotAllowedError, NotFoundError } from '../../errors.js';
import type { ActRecord } from '../../guard/audit.js';
import { createRegistryStore } from '../../registry/registry-store.js';
import { errorResponses, Name, type Server } from '../schemas.js';

const tags = ['identity'];

const SessionInfo = T.Object(
  {
    id: T.String({ description: 'as its auth.signed-in entry (detail.session) and its auth.signed-out entry name it' }),
    kind: T.Unsafe<SessionKind>({
      type: 'string',
      enum: ['browser', 'cli'],
      description: 'browser: the console, signed in at /auth/login; cli: `fulcrum login`',
    }),
    createdAt: T.String({ format: 'date-time' }),
    expiresAt: T.String({ format: 'date-time', description: 'when it is over, by the session length in force' }),
    current: T.Boolean({ description: 'the session this request was made with' }),
  },
  { $id: 'SessionInfo', description: 'a sign-in session as listed: never its secret' },
);
const SessionList = T.Object(
  {
    items: T.Array(T.Ref(SessionInfo)),
    more: T.Boolean({ description: 'more live sessions than the 1,000 listed (the oldest are)' }),
  },
  { $id: 'SessionList' },
);
const EndedSessions = T.Object(
  { ended: T.Array(T.String(), { description: 'the ids of the sessions ended' }) },
  { $id: 'EndedSessions' },
);

export function sessionRoutes(server: Server, sessions: ConsoleSessions, db: Kysely<Database>): void {
  for (const s of [SessionInfo, SessionList, EndedSessions]) server.addSchema(s);
  const params = T.Object({ name: Name });

  /**
   * The person themself, or an admin (the admin token, a Person with the admin role). Unlike API
   * tokens, which only the person or the admin token manage (issuing one is acting as them), ending a
   * session takes power away, never gives it: an admin person answering an incident may. A name that
   * names no Person is 404 only to a caller who may read the registry, as for tokens.
   */
  async function assertManages(actor: Principal, name: string): Promise<void> {
    if (actor.type === 'person' && actor.id === name) return;
    const found = await createRegistryStore(db).get('Person', name);
    if (!found && can(actor, 'registry.read')) throw new NotFoundError(`no Person named "${name}"`);
    if (found && can(actor, 'sessions.manage')) return;
    throw new NotAllowedError(`${describe(actor)} may not manage the sessions of Person "${name}"`);
  }
  const current = (p: Principal) => (p.type === 'person' ? p.tokenId : undefined);
  const entry = (actor: Principal, person: string, ended: Array<{ id: string; kind: SessionKind }>, all: boolean): ActRecord => ({
    kind: 'auth.signed-out',
    actor: actorName(actor),
    detail: {
      person,
      sessions: ended.map((s) => s.id).slice(0, 100),
      count: ended.length,
      reason: all ? 'every other session ended' : 'session ended',
    },
  });

  server.get(
    '/v1/people/:name/sessions',
    {
      schema: {
        operationId: 'listPersonSessions',
        tags,
        summary: "A person's live sign-in sessions (console and `fulcrum login`), never their secrets",
        description: 'The person themself, or an admin.',
        params,
        response: { 200: T.Ref(SessionList), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await assertManages(req.principal, req.params.name);
      const { items, more } = await sessions.listOf(req.params.name);
      const mine = current(req.principal);
      return { items: items.map((s) => ({ ...s, current: s.id === mine })), more };
    },
  );

  server.delete(
    '/v1/people/:name/sessions/:id',
    {
      schema: {
        operationId: 'endPersonSession',
        tags,
        summary: 'End one sign-in session: the next request made with it is refused (401) on every node',
        description: 'The person themself, or an admin. An `auth.signed-out` entry records who ended it.',
        params: T.Object({ name: Name, id: T.String({ maxLength: 40 }) }),
        response: { 204: T.Null({ description: 'ended' }), ...errorResponses(403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { name, id } = req.params;
      await assertManages(req.principal, name);
      const ended = await sessions.endSessions(name, { id }, (e) => entry(req.principal, name, e, false));
      if (ended.length === 0) throw new NotFoundError(`Person "${name}" has no live session "${id}"`);
      reply.code(204);
    },
  );

  server.delete(
    '/v1/people/:name/sessions',
    {
      schema: {
        operationId: 'endPersonSessions',
        tags,
        summary: "End every one of a person's sign-in sessions but the one this request is made with",
        description:
          'The person themself ("sign out everywhere else"), or an admin (a lost laptop, a phished device code, ' +
          'someone leaving). One `auth.signed-out` entry records who ended which. API tokens are not sessions: ' +
          'revoke them under /v1/people/{name}/tokens.',
        params,
        response: { 200: T.Ref(EndedSessions), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const { name } = req.params;
      await assertManages(req.principal, name);
      const ended = await sessions.endSessions(name, { allBut: current(req.principal) }, (e) =>
        entry(req.principal, name, e, true),
      );
      return { ended: ended.map((s) => s.id) };
    },
  );
}
