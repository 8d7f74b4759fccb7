/**
 * The enumerations of the bulk-sync (ELT) API (2025-09-18), in one place for the package's validation, its
 * resource types and the emulator. Schedule frequencies and filter functions are the model-sync ones
 * (`ScheduleFrequency`, `FilterFunction`: the same lists in the bulk-sync reference): see ./sync-enums.
 */

/** `BulkSyncTargetMode`. */
export const BULK_SYNC_MODES = ["snapshot", "replicate"] as const;
/** `BulkDiscover`: which newly discovered objects or fields Polytomic enables by itself. */
export const BULK_DISCOVER = ["all", "onlyIncremental", "onlyNonIncremental", "none"] as const;
/** `BulkNormalizeNames`. */
export const BULK_NORMALIZE_NAMES = ["enabled", "disabled", "legacy"] as const;
/** `BulkScheduleSyncMode`: what an additional schedule's runs do. */
export const BULK_SCHEDULE_SYNC_MODES = ["normal", "refetch", "resync", "rebuild"] as const;
/** `BulkSelectiveMode`: which fields an additional schedule's runs read. */
export const BULK_SELECTIVE_MODES = ["none", "incrementalFields", "nonincrementalFields"] as const;
/** `BulkResyncMode`. */
export const BULK_RESYNC_MODES = ["refetch", "resync", "rebuild"] as const;

/**
 * The defaults Polytomic applies to a bulk sync's settings when they are left out. The reference states them in
 * words only ("not enabling newly discovered source objects", "enabling newly discovered fields", "normalize_names
 * defaults to enabled"); the enum values are inferred.
 */
export const BULK_SYNC_DEFAULTS = {
  automatically_add_new_objects: "none",
  automatically_add_new_fields: "all",
  normalize_names: "enabled",
  disable_record_timestamps: false,
} as const;

/** The defaults of an additional schedule's own settings (inferred: the first value of each enumeration). */
export const BULK_SCHEDULE_DEFAULTS = { resync_mode: "normal", selective_mode: "none" } as const;

/**
 * Whether an API error says the source connection's schema cache is not ready yet: the two messages Polytomic's
 * Terraform provider retries on ("cache refresh in progress", "did not provide any schemas"), or the emulator's
 * key for the first. Shared by the provider (which waits and retries) and the emulator (which answers them).
 */
export const SCHEMA_CACHE_NOT_READY_MESSAGES = ["cache refresh in progress", "did not provide any schemas"];
