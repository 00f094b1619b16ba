// An issuer's discovery document is fetched again once it is a day old (shortened here), beside the
// calls: an IdP that moves its JWKS is followed without a restart. Found by review: the document was
// kept for the life of the process, so after such a move every token signed with a new key was refused
// until Fulcrum was restarted.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIssuer } from '../../src/auth/oidc.js';
import { type HandIssuer, startHandIssuer } from '../support/oidc.js';
import { until } from '../support/wait.js';

describe("an issuer's discovery document", () => {
  let hand: HandIssuer;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ aud: 'https://fulcrum.test', client_id: 'c', sub: 'c', exp: now() + 300, iat: now() });

  beforeAll(async () => {
    hand = await startHandIssuer();
  });
  afterAll(async () => hand?.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is fetched again past its age, and a moved JWKS followed; the one held serves meanwhile', async () => {
    // The clock (Date only: timers and sockets run as they do) stands still until moved past the age,
    // so the calls within it stay within it however slow a loaded machine is.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const warnings: string[] = [];
    const issuer = createIssuer(hand.issuer, { cooldownMs: 0, discoveryMaxAgeMs: 60_000, warn: (m) => warnings.push(m) });
    await issuer.verify(await hand.sign(claims()), 'https://fulcrum.test');
    expect(hand.discoveryFetches()).toBe(1);
    // Within its age, no second fetch however many tokens.
    for (let i = 0; i < 5; i++) await issuer.verify(await hand.sign(claims()), 'https://fulcrum.test');
    expect(hand.discoveryFetches()).toBe(1);

    // The IdP moves its JWKS and signs with a new key, published only there.
    hand.moveJwks('/keys/v2');
    await hand.rotate();
    const token = await hand.sign(claims());
    await expect(issuer.verify(token, 'https://fulcrum.test')).rejects.toThrow();
    expect(hand.discoveryFetches()).toBe(1);
    vi.setSystemTime(Date.now() + 60_001);
    // Past the age, a call starts the fetch again (and is answered from what is held); a later one
    // finds the keys where the document now says they are.
    await until(
      async () =>
        issuer.verify(token, 'https://fulcrum.test').then(
          () => true,
          () => false,
        ),
      'a token signed with a key published at the moved JWKS to verify',
    );
    expect(hand.discoveryFetches()).toBeGreaterThanOrEqual(2);
    expect(warnings).toEqual([]);
  });
});
