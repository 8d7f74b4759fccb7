import * as pulumi from "@pulumi/pulumi";
import type {
  BULK_DISCOVER,
  BULK_NORMALIZE_NAMES,
  BULK_SCHEDULE_SYNC_MODES,
  BULK_SELECTIVE_MODES,
  BULK_SYNC_MODES,
} from "../api/bulk-sync-enums";
import type { FILTER_FUNCTIONS } from "../api/sync-enums";
import type { BulkSyncOutputs, SelectedSchemaOutput } from "../providers/bulk-sync-spec";
import { defineFields, resourceProps } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";
import type { SyncSchedule } from "./schedule";

export type { SelectedSchemaOutput };

/** `mode`: `replicate` keeps the destination a copy of the source; `snapshot` writes a full copy each run. */
export type BulkSyncMode = (typeof BULK_SYNC_MODES)[number];
/** Which newly discovered objects or fields Polytomic enables by itself. */
export type BulkDiscover = (typeof BULK_DISCOVER)[number];

/** One field of a schema, with its settings. */
export interface BulkSyncFieldSettings {
  /** The field's id in the source (`getBulkSource` lists them). */
  id: pulumi.Input<string>;
  /** Whether the field is synced (default true). */
  enabled?: pulumi.Input<boolean>;
  /** Write the field obfuscated (default false). */
  obfuscate?: pulumi.Input<boolean>;
  /** The column name in the destination, instead of the one Polytomic derives. */
  userOutputName?: pulumi.Input<string>;
}

/** A row filter of a schema. */
export interface BulkSyncSchemaFilter {
  /** e.g. `Equality`, `IsNotNull`, `StringOneOf`, `RelativeOnOrAfter`, `InTheLast`. */
  function: pulumi.Input<(typeof FILTER_FUNCTIONS)[number]>;
  /** The field filtered on. */
  fieldId?: pulumi.Input<string>;
  /** Any JSON value: `"48 hours ago"` for `RelativeOnOrAfter`, `["active", "pending"]` for `StringOneOf`, `42`. */
  value?: pulumi.Input<unknown>;
}

/** A schema (a table or object of the source) with its settings. */
export interface BulkSyncSchemaSettings {
  /** The schema's id in the source: an object name (`Account`), `schema.table`, or a file for bucket sources. */
  id: pulumi.Input<string>;
  /** Whether the schema is synced (default true). */
  enabled?: pulumi.Input<boolean>;
  /**
   * The fields to sync: ids, or objects with settings. Only these are synced (and compared); leave it out to
   * sync every field.
   */
  fields?: pulumi.Input<pulumi.Input<string | BulkSyncFieldSettings>[]>;
  /** Row filters; all must hold. */
  filters?: pulumi.Input<pulumi.Input<BulkSyncSchemaFilter>[]>;
  /** The field that partitions rows in the destination. */
  partitionKey?: pulumi.Input<string>;
  /** The field that detects changed rows between incremental runs. */
  trackingField?: pulumi.Input<string>;
  /** The table name in the destination, instead of the one Polytomic derives. */
  userOutputName?: pulumi.Input<string>;
  /** Source rows older than this (ISO 8601) are not synced. */
  dataCutoffTimestamp?: pulumi.Input<string>;
  /** Ignore any data cutoff for this schema (default false). */
  disableDataCutoff?: pulumi.Input<boolean>;
}

/** An additional schedule: the schedule, plus what its runs do and which schemas they cover. */
export interface BulkSyncAdditionalSchedule extends SyncSchedule {
  /** `normal` (Polytomic's default), `refetch`, `resync` or `rebuild`. */
  resyncMode?: pulumi.Input<(typeof BULK_SCHEDULE_SYNC_MODES)[number]>;
  /** The schema ids its runs cover; every schema when left out. */
  schemas?: pulumi.Input<pulumi.Input<string>[]>;
  /** `none` (Polytomic's default), `incrementalFields` or `nonincrementalFields`. */
  selectiveMode?: pulumi.Input<(typeof BULK_SELECTIVE_MODES)[number]>;
}

/** `destinationConfiguration` of an S3 or GCS destination (keys as the API spells them). */
export interface StorageBulkDestinationConfiguration {
  /** The output file encoding, e.g. `csv`, `json`, `parquet`. */
  format?: pulumi.Input<string>;
  /** The folder in the bucket to write to. */
  subfolder?: pulumi.Input<string>;
}

