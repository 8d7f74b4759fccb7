/** The emulator's in-memory state. Everything here is plain JSON so it can be persisted (see persist.ts). */

import { AdminState } from "./admin-state";
import type { BulkOutput } from "./bulk-run";
import type { StoredBulkSync } from "./bulk-syncs";

export type JsonObject = Record<string, unknown>;

/** When a schema cache refresh started and when it becomes (or became) ready, in epoch milliseconds. */
export interface SchemaCache {
  startedAt: number;
  readyAt: number;
}

export interface StoredConnection {
  id: string;
  name: string;
  type: string;
  /** Unmasked, with read-only values derived and defaults filled in. */
  configuration: JsonObject;
  organization_id: string;
  policies: string[];
  healthcheck_interval: string | null;
  created_at: string;
  updated_at: string;
  /** `null` for types without a schema cache. */
  schemaCache: SchemaCache | null;
}

export interface StoredModelField {
  id: string;
  name: string;
  label: string;
  type: string;
  remote_type: string;
  description: string;
  example: unknown;
  unique: boolean;
  user_added: boolean;
  created_at: string;
  updated_at: string;
}

export interface StoredModel {
  id: string;
  name: string;
  connection_id: string;
  configuration: JsonObject;
  /** The connection's type id, e.g. "gcs". */
  type: string;
  version: number;
  identifier: string | null;
  fields: StoredModelField[];
  relations: unknown[];
  tracking_columns: string[];
  labels: string[];
  policies: string[];
  organization_id: string;
  created_at: string;
  updated_at: string;
  /** Row count of the source, when known (used for execution counts). */
  rowCount: number;
}

/** A sync as returned by GET, except that `encryption_passphrase` is stored unmasked. */
export interface StoredSync {
  id: string;
  name: string;
  mode: string;
  active: boolean;
  fields: unknown[];
  override_fields: unknown[];
  overrides: unknown[];
  filters: unknown[];
  filter_logic: string;
  identity: JsonObject | null;
  schedule: JsonObject;
  target: JsonObject;
  policies: string[];
  organization_id: string;
  sync_all_records: boolean;
  skip_initial_backfill: boolean;
  only_enrich_updates: boolean;
  encryption_passphrase?: string;
  model_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface ExecutionCounts {
  insert: number;
  update: number;
  upserts: number;
  delete: number;
  error: number;
  warnings: number;
  total: number;
}

export interface StoredExecution {
  id: string;
  sync_id: string;
  status: string;
  type: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  counts: ExecutionCounts;
  errors: string[];
}

/** One webhook request of a run and its answer, kept when the sync's target sets `record_requests: true`. */
export interface StoredDelivery {
  execution_id: string;
  /** 1 for the run's first batch. */
  batch: number;
  records: number;
  /** As sent, except that credentials (the `Authorization` value, an auth header's or query value) are masked. */
  request: { method: string; url: string; headers: Record<string, string>; body: unknown };
  /** `null` when no answer came (refused, reset, timed out). */
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  started_at: string;
  duration_ms: number;
}

/** What a sync's runs have delivered so far: each record's key and the hash of the fields last sent for it. */
export interface StoredDeliveryCursor {
  sync_id: string;
  hashes: Record<string, string>;
}

export interface StoredJob {
  job_id: string;
  type: string;
  status: "created" | "running" | "done" | "failed";
  result: unknown;
  error: string | null;
}

/** The recorded outcome of the first request made with an `Idempotency-Key`. */
export interface IdempotencyRecord {
  key: string;
  method: string;
  path: string;
  status: number;
  /** The exact response body text. */
  body: string;
  headers: Record<string, string>;
  createdAt: number;
}

export class EmulatorState {
  readonly connections = new Map<string, StoredConnection>();
  readonly models = new Map<string, StoredModel>();
  readonly syncs = new Map<string, StoredSync>();
  readonly executions = new Map<string, StoredExecution>();
  readonly jobs = new Map<string, StoredJob>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  /** Bulk syncs, with their schemas and runs (./bulk-syncs). */
  readonly bulkSyncs = new Map<string, StoredBulkSync>();
  /** Recorded webhook requests, by execution id (syncs with `record_requests: true`). */
  readonly deliveries = new Map<string, StoredDelivery[]>();
  /** What each sync has delivered, by sync id: the next run sends only what changed since. */
  readonly cursors = new Map<string, StoredDeliveryCursor>();
  /** What bulk-sync runs wrote (or would have written), by execution id (./bulk-run; not persisted). */
  readonly bulkOutputs = new Map<string, BulkOutput[]>();

  /** Organizations, users, roles, policies, notifications, schema overrides and keys (./admin-state). */
  readonly admin = new AdminState();

  /** Empties every collection (keeps the Map objects, so references held by tests stay valid). */
  clear(): void {
    this.admin.clear();
    this.connections.clear();
    this.models.clear();
    this.syncs.clear();
    this.executions.clear();
    this.jobs.clear();
    this.idempotency.clear();
    this.bulkSyncs.clear();
    this.deliveries.clear();
    this.cursors.clear();
    this.bulkOutputs.clear();
  }
}
