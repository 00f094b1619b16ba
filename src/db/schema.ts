// The Kysely table types: the one schema both engines share (docs/schema.md is the generated report).
import type { Generated } from 'kysely';

export interface Database {
  registry_objects: RegistryObjectTable;
  registry_state: RegistryStateTable;
  registry_changes: RegistryChangeTable;
  credentials: CredentialTable;
  settings: SettingTable;
}

/** One governance-as-code descriptor; `spec` and `labels` are JSON text (portable across engines). */
export interface RegistryObjectTable {
  kind: string;
  name: string;
  labels: string;
  spec: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** A single row whose revision grows with every registry change: caches compare it to know they are stale. */
export interface RegistryStateTable {
  id: number;
  revision: number;
}

export interface RegistryChangeTable {
  id: Generated<number>;
  revision: number;
  kind: string;
  name: string;
  action: 'created' | 'updated' | 'deleted';
  actor: string;
  at: string;
}

/** Person API tokens and agent keys, stored only as SHA-256 hashes. */
export interface CredentialTable {
  id: string;
  subject_kind: 'person' | 'agent';
  subject: string;
  token_hash: string;
  prefix: string;
  description: string | null;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
}
