// Who may change who holds power: a registry write that sets or changes a Person's roles or their
// sign-in identity (email), or an Agent's (oauthClientId), needs the admin role, and nobody changes
// their own roles.
// Checked on the whole change set before anything is written (docs/auth.md "Privilege").
import { actorName, hasRole, type Principal } from '../auth/principal.js';
import type { Problem } from '../errors.js';
import type { Kind } from './kinds.js';
import { type Desired, type RegistrySnapshot, sameSet } from './model.js';
import type { AgentSpec, PersonSpec } from './schemas.js';

/** Who has held an initiative: its owners past and present, and who set the risk tier in force. */
export interface Stewards {
  owners: ReadonlySet<string>;
  /** A Person's name (or `(admin)`), and whether a risk assessment or a registry write set it. */
  tierSetter?: { person: string; by: 'assessment' | 'registry' };
}

/** What a write does to an Initiative's stewardship: whether it changes the owner, the risk tier. */
function stewardship(current: RegistrySnapshot, o: Desired<'Initiative'>) {
  const before = current.get('Initiative', o.name)?.spec;
  const after = o.spec;
  return {
    before,
    after,
    ownerChanged: before?.owner !== after.owner,
    tierChanged: (before?.riskTier ?? null) !== (after.riskTier ?? null),
  };
}

const initiatives = (put: readonly Desired[]) => put.filter((o): o is Desired<'Initiative'> => o.kind === 'Initiative');

/** The Initiatives of a change set whose owner or risk tier it changes (their stewards are read first). */
export function initiativesToCheck(current: RegistrySnapshot, put: readonly Desired[]): string[] {
  return initiatives(put)
    .filter((o) => {
      const s = stewardship(current, o);
      return s.ownerChanged || s.tierChanged;
    })
    .map((o) => o.name);
}

/** What a write records of its Initiatives (initiative_stewards): a new owner, who set a changed tier. */
export function stewardsWritten(current: RegistrySnapshot, written: readonly Desired[], actor: Principal) {
  const rows: Array<{ initiative: string; role: 'owner' | 'tier'; person: string }> = [];
  for (const o of initiatives(written)) {
    const { after, ownerChanged, tierChanged } = stewardship(current, o);
    if (ownerChanged) rows.push({ initiative: o.name, role: 'owner', person: after.owner });
    if (tierChanged) rows.push({ initiative: o.name, role: 'tier', person: stewardName(actor) });
  }
  return rows;
}

/** What a write records of its Agents (agent_client_binders): who bound a client to one (set or changed
 *  its `oauthClientId`). They stand behind the client's calls as a key's issuer does. */
export function clientBindersWritten(current: RegistrySnapshot, written: readonly Desired[], actor: Principal) {
  const rows: Array<{ agent: string; client_id: string; person: string }> = [];
  for (const o of written) {
    if (o.kind !== 'Agent') continue;
    const after = (o.spec as AgentSpec).oauthClientId;
    if (after && after !== current.get('Agent', o.name)?.spec.oauthClientId)
      rows.push({ agent: o.name, client_id: after, person: stewardName(actor) });
  }
  return rows;
}

/** The problems that make this change set a privilege change the actor may not make; empty when none. */
export function checkPrivilege(
  actor: Principal,
  current: RegistrySnapshot,
  put: readonly Desired[],
  remove: ReadonlyArray<{ kind: Kind; name: string }>,
  /** Of the initiatives initiativesToCheck names (none known: only today's owner counts). */
  stewards: ReadonlyMap<string, Stewards> = new Map(),
): Problem[] {
  const problems: Problem[] = [];
  const refuse = (name: string, path: string, message: string) => problems.push({ kind: 'Person', name, path, message });
  // The admin token (and Fulcrum itself) is no Person: it is the bootstrap that gives the first roles.
  const admin = hasRole(actor, 'admin');
  const self = actor.type === 'person' ? actor.id : undefined;

  for (const o of put) {
    if (o.kind !== 'Person') continue;
    const before = current.get('Person', o.name);
    const after = o.spec as PersonSpec;
    const rolesBefore = before?.spec.roles ?? [];
    const rolesAfter = after.roles ?? [];
    const rolesChanged = !sameSet(rolesBefore, rolesAfter);
    // With single sign-on the email is who signs in as this Person: moving it moves their roles, and
    // binding one to a Person without roles still makes someone that Person (an owner signs off its
    // initiatives' promotions, issues its agents' keys). A platform person who controls a second
    // address at the IdP bound it to a Person of their own making, handed it an initiative and signed
    // off as its owner: one person acting as two (found by review). Only an admin binds a sign-in.
    const emailChanged = (before?.spec.email ?? '') !== (after.email ?? '');
    const holdsRoles = rolesBefore.length > 0 || rolesAfter.length > 0;
    if (rolesChanged && self === o.name)
      refuse(o.name, '/spec/roles', `${o.name} may not change their own roles: another admin must`);
    else if (rolesChanged && !admin)
      refuse(
        o.name,
        '/spec/roles',
        `only an admin may set or change roles (Person ${o.name}: ${describeChange(rolesBefore, rolesAfter)})`,
      );
    else if (emailChanged && !admin && after.email)
      refuse(
        o.name,
        '/spec/email',
        `only an admin may set or change the email of Person ${o.name} (it is who signs in as them${holdsRoles ? ', with their roles' : ', and owners sign off and issue keys'})`,
      );
    else if (emailChanged && holdsRoles && !admin)
      refuse(
        o.name,
        '/spec/email',
        `only an admin may remove the email of Person ${o.name}, who holds roles (it is how they sign in)`,
      );
  }
  for (const o of put) {
    if (o.kind !== 'Agent') continue;
    // An Agent's OAuth client is who authenticates as it, as a Person's email is who signs in as them:
    // a platform person who pointed an agent at a client of their own was that agent, and a call made
    // with its tokens has no key issuer, so their approving it went unnoticed (found by review).
    const before = current.get('Agent', o.name)?.spec.oauthClientId;
    const after = (o.spec as AgentSpec).oauthClientId;
    if ((before ?? '') !== (after ?? '') && !admin)
      problems.push({
        kind: 'Agent',
        name: o.name,
        path: '/spec/oauthClientId',
        message: `only an admin may set, change or remove the oauthClientId of Agent ${o.name} (its OAuth client authenticates as the agent)`,
      });
  }
  for (const o of initiatives(put)) problems.push(...checkInitiative(actor, current, o, stewards.get(o.name)));
  for (const r of remove) {
    // Deleting an initiative past `proposed` and registering it again would move its stage in two
    // writes that each look like registration: the delete is the admin's too.
    const initiative = r.kind === 'Initiative' ? current.get('Initiative', r.name) : undefined;
    if (initiative && initiative.spec.stage !== 'proposed' && !admin)
      problems.push({
        kind: 'Initiative',
        name: r.name,
        path: '/spec/stage',
        message: `only an admin may delete Initiative ${r.name}, which is at stage ${initiative.spec.stage} (its stage moves through promotion reviews)`,
      });
    if (r.kind !== 'Person') continue;
    const before = current.get('Person', r.name);
    if (!before || before.spec.roles.length === 0) continue;
    if (self === r.name) refuse(r.name, '/spec/roles', `${r.name} may not delete themselves while holding roles`);
    else if (!admin)
      refuse(
        r.name,
        '/spec/roles',
        `only an admin may delete Person ${r.name}, who holds roles (${before.spec.roles.join(', ')})`,
      );
  }
  return problems;
}

