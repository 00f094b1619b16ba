// Who is calling, and what their roles let them do. The role model (docs/auth.md) in one place.
import { NotAllowedError } from '../errors.js';
import { ROLES, type Role } from '../registry/schemas.js';

export type Principal =
  | { type: 'admin'; id: 'admin' }
  | { type: 'person'; id: string; roles: readonly Role[]; tokenId: string }
  /** An agent, by its key (`keyId`) or an OAuth access token (`keyId` '', `oauthClient` its client). */
  | { type: 'agent'; id: string; keyId: string; oauthClient?: string }
  /** A telemetry collector's key: sends OTLP traces and task events for the agents its descriptor lists, nothing else. */
  | { type: 'collector'; id: string; keyId: string }
  /** Fulcrum itself (migrations, start-up jobs); never the result of authentication. */
  | { type: 'system'; id: string };

export type Permission =
  | 'registry.read'
  | 'registry.write'
  | 'approvals.decide'
  | 'incidents.write'
  | 'incidents.close'
  | 'risk.assess'
  | 'sessions.manage';

const GRANTS: Record<Permission, readonly Role[]> = {
  // Every role may read the registry; viewer is the read-only role.
  'registry.read': ROLES,
  'registry.write': ['admin', 'platform'],
  'approvals.decide': ['admin', 'approver'],
  // Anyone with a working role may open and move incidents; a viewer only reads them.
  'incidents.write': ROLES.filter((r) => r !== 'viewer'),
  // Closing ends what the incident holds back from retention (its agents' evidence): the platform
  // team, the risk reviewer, or (in the incident service) the incident's own owner.
  'incidents.close': ['admin', 'platform', 'reviewer:risk'],
  // Assessing an initiative's risk sets the tier the guard decides with; the assessing service also
  // refuses an initiative's owner, present or past (separation of duties, docs/auth.md).
  'risk.assess': ['admin', 'platform', 'reviewer:risk'],
  // Listing and ending other people's sign-in sessions (an incident's answer: a lost laptop, a phished
  // device code). Everyone manages their own.
  'sessions.manage': ['admin'],
};

/** Every permission there is, in the order GRANTS lists them. */
export const PERMISSIONS = Object.keys(GRANTS) as Permission[];

/** Whether the caller acts in `role`. A person with the `admin` role acts in every role, as the admin
 *  token does (docs/auth.md: the admin column is ✓ throughout). */
export function hasRole(p: Principal, role: Role): boolean {
  return (
    p.type === 'admin' || p.type === 'system' || (p.type === 'person' && (p.roles.includes(role) || p.roles.includes('admin')))
  );
}

export function can(p: Principal, permission: Permission): boolean {
  return GRANTS[permission].some((role) => hasRole(p, role));
}

/** The permissions the caller holds (GET /v1/whoami shows them, so the console need not re-derive the roles' rules). */
export function permissionsOf(p: Principal): Permission[] {
  return PERMISSIONS.filter((permission) => can(p, permission));
}

export function assertCan(p: Principal, permission: Permission): void {
  if (!can(p, permission))
    throw new NotAllowedError(`${describe(p)} may not ${permission.replace('.', ' ')} (roles: ${rolesOf(p)})`);
}

export function describe(p: Principal): string {
  return p.type === 'admin' || p.type === 'system' ? p.type : `${p.type} "${p.id}"`;
}

function rolesOf(p: Principal): string {
  return p.type === 'person' ? p.roles.join(', ') || 'none' : p.type;
}

/** The name recorded in change logs and audit entries. */
export function actorName(p: Principal): string {
  return p.type === 'person' || p.type === 'agent' || p.type === 'collector' ? `${p.type}:${p.id}` : p.type;
}

/** The agent asking, and the credential it came with: its key's id, or ('' then) the OAuth client
 *  its access token names. The guard refuses a decision whose credential was revoked before it
 *  committed. */
export interface AgentCaller {
  id: string;
  keyId: string;
  oauthClient?: string;
}

/** The agent calling an agent-only route, with its credential. Such routes authenticate agents only:
 *  anything else is a bug. */
export function agentCaller(p: Principal): AgentCaller {
  if (p.type !== 'agent') throw new NotAllowedError(`${describe(p)} is not an agent: only an agent's key may ask for a decision`);
  return { id: p.id, keyId: p.keyId, ...(p.oauthClient !== undefined ? { oauthClient: p.oauthClient } : {}) };
}
