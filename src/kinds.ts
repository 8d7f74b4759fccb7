/**
 * The table of resource kinds: the one map from a kind (the resource class's name, the last part of its type token
 * `pulumi-nodejs:dynamic/polytomic:<Kind>`, which state stores) to everything else needs of it. The provider entry
 * point, the tests, the reliability suites and the bench iterate over it.
 *
 * Adding a kind: its spec (src/providers), its resource class with its field lists (src/resources), its emulator
 * routes (src/emulator/routes), and one line in {@link OBJECT_KINDS}.
 *
 * Loaded in the provider process (and by tests and tools), never by a program's `require("pulumi-polytomic")`:
 * it loads every provider implementation, and with them zod and the HTTP client.
 */

import type * as pulumi from "@pulumi/pulumi";
import { TYPED_CONNECTION_CLASSES } from "./generated/connection-kinds";
import { BULK_SYNC_EXECUTION_SPEC } from "./providers/bulk-sync-execution-spec";
import { BULK_SYNC_SPEC } from "./providers/bulk-sync-spec";
import { ConnectionProvider } from "./providers/connection-provider";
import {
  CONNECTION_SCHEMA_FIELD_SPEC,
  CONNECTION_SCHEMA_PRIMARY_KEYS_SPEC,
} from "./providers/connection-schema-spec";
import { MODEL_SPEC } from "./providers/model-spec";
import { EVENT_WEBHOOK_SPEC, GLOBAL_ERROR_SUBSCRIBERS_SPEC } from "./providers/notifications-spec";
import { ObjectProvider, type ObjectSpec } from "./providers/object-provider";
import { ORGANIZATION_SPEC } from "./providers/organization-spec";
import { POLICY_SPEC, ROLE_SPEC } from "./providers/permissions-spec";
import type { ProviderConfig } from "./providers/settings";
import { SYNC_EXECUTION_SPEC } from "./providers/sync-execution-spec";
import { SYNC_SPEC } from "./providers/sync-spec";
import { USER_API_KEY_SPEC, USER_SPEC } from "./providers/users-spec";
import { CONNECTION_FIELDS } from "./resources/connection-base";
import { type AnyKindFields, outputNames } from "./resources/fields";

/** A provider implementation: every method of `ResourceProvider` but `configure` (the forwarder handles that). */
export type ProviderImplementation = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;

/** A resource class: `new Model(name, args, opts)`. */
export type ResourceClass = new (
  name: string,
  args: never,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.dynamic.Resource;

/** Everything the package, its tests and its tools need of one resource kind. */
export interface KindDefinition {
  /** The class name: `Model`, `GcsConnection`, ... */
  readonly kind: string;
  /** `connection` for the generic and typed connection classes (one shared provider), `object` otherwise. */
  readonly family: "connection" | "object";
  /** The connection type a typed connection class manages (`gcs`); absent for the generic class and objects. */
  readonly connectionType?: string;
  /** The type token the engine sees. */
  readonly typeToken: string;
  /** The kind's field lists, from which its outputs and diff keys derive. */
  readonly fields: AnyKindFields;
  /** Every output the resource class declares. */
  readonly outputs: readonly string[];
  /**
   * The resource class, loaded on first use: the provider process never needs the classes, and the generated
   * ones (one per connection type) would add to every deployment's start-up.
   */
  resourceClass(): Promise<ResourceClass>;
  /** A new provider implementation for the given settings (loads the implementation on first use). */
  provider(config: ProviderConfig | undefined): ProviderImplementation;
  /** The object kinds' spec (its pure read mapping serves tools such as the importer); absent for connections. */
  readonly spec?: ObjectSpec<never, never, never, never>;
}

/** The type token of a kind. */
export const typeToken = (kind: string): string => `pulumi-nodejs:dynamic/polytomic:${kind}`;

/** The class of a kind from the package's resources, loaded when first asked for. */
const loadResourceClass = async (kind: string): Promise<ResourceClass> =>
  ((await import("./resources")) as unknown as Record<string, ResourceClass>)[kind] as ResourceClass;

const objectKind = (kind: string, spec: ObjectSpec<never, never, never, never>): KindDefinition => ({
  kind,
  family: "object",
  typeToken: typeToken(kind),
  fields: spec.fields,
  outputs: outputNames(spec.fields),
  resourceClass: () => loadResourceClass(kind),
  provider: (config) => new ObjectProvider(spec, config) as unknown as ProviderImplementation,
  spec,
});

const connectionKind = (kind: string, connectionType?: string): KindDefinition => ({
  kind,
  family: "connection",
  ...(connectionType === undefined ? {} : { connectionType }),
  typeToken: typeToken(kind),
  fields: CONNECTION_FIELDS,
  outputs: outputNames(CONNECTION_FIELDS),
  resourceClass: () => loadResourceClass(kind),
  provider(config) {
    const casing = connectionType === undefined ? "api" : "camel";
    return new ConnectionProvider(
      { className: kind, casing, ...(connectionType === undefined ? {} : { fixedType: connectionType }) },
      config,
    );
  },
});

/** The API object kinds besides connections: one line each. */
export const OBJECT_KINDS: readonly KindDefinition[] = [
  objectKind("Model", MODEL_SPEC as never),
  objectKind("Sync", SYNC_SPEC as never),
  objectKind("SyncExecution", SYNC_EXECUTION_SPEC as never),
  objectKind("BulkSync", BULK_SYNC_SPEC as never),
  objectKind("BulkSyncExecution", BULK_SYNC_EXECUTION_SPEC as never),
  objectKind("Organization", ORGANIZATION_SPEC as never),
  objectKind("Role", ROLE_SPEC as never),
  objectKind("Policy", POLICY_SPEC as never),
  objectKind("User", USER_SPEC as never),
  objectKind("UserApiKey", USER_API_KEY_SPEC as never),
  objectKind("GlobalErrorSubscribers", GLOBAL_ERROR_SUBSCRIBERS_SPEC as never),
  objectKind("EventWebhook", EVENT_WEBHOOK_SPEC as never),
  objectKind("ConnectionSchemaPrimaryKeys", CONNECTION_SCHEMA_PRIMARY_KEYS_SPEC as never),
  objectKind("ConnectionSchemaField", CONNECTION_SCHEMA_FIELD_SPEC as never),
];

/** The generic `Connection` class and one typed class per connection type. */
export const CONNECTION_KINDS: readonly KindDefinition[] = [
  connectionKind("Connection"),
  ...Object.entries(TYPED_CONNECTION_CLASSES).map(([kind, type]) => connectionKind(kind, type)),
];

/** Every resource kind, by its class name. */
export const KINDS: ReadonlyMap<string, KindDefinition> = new Map(
  [...CONNECTION_KINDS, ...OBJECT_KINDS].map((k) => [k.kind, k]),
);

/** The kind's definition; throws the message users need when state names a kind this version does not know. */
export function kindOf(kind: string): KindDefinition {
  const definition = KINDS.get(kind);
  if (definition === undefined) {
    throw new Error(
      `pulumi-polytomic does not know the resource kind "${kind}": the state was written by a newer version of ` +
        "the package; install that version (or newer) in the Pulumi program's folder.",
    );
  }
  return definition;
}
