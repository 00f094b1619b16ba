// What the Retention page says of each data type: its label, and what a purge does to it past its period.
import type { GetResult, Schemas } from '../../../src/client/index';

export type Policy = GetResult<'/v1/retention'>;
export type DataType = keyof Policy['periods'];
export type Purged = Schemas['RetentionPurge'];
const DAY = 86_400_000;

/** Each data type, what a purge does to it past its period, in the order the API lists them. */
export const TYPES: Record<DataType, { label: string; action: string }> = {
  auditEntries: {
    label: 'Human acts in the audit log',
    action: 'deleted from the start of each chain (a signed checkpoint stays)',
  },
  decisions: { label: 'Decisions (and credentials issued or revoked)', action: 'deleted from the start of each chain' },
  events: { label: 'Task events', action: 'deleted (the daily rollups stay)' },
  spans: { label: 'Trace spans', action: 'deleted (the daily rollups stay)' },
  arguments: { label: 'Stored call arguments', action: 'redacted (the entry and its hash stay)' },
  shadowAgents: { label: 'Shadow agents', action: 'deleted when not seen since' },
};
export const TYPE_KEYS = Object.keys(TYPES) as DataType[];

/** The day before which a period's data goes, for a purge run now. */
export const cutoff = (days: number, now = Date.now()) => new Date(now - days * DAY).toISOString().slice(0, 10);
