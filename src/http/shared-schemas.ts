// Response shapes more than one route module answers with (the guard's decisions and the audit log
// both carry a decision's reasons). A module registers the ones it uses with `addShared`: the first
// to register one adds it, so the order route modules register in does not matter.
import { Type as T, type TSchema } from '@sinclair/typebox';
import type { Server } from './schemas.js';

/** An enum, not a union of literals: the serializer would try each branch on every answer. */
export const Verdict = T.Unsafe<'allow' | 'deny' | 'approval_required'>({
  type: 'string',
  enum: ['allow', 'deny', 'approval_required'],
});

export const Reason = T.Object(
  {
    policy: T.String({ description: 'the policy id, e.g. a built-in rule or a Policy descriptor' }),
    effect: T.Unsafe<'permit' | 'forbid' | 'approval'>({ type: 'string', enum: ['permit', 'forbid', 'approval'] }),
    message: T.Optional(T.String()),
  },
  { $id: 'Reason', description: 'a policy that determined (or, in monitor mode, would have changed) a decision' },
);

export function addShared(server: Server, ...schemas: TSchema[]): void {
  for (const s of schemas) {
    if (!s.$id) throw new Error('a shared schema needs an $id');
    if (!server.getSchema(s.$id)) server.addSchema(s);
  }
}
