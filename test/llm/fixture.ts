// The registry the LLM gateway tests run on: the mini enterprise, two ModelEndpoints on the fake
// upstream (OpenAI and Anthropic APIs) and models that are approved and priced, banned, unpriced or
// outside the agent's archetype; an agent with a key; spend limits as each test needs; and the
// servers they run on (useLlmStack, the hooks most files start with).
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Config } from '../../src/config.js';
import type { Engine } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { otlpExport } from '../support/otlp.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';
import { type Scripted, startScripted } from './scripted-upstream.js';
import { type FakeUpstream, startFakeUpstream } from './upstream.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

/** The secret the endpoints send upstream, and the agent key a test must never see forwarded. */
export const UPSTREAM_SECRET = 'sk-upstream-secret';
export const SECRET_ENV = 'FULCRUM_SECRET_LLM_TEST';

/** Binds the endpoints' secret to the fake upstream's origin, as an operator would. */
export function bindSecret(upstreamUrl: string): void {
  process.env[SECRET_ENV] = UPSTREAM_SECRET;
  process.env[`${SECRET_ENV}_ORIGINS`] = new URL(upstreamUrl).origin;
}

/** Prices: 1 USD per million input tokens, 2 per million output (0.5 cached, 2 written to a cache), from 2020. */
export const PRICE = { input: 1, output: 2, cached: 0.5, cacheWrite: 2 };

export function llmBundle(upstreamUrl: string, extra = ''): Array<{ path: string; content: string }> {
  const pricing = `[{ from: "2020-01-01", currency: USD, inputPerMillion: ${PRICE.input}, outputPerMillion: ${PRICE.output}, cachedInputPerMillion: ${PRICE.cached}, cacheWriteInputPerMillion: ${PRICE.cacheWrite} }]`;
  const model = (name: string, endpoint: string, status: string, prices: string, more = '') => `
apiVersion: fulcrum/v1
kind: Model
metadata: { name: ${name} }
spec:
  provider: ${endpoint === 'anthropic-local' ? 'anthropic' : 'openai'}
  hosting: vendor
  regions: [eu-west-1]
  status: ${status}
  maxClassification: confidential
  pricing: ${prices}
  endpoint: ${endpoint}
  maxOutputTokens: 1000
${more}---`;
  const content = `
apiVersion: fulcrum/v1
kind: ModelEndpoint
metadata: { name: openai-local }
spec:
  api: openai
  baseUrl: ${upstreamUrl}/v1
  credential: { env: ${SECRET_ENV} }
  timeoutMs: 20000
---
apiVersion: fulcrum/v1
kind: ModelEndpoint
metadata: { name: anthropic-local }
spec:
  api: anthropic
  baseUrl: ${upstreamUrl}/v1
  credential: { env: ${SECRET_ENV} }
  timeoutMs: 20000
---
${model('gw-chat', 'openai-local', 'approved', pricing, '  upstreamName: upstream-chat\n')}
${model('gw-embed', 'openai-local', 'approved', pricing)}
${model('gw-claude', 'anthropic-local', 'approved', pricing)}
${model('gw-banned', 'openai-local', 'banned', pricing)}
${model('gw-unpriced', 'openai-local', 'approved', '[]')}
${model('gw-other', 'openai-local', 'approved', pricing)}
apiVersion: fulcrum/v1
kind: Archetype
metadata: { name: llm-caller }
spec:
  description: Calls models through the gateway
  tools: []
  dataDomains: [customer-records]
  models: [gw-chat, gw-embed, gw-claude, gw-banned, gw-unpriced]
  autonomy: autonomous
---
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: llm-bot }
spec:
  initiative: support-deflection
  archetype: llm-caller
  owner: dana.lee
  framework: openai-agents-sdk
---
${extra}`;
  return [...readBundle(MINI), { path: 'llm.yaml', content }];
}

/** Applies the bundle and returns a key of `agent`. */
export async function applyAndKey(server: FastifyInstance, files: Array<{ path: string; content: string }>, agent = 'llm-bot') {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const applied = await server.inject({ method: 'POST', url: '/v1/apply', headers: auth, payload: { files } });
  expect(applied.statusCode, applied.body).toBe(200);
  const key = await server.inject({ method: 'POST', url: `/v1/agents/${agent}/keys`, headers: auth });
  expect(key.statusCode, key.body).toBe(201);
  return key.json().key as string;
}

