// @modelcontextprotocol/conformance 0.2.0-alpha.12, the newest published build (a prerelease: its
// `latest` tag, 0.1.16, has no 2026-07-28 scenario), installed as `mcp-conformance-next`: its server
// scenarios for 2026-07-28 and for 2025-11-25 against /mcp, through its own CLI. Its CLI needs Node 22
// or later; on an older Node this file runs it with the Node 24 that scripts/node24.sh fetches (as
// .ci/run does for its second run). Each scenario's outcome is pinned to the check: a pass, or exactly
// which checks do not pass and why (the README and docs/mcp.md have the same table).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
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

const exec = promisify(execFile);
const CLI = path.join(ROOT, 'node_modules/mcp-conformance-next/dist/index.js');

const INPUT_REQUIRED = `${NO_RELAY}: the scenario's tools answer input_required, which the gateway turns into a tool error, so they are not offered`;

interface Pinned {
  /** Scenarios every check of which passes. */
  pass: string[];
  /** Scenarios the suite runs without a check that passes or fails (it found nothing to test). */
  skipped?: Record<string, string>;
  /** Scenarios that do not pass: exactly these checks, and why. */
  notPassing: Record<string, { checks: string[]; why: string }>;
}

const TOOL_SCENARIOS = [
  'tools-list',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-error',
  'tools-call-with-progress',
  'json-schema-2020-12',
  'dns-rebinding-protection',
];
/** The scenarios of both versions about what the gateway does not front: prompts, resources, completions. */
const BEYOND_TOOLS = [
  'completion-complete',
  'prompts-list',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
  'resources-list',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
];
const only = (scenario: string, why = TOOLS_ONLY) => ({ [scenario]: { checks: [scenario], why } });
const toolsOnly = (...scenarios: string[]) => Object.assign({}, ...scenarios.map((s) => only(s)));
const inputRequired = (pairs: Array<[string, string]>) =>
  Object.fromEntries(pairs.map(([s, check]) => [`input-required-result-${s}`, { checks: [check], why: INPUT_REQUIRED }]));

const PINNED: Record<'2026-07-28' | '2025-11-25', Pinned> = {
  '2026-07-28': {
    pass: [
      ...TOOL_SCENARIOS,
      'http-header-validation',
      'http-custom-header-server-validation',
      'server-sse-multiple-streams',
      'input-required-result-unsupported-methods',
      'input-required-result-validate-input',
    ],
    notPassing: {
      caching: {
        checks: [
          'sep-2549-prompts-list-caching-hints',
          'sep-2549-resources-list-caching-hints',
          'sep-2549-resources-templates-list-caching-hints',
        ],
        why: `tools/list carries the caching hints; ${TOOLS_ONLY}`,
      },
      'server-stateless': {
        checks: [
          'sep-2575-http-server-no-independent-requests-on-stream',
          'sep-2575-missing-capability-http-400',
          'sep-2575-server-no-log-without-loglevel',
          'sep-2575-server-rejects-undeclared-capability',
        ],
        why: `its other checks pass; these four need tools that ask the client for sampling or elicitation or send logs: ${NO_RELAY}`,
      },
      'sep-2164-resource-not-found': { checks: ['sep-2164-data-uri', 'sep-2164-error-code'], why: TOOLS_ONLY },
      ...toolsOnly(...BEYOND_TOOLS),
      ...inputRequired([
        ['basic-elicitation', 'sep-2322-elicitation-incomplete'],
        ['basic-sampling', 'sep-2322-sampling-incomplete'],
        ['basic-list-roots', 'sep-2322-list-roots-incomplete'],
        ['capability-check', 'sep-2322-respect-client-capabilities'],
        ['ignore-extra-params', 'sep-2322-ignore-unexpected-params'],
        ['missing-input-response', 'sep-2322-missing-response-rerequests'],
        ['multi-round', 'sep-2322-multi-round-r1'],
        ['multiple-input-requests', 'sep-2322-multiple-inputs-incomplete'],
        ['non-tool-request', 'sep-2322-non-tool-incomplete'],
        ['request-state', 'sep-2322-request-state-incomplete'],
        ['result-type', 'sep-2322-result-type-included'],
        ['tampered-state', 'sep-2322-reject-tampered-state'],
      ]),
    },
  },
  '2025-11-25': {
    pass: [...TOOL_SCENARIOS, 'server-initialize', 'ping'],
    skipped: { 'server-session-lifecycle': 'no session id, by design (any node serves any request): nothing to test' },
    notPassing: {
      'server-sse-polling': {
        checks: ['server-sse-polling-session'],
        why: 'stateless by design (several nodes): no session id, JSON responses; the suite warns',
      },
      'server-sse-multiple-streams': {
        checks: ['server-sse-multiple-streams-session'],
        why: 'stateless by design (several nodes): no session id, JSON responses; the suite warns',
      },
      ...only('tools-call-with-logging', `${NO_RELAY} (log notifications; and no logging capability)`),
      ...only('tools-call-sampling', NO_RELAY),
      ...only('tools-call-elicitation', NO_RELAY),
      'elicitation-sep1034-defaults': { checks: ['elicitation-sep1034-general'], why: NO_RELAY },
      'elicitation-sep1330-enums': { checks: ['elicitation-sep1330-general'], why: NO_RELAY },
      ...toolsOnly(...BEYOND_TOOLS, 'logging-set-level', 'resources-subscribe', 'resources-unsubscribe'),
    },
  },
};

/** A Node.js the CLI runs on: this one from 22 on, else the Node 24 scripts/node24.sh fetches (once). */
async function nodeForCli(): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const { stdout } = await exec('bash', [path.join(ROOT, 'scripts/node24.sh')], { timeout: 300_000 });
  return path.join(stdout.trim(), 'bin/node');
}

describe('MCP conformance 0.2.0-alpha.12 (server scenarios against /mcp)', () => {
  let target: ConformanceTarget;
  const results = new Map<string, Map<string, Check[]>>();

  beforeAll(async () => {
    const node = await nodeForCli();
    target = await startConformanceTarget();
    for (const version of Object.keys(PINNED))
      results.set(version, await runScenarios(node, CLI, target.url, ['--spec-version', version, '--suite', 'all']));
  }, 600_000);
  afterAll(async () => target?.close());

  describe.each(Object.entries(PINNED))('for %s', (version, pinned) => {
    const of = (scenario: string) => results.get(version)?.get(scenario) ?? [];

    it('runs every server scenario of the version, and this file accounts for each', () => {
      const accounted = [...pinned.pass, ...Object.keys(pinned.skipped ?? {}), ...Object.keys(pinned.notPassing)];
      expect([...(results.get(version)?.keys() ?? [])].sort()).toEqual(accounted.sort());
    });

    it.each(pinned.pass)('%s passes', (scenario) => {
      expect(notPassing(of(scenario)), JSON.stringify(notPassing(of(scenario)), null, 2)).toEqual([]);
      expect(of(scenario).filter((c) => c.status === 'SUCCESS').length).toBeGreaterThan(0);
    });

    it.each(Object.entries(pinned.skipped ?? {}))('%s finds nothing to test: %s', (scenario) => {
      expect(notPassing(of(scenario))).toEqual([]);
      expect(of(scenario).filter((c) => c.status === 'SUCCESS')).toEqual([]);
    });

    it.each(Object.entries(pinned.notPassing).map(([scenario, { checks, why }]) => [scenario, why, checks] as const))(
      '%s does not pass: %s',
      (scenario, _why, checks) => {
        expect([...new Set(notPassing(of(scenario)).map((c) => c.id))].sort()).toEqual([...checks].sort());
      },
    );
  });
});
