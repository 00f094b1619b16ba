// The descriptor kinds: their URL plural, spec schema, the references each spec makes,
// and checks a JSON Schema cannot express.

import type { TSchema } from '@sinclair/typebox';
import type { Problem } from '../errors.js';
import { checkModelEndpoint } from '../llm/endpoint-spec.js';
import { scanParamHeaders } from '../mcp/param-headers.js';
import { argumentsDepth, MAX_ARGUMENTS_DEPTH } from '../policy/cedar-schema.js';
import { schemaCompilers } from './json-schema.js';
import { checkMcpServer } from './mcp-server.js';
import * as S from './schemas.js';

export const KINDS = [
  'BusinessUnit',
  'Person',
  'DataDomain',
  'ModelEndpoint',
  'Model',
  'Tool',
  'Archetype',
  'Initiative',
  'Agent',
  'Policy',
  'Budget',
  'SpendLimit',
  'ComputePool',
  'McpServer',
  'Monitor',
  'TelemetryCollector',
] as const;
export type Kind = (typeof KINDS)[number];

export interface SpecByKind {
  BusinessUnit: S.BusinessUnitSpec;
  Person: S.PersonSpec;
  DataDomain: S.DataDomainSpec;
  ModelEndpoint: S.ModelEndpointSpec;
  Model: S.ModelSpec;
  Tool: S.ToolSpec;
  Archetype: S.ArchetypeSpec;
  Initiative: S.InitiativeSpec;
  Agent: S.AgentSpec;
  Policy: S.PolicySpec;
  Budget: S.BudgetSpec;
  SpendLimit: S.SpendLimitSpec;
  ComputePool: S.ComputePoolSpec;
  McpServer: S.McpServerSpec;
  Monitor: S.MonitorSpec;
  TelemetryCollector: S.TelemetryCollectorSpec;
}

/** A spec field naming another registry object. `path` is a JSON pointer from the descriptor root. */
export interface Reference {
  path: string;
  kind: Kind;
  name: string;
}

interface KindInfo<K extends Kind> {
  plural: string;
  schema: TSchema;
  references(spec: SpecByKind[K]): Reference[];
  /** Rules beyond the schema; problems carry paths from the descriptor root. */
  check?(spec: SpecByKind[K]): Problem[];
  /**
   * Names a fixed route of the collection takes (`/v1/<plural>/<name>`), each with what that route
   * is: an object so named could be written and never read back (test/http/reserved-names.test.ts
   * holds this to the routes the server registers).
   */
  reservedNames?: Readonly<Record<string, string>>;
}

const one = (path: string, kind: Kind, name: string | undefined): Reference[] => (name ? [{ path, kind, name }] : []);
const many = (path: string, kind: Kind, names: readonly string[]): Reference[] =>
  names.map((name, i) => ({ path: `${path}/${i}`, kind, name }));

// Compiles each Tool's `arguments` to prove it is a JSON Schema (in the dialect it names); strict
// mode off because upstream MCP servers use keywords (and formats) Ajv's strict mode rejects.
const schemaChecker = schemaCompilers({ strict: false, validateFormats: false });

// Every apply re-checks every Tool of its bundle; a schema's verdict is kept by its text, so only a
// new or changed schema is compiled (compiling all of examples/acme's held the event loop ~10 ms).
const verdicts = new Map<string, Problem[]>();
function checkArguments(schema: Record<string, unknown>): Problem[] {
  const key = JSON.stringify(schema); // the same text in another key order is only a miss
  let problems = verdicts.get(key);
  if (!problems) {
    try {
      schemaChecker.check(schema);
      // An MCP client refuses a tool whose x-mcp-header declarations break the spec's rules.
      const headers = scanParamHeaders(schema);
      problems = 'problem' in headers ? [{ path: '/spec/arguments', message: headers.problem }] : [];
      // It types context.arguments in the Cedar schema generated from the registry, which cedar-wasm
      // cannot read past a depth: every Policy write would be refused, naming no Tool.
      const depth = argumentsDepth(schema);
      if (depth > MAX_ARGUMENTS_DEPTH)
        problems.push({
          path: '/spec/arguments',
          message: `nests ${depth} levels of objects and arrays that policies read (context.arguments); at most ${MAX_ARGUMENTS_DEPTH}, as deep as the Cedar schema can hold`,
        });
    } catch (err) {
      problems = [{ path: '/spec/arguments', message: `not a valid JSON Schema: ${(err as Error).message}` }];
    }
    if (verdicts.size >= 5000) verdicts.clear(); // bounded: a registry has far fewer distinct schemas
    verdicts.set(key, problems);
  }
  return problems;
}

