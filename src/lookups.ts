/**
 * Look-ups a program makes while it runs, to choose what to declare: a connection's bulk-sync source schemas and
 * its bulk-sync destination settings. Pulumi dynamic providers have no invokes, so these are ordinary async
 * functions that call Polytomic's API from the program itself, with the same settings as the resources
 * (`polytomic:apiKey` / `polytomic:deploymentUrl` in the stack config, else `POLYTOMIC_API_KEY` /
 * `POLYTOMIC_DEPLOYMENT_URL`). They run whenever the program runs: at `pulumi preview` too.
 *
 * This module is loaded with the package: it imports nothing heavy, and loads the HTTP client (undici, zod) on
 * the first call only.
 */

import * as pulumi from "@pulumi/pulumi";
import type { BulkSyncDestination, BulkSyncSource } from "./api";
import type { ProviderConfig } from "./providers/settings";

/** A field of a source schema. */
export interface BulkSourceField {
  id: string;
  name: string;
  /** `string`, `number`, `boolean`, `datetime`, `array`, `object`, `binary` or `unknown`. */
  type?: string;
  /** The type in the source system. */
  remoteType?: string;
  isPrimaryKey?: boolean;
}

/** A schema (table, object, file) a source connection offers. */
export interface BulkSourceSchema {
  /** What `BulkSync.schemas` takes: an object name (`Account`), `schema.table`, or a file of a bucket. */
  id: string;
  name: string;
  /** Its fields (empty when `includeFields` was false). */
  fields: BulkSourceField[];
}

/** What {@link getBulkSource} returns. */
export interface BulkSource {
  connectionId: string;
  /** The schemas the connection has cached (a connection whose schema cache is still refreshing may have none). */
  schemas: BulkSourceSchema[];
  /** Whether schemas may name a `trackingField`. */
  supportsTrackingFields: boolean;
  /** The source's own settings, as Polytomic describes them (what `BulkSync.sourceConfiguration` takes). */
  configuration?: unknown;
}

/** A bulk-sync mode a destination supports. */
export interface BulkDestinationMode {
  /** `replicate` or `snapshot`: what `BulkSync.mode` takes. */
  id: string;
  label?: string;
  description?: string;
}

/** What {@link getBulkDestination} returns. */
export interface BulkDestination {
  connectionId: string;
  /** The JSON Schema of `BulkSync.destinationConfiguration` for this destination. */
  configuration?: Record<string, unknown>;
  /** The settings `destinationConfiguration` must give (the JSON Schema's `required`). */
  requiredConfiguration: string[];
  modes: BulkDestinationMode[];
  /** `refetch`, `resync`, `rebuild`: what additional schedules' `resyncMode` may take besides `normal`. */
  supportedResyncModes: string[];
}

/** Settings of a look-up: only the connection; the credentials come from the stack config or environment. */
export interface BulkLookupArgs {
  /** The connection's Polytomic ID (known: inside `apply` when it comes from a resource of the same program). */
  connectionId: string;
}

async function client() {
  const stack = new pulumi.Config("polytomic");
  const config: ProviderConfig = {
    apiKey: stack.get("apiKey"),
    deploymentUrl: stack.get("deploymentUrl"),
  };
  // Loaded here, not at the top: requiring the package must not load the HTTP client.
  const { clientFor } = await import("./providers/settings");
  return clientFor(config);
}

async function explained(error: unknown, what: string): Promise<unknown> {
  const { explainApiError } = await import("./providers/errors");
  return explainApiError(error, what);
}

/**
 * The schemas (tables, objects, files) a connection offers as a bulk-sync source, with their fields, as
 * Polytomic has them cached (`GET /api/connections/{id}/bulksync/source`). Use it to choose `BulkSync.schemas` by
 * name or pattern:
 *
 * ```ts
 * const source = await polytomic.getBulkSource({ connectionId: salesforceId });
 * const schemas = source.schemas.filter((s) => /^(Account|Contact)$/.test(s.name)).map((s) => s.id);
 * ```
 *
 * It calls the API whenever the program runs, `pulumi preview` included, so the connection must exist then:
 * for a connection created by the same program, call it inside `connection.id.apply(...)` (at preview the id is
 * not known yet and the schemas stay unknown until `up`).
 */
export async function getBulkSource(args: BulkLookupArgs & { includeFields?: boolean }): Promise<BulkSource> {
  let source: BulkSyncSource;
  try {
    source = await (await client()).bulkSyncs.source(args.connectionId, {
      includeFields: args.includeFields ?? true,
    });
  } catch (error) {
    throw await explained(error, `reading the bulk-sync source schemas of connection ${args.connectionId}`);
  }
  return {
    connectionId: args.connectionId,
    schemas: (source.schemas ?? []).map((s) => ({
      id: s.id,
      name: s.name ?? s.id,
      fields: (s.fields ?? []).map((f) => ({
        id: f.id,
        name: f.name ?? f.id,
        ...(f.type === undefined ? {} : { type: f.type }),
        ...(f.remote_type === undefined ? {} : { remoteType: f.remote_type }),
        ...(f.is_primary_key === undefined ? {} : { isPrimaryKey: f.is_primary_key }),
      })),
    })),
    supportsTrackingFields: source.capabilities?.supports_tracking_fields === true,
    ...(source.configuration === undefined || source.configuration === null
      ? {}
      : { configuration: source.configuration }),
  };
}

/**
 * What a connection takes as a bulk-sync destination (`GET /api/connections/{id}/bulksync/target`): the JSON
 * Schema of `destinationConfiguration`, its required settings, and the modes it supports. Like
 * {@link getBulkSource}, it calls the API whenever the program runs, `pulumi preview` included.
 */
export async function getBulkDestination(args: BulkLookupArgs): Promise<BulkDestination> {
  let destination: BulkSyncDestination;
  try {
    destination = await (await client()).bulkSyncs.destination(args.connectionId);
  } catch (error) {
    throw await explained(
      error,
      `reading the bulk-sync destination settings of connection ${args.connectionId}`,
    );
  }
  const required = destination.configuration?.required;
  return {
    connectionId: args.connectionId,
    ...(destination.configuration === undefined ? {} : { configuration: destination.configuration }),
    requiredConfiguration: Array.isArray(required)
      ? required.filter((r): r is string => typeof r === "string")
      : [],
    modes: (destination.modes ?? []).map((m) => ({
      id: m.id,
      ...(m.label === undefined ? {} : { label: m.label }),
      ...(m.description === undefined ? {} : { description: m.description }),
    })),
    supportedResyncModes: destination.supported_resync_modes ?? [],
  };
}
