// An audit entry as the guard writes one for an allowed tool call, for tests that write chains directly.
import type { AuditRecord } from '../../src/guard/audit.js';
import { hashArguments } from '../../src/guard/decide.js';

/** The i-th decision of a chain (arguments kept, with their hash), at `at` (default: i seconds into 2026-12-01). */
export function decisionRecord(i: number, at = new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString()): AuditRecord {
  const args = { customerId: `c-${i}` };
  return {
    id: `dec_t${i}_${Math.random().toString(36).slice(2, 10)}`,
    kind: 'decision',
    at,
    actor: 'agent:support-bot',
    agent: 'support-bot',
    action: 'tool.call',
    target: 'crm.lookup',
    decision: 'allow',
    reasons: [{ policy: 'builtin/archetype-tools/support-agent', effect: 'permit' }],
    monitor: [],
    policyVersion: 3,
    argumentsHash: hashArguments(args, ['customer-records']),
    arguments: args,
    dataDomains: ['customer-records'],
    taskId: null,
    approvalId: null,
    detail: {},
  };
}
