// Assembles Fulcrum from its parts: database, migrations, services. The HTTP server and the
// CLI both start from here.
import path from 'node:path';
import { type AdminToken, setupAdminToken } from './auth/admin-token.js';
import { type AuthService, createAuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/adapter.js';
import { migrateToLatest } from './db/migrate.js';
import { createEvidenceService, type EvidenceService } from './evidence/evidence-service.js';
import { createEvidenceExport, type EvidenceExportService } from './governance/evidence-export.js';
import { createIncidentService, type IncidentService } from './governance/incidents.js';
import { createMonitorService, type MonitorService } from './governance/monitors.js';
import { createRetentionService, type RetentionService } from './governance/retention.js';
import { createReviewService, type ReviewService } from './governance/reviews.js';
import { createRiskService, latestTiers, type RiskService } from './governance/risk.js';
import { createGuardService, type GuardService } from './guard/guard-service.js';
import { createInsightService, type InsightService } from './insight/insight-service.js';
import { createSpendService, type SpendService } from './insight/spend.js';
import { createRegistryService, type RegistryService } from './registry/registry-service.js';
import { createRegistryStore } from './registry/registry-store.js';

export interface App {
  config: Config;
  database: DatabaseHandle;
  registry: RegistryService;
  auth: AuthService;
  guard: GuardService;
  evidence: EvidenceService;
  incidents: IncidentService;
  risk: RiskService;
  reviews: ReviewService;
  monitors: MonitorService;
  retention: RetentionService;
  evidenceExport: EvidenceExportService;
  insight: InsightService;
  spend: SpendService;
  adminToken: AdminToken;
  close(): Promise<void>;
}

export function openConfiguredDatabase(config: Config): DatabaseHandle {
  return openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'fulcrum.db') });
}

export async function createApp(config: Config, database: DatabaseHandle = openConfiguredDatabase(config)): Promise<App> {
  await migrateToLatest(database);
  const { db } = database;
  const adminToken = await setupAdminToken(db, { fixed: config.adminToken, dataDir: config.dataDir });
  const registry = createRegistryService({ db });
  const guard = await createGuardService(db, { approvalTtlMs: config.approvalTtlSeconds * 1000, pollMs: 250 });
  registry.onChange(() => guard.invalidate());
  const evidence = createEvidenceService({
    db,
    registry: () => guard.registry(),
    recordShadow: (identity, source, detail) => guard.recordShadow(identity, source, detail),
  });
  const incidents = createIncidentService({ db, registry: () => guard.registry(), recordAct: guard.recordAct });
  const risk = createRiskService({
    db,
    registry: () => guard.registry(),
    recordAct: guard.recordAct,
    onChange: () => guard.invalidate(),
  });
  const reviews = createReviewService({
    db,
    // Reviews read the registry as committed (not a node's cached view): they write the stage back.
    registry: () => registry.snapshot(),
    registryService: registry,
    // The tier in force: the latest assessment, else the descriptor's.
    riskTier: async (i) => (await latestTiers(db)).get(i) ?? (await registry.snapshot()).get('Initiative', i)?.spec.riskTier,
    recordAct: guard.recordAct,
  });
  const monitors = createMonitorService({
    db,
    registry: () => guard.registry(),
    incidents,
    suspend: async (agent, reason) => {
      await guard.setSuspended({ type: 'system', id: 'monitors' }, agent, true, reason);
    },
  });
  monitors.start(config.monitorIntervalSeconds * 1000);
  const retention = createRetentionService({ db, registry: () => registry.snapshot() });
  retention.start(config.retentionIntervalHours * 3_600_000);
  const evidenceExport = createEvidenceExport({
    db,
    registry: () => registry.snapshot(),
    policies: () => guard.effectivePolicies({ type: 'system', id: 'evidence-export' }),
    risk,
    reviews,
    incidents,
    monitors,
  });
  const insight = createInsightService({
    db,
    registry: () => guard.registry(),
    agentStatus: (agent) => guard.agentStatus(agent).effective,
    overdueSeriousIncidents: () => incidents.overdueCount(),
    incidents: () => incidents.list({ type: 'system', id: 'report' }, { limit: 1000 }),
  });
  const auth = createAuthService({
    db,
    registryStore: createRegistryStore(db),
    adminTokenHash: adminToken.hash,
    onAgentKeysChanged: () => guard.invalidate(),
  });
  return {
    config,
    database,
    registry,
    auth,
    guard,
    evidence,
    incidents,
    risk,
    reviews,
    monitors,
    retention,
    evidenceExport,
    insight,
    spend: createSpendService({ db, registry: () => registry.snapshot() }),
    adminToken,
    async close() {
      monitors.stop();
      retention.stop();
      await guard.close();
      await database.destroy();
    },
  };
}
