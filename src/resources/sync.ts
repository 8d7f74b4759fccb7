import * as pulumi from "@pulumi/pulumi";
import type { FILTER_FUNCTIONS, IDENTITY_FUNCTIONS, SYNC_MODES } from "../api/sync-enums";
import type { SyncOutputs } from "../providers/sync-spec";
import { defineFields, resourceProps, secretOutputsOf, withSecretOutputs } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";
import type { SyncSchedule } from "./schedule";

export type { SyncSchedule };

/** A model field: `{ modelId, field }`. */
export interface SyncFieldRef {
  /** The model's ID. */
  modelId: pulumi.Input<string>;
  /** The field's name in the model. */
  field: pulumi.Input<string>;
}

/** One mapping from a model field (or a constant) to a target field. */
export interface SyncFieldMapping {
  /** The model field to read; required unless `overrideValue` is set. */
  source?: pulumi.Input<SyncFieldRef>;
  /** The target field (for webhooks: `record`). */
  target: pulumi.Input<string>;
  /** Create the target field. */
  new?: pulumi.Input<boolean>;
  /** A constant to send instead of `source`. */
  overrideValue?: pulumi.Input<string>;
  /** Per-field mode: `updateOrCreate` (Polytomic's default) or `create`. */
  syncMode?: pulumi.Input<string>;
  encryptionEnabled?: pulumi.Input<boolean>;
}

/** Where the sync writes. */
export interface SyncTarget {
  /** The target connection's ID. */
  connectionId: pulumi.Input<string>;
  /** The target object, e.g. `"http"` for a webhook, `"Contact"` for Salesforce. Required unless `create`. */
  object?: pulumi.Input<string>;
  /** Target-specific settings as the API spells them, e.g. webhook `{ batch_size: 100, record_requests: true }`. */
  configuration?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Rename the target object. */
  newName?: pulumi.Input<string>;
  /** Have Polytomic create the target object with these properties (instead of `object`). */
  create?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  filterLogic?: pulumi.Input<string>;
}

/** How records are matched in the target; required for modes `update`, `updateOrCreate` and `remove`. */
export interface SyncIdentity {
  source: pulumi.Input<SyncFieldRef>;
  /** The target field to match on. */
  target: pulumi.Input<string>;
  function: pulumi.Input<(typeof IDENTITY_FUNCTIONS)[number]>;
  newField?: pulumi.Input<boolean>;
  remoteFieldTypeId?: pulumi.Input<string>;
}

/** A filter on the records to sync. Give `field` or `fieldId`. */
export interface SyncFilter {
  /** e.g. `Equality`, `IsNotNull`, `StringContains`, `GreaterThan`, `InTheLast`. */
  function: pulumi.Input<(typeof FILTER_FUNCTIONS)[number]>;
  field?: pulumi.Input<SyncFieldRef>;
  fieldId?: pulumi.Input<string>;
  fieldType?: pulumi.Input<"Model" | "Target">;
  value?: pulumi.Input<unknown>;
  label?: pulumi.Input<string>;
}

/** A conditional replacement of a value. Give `field` or `fieldId` (for overrides `fieldId` wins). */
export interface SyncOverride {
  field?: pulumi.Input<SyncFieldRef>;
  fieldId?: pulumi.Input<string>;
  function?: pulumi.Input<(typeof FILTER_FUNCTIONS)[number]>;
  value?: pulumi.Input<unknown>;
  override?: pulumi.Input<unknown>;
}

/** Arguments of {@link Sync}. */
export interface SyncArgs {
  /** The sync's display name. */
  name: pulumi.Input<string>;
  /** Whether the sync is enabled and scheduled. */
  active?: pulumi.Input<boolean>;
  /** `create`, `update`, `updateOrCreate`, `replace`, `append`, `remove` or `snapshot`. */
  mode: pulumi.Input<(typeof SYNC_MODES)[number]>;
  /** The field mappings; at least one. */
  fields: pulumi.Input<pulumi.Input<SyncFieldMapping>[]>;
  target: pulumi.Input<SyncTarget>;
  schedule: pulumi.Input<SyncSchedule>;
  identity?: pulumi.Input<SyncIdentity>;
  filters?: pulumi.Input<pulumi.Input<SyncFilter>[]>;
  /** How filters combine, e.g. `"1 AND 2"`. */
  filterLogic?: pulumi.Input<string>;
  overrides?: pulumi.Input<pulumi.Input<SyncOverride>[]>;
  /** Values set in the target unconditionally. */
  overrideFields?: pulumi.Input<pulumi.Input<SyncFieldMapping>[]>;
  syncAllRecords?: pulumi.Input<boolean>;
  skipInitialBackfill?: pulumi.Input<boolean>;
  onlyEnrichUpdates?: pulumi.Input<boolean>;
  /** Passphrase for encrypted fields. Kept secret. */
  encryptionPassphrase?: pulumi.Input<string>;
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** The organization (partner keys). Changing it replaces the sync. */
  organizationId?: pulumi.Input<string>;
  /** Adopt the existing sync with this ID instead of creating one (see `Connection.importId`). */
  importId?: pulumi.Input<string>;
}

/** {@link Sync}'s field lists: its outputs, secrets and the provider's diff keys derive from them. */
export const SYNC_FIELDS = defineFields<SyncArgs>()({
  remote: [
    "name",
    "active",
    "mode",
    "fields",
    "target",
    "schedule",
    "identity",
    "filters",
    "filterLogic",
    "overrides",
    "overrideFields",
    "syncAllRecords",
    "skipInitialBackfill",
    "onlyEnrichUpdates",
    "encryptionPassphrase",
    "policies",
    "organizationId",
  ],
  local: ["importId"],
  reported: ["modelIds"],
  replace: ["organizationId"],
  secret: ["encryptionPassphrase"],
});

/**
 * A Polytomic model sync: maps model fields into a target connection's object, on a schedule.
 * Type token: `pulumi-nodejs:dynamic/polytomic:Sync`.
 */
export class Sync extends pulumi.dynamic.Resource {
  /** The display name. */
  declare readonly name: pulumi.Output<string>;
  declare readonly active: pulumi.Output<boolean | undefined>;
  declare readonly mode: pulumi.Output<SyncOutputs["mode"]>;
  /** The field mappings as applied or read. */
  declare readonly fields: pulumi.Output<SyncOutputs["fields"]>;
  declare readonly target: pulumi.Output<SyncOutputs["target"]>;
  /** The schedule; times as the API stores them (two-digit strings). */
  declare readonly schedule: pulumi.Output<SyncOutputs["schedule"]>;
  declare readonly identity: pulumi.Output<SyncOutputs["identity"]>;
  declare readonly filters: pulumi.Output<SyncOutputs["filters"]>;
  /** Secret. */
  declare readonly encryptionPassphrase: pulumi.Output<string | undefined>;
  /** The models the sync reads, as Polytomic reports them. */
  declare readonly modelIds: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: SyncArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("Sync"),
      name,
      resourceProps(SYNC_FIELDS, args),
      withSecretOutputs(opts, secretOutputsOf(SYNC_FIELDS)),
      TYPE_MODULE,
      "Sync",
    );
  }

  /** A read-only reference to an existing sync, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Sync {
    return new Sync(name, undefined as unknown as SyncArgs, { ...opts, id });
  }
}
