import { z } from "zod";
import { JsonObject, optional } from "./common";

/** `{field, model_id}`: a model field. */
export const FieldRef = z.looseObject({ field: z.string(), model_id: z.string() });

/** `SyncField`. */
export const SyncField = z.looseObject({
  target: z.string(),
  source: optional(FieldRef),
  new: optional(z.boolean()),
  override_value: optional(z.string()),
  sync_mode: optional(z.string()),
  encryption_enabled: optional(z.boolean()),
});

/** `Target`. */
export const SyncTarget = z.looseObject({
  connection_id: z.string(),
  object: optional(z.string()),
  new_name: optional(z.string()),
  configuration: optional(JsonObject),
  filter_logic: optional(z.string()),
});

/** `Schedule`. `hour`/`minute` are strings on the wire. */
export const SyncSchedule = z.looseObject({
  frequency: optional(z.string()),
  hour: optional(z.string()),
  minute: optional(z.string()),
  day_of_week: optional(z.string()),
  day_of_month: optional(z.string()),
  month: optional(z.string()),
  job_id: optional(z.number()),
  connection_id: optional(z.string()),
  run_after: optional(
    z.looseObject({ sync_ids: optional(z.array(z.string())), bulk_sync_ids: optional(z.array(z.string())) }),
  ),
  run_after_success_only: optional(z.boolean()),
});

/** `Identity`. */
export const SyncIdentity = z.looseObject({
  source: FieldRef,
  target: z.string(),
  function: z.string(),
  new_field: optional(z.boolean()),
  remote_field_type_id: optional(z.string()),
});

/** `SyncResponse` (2025-09-18); unknown fields are kept. */
export const SyncResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  mode: z.string(),
  active: optional(z.boolean()),
  fields: z
    .array(SyncField)
    .nullish()
    .transform((v) => v ?? []),
  target: SyncTarget,
  schedule: SyncSchedule.nullish().transform((v) => v ?? {}),
  identity: optional(SyncIdentity),
  filters: optional(z.array(JsonObject)),
  filter_logic: optional(z.string()),
  overrides: optional(z.array(JsonObject)),
  override_fields: optional(z.array(SyncField)),
  policies: optional(z.array(z.string())),
  organization_id: optional(z.string()),
  sync_all_records: optional(z.boolean()),
  skip_initial_backfill: optional(z.boolean()),
  only_enrich_updates: optional(z.boolean()),
  encryption_passphrase: optional(z.string()),
  model_ids: optional(z.array(z.string())),
  created_at: optional(z.string()),
  updated_at: optional(z.string()),
});
export type SyncResponse = z.infer<typeof SyncResponse>;

/** `CreateSyncRequest` / `UpdateSyncRequest`: the same full body. */
export type SyncRequest = Record<string, unknown> & {
  name: string;
  mode: string;
  fields: unknown[];
  schedule: Record<string, unknown>;
  target: Record<string, unknown>;
};

/** `POST /api/syncs/{id}/executions` answer. */
export const SyncExecution = z.looseObject({
  id: z.string(),
  status: optional(z.string()),
  created_at: optional(z.string()),
});
export type SyncExecution = z.infer<typeof SyncExecution>;

/** `GET /api/syncs/{id}/status`. */
export const SyncStatus = z.looseObject({
  current_execution: z.unknown().optional(),
  last_execution: z.unknown().optional(),
  next_execution_time: z.unknown().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;
