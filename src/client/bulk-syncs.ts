import { z } from "zod";
import { BulkSchema, BulkSyncDestination, BulkSyncSource, BulkSyncStatus } from "../api";
import type { RequestOptions } from "./client";
import type { HttpTransport } from "./transport";

const segment = (value: string) => encodeURIComponent(value);

/**
 * The bulk-sync calls besides create, get, update and delete (the client's `crud` builder makes those): the
 * schemas, the status, and the bulk-sync metadata of connections. `schemas` is write-only on the sync body
 * (Polytomic never returns it): read them with `listSchemas` and `getSchema`. The transport is read at call time
 * (the client's fields are initialised before its constructor sets it).
 */
export function bulkSyncExtras(client: { readonly transport: HttpTransport }) {
  const at = (id: string) => `/api/bulk/syncs/${segment(id)}`;
  const call: HttpTransport["call"] = (method, path, options) => client.transport.call(method, path, options);
  return {
    /** The schemas configured on the sync, without their fields and filters (the list leaves them out). */
    listSchemas: (id: string) => call("GET", `${at(id)}/schemas`, { schema: z.array(BulkSchema) }),
    /** One schema with its fields and filters. */
    getSchema: (id: string, schemaId: string) =>
      call("GET", `${at(id)}/schemas/${segment(schemaId)}`, { schema: BulkSchema }),
    /** Updates only the schemas listed (matched by id); each one's `fields` left out enables them all. */
    patchSchemas: (id: string, schemas: Record<string, unknown>[], options: RequestOptions = {}) =>
      call("PATCH", `${at(id)}/schemas`, {
        body: { schemas },
        schema: z.array(BulkSchema).nullish(),
        ...options,
      }),
    /** The current and last executions. */
    status: (id: string) => call("GET", `${at(id)}/status`, { schema: BulkSyncStatus }),
    /** `GET /api/connections/{id}/bulksync/source`: the schemas (and fields) the connection has cached. */
    source: (connectionId: string, options: { includeFields?: boolean } = {}) =>
      call("GET", `/api/connections/${segment(connectionId)}/bulksync/source`, {
        query: { include_fields: options.includeFields },
        schema: BulkSyncSource,
      }),
    /** `GET /api/connections/{id}/bulksync/target`: the destination's configuration schema and modes. */
    destination: (connectionId: string) =>
      call("GET", `/api/connections/${segment(connectionId)}/bulksync/target`, {
        schema: BulkSyncDestination,
      }),
  };
}