/** `destinationConfiguration` of a PostgreSQL (or Cloud SQL for PostgreSQL) destination. */
export interface PostgresqlBulkDestinationConfiguration {
  /** The output schema to write to. */
  schema: pulumi.Input<string>;
  /** Write each source schema to a destination schema of the same name. */
  mirror_schemas?: pulumi.Input<boolean>;
  advanced?: pulumi.Input<{
    table_prefix?: pulumi.Input<string>;
    truncate_existing?: pulumi.Input<boolean>;
  }>;
}

/** `destinationConfiguration` of a Snowflake destination. */
export interface SnowflakeBulkDestinationConfiguration {
  /** The output schema to write to. */
  schema: pulumi.Input<string>;
  mirror_schemas?: pulumi.Input<boolean>;
  advanced?: pulumi.Input<{
    hard_deletes?: pulumi.Input<boolean>;
    table_prefix?: pulumi.Input<string>;
    truncate_existing?: pulumi.Input<boolean>;
  }>;
}

/**
 * A destination's settings, keys as the API spells them. Typed for the destinations whose settings Polytomic
 * documents (S3 and GCS, PostgreSQL, Snowflake); any other destination takes an object
 * (`getBulkDestination` returns its JSON Schema).
 */
export type BulkDestinationConfiguration =
  | StorageBulkDestinationConfiguration
  | PostgresqlBulkDestinationConfiguration
  | SnowflakeBulkDestinationConfiguration
  | Record<string, pulumi.Input<unknown>>;

/** `sourceConfiguration` of a PostgreSQL source. */
export interface PostgresqlBulkSourceConfiguration {
  /** The replication slot to read changes from; leave it out to have Polytomic manage one. */
  replication_slot?: pulumi.Input<string>;
}

/** A source's settings, keys as the API spells them; not every source has any. */
export type BulkSourceConfiguration =
  | PostgresqlBulkSourceConfiguration
  | Record<string, pulumi.Input<unknown>>;

/** Arguments of {@link BulkSync}. */
export interface BulkSyncArgs {
  /** The bulk sync's display name. */
  name: pulumi.Input<string>;
  /** The connection rows are read from. */
  sourceConnectionId: pulumi.Input<string>;
  /** The connection rows are written to. */
  destinationConnectionId: pulumi.Input<string>;
  /** The destination's settings, e.g. `{ schema: "salesforce" }` for a database, `{ format: "csv" }` for S3. */
  destinationConfiguration: pulumi.Input<BulkDestinationConfiguration>;
  /** The source's settings, where it has any (e.g. a PostgreSQL `replication_slot`). */
  sourceConfiguration?: pulumi.Input<BulkSourceConfiguration>;
  /**
   * `replicate` (keep the destination a copy of the source) or `snapshot` (write a full copy each run; storage
   * destinations such as S3). `getBulkDestination` lists the modes a destination supports.
   */
  mode: pulumi.Input<BulkSyncMode>;
  /**
   * The schemas to sync: ids, or objects with settings. Every schema of the source when left out. Only the
   * schemas and fields named here are compared with what Polytomic holds (Polytomic may add others itself, see
   * `automaticallyAddNewObjects`); order does not matter.
   */
  schemas?: pulumi.Input<pulumi.Input<string | BulkSyncSchemaSettings>[]>;
  /** When the sync runs (times in UTC). */
  defaultSchedule: pulumi.Input<SyncSchedule>;
  /** More schedules, e.g. a weekly resync of some schemas. */
  additionalSchedules?: pulumi.Input<pulumi.Input<BulkSyncAdditionalSchedule>[]>;
  /** Whether the sync runs on its schedules (an inactive one can still be run by hand). */
  active?: pulumi.Input<boolean>;
  /** Newly discovered fields of synced schemas that Polytomic enables itself (Polytomic's default: `all`). */
  automaticallyAddNewFields?: pulumi.Input<BulkDiscover>;
  /** Newly discovered schemas that Polytomic enables itself (Polytomic's default: `none`). */
  automaticallyAddNewObjects?: pulumi.Input<BulkDiscover>;
  /** How destination names are derived: `enabled` (Polytomic's default), `disabled` or `legacy`. */
  normalizeNames?: pulumi.Input<(typeof BULK_NORMALIZE_NAMES)[number]>;
  /** How many schemas sync at once (Polytomic's default when left out). */
  concurrencyLimit?: pulumi.Input<number>;
  /** How many schemas resync at once. */
  resyncConcurrencyLimit?: pulumi.Input<number>;
  /** Do not add Polytomic's timestamp columns to destination rows (default false). */
  disableRecordTimestamps?: pulumi.Input<boolean>;
  /** Source rows older than this (ISO 8601) are not synced, in every schema. */
  dataCutoffTimestamp?: pulumi.Input<string>;
  /** Permission policy IDs. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** The organization (partner keys). Changing it replaces the bulk sync. */
  organizationId?: pulumi.Input<string>;
  /**
   * How long a create or update waits while the source connection's schema cache is refreshing (Polytomic
   * answers "cache refresh in progress" meanwhile) before failing. Default 600.
   */
  schemaTimeoutSeconds?: pulumi.Input<number>;
  /** Adopt the existing bulk sync with this ID instead of creating one (see `Connection.importId`). */
  importId?: pulumi.Input<string>;
}

