// The registry's kinds as the Registry page shows them: each kind's list route (typed by the
// generated client, so a kind the API does not have is a compile error), its heading, and the few spec
// fields that say what an object is at a glance. The whole descriptor is one click away.

/** A column: its heading and the spec field it shows (a dotted path into `spec`). */
export type FactColumn = readonly [heading: string, field: string];

export const REGISTRY_KINDS = [
  {
    kind: 'Initiative',
    plural: 'initiatives',
    label: 'Initiatives',
    path: '/v1/initiatives',
    facts: [
      ['Title', 'title'],
      ['Stage', 'stage'],
      ['Declared risk tier', 'riskTier'],
      ['Owner', 'owner'],
    ],
  },
  {
    kind: 'Agent',
    plural: 'agents',
    label: 'Agents',
    path: '/v1/agents',
    facts: [
      ['Initiative', 'initiative'],
      ['Archetype', 'archetype'],
      ['Owner', 'owner'],
      ['Status', 'status'],
    ],
  },
  {
    kind: 'Archetype',
    plural: 'archetypes',
    label: 'Archetypes',
    path: '/v1/archetypes',
    facts: [
      ['Autonomy', 'autonomy'],
      ['Tools', 'tools'],
      ['Models', 'models'],
    ],
  },
  {
    kind: 'Tool',
    plural: 'tools',
    label: 'Tools',
    path: '/v1/tools',
    facts: [
      ['System', 'system'],
      ['Effect', 'effect'],
      ['Data domains', 'dataDomains'],
    ],
  },
  {
    kind: 'Model',
    plural: 'models',
    label: 'Models',
    path: '/v1/models',
    facts: [
      ['Provider', 'provider'],
      ['Hosting', 'hosting'],
      ['Status', 'status'],
      ['Up to', 'maxClassification'],
    ],
  },
  {
    kind: 'ModelEndpoint',
    plural: 'model-endpoints',
    label: 'Model endpoints',
    path: '/v1/model-endpoints',
    facts: [
      ['API', 'api'],
      ['Base URL', 'baseUrl'],
    ],
  },
  {
    kind: 'McpServer',
    plural: 'mcp-servers',
    label: 'MCP servers',
    path: '/v1/mcp-servers',
    facts: [
      ['Transport', 'transport'],
      ['URL', 'url'],
      ['Command', 'command'],
    ],
  },
  {
    kind: 'DataDomain',
    plural: 'data-domains',
    label: 'Data domains',
    path: '/v1/data-domains',
    facts: [
      ['Owner', 'owner'],
      ['Classification', 'classification'],
      ['Regions', 'regions'],
      ['Production-ready', 'maturity.productionReady'],
    ],
  },
  {
    kind: 'ComputePool',
    plural: 'compute-pools',
    label: 'Compute pools',
    path: '/v1/compute-pools',
    facts: [
      ['Region', 'region'],
      ['Unit', 'unit'],
      ['Capacity', 'capacity'],
      ['Forecast demand', 'forecastDemand'],
    ],
  },
  {
    kind: 'Policy',
    plural: 'policies',
    label: 'Policies',
    path: '/v1/policies',
    facts: [
      ['Mode', 'mode'],
      ['Description', 'description'],
    ],
  },
  {
    kind: 'Budget',
    plural: 'budgets',
    label: 'Budgets',
    path: '/v1/budgets',
    facts: [
      ['From', 'period.from'],
      ['To', 'period.to'],
      ['Currency', 'currency'],
    ],
  },
  {
    kind: 'SpendLimit',
    plural: 'spend-limits',
    label: 'Spend limits',
    path: '/v1/spend-limits',
    facts: [
      ['Period', 'period'],
      ['Amount (USD)', 'amountUsd'],
      ['Enforce', 'enforce'],
    ],
  },
  {
    kind: 'Monitor',
    plural: 'monitors',
    label: 'Monitors',
    path: '/v1/monitors',
    facts: [
      ['Metric', 'metric'],
      ['Agent', 'agent'],
      ['Initiative', 'initiative'],
    ],
  },
  {
    kind: 'TelemetryCollector',
    plural: 'telemetry-collectors',
    label: 'Telemetry collectors',
    path: '/v1/telemetry-collectors',
    facts: [
      ['Owner', 'owner'],
      ['Agents', 'agents'],
    ],
  },
  {
    kind: 'BusinessUnit',
    plural: 'business-units',
    label: 'Business units',
    path: '/v1/business-units',
    facts: [
      ['Title', 'title'],
      ['Owner', 'owner'],
    ],
  },
  {
    kind: 'Person',
    plural: 'people',
    label: 'People',
    path: '/v1/people',
    facts: [
      ['Name', 'displayName'],
      ['Roles', 'roles'],
      ['Business unit', 'businessUnit'],
    ],
  },
] as const satisfies ReadonlyArray<{
  kind: string;
  plural: string;
  label: string;
  path: `/v1/${string}`;
  facts: readonly FactColumn[];
}>;

export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The kind a change names (as recorded: a kind since removed has none). */
export function kindNamed(kind: string): RegistryKind | undefined {
  return REGISTRY_KINDS.find((k) => k.kind === kind);
}

/** The hash that selects an object on the Registry page: `<plural>/<name>`. */
export function registryHash(k: RegistryKind, name: string): string {
  return `${k.plural}/${name}`;
}

/**
 * A spec field as text: a list joined, a yes/no, a number as written; undefined when the spec does
 * not say (shown as such, never as an empty cell that reads like an empty value).
 */
export function fact(spec: unknown, field: string): string | undefined {
  let v: unknown = spec;
  for (const part of field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
