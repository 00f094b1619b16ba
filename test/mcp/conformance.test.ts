// @modelcontextprotocol/conformance 0.1.13's server scenarios (all 2025-era) against /mcp, through
// the real CLI of the package (conformance-support.ts sets up the target). Which scenarios pass, and
// why the others cannot, is pinned below and in docs/mcp.md. 2026-07-28's scenarios, in the 0.2.0
// prereleases, are in conformance-2026.test.ts. SQLite only: the suite exercises the protocol, not
// storage (the gateway tests cover both engines).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/process.js';
import {
  type Check,
  type ConformanceTarget,
  NO_RELAY,
  notPassing,
  runScenarios,
  startConformanceTarget,
  TOOLS_ONLY,
} from './conformance-support.js';

const CLI = path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

/** Scenarios the gateway passes: the protocol basics and every tool-result shape, relayed. */
const PASS = [
  'server-initialize',
  'ping',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-error',
  'json-schema-2020-12',
  'dns-rebinding-protection',
  'tools-call-with-progress',
];

/** Scenarios it does not pass, and why (docs/mcp.md lists the same). */
const NOT_PASSING: Record<string, string> = {
  'logging-set-level': TOOLS_ONLY,
  'completion-complete': TOOLS_ONLY,
  'resources-list': TOOLS_ONLY,
  'resources-read-text': TOOLS_ONLY,
  'resources-read-binary': TOOLS_ONLY,
  'resources-templates-read': TOOLS_ONLY,
  'resources-subscribe': TOOLS_ONLY,
  'resources-unsubscribe': TOOLS_ONLY,
  'prompts-list': TOOLS_ONLY,
  'prompts-get-simple': TOOLS_ONLY,
  'prompts-get-with-args': TOOLS_ONLY,
  'prompts-get-embedded-resource': TOOLS_ONLY,
  'prompts-get-with-image': TOOLS_ONLY,
  'tools-call-with-logging': `${NO_RELAY} (log notifications; and no logging capability)`,
  'tools-call-sampling': `${NO_RELAY} (an upstream's sampling request)`,
  'tools-call-elicitation': `${NO_RELAY} (an upstream's elicitation request)`,
  'elicitation-sep1034-defaults': `${NO_RELAY} (elicitation)`,
  'elicitation-sep1330-enums': `${NO_RELAY} (elicitation)`,
  'server-sse-polling': 'stateless by design (multi-node): no session id, JSON responses; the suite warns',
  'server-sse-multiple-streams': 'stateless by design (multi-node): no session id, JSON responses; the suite warns',
};

describe('MCP conformance (server scenarios against /mcp)', () => {
  let target: ConformanceTarget;
  let results: Map<string, Check[]>;

  beforeAll(async () => {
    target = await startConformanceTarget();
    results = await runScenarios(process.execPath, CLI, target.url, ['--suite', 'all']);
  }, 150_000);
  afterAll(async () => target?.close());

  it('runs every server scenario the package has, and this file accounts for each', () => {
    expect([...results.keys()].sort()).toEqual([...PASS, ...Object.keys(NOT_PASSING)].sort());
  });

  it.each(PASS)('%s passes', (scenario) => {
    const checks = results.get(scenario) ?? [];
    expect(notPassing(checks), JSON.stringify(notPassing(checks), null, 2)).toEqual([]);
    expect(checks.filter((c) => c.status === 'SUCCESS').length).toBeGreaterThan(0);
  });

  it.each(Object.entries(NOT_PASSING))('%s does not pass: %s', (scenario) => {
    expect(notPassing(results.get(scenario) ?? []).length).toBeGreaterThan(0);
  });
});