/** {@link BulkSync}'s field lists: its outputs and the provider's diff keys derive from them. */
export const BULK_SYNC_FIELDS = defineFields<BulkSyncArgs>()({
  remote: [
    "name",
    "sourceConnectionId",
    "destinationConnectionId",
    "destinationConfiguration",
    "sourceConfiguration",
    "mode",
    "schemas",
    "defaultSchedule",
    "additionalSchedules",
    "active",
    "automaticallyAddNewFields",
    "automaticallyAddNewObjects",
    "normalizeNames",
    "concurrencyLimit",
    "resyncConcurrencyLimit",
    "disableRecordTimestamps",
    "dataCutoffTimestamp",
    "policies",
    "organizationId",
  ],
  local: ["schemaTimeoutSeconds", "importId"],
  reported: ["selectedSchemas", "status"],
  replace: ["organizationId"],
  secret: [],
});

/**
 * A Polytomic bulk sync (ELT): copies whole schemas (tables, objects) from a source connection into a
 * destination (a warehouse, a database, a bucket), on a schedule.
 * Type token: `pulumi-nodejs:dynamic/polytomic:BulkSync`.
 */
export class BulkSync extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly sourceConnectionId: pulumi.Output<string>;
  declare readonly destinationConnectionId: pulumi.Output<string>;
  declare readonly destinationConfiguration: pulumi.Output<Record<string, unknown>>;
  declare readonly sourceConfiguration: pulumi.Output<Record<string, unknown> | undefined>;
  declare readonly mode: pulumi.Output<BulkSyncMode>;
  /** The schemas the program names, as applied or (after a refresh) as Polytomic holds them. */
  declare readonly schemas: pulumi.Output<BulkSyncOutputs["schemas"]>;
  /** The default schedule; times as the API stores them (two-digit strings). */
  declare readonly defaultSchedule: pulumi.Output<BulkSyncOutputs["defaultSchedule"]>;
  declare readonly additionalSchedules: pulumi.Output<BulkSyncOutputs["additionalSchedules"]>;
  declare readonly active: pulumi.Output<boolean | undefined>;
  declare readonly automaticallyAddNewFields: pulumi.Output<BulkDiscover | undefined>;
  declare readonly automaticallyAddNewObjects: pulumi.Output<BulkDiscover | undefined>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  /**
   * Every schema Polytomic syncs (enabled), also those it added itself: id, destination name, and for the
   * schemas the program names as objects, their fields as Polytomic holds them.
   */
  declare readonly selectedSchemas: pulumi.Output<SelectedSchemaOutput[]>;
  /** The status of the running execution, or of the last one (`completed`, `failed`, ...); absent before any. */
  declare readonly status: pulumi.Output<string | undefined>;

  constructor(name: string, args: BulkSyncArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("BulkSync"),
      name,
      resourceProps(BULK_SYNC_FIELDS, args),
      opts,
      TYPE_MODULE,
      "BulkSync",
    );
  }

  /** A read-only reference to an existing bulk sync, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): BulkSync {
    return new BulkSync(name, undefined as unknown as BulkSyncArgs, { ...opts, id });
  }
}
