import {
  BulkExecutionRecord,
  BulkStatusRecord,
  CancelAnswer,
  SyncExecutionRecord,
  SyncExecutionStarted,
  SyncStatusRecord,
} from "../api/executions";
import type { RequestOptions } from "./client";
import type { HttpTransport } from "./transport";

const segment = (value: string) => encodeURIComponent(value);

/** The body of a model-sync start: `resync` forces a full resync, `test` a test run. */
export interface SyncStartBody {
  resync?: boolean;
  test?: boolean;
  identities?: string[];
}

/** The body of a bulk-sync start (`StartBulkSyncRequest`). */
export interface BulkSyncStartBody {
  test?: boolean;
  resync_mode?: "refetch" | "resync" | "rebuild";
  fetch_mode?: "none" | "incremental" | "full";
  schemas?: string[];
}

/**
 * The execution calls of model syncs: start (a POST, so with an `Idempotency-Key` kept across its retries), read,
 * cancel and the sync's status. The transport is read at call time.
 */
export function syncExecutionCalls(client: { readonly transport: HttpTransport }) {
  const at = (syncId: string) => `/api/syncs/${segment(syncId)}`;
  return {
    start: (syncId: string, body: SyncStartBody = {}, options: RequestOptions = {}) =>
      client.transport.call("POST", `${at(syncId)}/executions`, {
        body,
        schema: SyncExecutionStarted,
        ...options,
      }),
    get: (syncId: string, executionId: string) =>
      client.transport.call("GET", `${at(syncId)}/executions/${segment(executionId)}`, {
        schema: SyncExecutionRecord,
      }),
    /** Asks the execution to stop; asynchronous (poll {@link get} for `canceled`). */
    cancel: (syncId: string, executionId: string, options: RequestOptions = {}) =>
      client.transport.call("POST", `${at(syncId)}/executions/${segment(executionId)}/cancel`, {
        schema: CancelAnswer,
        ...options,
      }),
    status: (syncId: string) =>
      client.transport.call("GET", `${at(syncId)}/status`, { schema: SyncStatusRecord }),
  };
}

/** The execution calls of bulk syncs, as {@link syncExecutionCalls}. */
export function bulkSyncExecutionCalls(client: { readonly transport: HttpTransport }) {
  const at = (syncId: string) => `/api/bulk/syncs/${segment(syncId)}`;
  return {
    start: (syncId: string, body: BulkSyncStartBody = {}, options: RequestOptions = {}) =>
      client.transport.call("POST", `${at(syncId)}/executions`, {
        body,
        schema: BulkExecutionRecord,
        ...options,
      }),
    get: (syncId: string, executionId: string) =>
      client.transport.call("GET", `${at(syncId)}/executions/${segment(executionId)}`, {
        schema: BulkExecutionRecord,
      }),
    cancel: (syncId: string, executionId: string, options: RequestOptions = {}) =>
      client.transport.call("POST", `${at(syncId)}/executions/${segment(executionId)}/cancel`, {
        schema: CancelAnswer,
        ...options,
      }),
    status: (syncId: string) =>
      client.transport.call("GET", `${at(syncId)}/status`, { schema: BulkStatusRecord }),
  };
}
