// Every migration, in order. Migrations are timestamped and never edited once they land:
// a breaking change is a new migration (expand, then contract).
import type { Migration } from 'kysely';
import type { DialectAdapter } from '../adapter.js';
import * as m20261128T1200 from './20261128T1200-registry.js';
import * as m20261128T1400 from './20261128T1400-guard.js';
import * as m20261128T1600 from './20261128T1600-evidence.js';
import * as m20261128T1800 from './20261128T1800-incidents.js';
import * as m20261128T1900 from './20261128T1900-risk.js';
import * as m20261128T2000 from './20261128T2000-reviews.js';
import * as m20261128T2100 from './20261128T2100-retention.js';
import * as m20261128T2200 from './20261128T2200-spend.js';
import * as m20261128T2300 from './20261128T2300-incident-dedupe.js';
import * as m20261201T2300 from './20261201T2300-trust-boundaries.js';
import * as m20261201T2310 from './20261201T2310-telemetry-attribution.js';
import * as m20261201T2320 from './20261201T2320-audit-proof.js';
import * as m20261202T0100 from './20261202T0100-approval-joining.js';
import * as m20261202T0110 from './20261202T0110-console-sessions.js';
import * as m20261202T0120 from './20261202T0120-span-layout.js';
import * as m20261202T0130 from './20261202T0130-llm-gateway.js';
import * as m20261203T0100 from './20261203T0100-task-models.js';
import * as m20261204T0100 from './20261204T0100-task-traces-unindexed.js';
import * as m20261204T0110 from './20261204T0110-llm-reservations-compact.js';
import * as m20261204T0120 from './20261204T0120-mcp-untraced-pairing.js';
import * as m20261204T0130 from './20261204T0130-gateway-inference-wins.js';
import * as m20261205T0100 from './20261205T0100-initiative-stewards.js';
import * as m20261206T0100 from './20261206T0100-unpriced-service-tier.js';
import * as m20261207T0100 from './20261207T0100-audit-chains-retirable.js';
import * as m20261208T0100 from './20261208T0100-session-issuer.js';
import * as m20261208T0110 from './20261208T0110-span-identity.js';
import * as m20261208T0120 from './20261208T0120-approval-key-issuer.js';
import * as m20261209T0100 from './20261209T0100-one-open-review.js';
import * as m20261210T0100 from './20261210T0100-evidence-token-sums.js';
import * as m20261210T0110 from './20261210T0110-task-duration-bigint.js';
import * as m20261211T0100 from './20261211T0100-unbooked-event-identity.js';
import * as m20261211T0110 from './20261211T0110-spend-imports.js';
import * as m20261212T0100 from './20261212T0100-agent-departures.js';
import * as m20261212T0110 from './20261212T0110-task-events-ended.js';
import * as m20261212T0120 from './20261212T0120-approvals-pending-agent.js';
import * as m20261213T0100 from './20261213T0100-agent-departures-agent.js';
import * as m20261213T0140 from './20261213T0140-incidents-opened.js';
import * as m20261214T0150 from './20261214T0150-rollup-folded.js';
import * as m20261215T0100 from './20261215T0100-approval-revoked.js';
import * as m20261216T0100 from './20261216T0100-client-binders.js';
import * as m20261217T0100 from './20261217T0100-approval-agent-removed.js';
import * as m20261218T0100 from './20261218T0100-credential-revoked-by.js';
import * as m20261219T0500 from './20261219T0500-registry-lone-surrogates.js';
import * as m20261219T0510 from './20261219T0510-spans-unidentified-pairing.js';
import * as m20261220T0100 from './20261220T0100-spans-embeddings-pairing.js';
import * as m20261220T0110 from './20261220T0110-spans-llm-paired.js';
import * as m20261222T0140 from './20261222T0140-spans-usage-without-id.js';

const all: Record<string, { up(adapter: DialectAdapter): Migration['up'] }> = {
  '20261128T1200-registry': m20261128T1200,
  '20261128T1400-guard': m20261128T1400,
  '20261128T1600-evidence': m20261128T1600,
  '20261128T1800-incidents': m20261128T1800,
  '20261128T1900-risk': m20261128T1900,
  '20261128T2000-reviews': m20261128T2000,
  '20261128T2100-retention': m20261128T2100,
  '20261128T2200-spend': m20261128T2200,
  '20261128T2300-incident-dedupe': m20261128T2300,
  '20261201T2300-trust-boundaries': m20261201T2300,
  '20261201T2310-telemetry-attribution': m20261201T2310,
  '20261201T2320-audit-proof': m20261201T2320,
  '20261202T0100-approval-joining': m20261202T0100,
  '20261202T0110-console-sessions': m20261202T0110,
  '20261202T0120-span-layout': m20261202T0120,
  '20261202T0130-llm-gateway': m20261202T0130,
  '20261203T0100-task-models': m20261203T0100,
  '20261204T0100-task-traces-unindexed': m20261204T0100,
  '20261204T0110-llm-reservations-compact': m20261204T0110,
  '20261204T0120-mcp-untraced-pairing': m20261204T0120,
  '20261204T0130-gateway-inference-wins': m20261204T0130,
  '20261205T0100-initiative-stewards': m20261205T0100,
  '20261206T0100-unpriced-service-tier': m20261206T0100,
  '20261207T0100-audit-chains-retirable': m20261207T0100,
  '20261208T0100-session-issuer': m20261208T0100,
  '20261208T0110-span-identity': m20261208T0110,
  '20261208T0120-approval-key-issuer': m20261208T0120,
  '20261209T0100-one-open-review': m20261209T0100,
  '20261210T0100-evidence-token-sums': m20261210T0100,
  '20261210T0110-task-duration-bigint': m20261210T0110,
  '20261211T0100-unbooked-event-identity': m20261211T0100,
  '20261211T0110-spend-imports': m20261211T0110,
  '20261212T0100-agent-departures': m20261212T0100,
  '20261212T0110-task-events-ended': m20261212T0110,
  '20261212T0120-approvals-pending-agent': m20261212T0120,
  '20261213T0100-agent-departures-agent': m20261213T0100,
  '20261213T0140-incidents-opened': m20261213T0140,
  '20261214T0150-rollup-folded': m20261214T0150,
  '20261215T0100-approval-revoked': m20261215T0100,
  '20261216T0100-client-binders': m20261216T0100,
  '20261217T0100-approval-agent-removed': m20261217T0100,
  '20261218T0100-credential-revoked-by': m20261218T0100,
  '20261219T0500-registry-lone-surrogates': m20261219T0500,
  '20261219T0510-spans-unidentified-pairing': m20261219T0510,
  '20261220T0100-spans-embeddings-pairing': m20261220T0100,
  '20261220T0110-spans-llm-paired': m20261220T0110,
  '20261222T0140-spans-usage-without-id': m20261222T0140,
};

export function migrationsFor(adapter: DialectAdapter): Record<string, Migration> {
  return Object.fromEntries(Object.entries(all).map(([name, m]) => [name, { up: m.up(adapter) }]));
}
