// What a console sign-in leaves in the server's log: the callback is logged, but not the IdP's
// authorization code nor the sign-in's state. Every request was logged at info with its whole URL, so
// each sign-in put its code in the log (found by review). A real server process, a real OpenID Provider.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { consoleClient, type Idp, startIdp, walkIdp } from '../support/oidc.js';
import { call, cli, type Served, serve, stop } from '../support/process.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const ADMIN = 'fat_sign-in-log-admin';
// The address in redirect URIs; requests go to the process's own address.
const PUBLIC = 'http://127.0.0.1:4196';

describe('the request log of a console sign-in', () => {
  let db: TestDatabase;
  let idp: Idp;
  let node: Served;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    idp = await startIdp([consoleClient(PUBLIC)], { emailInIdToken: true });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      FULCRUM_DATA_DIR: db.dir,
      FULCRUM_ADMIN_TOKEN: ADMIN,
      FULCRUM_LOG_LEVEL: 'info',
      FULCRUM_PUBLIC_URL: PUBLIC,
      FULCRUM_OIDC_ISSUER: idp.issuer,
      FULCRUM_OIDC_CLIENT_ID: 'fulcrum',
      FULCRUM_OIDC_CLIENT_SECRET: 'fulcrum-secret',
    };
    node = await serve(env);
    const applied = await cli({ ...env, FULCRUM_URL: node.url, FULCRUM_TOKEN: ADMIN }, 'apply', '-f', MINI);
    expect(applied.code, applied.stderr).toBe(0);
    const put = await call(node.url, ADMIN, 'PUT', '/v1/people/kim', {
      spec: { displayName: 'Kim', email: 'kim@acme.example', roles: ['viewer'] },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await stop(node);
    await idp?.stop();
    await db?.drop();
  });

  it('holds no authorization code nor state', async () => {
    const login = await fetch(`${node.url}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const loginCookie = (login.headers.get('set-cookie') as string).split(';')[0] as string;
    const back = new URL(
      (await walkIdp(login.headers.get('location') as string, 'kim@acme.example', `${PUBLIC}/auth/callback`)).url,
    );
    const code = back.searchParams.get('code') as string;
    const state = back.searchParams.get('state') as string;
    expect(code.length).toBeGreaterThan(10);
    const callback = await fetch(`${node.url}${back.pathname}${back.search}`, {
      redirect: 'manual',
      headers: { cookie: loginCookie },
    });
    expect(callback.status, await callback.text()).toBe(302);
    // The callback's own line is there (the log is on), without what its query carried.
    await until(() => node.stdout.includes('"url":"/auth/callback'), 'the callback in the request log');
    expect(node.stdout).not.toContain(code);
    expect(node.stdout).not.toContain(state);
    expect(node.stdout).toContain('"url":"/auth/callback?[redacted]"');
  });
});
