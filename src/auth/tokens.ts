// Secret generation and hashing. Tokens are 256-bit random strings with a recognisable prefix;
// only their SHA-256 is stored (a slow password hash buys nothing for secrets this long).
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = { admin: 'fat_', person: 'fpt_', agent: 'fk_', collector: 'ftc_' } as const;

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

// Ids need to be unique, not secret (every read is authorised): a random per-process prefix and a
// counter are unique across nodes and far cheaper than fresh randomness per decision.
const PROCESS_PREFIX = randomBytes(6).toString('base64url');
let counter = 0;

export function newId(prefix: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${PROCESS_PREFIX}${counter.toString(36).padStart(6, '0')}`;
}

export function hashToken(token: string): string {
  return hash('sha256', token);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What may be shown of a secret after it was issued: enough to recognise it, not to use it. */
export function displayPrefix(token: string): string {
  return token.slice(0, token.indexOf('_') + 7);
}
