// Whether any arguments could let a call through (src/policy/partial.ts): "deny whatever the
// arguments" only when Cedar's partial evaluation says so for certain; anything doubtful is "might".
import { describe, expect, it } from 'vitest';
import { deniedWhateverArguments } from '../../src/policy/partial.js';
import type { EntityJson } from '../../src/policy/types.js';

const entities: EntityJson[] = [
  { uid: { type: 'Initiative', id: 'support' }, attrs: { stage: 'pilot' }, parents: [] },
  { uid: { type: 'Agent', id: 'bot' }, attrs: { status: 'active' }, parents: [{ type: 'Initiative', id: 'support' }] },
  { uid: { type: 'Action', id: 't' }, attrs: {}, parents: [] },
  { uid: { type: 'Tool', id: 't' }, attrs: {}, parents: [] },
  // Unrelated: never handed to Cedar.
  ...Array.from({ length: 50 }, (_, i) => ({ uid: { type: 'Tool', id: `x${i}` }, attrs: {}, parents: [] })),
];
const request = {
  principal: { type: 'Agent', id: 'bot' },
  action: { type: 'Action', id: 't' },
  resource: { type: 'Tool', id: 't' },
  context: { dataDomains: [] },
};
const denied = (...texts: string[]) =>
  deniedWhateverArguments(
    texts.map((text, i) => ({ id: `p${i}`, text })),
    entities,
    request,
  );

describe('denied whatever the arguments', () => {
  it('is so with no permit for the action, or a forbid that reads no arguments', () => {
    expect(denied('permit (principal, action == Action::"other", resource);')).toBe(true);
    expect(denied('permit (principal, action, resource);', 'forbid (principal, action == Action::"t", resource);')).toBe(true);
  });

  it('is not so when a permit reads the arguments, or nothing forbids', () => {
    expect(denied('permit (principal, action == Action::"t", resource) when { context.arguments.n < 5 };')).toBe(false);
    expect(denied('permit (principal, action, resource);')).toBe(false);
  });

  it('reads the entities the request reaches and those a policy names', () => {
    // Through the agent's parent: the initiative is a pilot, so this permit never applies.
    expect(
      denied(
        'permit (principal in Initiative::"support", action, resource) when { Initiative::"support".stage == "production" };',
      ),
    ).toBe(true);
    expect(
      denied('permit (principal in Initiative::"support", action, resource) when { Initiative::"support".stage == "pilot" };'),
    ).toBe(false);
  });

  it('is not so when a policy errs (an entity it reads is missing): Cedar cannot say', () => {
    expect(denied('permit (principal, action, resource) when { Initiative::"gone".stage == "pilot" };')).toBe(false);
  });
});
