import { z } from "zod";
import type { BulkExecutionRecord } from "../api/executions";
import { type BulkSyncStartBody, bulkSyncExecutionCalls } from "../client/executions";
import { BULK_SYNC_EXECUTION_FIELDS } from "../resources/bulk-sync-execution";
import type { CheckFailure } from "./check";
import { type ExecutionSettings, type ExecutionView, executionSpec } from "./execution-spec";
import { compact } from "./plain";
import { UNKNOWN } from "./unknown";

/** The BulkSyncExecution inputs after `check`. */
export interface BulkSyncExecutionInputs extends ExecutionSettings {
  bulkSyncId: string;
  test?: boolean;
  resyncMode?: "refetch" | "resync" | "rebuild";
  fetchMode?: "none" | "incremental" | "full";
  schemas?: string[];
}

/** The BulkSyncExecution outputs: the inputs plus the run as Polytomic reports it. */
export interface BulkSyncExecutionOutputs extends BulkSyncExecutionInputs {
  executionId: string;
  status: string;
  statusMessage?: string;
  recordCount?: number;
  errorCount?: number;
  warningCount?: number;
  schemaStatuses?: Record<string, unknown>[];
  startedAt?: string;
  completedAt?: string;
  errors?: string[];
}

const FAILED_SCHEMA = ["failed", "canceled", "interrupted"];

/** A bulk-sync execution record as the provider's view: per-schema statuses summarised. */
export function bulkExecutionView(syncId: string, record: BulkExecutionRecord): ExecutionView {
  const schemas = record.schemas ?? [];
  const errors: string[] = [];
  const status = record.status ?? "created";
  if (record.status_message !== undefined && record.status_message !== "" && status !== "completed") {
    errors.push(record.status_message);
  }
  for (const s of schemas) {
    const failed = FAILED_SCHEMA.includes(s.status ?? "") || (s.error_count ?? 0) > 0;
    if (failed) errors.push(`${s.schema}: ${s.status_message || s.status || `${s.error_count} errors`}`);
  }
  return {
    id: `${syncId}/${record.id}`,
    parentId: syncId,
    executionId: record.id,
    status,
    ...(record.started_at === undefined ? {} : { startedAt: record.started_at }),
    ...(record.completed_at === undefined ? {} : { completedAt: record.completed_at }),
    errors,
    hasErrors: status === "errors" || (record.error_count ?? 0) > 0 || errors.length > 0,
    reported: compact({
      statusMessage: record.status_message === "" ? undefined : record.status_message,
      recordCount: record.record_count,
      errorCount: record.error_count,
      warningCount: record.warning_count,
      schemaStatuses:
        record.schemas === undefined
          ? undefined
          : schemas.map((s) =>
              compact({
                schema: s.schema,
                status: s.status,
                recordCount: s.record_count,
                errorCount: s.error_count,
                warningCount: s.warning_count,
                statusMessage: s.status_message === "" ? undefined : s.status_message,
              }),
            ),
    }),
  };
}

function crossChecks(news: Record<string, unknown>): CheckFailure[] {
  const set = (v: unknown) => v !== undefined && v !== UNKNOWN;
  if (news.test === true && set(news.resyncMode)) {
    return [{ property: "resyncMode", reason: "resyncMode cannot be set on a test run (test: true)" }];
  }
  return [];
}

/** The BulkSyncExecution resource's spec: one run of a bulk sync (see execution-spec.ts). */
export const BULK_SYNC_EXECUTION_SPEC = executionSpec<
  BulkSyncExecutionInputs,
  BulkSyncExecutionOutputs,
  BulkSyncStartBody
>({
  noun: "bulk sync execution",
  parentNoun: "bulk sync",
  parentKey: "bulkSyncId",
  fields: BULK_SYNC_EXECUTION_FIELDS,
  shape: {
    bulkSyncId: z.string().min(1, "must not be empty"),
    test: z.boolean().optional(),
    resyncMode: z.enum(["refetch", "resync", "rebuild"]).optional(),
    fetchMode: z.enum(["none", "incremental", "full"]).optional(),
    schemas: z.array(z.string().min(1, "must not be empty")).optional(),
  },
  crossChecks,
  compare: { unordered: ["schemas"] },
  startBody: (inputs) =>
    compact({
      test: inputs.test,
      resync_mode: inputs.resyncMode,
      fetch_mode: inputs.fetchMode,
      schemas: inputs.schemas,
    }),
  calls(client) {
    const calls = bulkSyncExecutionCalls(client);
    return {
      start: async (syncId, body, options) =>
        bulkExecutionView(syncId, await calls.start(syncId, body, options)),
      get: async (syncId, executionId) => bulkExecutionView(syncId, await calls.get(syncId, executionId)),
      cancel: (syncId, executionId) => calls.cancel(syncId, executionId),
      current: async (syncId) => {
        const current = (await calls.status(syncId)).current_execution;
        return current === undefined ? undefined : bulkExecutionView(syncId, current);
      },
    };
  },
});
