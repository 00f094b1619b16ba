// A small enterprise for the insight tests, as descriptors: business unit `bu`, its owner `ann`, and
// initiatives each with an agent `a-<name>`, applied through the API in one file.
import { expect } from 'vitest';
import YAML from 'yaml';
import type { TestServer } from '../support/server.js';

export const DAY = 86_400_000;

/** The date `offset` days from `now` (ms), as YYYY-MM-DD. */
export const dayOf = (now: number, offset: number) => new Date(now + offset * DAY).toISOString().slice(0, 10);

export const doc = (kind: string, name: string, spec: object) => ({ apiVersion: 'fulcrum/v1', kind, metadata: { name }, spec });

/** The resolution-rate outcome the tests measure: 0.4 at baseline, 0.6 the target. */
export const resolution = (more: object = {}) => ({
  name: 'resolution',
  source: 'resolution_rate',
  unit: 'ratio',
  direction: 'increase',
  baseline: { value: 0.4, period: '2026-Q1' },
  target: 0.6,
  ...more,
});

/** Initiative `name`: low risk, owned by ann in bu, with `spec` over that. */
export const initiative = (name: string, spec: object) =>
  doc('Initiative', name, { title: name, type: 'agent', riskTier: 'low', owner: 'ann', businessUnit: 'bu', ...spec });

/** The agent `a-<name>` of initiative `name`. */
export const agentOf = (name: string) =>
  doc('Agent', `a-${name}`, { initiative: name, extraTools: [], owner: 'ann', framework: 'fw', status: 'active' });

/** Applies bu, ann and `docs`. */
export async function applyWorld(t: TestServer, docs: object[]): Promise<void> {
  const content = [
    doc('BusinessUnit', 'bu', { title: 'BU' }),
    doc('Person', 'ann', { displayName: 'Ann', roles: ['owner', 'platform'], businessUnit: 'bu' }),
    ...docs,
  ]
    .map((d) => YAML.stringify(d))
    .join('---\n');
  const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: [{ path: 'r.yaml', content }] } });
  expect(applied.statusCode, applied.body).toBe(200);
}