/**
 * A server on `engine` listening on 127.0.0.1 (settings `overrides` besides the outbound allowance),
 * its LLM endpoints on a fake provider (`bundle`, llmBundle unless given, applied), and a key of
 * `agent`. The caller closes `t` and `up`; what started is closed here when a later step fails.
 */
export async function startLlmStack(
  engine: Engine,
  overrides: Partial<Config> = {},
  bundle: (upstreamUrl: string) => Array<{ path: string; content: string }> = llmBundle,
  agent = 'llm-bot',
): Promise<{ t: TestServer; up: FakeUpstream; url: string; key: string }> {
  const up = await startFakeUpstream();
  let t: TestServer | undefined;
  try {
    bindSecret(up.url);
    t = await startTestServer(engine, { outboundAllowHosts: [{ host: '127.0.0.1' }], ...overrides });
    const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
    return { t, up, url, key: await applyAndKey(t.server, bundle(up.url), agent) };
  } catch (err) {
    await t?.close();
    await up.close();
    throw err;
  }
}

/** The USD cost of tokens at PRICE. */
export function costOf(u: { input: number; output: number; cached?: number; cacheWrite?: number }): number {
  const cached = u.cached ?? 0;
  const written = u.cacheWrite ?? 0;
  return (
    ((u.input - cached - written) * PRICE.input + cached * PRICE.cached + written * PRICE.cacheWrite + u.output * PRICE.output) /
    1e6
  );
}