/**
 * A long-context rate below its base rate is refused: the LLM gateway reserves a call's worst case at
 * its input bound, which is then billed at the long-context rates, and that is the most the call can
 * cost only if a call over the threshold costs at least what one under it does (each rate, a cache's
 * default included, at least the base one).
 */
function longContextProblems(p: S.ModelSpec['pricing'][number], path: string): Problem[] {
  const long = p.longContext;
  if (!long) return [];
  const pairs: Array<[keyof typeof long & string, number, number]> = [
    ['inputPerMillion', long.inputPerMillion, p.inputPerMillion],
    ['outputPerMillion', long.outputPerMillion, p.outputPerMillion],
    ['cachedInputPerMillion', long.cachedInputPerMillion ?? long.inputPerMillion, p.cachedInputPerMillion ?? p.inputPerMillion],
    [
      'cacheWriteInputPerMillion',
      long.cacheWriteInputPerMillion ?? long.inputPerMillion,
      p.cacheWriteInputPerMillion ?? p.inputPerMillion,
    ],
  ];
  return pairs
    .filter(([, longRate, base]) => longRate < base)
    .map(([field, longRate, base]) => ({
      path: `${path}/${field}`,
      message: `the long-context ${field} (${longRate}) is below the base one (${base}): a call over the threshold must cost at least what one under it does`,
    }));
}

