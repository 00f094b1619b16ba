// Who may change who holds power: a registry write that sets or changes a Person's roles (or the
// sign-in identity of a Person who holds roles) needs the admin role, and nobody changes their own.
// Checked on the whole change set before anything is written (docs/auth.md "Privilege").
import { hasRole, type Principal } from '../auth/principal.js';
import type { Problem } from '../errors.js';
import type { Kind } from './kinds.js';
import type { Desired, RegistrySnapshot } from './model.js';
import type { PersonSpec } from './schemas.js';

/** The problems that make this change set a privilege change the actor may not make; empty when none. */
export function checkPrivilege(
  actor: Principal,
  current: RegistrySnapshot,
  put: readonly Desired[],
  remove: ReadonlyArray<{ kind: Kind; name: string }>,
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
    // With single sign-on the email is who signs in as this Person: moving it moves their roles.
    const emailChanged = before !== undefined && (before.spec.email ?? '') !== (after.email ?? '');
    const holdsRoles = rolesBefore.length > 0 || rolesAfter.length > 0;
    if (rolesChanged && self === o.name)
      refuse(o.name, '/spec/roles', `${o.name} may not change their own roles: another admin must`);
    else if (rolesChanged && !admin)
      refuse(
        o.name,
        '/spec/roles',
        `only an admin may set or change roles (Person ${o.name}: ${describeChange(rolesBefore, rolesAfter)})`,
      );
    else if (emailChanged && holdsRoles && !admin)
      refuse(
        o.name,
        '/spec/email',
        `only an admin may change the email of Person ${o.name}, who holds roles (it is how they sign in)`,
      );
  }
  for (const o of put) if (o.kind === 'Initiative') problems.push(...checkInitiative(actor, current, o as Desired<'Initiative'>));
  for (const r of remove) {
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
 * by an admin; and nobody sets the risk tier of an initiative they own (the tier decides which
 * sign-offs its promotions need). Registering an initiative where it already is stays a registry write.
 */
function checkInitiative(actor: Principal, current: RegistrySnapshot, o: Desired<'Initiative'>): Problem[] {
  const before = current.get('Initiative', o.name)?.spec;
  const after = o.spec;
  const problems: Problem[] = [];
  const at = (path: string, message: string) => problems.push({ kind: 'Initiative', name: o.name, path, message });
  if (before && (before.stage !== after.stage || before.stageSince !== after.stageSince) && !hasRole(actor, 'admin'))
    at(
      '/spec/stage',
      `the stage of Initiative ${o.name} moves through a promotion review (POST /v1/initiatives/${o.name}/promotions), or by an admin`,
    );
  const self = actor.type === 'person' ? actor.id : undefined;
  const owns = self !== undefined && (before?.owner === self || after.owner === self);
  if (owns && (before?.riskTier ?? null) !== (after.riskTier ?? null))
    at('/spec/riskTier', `separation of duties: ${self} owns Initiative ${o.name}, so may not set its risk tier`);
  return problems;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function describeChange(before: readonly string[], after: readonly string[]): string {
  const added = after.filter((r) => !before.includes(r));
  const removed = before.filter((r) => !after.includes(r));
  return [added.length ? `adds ${added.join(', ')}` : '', removed.length ? `removes ${removed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
