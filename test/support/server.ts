// An in-process Fulcrum (app + Fastify, no socket) on a fresh test database.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { type App, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { createTestDatabase, type Engine, type TestDatabase } from './databases.js';
import { ACME_STDIO, readMini } from './files.js';

export const ADMIN_TOKEN = 'fat_test-admin-token';

export interface TestServer {
  app: App;
  server: FastifyInstance;
  database: TestDatabase;
  /** Injects a request with the admin token unless `token` says otherwise (null: none). */
  request(opts: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestServer(engine: Engine, overrides: Partial<Config> = {}): Promise<TestServer> {
  const database = await createTestDatabase(engine);
  const { app, server } = await startNode(database, overrides);
  return {
    app,
    server,
    database,
    request: ({ token, ...opts }) => {
      const t = token === undefined ? ADMIN_TOKEN : token;
      const headers = { ...(opts.headers ?? {}), ...(t ? { authorization: `Bearer ${t}` } : {}) };
      return server.inject({ ...opts, headers });
    },
    // The database goes even when closing the node fails (a node whose sync failed says so).
    close: async () => {
      await server.close();
      try {
        await app.close();
      } finally {
        await database.drop();
      }
    },
  };
}

/**
 * A test server with the mini enterprise (test/fixtures/mini) applied, and a fresh key of its agent
 * `support-bot-eu`: the start of most evidence and insight tests.
 */
export async function startMini(engine: Engine, overrides: Partial<Config> = {}): Promise<{ t: TestServer; key: string }> {
  const t = await startTestServer(engine, overrides);
  const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readMini() } });
  if (applied.statusCode !== 200) throw new Error(`applying the mini enterprise: ${applied.statusCode} ${applied.body}`);
  const issued = await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' });
  if (issued.statusCode !== 201) throw new Error(`issuing a key for support-bot-eu: ${issued.statusCode} ${issued.body}`);
  return { t, key: issued.json().key as string };
}

/** Registers the Person alex.approver (role approver) through `t` and returns a token of theirs. */
export async function addApprover(t: Pick<TestServer, 'request'>): Promise<string> {
  const put = await t.request({
    method: 'PUT',
    url: '/v1/people/alex.approver',
    payload: { spec: { displayName: 'Alex', roles: ['approver'] } },
  });
  if (put.statusCode >= 300) throw new Error(`registering alex.approver: ${put.statusCode} ${put.body}`);
  const issued = await t.request({ method: 'POST', url: '/v1/people/alex.approver/tokens' });
  if (issued.statusCode !== 201) throw new Error(`a token for alex.approver: ${issued.statusCode} ${issued.body}`);
  return issued.json().token as string;
}

/** Several nodes on one fresh database, as a deployment behind a balancer runs them. */
export interface TestCluster {
  database: TestDatabase;
  nodes: Array<{ app: App; server: FastifyInstance }>;
  /** Injects a request into node `node`, with the admin token unless `token` says otherwise (null: none). */
  request(node: number, opts: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** support-bot-eu's refund of 900 (approval required in the mini enterprise) asked of node `node`, with `approvalId` to spend one. */
export function refundOn(c: TestCluster, node: number, token: string, orderId: string, approvalId?: string) {
  return c.request(node, {
    method: 'POST',
    url: '/v1/decisions',
    token,
    payload: {
      action: 'tool.call',
      tool: 'crm.refund',
      arguments: { amount: 900, orderId },
      ...(approvalId ? { approvalId } : {}),
    },
  });
}

/** One node per entry of `overrides` (its settings: e.g. one that polls the registry once an hour). */
export async function startCluster(engine: Engine, overrides: Array<Partial<Config>>): Promise<TestCluster> {
  const database = await createTestDatabase(engine);
  const nodes: TestCluster['nodes'] = [];
  for (const o of overrides) nodes.push(await startNode(database, o));
  return {
    database,
    nodes,
    request: (node, { token, ...opts }) => {
      const t = token === undefined ? ADMIN_TOKEN : token;
      const headers = { ...(opts.headers ?? {}), ...(t ? { authorization: `Bearer ${t}` } : {}) };
      return (nodes[node] as { server: FastifyInstance }).server.inject({ ...opts, headers });
    },
    close: async () => {
      for (const n of nodes) {
        await n.server.close();
        await n.app.close();
      }
      await database.drop();
    },
  };
}

/** One node (app + Fastify) on `database`, which several nodes may share; the caller closes it. */
export async function startNode(
  database: TestDatabase,
  overrides: Partial<Config> = {},
  /** Sees every query the node makes (test/support/pause.ts holds one at a chosen point). */
  plugin?: KyselyPlugin,
): Promise<{ app: App; server: FastifyInstance }> {
  const config = loadConfig(
    { FULCRUM_DATA_DIR: database.dir },
    // The operator's allow-lists: examples/acme's stdio server only, no internal hosts (tests that
    // need more say so in `overrides`).
    {
      adminToken: ADMIN_TOKEN,
      monitorIntervalSeconds: 0,
      retentionIntervalHours: 0,
      mcpStdioAllow: [ACME_STDIO],
      // Every answer is checked against the OpenAPI document (src/http/contract.ts).
      checkResponses: true,
      ...overrides,
    },
  );
  const handle = database.open();
  const app = await createApp(config, plugin ? { ...handle, db: handle.db.withPlugin(plugin) } : handle);
  return { app, server: await buildServer(app) };
}
