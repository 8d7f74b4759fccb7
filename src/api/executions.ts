import { z } from "zod";
import { optional } from "./common";

/*
 * Sync and bulk-sync executions (reference part 2 §4): their statuses, which of them are final, and the records
 * the package reads. Unknown fields are kept.
 */

/** Model-sync execution statuses (`UtilExecutionStatus`). */
export const SYNC_EXECUTION_STATUSES = [
  "created",
  "scheduled",
  "queued",
  "waiting",
  "running",
  "processing",
  "canceling",
  "canceled",
  "completed",
  "failed",
  "interrupted",
] as const;

/** Bulk-sync execution statuses (`BulkExecutionStatus`). */
export const BULK_EXECUTION_STATUSES = [
  "created",
  "scheduled",
  "running",
  "exporting",
  "canceling",
  "canceled",
  "completed",
  "failed",
  "processing",
  "errors",
  "interrupted",
] as const;

/**
 * Final statuses. The reference names `completed`, `canceled` and `failed`; `interrupted` (both kinds) and the
 * bulk `errors` (a run that completed with errors) are taken as final too: nothing documents a way out of them.
 */
export const FINAL_EXECUTION_STATUSES: readonly string[] = [
  "completed",
  "canceled",
  "failed",
  "interrupted",
  "errors",
];

/** Final statuses of a run that did not complete: it failed, was canceled, or was cut short. */
export const UNSUCCESSFUL_EXECUTION_STATUSES: readonly string[] = ["canceled", "failed", "interrupted"];

/** Whether an execution status is final (unknown statuses are not). */
export const isFinalExecutionStatus = (status: string | undefined): boolean =>
  status !== undefined && FINAL_EXECUTION_STATUSES.includes(status.toLowerCase());

/** `POST /api/syncs/{id}/executions` answers `{id, status, created_at}`. */
export const SyncExecutionStarted = z.looseObject({
  id: z.string(),
  status: optional(z.string()),
  created_at: optional(z.string()),
});
export type SyncExecutionStarted = z.infer<typeof SyncExecutionStarted>;

const count = optional(z.number());

/** A model-sync execution's record counts. */
export const ExecutionCounts = z.looseObject({
  insert: count,
  update: count,
  upserts: count,
  delete: count,
  error: count,
  warnings: count,
  total: count,
});
export type ExecutionCounts = z.infer<typeof ExecutionCounts>;

/** A model-sync execution (`Execution`). */
export const SyncExecutionRecord = z.looseObject({
  id: z.string(),
  status: optional(z.string()),
  type: optional(z.string()),
  created_at: optional(z.string()),
  started_at: optional(z.string()),
  completed_at: optional(z.string()),
  errors: optional(z.array(z.string())),
  counts: optional(ExecutionCounts),
});
export type SyncExecutionRecord = z.infer<typeof SyncExecutionRecord>;

/** `GET /api/syncs/{id}/status`, its executions read in full. */
export const SyncStatusRecord = z.looseObject({
  current_execution: optional(SyncExecutionRecord),
  last_execution: optional(SyncExecutionRecord),
  next_execution_time: optional(z.string()),
});
export type SyncStatusRecord = z.infer<typeof SyncStatusRecord>;

/** One schema of a bulk-sync execution (`BulkSyncSchemaExecution`). */
export const BulkSchemaExecutionRecord = z.looseObject({
  schema: z.string(),
  output_name: optional(z.string()),
  status: optional(z.string()),
  status_message: optional(z.string()),
  record_count: count,
  error_count: count,
  warning_count: count,
  started_at: optional(z.string()),
  completed_at: optional(z.string()),
});
export type BulkSchemaExecutionRecord = z.infer<typeof BulkSchemaExecutionRecord>;

/** A bulk-sync execution (`BulkSyncExecution`), with its per-schema breakdown. */
export const BulkExecutionRecord = z.looseObject({
  id: z.string(),
  status: optional(z.string()),
  status_message: optional(z.string()),
  type: optional(z.string()),
  is_test: optional(z.boolean()),
  is_resync: optional(z.boolean()),
  record_count: count,
  error_count: count,
  warning_count: count,
  created_at: optional(z.string()),
  started_at: optional(z.string()),
  completed_at: optional(z.string()),
  updated_at: optional(z.string()),
  schemas: optional(z.array(BulkSchemaExecutionRecord)),
});
export type BulkExecutionRecord = z.infer<typeof BulkExecutionRecord>;

/** `GET /api/bulk/syncs/{id}/status`, its executions read in full. */
export const BulkStatusRecord = z.looseObject({
  current_execution: optional(BulkExecutionRecord),
  last_execution: optional(BulkExecutionRecord),
  next_execution_time: optional(z.string()),
});
export type BulkStatusRecord = z.infer<typeof BulkStatusRecord>;

/** `POST …/cancel` answers `{message}`. */
export const CancelAnswer = z.looseObject({ message: optional(z.string()) });
