import { z } from "zod";
import { JsonObject, optional } from "./common";

/** A bulk sync's schedule as answered (`BulkSyncDefaultScheduleResponse` / `…AdditionalScheduleResponse`). */
export const BulkSchedule = z.looseObject({
  id: optional(z.string()),
  frequency: optional(z.string()),
  hour: optional(z.string()),
  minute: optional(z.string()),
  day_of_week: optional(z.string()),
  day_of_month: optional(z.string()),
  month: optional(z.string()),
  resync_mode: optional(z.string()),
  selective_mode: optional(z.string()),
  schemas: optional(z.array(z.string())),
});
export type BulkSchedule = z.infer<typeof BulkSchedule>;

/** `BulkSyncResponse` (2025-09-18): every create/update field but `schemas`, which is never returned. */
export const BulkSyncResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  source_connection_id: z.string(),
  destination_connection_id: z.string(),
  mode: optional(z.string()),
  active: optional(z.boolean()),
  source_configuration: optional(JsonObject),
  destination_configuration: optional(JsonObject),
  default_schedule: optional(BulkSchedule),
  additional_schedules: optional(z.array(BulkSchedule)),
  automatically_add_new_fields: optional(z.string()),
  automatically_add_new_objects: optional(z.string()),
  normalize_names: optional(z.string()),
  disable_record_timestamps: optional(z.boolean()),
  data_cutoff_timestamp: optional(z.string()),
  concurrency_limit: optional(z.number()),
  resync_concurrency_limit: optional(z.number()),
  policies: optional(z.array(z.string())),
  organization_id: optional(z.string()),
  created_at: optional(z.string()),
  updated_at: optional(z.string()),
});
export type BulkSyncResponse = z.infer<typeof BulkSyncResponse>;

/** `CreateBulkSyncRequest` / `UpdateBulkSyncRequest`: the same full body. */
export type BulkSyncRequest = Record<string, unknown> & {
  name: string;
  source_connection_id: string;
  destination_connection_id: string;
  destination_configuration: Record<string, unknown>;
  default_schedule: Record<string, unknown>;
  mode: string;
};

/** `BulkFilter`: `value` is any JSON. */
export const BulkFilter = z.looseObject({
  function: z.string(),
  field_id: optional(z.string()),
  value: z.unknown().optional(),
});
export type BulkFilter = z.infer<typeof BulkFilter>;

/** `BulkField`, on the schema endpoints (`obfuscated`, where the sync body says `obfuscate`). */
export const BulkField = z.looseObject({
  id: z.string(),
  enabled: optional(z.boolean()),
  obfuscated: optional(z.boolean()),
  output_name: optional(z.string()),
  user_output_name: optional(z.string()),
});
export type BulkField = z.infer<typeof BulkField>;

/** `BulkSchema` / `BulkSchemaListItem`: the list leaves `fields` and `filters` out. */
export const BulkSchema = z.looseObject({
  id: z.string(),
  enabled: optional(z.boolean()),
  output_name: optional(z.string()),
  user_output_name: optional(z.string()),
  partition_key: optional(z.string()),
  tracking_field: optional(z.string()),
  data_cutoff_timestamp: optional(z.string()),
  disable_data_cutoff: optional(z.boolean()),
  fields: optional(z.array(BulkField)),
  filters: optional(z.array(BulkFilter)),
});
export type BulkSchema = z.infer<typeof BulkSchema>;

/** A bulk-sync execution, as far as the package reads one. */
export const BulkSyncExecution = z.looseObject({
  id: z.string(),
  status: optional(z.string()),
  created_at: optional(z.string()),
});

/** `GET /api/bulk/syncs/{id}/status`. */
export const BulkSyncStatus = z.looseObject({
  current_execution: optional(BulkSyncExecution),
  last_execution: optional(BulkSyncExecution),
  next_execution_time: optional(z.string()),
});
export type BulkSyncStatus = z.infer<typeof BulkSyncStatus>;

/** `SchemaField` of a bulk source's schema. */
export const BulkSourceField = z.looseObject({
  id: z.string(),
  name: optional(z.string()),
  type: optional(z.string()),
  remote_type: optional(z.string()),
  is_primary_key: optional(z.boolean()),
  user_managed: optional(z.boolean()),
  path: optional(z.string()),
});

/** `GET /api/connections/{id}/bulksync/source`: what the connection has cached. */
export const BulkSyncSource = z.looseObject({
  capabilities: optional(z.looseObject({ supports_tracking_fields: optional(z.boolean()) })),
  configuration: z.unknown().optional(),
  schemas: optional(
    z.array(
      z.looseObject({
        id: z.string(),
        name: optional(z.string()),
        fields: optional(z.array(BulkSourceField)),
      }),
    ),
  ),
});
export type BulkSyncSource = z.infer<typeof BulkSyncSource>;

/** `GET /api/connections/{id}/bulksync/target`. */
export const BulkSyncDestination = z.looseObject({
  configuration: optional(JsonObject),
  modes: optional(
    z.array(
      z.looseObject({
        id: z.string(),
        label: optional(z.string()),
        description: optional(z.string()),
        requires_identity: optional(z.boolean()),
        supports_field_sync_mode: optional(z.boolean()),
        supports_target_filters: optional(z.boolean()),
      }),
    ),
  ),
  supported_resync_modes: optional(z.array(z.string())),
});
export type BulkSyncDestination = z.infer<typeof BulkSyncDestination>;
