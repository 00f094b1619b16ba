// A descriptor's name may not be one a fixed route of its collection takes: a Monitor named "status"
// was written (PUT /v1/monitors/status went to the descriptor route) and could never be read back,
// GET /v1/monitors/status being every monitor's status. Each kind reserves the fixed segments of its
// routes (KIND_INFO[kind].reservedNames), checked here against the routes the server registers.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import path from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_BY_PLURAL, KIND_INFO, KINDS } from '../../src/registry/kinds.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

/** A spec each kind with a reserved name would otherwise take (refs into the mini enterprise). */
const VALID_SPEC: Record<string, Record<string, unknown>> = {
  Monitor: { metric: 'deny_rate', threshold: 0.5, severity: 'sev3' },
  Policy: { cedar: 'permit (principal, action == Action::"crm.lookup", resource);' },
};

describe('names a route of their collection takes', () => {
  let t: TestServer;
  const registered: Array<{ method: string; url: string }> = [];
  const onInit = (message: unknown) =>
    (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (r: RouteOptions) => {
      for (const method of [r.method].flat()) registered.push({ method, url: r.url });
    });

  beforeAll(async () => {
    subscribe('fastify.initialization', onInit);
    try {
      t = await startTestServer('sqlite');
    } finally {
      unsubscribe('fastify.initialization', onInit);
    }
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  }, 60_000);
  afterAll(async () => t?.close());

  /** `kind name` for every route /v1/<plural>/<fixed segment>, where a name would sit. */
  const taken = () => {
    const found = new Set<string>();
    for (const { url } of registered) {
      const [, v1, plural = '', segment, ...rest] = url.split('/');
      const kind = KIND_BY_PLURAL.get(plural);
      if (v1 === 'v1' && kind && segment && !segment.startsWith(':') && rest.length === 0) found.add(`${kind} ${segment}`);
    }
    return found;
  };

  it('reserves exactly the fixed segments of each collection', () => {
    expect(taken().size).toBeGreaterThan(0); // the hook saw the routes
    const reserved = new Set(
      KINDS.flatMap((kind) => Object.keys(KIND_INFO[kind].reservedNames ?? {}).map((n) => `${kind} ${n}`)),
    );
    expect([...reserved].sort()).toEqual([...taken()].sort());
  });

  it('refuses a reserved name with a 422 naming metadata.name and the route that takes it', async () => {
    for (const key of taken()) {
      const [kind = '', name = ''] = key.split(' ');
      const plural = KIND_INFO[kind as keyof typeof KIND_INFO].plural;
      const res = await t.request({ method: 'PUT', url: `/v1/${plural}/${name}`, payload: { spec: VALID_SPEC[kind] ?? {} } });
      expect(res.statusCode, `${key}: ${res.body}`).toBe(422);
      expect(res.json().error.details).toContainEqual(
        expect.objectContaining({
          kind,
          name,
          path: '/metadata/name',
          message: expect.stringContaining(`/v1/${plural}/${name}`),
        }),
      );
    }
    // Nothing was written: the collection's own route still answers there.
    const status = await t.request({ method: 'GET', url: '/v1/monitors/status' });
    expect(status.json()).toEqual({ items: [] });
    expect((await t.request({ method: 'GET', url: '/v1/monitors' })).json().items).toEqual([]);
  });

  it('refuses one in a bundle at its file and line, and applies nothing', async () => {
    const content = [
      'apiVersion: fulcrum/v1',
      'kind: Monitor',
      'metadata: { name: denials }',
      'spec: { metric: deny_rate, threshold: 0.5, severity: sev3 }',
      '---',
      'apiVersion: fulcrum/v1',
      'kind: Monitor',
      'metadata:',
      '  name: status',
      'spec: { metric: deny_rate, threshold: 0.5, severity: sev3 }',
    ].join('\n');
    const res = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: [{ path: 'monitors.yaml', content }] } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({
        file: 'monitors.yaml',
        line: 9,
        path: '/metadata/name',
        message: expect.stringMatching(/^"status" is reserved: GET \/v1\/monitors\/status is /),
      }),
    ]);
    expect((await t.request({ method: 'GET', url: '/v1/monitors/denials' })).statusCode).toBe(404);
  });

  it('still takes a name that only looks alike', async () => {
    // Routes match case-sensitively: /v1/monitors/Status is the Monitor's.
    const put = await t.request({ method: 'PUT', url: '/v1/monitors/Status', payload: { spec: VALID_SPEC.Monitor } });
    expect(put.statusCode, put.body).toBe(201);
    expect((await t.request({ method: 'GET', url: '/v1/monitors/Status' })).json().metadata.name).toBe('Status');
  });
});