/**
 * An initiative's stage moves through promotion reviews (Fulcrum writes it when one is approved), or
 * by an admin: so only an admin registers one at a later stage than `proposed` (or deletes one past
 * it, checkPrivilege), else deleting and registering it again would skip the reviews. And nobody
 * sets the risk tier of an initiative they own or have owned (the tier decides which sign-offs its
 * promotions need), nor becomes the owner of one whose tier in force they set: handing the
 * ownership away for one write, or taking it after, changes nothing. Registering an initiative
 * where it already is stays a registry write.
 */
function checkInitiative(
  actor: Principal,
  current: RegistrySnapshot,
  o: Desired<'Initiative'>,
  stewards: Stewards | undefined,
): Problem[] {
  const { before, after, ownerChanged, tierChanged } = stewardship(current, o);
  const problems: Problem[] = [];
  const at = (path: string, message: string) => problems.push({ kind: 'Initiative', name: o.name, path, message });
  if (before && (before.stage !== after.stage || before.stageSince !== after.stageSince) && !hasRole(actor, 'admin'))
    at(
      '/spec/stage',
      `the stage of Initiative ${o.name} moves through a promotion review (POST /v1/initiatives/${o.name}/promotions), or by an admin`,
    );
  else if (!before && after.stage !== 'proposed' && !hasRole(actor, 'admin'))
    at(
      '/spec/stage',
      `Initiative ${o.name} is registered at stage proposed and moves on through promotion reviews; only an admin registers one at stage ${after.stage}`,
    );
  const self = actor.type === 'person' ? actor.id : undefined;
  const owns = self !== undefined && (before?.owner === self || after.owner === self);
  const owned = self !== undefined && !owns && stewards?.owners.has(self);
  if (tierChanged && owns)
    at('/spec/riskTier', `separation of duties: ${self} owns Initiative ${o.name}, so may not set its risk tier`);
  else if (tierChanged && owned)
    at('/spec/riskTier', `separation of duties: ${self} has owned Initiative ${o.name}, so may not set its risk tier`);
  // Who set the tier in force after this write: the latest risk assessment's assessor while there is
  // one (the descriptor's riskTier does not count then), else this actor if the write changes it.
  const assessed = stewards?.tierSetter?.by === 'assessment';
  const setter = assessed || !tierChanged ? stewards?.tierSetter?.person : stewardName(actor);
  // Also when the initiative is created: a deleted one's assessments still hold for its name.
  if (ownerChanged && setter === after.owner && !(tierChanged && owns))
    at(
      '/spec/owner',
      `separation of duties: ${after.owner} set the risk tier in force of Initiative ${o.name}${
        assessed ? ' (its latest risk assessment)' : ''
      }, so may not own it until someone else sets the tier`,
    );
  // The owner gives the owner sign-off of its promotions, the only one a minimal tier needs: taking
  // an initiative over by one's own write made a platform person its owner and then moved its stage
  // alone (found by review). Someone else hands it over; registering a new one as its owner is fine.
  const hadOwner = before !== undefined || (stewards?.owners.size ?? 0) > 0;
  if (ownerChanged && self !== undefined && after.owner === self && hadOwner && !problems.some((p) => p.path === '/spec/owner'))
    at(
      '/spec/owner',
      `separation of duties: ${self} may not make themselves the owner of Initiative ${o.name} (the owner signs off its promotions): someone else must hand it over`,
    );
  return problems;
}

/** How a steward is recorded: a Person by name; the admin token or Fulcrum in parentheses, never a Person's name. */
export function stewardName(actor: Principal): string {
  return actor.type === 'person' ? actor.id : `(${actorName(actor)})`;
}

function describeChange(before: readonly string[], after: readonly string[]): string {
  const added = after.filter((r) => !before.includes(r));
  const removed = before.filter((r) => !after.includes(r));
  return [added.length ? `adds ${added.join(', ')}` : '', removed.length ? `removes ${removed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