export const KIND_INFO: { [K in Kind]: KindInfo<K> } = {
  BusinessUnit: {
    plural: 'business-units',
    schema: S.BusinessUnitSpec,
    references: (s) => one('/spec/owner', 'Person', s.owner),
  },
  Person: {
    plural: 'people',
    schema: S.PersonSpec,
    references: (s) => one('/spec/businessUnit', 'BusinessUnit', s.businessUnit),
  },
  DataDomain: {
    plural: 'data-domains',
    schema: S.DataDomainSpec,
    references: (s) => one('/spec/owner', 'Person', s.owner),
  },
  ModelEndpoint: { plural: 'model-endpoints', schema: S.ModelEndpointSpec, references: () => [], check: checkModelEndpoint },
  Model: {
    plural: 'models',
    schema: S.ModelSpec,
    references: (s) => one('/spec/endpoint', 'ModelEndpoint', s.endpoint),
    check: (s) => {
      const seen = new Set<string>();
      return s.pricing.flatMap((p, i) => {
        const key = `${p.from}/${p.currency}`;
        if (seen.has(key))
          return [{ path: `/spec/pricing/${i}/from`, message: `two prices start on ${p.from} in ${p.currency}` }];
        seen.add(key);
        return longContextProblems(p, `/spec/pricing/${i}/longContext`);
      });
    },
  },
  Tool: {
    plural: 'tools',
    schema: S.ToolSpec,
    references: (s) => many('/spec/dataDomains', 'DataDomain', s.dataDomains),
    check: (s) => {
      const args = s.arguments as { type?: unknown };
      if (args.type !== 'object')
        return [{ path: '/spec/arguments/type', message: 'arguments must be a JSON Schema of type "object"' }];
      return checkArguments(s.arguments);
    },
  },
  Archetype: {
    plural: 'archetypes',
    schema: S.ArchetypeSpec,
    references: (s) => [
      ...many('/spec/tools', 'Tool', s.tools),
      ...many('/spec/dataDomains', 'DataDomain', s.dataDomains),
      ...many('/spec/models', 'Model', s.models),
    ],
  },
  Initiative: {
    plural: 'initiatives',
    schema: S.InitiativeSpec,
    references: (s) => [
      ...one('/spec/owner', 'Person', s.owner),
      ...one('/spec/businessUnit', 'BusinessUnit', s.businessUnit),
      ...one('/spec/oversightOwner', 'Person', s.oversightOwner),
      ...one('/spec/incidentOwner', 'Person', s.incidentOwner),
    ],
    check: (s) => {
      const problems: Problem[] = [];
      const names = new Set<string>();
      s.outcomes.forEach((o, i) => {
        if (names.has(o.name))
          problems.push({ path: `/spec/outcomes/${i}/name`, message: `outcome "${o.name}" is listed twice` });
        names.add(o.name);
        if (o.source === 'avg_handle_time' && S.durationUnitMs(o.unit) === null)
          problems.push({
            path: `/spec/outcomes/${i}/unit`,
            message: `avg_handle_time unit "${o.unit}" is not one Fulcrum reads: use one of ${S.DURATION_UNITS.map((u) => u.spellings.join(', ')).join('; ')} (optionally followed by /task, e.g. minutes/ticket)`,
          });
        const currency = o.source === 'cost_per_resolved_task' ? S.foreignCurrencyOf(o.unit) : undefined;
        if (currency !== undefined)
          problems.push({
            path: `/spec/outcomes/${i}/unit`,
            message: `cost_per_resolved_task is measured in USD: unit "${o.unit}" is in ${currency} (write USD, or USD/ticket; Fulcrum converts no currency)`,
          });
        if (!S.RATE_SOURCES.has(o.source)) return;
        for (const [field, v] of [
          ['baseline/value', o.baseline.value],
          ['target', o.target],
        ] as const) {
          if (v < 0 || v > 1)
            problems.push({ path: `/spec/outcomes/${i}/${field}`, message: `${o.source} is a fraction from 0 to 1, got ${v}` });
        }
      });
      return problems;
    },
  },
  Agent: {
    plural: 'agents',
    schema: S.AgentSpec,
    references: (s) => [
      ...one('/spec/initiative', 'Initiative', s.initiative),
      ...one('/spec/archetype', 'Archetype', s.archetype),
      ...many('/spec/extraTools', 'Tool', s.extraTools),
      ...one('/spec/owner', 'Person', s.owner),
    ],
  },
  Policy: {
    plural: 'policies',
    schema: S.PolicySpec,
    references: () => [],
    reservedNames: { effective: 'GET /v1/policies/effective is every policy in force' },
  },
  Budget: {
    plural: 'budgets',
    schema: S.BudgetSpec,
    references: (s) => [
      ...s.allocations.flatMap((a, i) => one(`/spec/allocations/${i}/initiative`, 'Initiative', a.initiative)),
      ...s.actuals.flatMap((a, i) => one(`/spec/actuals/${i}/initiative`, 'Initiative', a.initiative)),
    ],
    check: (s) => {
      const problems: Problem[] = [];
      if (s.period.to < s.period.from)
        problems.push({ path: '/spec/period/to', message: `period ends (${s.period.to}) before it starts (${s.period.from})` });
      s.actuals.forEach((a, i) => {
        if (a.date < s.period.from || a.date > s.period.to)
          problems.push({ path: `/spec/actuals/${i}/date`, message: `${a.date} is outside the budget period` });
      });
      return problems;
    },
  },
  SpendLimit: {
    plural: 'spend-limits',
    schema: S.SpendLimitSpec,
    references: (s) => [
      ...one('/spec/scope/agent', 'Agent', s.scope.agent),
      ...one('/spec/scope/initiative', 'Initiative', s.scope.initiative),
      ...one('/spec/scope/businessUnit', 'BusinessUnit', s.scope.businessUnit),
    ],
  },
  ComputePool: { plural: 'compute-pools', schema: S.ComputePoolSpec, references: () => [] },
  McpServer: {
    plural: 'mcp-servers',
    schema: S.McpServerSpec,
    references: () => [],
    check: checkMcpServer,
  },
  Monitor: {
    plural: 'monitors',
    schema: S.MonitorSpec,
    reservedNames: {
      status: "GET /v1/monitors/status is every monitor's last evaluation",
      evaluate: 'POST /v1/monitors/evaluate evaluates every monitor',
    },
    references: (s) => [
      ...one('/spec/agent', 'Agent', s.agent),
      ...one('/spec/initiative', 'Initiative', s.initiative),
      ...one('/spec/budget', 'Budget', s.budget),
    ],
    check: (s) => {
      const problems: Problem[] = [];
      if (s.agent && s.initiative)
        problems.push({ path: '/spec/initiative', message: 'scope a monitor to an agent or an initiative, not both' });
      if (s.suspendOnBreach && s.severity !== 'sev1')
        problems.push({ path: '/spec/suspendOnBreach', message: 'only a sev1 monitor may suspend agents' });
      else if (s.suspendOnBreach && !s.agent && !s.initiative)
        problems.push({
          path: '/spec/suspendOnBreach',
          message: 'a fleet-wide monitor (no agent, no initiative) may not suspend: scope it to an agent or an initiative',
        });
      if (S.windowMs(s.window) > S.MAX_MONITOR_WINDOW_MS)
        problems.push({ path: '/spec/window', message: `a window of at most 366d (${s.window} is longer)` });
      if (['deny_rate', 'approval_rate', 'error_rate', 'escalation_rate'].includes(s.metric) && s.threshold > 1)
        problems.push({ path: '/spec/threshold', message: `${s.metric} is a fraction from 0 to 1` });
      return problems;
    },
  },
  TelemetryCollector: {
    plural: 'telemetry-collectors',
    schema: S.TelemetryCollectorSpec,
    references: (s) => [...one('/spec/owner', 'Person', s.owner), ...many('/spec/agents', 'Agent', s.agents)],
  },
};

export const KIND_BY_PLURAL: ReadonlyMap<string, Kind> = new Map(KINDS.map((k) => [KIND_INFO[k].plural, k]));

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

export function referencesOf<K extends Kind>(kind: K, spec: SpecByKind[K]): Reference[] {
  return KIND_INFO[kind].references(spec);
}
