import { z } from "zod";
import type { SyncExecutionRecord } from "../api/executions";
import { type SyncStartBody, syncExecutionCalls } from "../client/executions";
import { SYNC_EXECUTION_FIELDS } from "../resources/sync-execution";
import { type ExecutionSettings, type ExecutionView, executionSpec } from "./execution-spec";
import { compact } from "./plain";

/** The SyncExecution inputs after `check`. */
export interface SyncExecutionInputs extends ExecutionSettings {
  syncId: string;
  resync?: boolean;
  test?: boolean;
}

/** The SyncExecution outputs: the inputs plus the run as Polytomic reports it. */
export interface SyncExecutionOutputs extends SyncExecutionInputs {
  executionId: string;
  status: string;
  counts?: Record<string, number>;
  startedAt?: string;
  completedAt?: string;
  errors?: string[];
}

/** A model-sync execution record as the provider's view. */
export function syncExecutionView(syncId: string, record: SyncExecutionRecord): ExecutionView {
  const counts = record.counts === undefined ? undefined : compact(record.counts as Record<string, unknown>);
  return {
    id: `${syncId}/${record.id}`,
    parentId: syncId,
    executionId: record.id,
    status: record.status ?? "created",
    ...(record.started_at === undefined ? {} : { startedAt: record.started_at }),
    ...(record.completed_at === undefined ? {} : { completedAt: record.completed_at }),
    errors: record.errors ?? [],
    hasErrors: (record.counts?.error ?? 0) > 0 || (record.errors?.length ?? 0) > 0,
    reported: compact({ counts }),
  };
}

/** The SyncExecution resource's spec: one run of a model sync (see execution-spec.ts). */
export const SYNC_EXECUTION_SPEC = executionSpec<SyncExecutionInputs, SyncExecutionOutputs, SyncStartBody>({
  noun: "sync execution",
  parentNoun: "sync",
  parentKey: "syncId",
  fields: SYNC_EXECUTION_FIELDS,
  shape: {
    syncId: z.string().min(1, "must not be empty"),
    resync: z.boolean().optional(),
    test: z.boolean().optional(),
  },
  startBody: (inputs) => compact({ resync: inputs.resync, test: inputs.test }),
  calls(client) {
    const calls = syncExecutionCalls(client);
    return {
      start: async (syncId, body, options) => {
        const started = await calls.start(syncId, body, options);
        return syncExecutionView(syncId, { ...started, errors: [] });
      },
      get: async (syncId, executionId) => syncExecutionView(syncId, await calls.get(syncId, executionId)),
      cancel: (syncId, executionId) => calls.cancel(syncId, executionId),
      current: async (syncId) => {
        const current = (await calls.status(syncId)).current_execution;
        return current === undefined ? undefined : syncExecutionView(syncId, current);
      },
    };
  },
});
