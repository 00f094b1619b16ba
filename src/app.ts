// Assembles Fulcrum from its parts: database, migrations, services. The HTTP server and the
// CLI both start from here.
import os from 'node:os';
import path from 'node:path';
import { type AdminToken, setupAdminToken } from './auth/admin-token.js';
import { type AuthService, createAuthService } from './auth/auth-service.js';
import type { Config } from './config.js';
import { type BackgroundCommit, backgroundCommit, type DatabaseHandle, type DeferredSync, openDatabase } from './db/adapter.js';
import { migrateToLatest } from './db/migrate.js';
import { createEvidenceService, type EvidenceService } from './evidence/evidence-service.js';
import { createEvidenceExport, type EvidenceExportService } from './governance/evidence-export.js';
import { createIncidentService, type IncidentService } from './governance/incidents.js';
import { createMonitorService, type MonitorService } from './governance/monitors.js';
import {
  createRetentionService,
  evidenceKeptDays,
  type RetentionService,
  readPurgedUpTo,
  readRetention,
} from './governance/retention.js';
import { createReviewService, type ReviewService } from './governance/reviews.js';
import { createRiskService, latestTiers, type RiskService } from './governance/risk.js';
import { type Checkpointer, createCheckpointer, missingKeyProblem, startMessage } from './guard/audit-checkpoint.js';
import { type AuditSigner, loadOrCreateAuditKey, readPublicKey } from './guard/audit-key.js';
import { segmentChecker } from './guard/audit-verify.js';
import { createGuardService, type GuardService } from './guard/guard-service.js';
import { configureOffLoop } from './http/off-loop.js';
import { requestsInFlight } from './http/quiet.js';
import { createInsightService, type InsightService } from './insight/insight-service.js';
import { createSpendService, type SpendService } from './insight/spend.js';
import { llmOperatorChecks } from './llm/endpoint-spec.js';
import { databaseNow, limitUsage } from './llm/ledger.js';
import { fromMicro, periodOf } from './llm/limits.js';
import { createMcpService, type McpService, mcpSettings } from './mcp/index.js';
import { mcpOperatorChecks } from './mcp/operator-checks.js';
import { createOutboundPolicy } from './net/outbound.js';
import { createObservability, type Observability } from './observability.js';
import { createRegistryService, type RegistryService } from './registry/registry-service.js';
import { createRegistryStore } from './registry/registry-store.js';
import { describeFailures, runStopSteps, type StopStep, stopProgress } from './stop-steps.js';

export interface App {
  config: Config;
  database: DatabaseHandle;
  registry: RegistryService;
  auth: AuthService;
  guard: GuardService;
  /** The audit signing key (docs/audit.md) and the signed checkpoints written with it. */
  auditKey: AuditSigner;
  checkpoints: Checkpointer;
  evidence: EvidenceService;
  incidents: IncidentService;
  risk: RiskService;
  reviews: ReviewService;
  monitors: MonitorService;
  retention: RetentionService;
  evidenceExport: EvidenceExportService;
  insight: InsightService;
  spend: SpendService;
  mcp: McpService;
  /** How writers no request waits on commit: their fsync off the event loop on SQLite (src/db/adapter.ts). */
  backgroundCommit: BackgroundCommit;
  /** Metrics (/metrics) and background jobs' failures, for this app. */
  observability: Observability;
  adminToken: AdminToken;
  /** What closing does, step by step (`fulcrum serve` runs them within its stop's bound, naming a failed one). */
  closeSteps(): StopStep[];
  /** Runs every close step, whatever fails; rejects naming each that failed. */
  close(): Promise<void>;
}

/** The SQLite database file of a configuration without FULCRUM_DATABASE_URL. */
export const sqliteFileOf = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'fulcrum.db');

export function openConfiguredDatabase(config: Config): DatabaseHandle {
  return openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFileOf(config) });
}

