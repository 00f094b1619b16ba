// Emails as Fulcrum compares them (a Person's `spec.email` against what the IdP verified): case aside
// for A–Z only. `toLowerCase()` folds other characters too (the Kelvin sign U+212A becomes `k`), so
// `\u212Aate@acme.example`, an address of its own at the IdP, signed in as kate@acme.example (found by
// review). Other characters are compared as they are.
export function emailKey(email: string): string {
  return email.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

export const sameEmail = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && emailKey(a) === emailKey(b);
