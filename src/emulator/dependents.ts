import type { EmulatorState, StoredModel, StoredSync } from "./state";

export interface Dependent {
  type: "model" | "sync" | "bulk_sync";
  name: string;
  id: string;
}

/** Models whose source is the connection. */
export function modelsOfConnection(state: EmulatorState, connectionId: string): StoredModel[] {
  return [...state.models.values()].filter((m) => m.connection_id === connectionId);
}

/** Syncs that write to the connection or read from any of its models. */
export function syncsOfConnection(state: EmulatorState, connectionId: string): StoredSync[] {
  const modelIds = new Set(modelsOfConnection(state, connectionId).map((m) => m.id));
  return [...state.syncs.values()].filter(
    (s) => s.target.connection_id === connectionId || s.model_ids.some((id) => modelIds.has(id)),
  );
}

/** Bulk syncs that read from or write to the connection. */
export function bulkSyncsOfConnection(state: EmulatorState, connectionId: string) {
  return [...state.bulkSyncs.values()].filter(
    (s) => s.source_connection_id === connectionId || s.destination_connection_id === connectionId,
  );
}

/** Deletes the bulk syncs of a connection (with their schemas and runs). */
export function deleteBulkSyncsOf(state: EmulatorState, connectionId: string): void {
  for (const s of bulkSyncsOfConnection(state, connectionId)) state.bulkSyncs.delete(s.id);
}

/** What `metadata.used_by` lists for a connection: its models, then its syncs, then its bulk syncs. */
export function connectionDependents(state: EmulatorState, connectionId: string): Dependent[] {
  return [
    ...modelsOfConnection(state, connectionId).map((m) => ({
      type: "model" as const,
      name: m.name,
      id: m.id,
    })),
    ...syncsOfConnection(state, connectionId).map((s) => ({ type: "sync" as const, name: s.name, id: s.id })),
    ...bulkSyncsOfConnection(state, connectionId).map((s) => ({
      type: "bulk_sync" as const,
      name: s.name,
      id: s.id,
    })),
  ];
}

/** Deletes a sync and its executions (a running one stops: its run finds it gone), with what they delivered. */
export function deleteSync(state: EmulatorState, syncId: string): void {
  state.syncs.delete(syncId);
  state.cursors.delete(syncId);
  for (const [id, execution] of state.executions) {
    if (execution.sync_id === syncId) {
      state.executions.delete(id);
      state.deliveries.delete(id);
    }
  }
}