export async function createApp(config: Config, database: DatabaseHandle = openConfiguredDatabase(config)): Promise<App> {
  await migrateToLatest(database);
  // Migrations may rightly take long on a large database; nothing the server does after them may.
  database.boundQueries(config.databaseTimeoutSeconds * 1000);
  const { db } = database;
  const adminToken = await setupAdminToken(db, { fixed: config.adminToken, dataDir: config.dataDir });
  // The worker threads' queues, heaps and times per task (the process's: src/http/off-loop.ts).
  configureOffLoop(config.workerLanes);
  // The operator's word on what registry writers may make this host run or reach (docs/security.md).
  const hostSettings = {
    stdioAllow: config.mcpStdioAllow,
    outbound: createOutboundPolicy({ allowHosts: config.outboundAllowHosts, lookup: config.outboundLookup }),
  };
  // What a registry writer may make the host run or reach is the operator's call: MCP servers (stdio
  // commands, URLs, secrets) and the LLM gateway's endpoints (URLs, credentials), checked at apply.
  const mcpChecks = mcpOperatorChecks(hostSettings);
  const llmChecks = llmOperatorChecks(hostSettings);
  const registry = createRegistryService({ db, operatorChecks: (o) => [...mcpChecks(o), ...llmChecks(o)] });
  const lostKey = await missingKeyProblem(db, config.auditKeyFile, config.auditKeyRotate);
  if (lostKey) throw new Error(lostKey);
  const auditKey = loadOrCreateAuditKey(config.auditKeyFile);
  const observability = createObservability();
  const guard = await createGuardService(db, {
    approvalTtlMs: config.approvalTtlSeconds * 1000,
    maxPendingApprovals: config.maxPendingApprovals,
    pollMs: config.registryPollMs ?? 250,
    observe: observability,
    // The loop has other work than a batch when more requests are in flight than the batch holds:
    // one call at a time (a lone caller) keeps the commit, fsync and all, on the loop (no thread hop).
    // `auto` moves the sync off the loop only while syncs are slow: a quick one held on the loop is
    // answered sooner than one whose answer waits for a busy loop's turn (docs/storage.md).
    ...(config.sqliteSyncOffLoop === 'never'
      ? {}
      : {
          syncOffLoop: (batchLength: number, sync: DeferredSync) =>
            requestsInFlight() > batchLength && (config.sqliteSyncOffLoop === 'busy' || sync.deferNow()),
        }),
  });
  const checkpoints = createCheckpointer({
    db,
    signer: auditKey,
    node: `${os.hostname()}:${process.pid}`,
    rotateKey: config.auditKeyRotate,
    ...(config.auditKeyRotateFrom ? { rotateFrom: readPublicKey(config.auditKeyRotateFrom) } : {}),
    onProblem: (message) => observability.jobRan('audit_checkpoint', new Error(message)),
  });
  checkpoints.start(config.auditCheckpointSeconds * 1000);
  registry.onChange(() => guard.invalidate());
  registry.onApprovalsRevoked((revoked) => guard.approvalsRevoked(revoked));
  registry.recordWith(guard.changeWithActs);
  const evidence = createEvidenceService({
    db,
    registry: () => guard.registry(),
    recordShadow: (identity, source, detail) => guard.recordShadow(identity, source, detail),
    evidenceKeptDays: async () => evidenceKeptDays(await readRetention(db)),
    purgedUpTo: (type) => readPurgedUpTo(db, type),
    observe: observability,
  });
  // Each SpendLimit against its current period, read when /metrics is scraped (limits are few: the
  // operator declares them, so the label's values stay bounded).
  observability.gaugeFamily(
    {
      fulcrum_spend_limit_amount_usd: 'Each SpendLimit: the amount of its period (USD)',
      fulcrum_spend_limit_spent_usd: 'Each SpendLimit: spend settled in its current period (USD)',
      fulcrum_spend_limit_held_usd: 'Each SpendLimit: worst-case cost held by model calls in flight (USD)',
    },
    ['limit', 'enforce'],
    async () => {
      const snapshot = await guard.registry();
      const now = await databaseNow(db); // by the database's clock, as the gateway counts the limits
      return Promise.all(
        snapshot.list('SpendLimit').map(async (l) => {
          const usage = await limitUsage(db, l.name, periodOf(l.spec.period, now).start);
          return {
            labels: { limit: l.name, enforce: l.spec.enforce ?? 'block' },
            values: {
              fulcrum_spend_limit_amount_usd: l.spec.amountUsd,
              fulcrum_spend_limit_spent_usd: fromMicro(usage.spent),
              fulcrum_spend_limit_held_usd: fromMicro(usage.reserved),
            },
          };
        }),
      );
    },
  );
  // An incident names agents and initiatives as committed (one registered through another node a
  // moment ago counts) and takes its owner from the initiative as it now is.
  const incidents = createIncidentService({
    db,
    registry: () => registry.snapshot(),
    changeWithActs: guard.changeWithActs,
  });
  const risk = createRiskService({
    db,
    registry: () => guard.registry(),
    changeWithActs: guard.changeWithActs,
    onChange: () => guard.invalidate(),
  });
  const reviews = createReviewService({
    db,
    // Reviews read the registry as committed (not a node's cached view): they write the stage back.
    registry: () => registry.snapshot(),
    registryService: registry,
    // The tier in force: the latest assessment, else the descriptor's.
    riskTier: async (i) => (await latestTiers(db)).get(i) ?? (await registry.snapshot()).get('Initiative', i)?.spec.riskTier,
    changeWithActs: guard.changeWithActs,
  });
  const monitors = createMonitorService({
    db,
    registry: () => guard.registry(),
    incidents,
    flushShadows: () => guard.flushShadows(),
    suspend: async (agent, reason) => {
      await guard.setSuspended({ type: 'system', id: 'monitors' }, agent, true, reason);
    },
    observe: observability,
  });
  monitors.start(config.monitorIntervalSeconds * 1000);
  const retention = createRetentionService({
    db,
    registry: () => registry.snapshot(),
    signChainStart: (chain, seq, hash) => auditKey.sign(startMessage(chain, seq, hash)),
    chainStartsHeld: () => checkpoints.startsHeld(),
    chainSegmentChecker: (on) => segmentChecker(on, auditKey),
    observe: observability,
    recordAct: guard.recordAct,
    changeWithActs: guard.changeWithActs,
  });
  retention.start(config.retentionIntervalHours * 3_600_000);
  const evidenceExport = createEvidenceExport({
    db,
    auditKey,
    checkpointNow: () => checkpoints.checkpointNow(),
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
    flushShadows: () => guard.flushShadows(),
    agentStatus: (agent) => guard.agentStatus(agent).effective,
    overdueSeriousIncidents: () => incidents.overdueCount(),
    incidents,
  });
  const auth = createAuthService({
    db,
    registryStore: createRegistryStore(db),
    adminTokenHash: adminToken.hash,
    onAgentKeysChanged: () => guard.invalidate(),
    changeWithActs: guard.changeWithActs,
  });
  // Evidence of MCP calls is written off the reply path; a failed batch is reported, not thrown.
  const background = backgroundCommit(db, config.sqliteSyncOffLoop !== 'never');
  const mcp = createMcpService(
    db,
    guard,
    mcpSettings(),
    (err) => observability.jobRan('mcp_evidence', err),
    hostSettings,
    observability,
    background,
  );
  const closeSteps = (): StopStep[] => [
    { name: 'stopping the monitors', run: () => monitors.stop() },
    { name: 'stopping retention', run: () => retention.stop() },
    { name: 'closing the MCP gateway', run: () => mcp.close() },
    { name: "writing the guard's last audit entries and evidence", run: () => guard.close() },
    // After the writer's last batch: the shutdown checkpoint covers every acknowledged entry.
    { name: 'writing the shutdown audit checkpoint', run: () => checkpoints.close() },
    { name: 'closing the database', run: () => database.destroy() },
  ];
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
    spend: createSpendService({ db, registry: () => registry.snapshot(), changeWithActs: guard.changeWithActs }),
    mcp,
    backgroundCommit: background,
    observability,
    auditKey,
    checkpoints,
    adminToken,
    closeSteps,
    async close() {
      const progress = stopProgress();
      await runStopSteps(closeSteps(), progress);
      if (progress.failures.length) throw new Error(`closing failed: ${describeFailures(progress).join('; ')}`);
    },
  };
}
