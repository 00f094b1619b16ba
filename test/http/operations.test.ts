// The operational surface: health, the OpenAPI document and its reference page, metrics, errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { KIND_INFO, KINDS } from '../../src/registry/kinds.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('operations', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => t?.close());

  it('answers /healthz without a token', async () => {
    const res = await t.request({ method: 'GET', url: '/healthz', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'sqlite', revision: 0 });
  });

  it('publishes an OpenAPI 3.1 document covering every route', async () => {
    const res = await t.request({ method: 'GET', url: '/openapi.json', token: null });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const kind of KINDS) {
      const plural = KIND_INFO[kind].plural;
      expect(Object.keys(doc.paths[`/v1/${plural}`])).toEqual(['get']);
      expect(Object.keys(doc.paths[`/v1/${plural}/{name}`]).sort()).toEqual(['delete', 'get', 'put']);
      expect(doc.components.schemas[kind]).toBeDefined();
    }
    for (const p of [
      '/v1/apply',
      '/v1/export',
      '/v1/people/{name}/tokens',
      '/v1/agents/{name}/keys/{id}',
      '/v1/whoami',
      '/healthz',
    ])
      expect(doc.paths[p], p).toBeDefined();
    expect(doc.components.schemas.Error).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('serves the API reference at /docs', async () => {
    const res = await t.request({ method: 'GET', url: '/docs/', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    expect(res.body).toContain('swagger');
    // Its own files only, never framed (test/e2e/console.test.ts renders it in Chromium under this CSP).
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = await t.request({ method: 'GET', url: '/docs/static/swagger-initializer.js', token: null });
    expect(script.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('exposes Prometheus metrics', async () => {
    await t.request({ method: 'GET', url: '/v1/agents' });
    const res = await t.request({ method: 'GET', url: '/metrics', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/fulcrum_http_requests_total\{method="GET",route="\/v1\/agents",status="200"\} 1/);
    expect(res.body).toContain('fulcrum_registry_revision 0');
    expect(res.body).toContain('fulcrum_shadow_write_failed_batches 0');
    expect(res.body).toContain('fulcrum_process_resident_memory_bytes');
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /v1/nothing-here' } });
  });

  it('documents every error code in docs/errors.md', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CODES))
      expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });
});