export async function limitStatus(server: FastifyInstance, name: string) {
  const r = await server.inject({
    method: 'GET',
    url: `/v1/spend-limits/${name}/status`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as {
    spentUsd: number;
    reservedUsd: number;
    remainingUsd: number;
    limitUsd: number;
    calls: number;
    burnDown: Array<{ hour: string; spentUsd: number; remainingUsd: number }>;
  };
}

export interface ScriptedStack {
  t: TestServer;
  /** The fake provider, behind `sc`: what a test does not script is answered by it. */
  up: FakeUpstream;
  sc: Scripted;
  /** The server's address (it listens on 127.0.0.1). */
  url: string;
  /** Between tests: no scripts, default behaviour, nothing received. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A server (SQLite unless `engine` says otherwise) listening on 127.0.0.1 whose endpoints (once
 * applied) reach a scripted provider; LLM bodies up to 8 MiB unless `overrides` say otherwise.
 */
export async function startScriptedStack(engine: Engine = 'sqlite', overrides: Partial<Config> = {}): Promise<ScriptedStack> {
  const up = await startFakeUpstream();
  const sc = await startScripted(up.url);
  bindSecret(sc.url);
  const t = await startTestServer(engine, {
    outboundAllowHosts: [{ host: '127.0.0.1' }],
    llmBodyLimit: 8 * 1024 * 1024,
    ...overrides,
  });
  const url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  return {
    t,
    up,
    sc,
    url,
    reset() {
      sc.scripts.clear();
      up.behave('*', {});
      sc.received.length = 0;
    },
    async close() {
      // fetch (undici) keeps the connection of an aborted stream in its pool: close it for the server.
      t.server.server.closeAllConnections();
      await t.close();
      await sc.close();
      await up.close();
    },
  };
}

export interface LlmStackOptions {
  /** Settings besides the outbound allowance to 127.0.0.1 (and, scripted, the 8 MiB body limit). */
  config?: Partial<Config>;
  /** The scripted provider in front of the fake one (startScriptedStack), reset after each test. */
  scripted?: boolean;
  /** YAML added to llmBundle, as botDailyLimit writes it. */
  extra?: string;
  /** The descriptors to apply instead of llmBundle(upstream, extra), given the provider's address. */
  bundle?: (upstreamUrl: string) => Array<{ path: string; content: string }>;
  /** The agent `key` belongs to (llm-bot unless named). */
  agent?: string;
  /** A fresh stack for every test (beforeEach/afterEach) instead of one for the describe block. */
  each?: boolean;
}

export interface LlmStack {
  t: TestServer;
  up: FakeUpstream;
  /** The scripted provider (only with `scripted`). */
  sc: Scripted;
  /** The server's address (it listens on 127.0.0.1). */
  url: string;
  /** A key of the agent (llm-bot unless `agent` names another). */
  key: string;
}

/**
 * The LLM gateway tests' start, registered as hooks of the enclosing describe block: a server on
 * `engine` listening on 127.0.0.1, its endpoints on the fake (or scripted) provider, the bundle
 * applied and a key; closed after the block (or each test), whatever failed. Its members are there
 * once the hooks ran.
 */
export function useLlmStack(engine: Engine, options: LlmStackOptions = {}): LlmStack {
  const { config = {}, scripted = false, agent = 'llm-bot' } = options;
  const bundle = options.bundle ?? ((upstream: string) => llmBundle(upstream, options.extra));
  let started: (Omit<LlmStack, 'sc'> & { sc?: Scripted }) | undefined;
  let stack: ScriptedStack | undefined;
  let close: (() => Promise<void>) | undefined;
  const start = async () => {
    if (scripted) {
      const s = await startScriptedStack(engine, config);
      stack = s;
      close = s.close;
      started = { t: s.t, up: s.up, sc: s.sc, url: s.url, key: await applyAndKey(s.t.server, bundle(s.sc.url), agent) };
      return;
    }
    const s = await startLlmStack(engine, config, bundle, agent);
    close = async () => {
      await s.t.close();
      await s.up.close();
    };
    started = s;
  };
  const stop = async () => {
    const closing = close;
    started = undefined;
    stack = undefined;
    close = undefined;
    await closing?.();
  };
  if (options.each) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
    if (scripted) afterEach(() => stack?.reset());
  }
  const get = <K extends keyof LlmStack>(name: K): LlmStack[K] => {
    const value = started?.[name];
    if (value === undefined) throw new Error(`the LLM stack's ${name} is used outside the tests of its describe block`);
    return value as LlmStack[K];
  };
  return {
    get t() {
      return get('t');
    },
    get up() {
      return get('up');
    },
    get sc() {
      return get('sc');
    },
    get url() {
      return get('url');
    },
    get key() {
      return get('key');
    },
  };
}

/** An agent's own OpenTelemetry span of a gw-chat call, as its instrumentation exports it: one
 *  millisecond long, with the provider's response id and the tokens it counted. */
export function clientChatSpan(o: {
  traceId: string;
  spanId: string;
  responseId: string;
  tokens: { input: number; output: number };
  /** When the span starts (default now). */
  atMs?: number;
}) {
  const now = o.atMs ?? Date.now();
  return otlpExport([
    {
      traceId: o.traceId,
      spanId: o.spanId,
      name: 'chat gw-chat',
      startMs: now,
      endMs: now + 1,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gw-chat',
        'gen_ai.response.id': o.responseId,
        'gen_ai.usage.input_tokens': o.tokens.input,
        'gen_ai.usage.output_tokens': o.tokens.output,
      },
    },
  ]);
}

/** A SpendLimit (`bot-daily` unless named) on llm-bot, a day at a time, as YAML to add to llmBundle. */
export function botDailyLimit(amountUsd: number, name = 'bot-daily'): string {
  return `
apiVersion: fulcrum/v1
kind: SpendLimit
metadata: { name: ${name} }
spec:
  scope: { agent: llm-bot }
  period: day
  amountUsd: ${amountUsd}
`;
}

/** Another llm-caller agent on support-deflection with a daily SpendLimit `<name>-daily`, as YAML to add to llmBundle. */
export function limitedAgent(name: string, amountUsd: number, enforce: 'block' | 'alert' = 'block'): string {
  return `
apiVersion: fulcrum/v1
kind: Agent
metadata: { name: ${name} }
spec:
  initiative: support-deflection
  archetype: llm-caller
  owner: dana.lee
---
apiVersion: fulcrum/v1
kind: SpendLimit
metadata: { name: ${name}-daily }
spec:
  scope: { agent: ${name} }
  period: day
  amountUsd: ${amountUsd}
  enforce: ${enforce}
---`;
}
