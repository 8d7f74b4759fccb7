import type { ZodType } from "zod";
import { z } from "zod";
import {
  type BulkSyncRequest,
  BulkSyncResponse,
  ConnectionResponse,
  type CreateConnectionRequest,
  Identity,
  type ModelRequest,
  ModelResponse,
  SchemaCacheStatus,
  SyncExecution,
  type SyncRequest,
  SyncResponse,
  SyncStatus,
  type UpdateConnectionRequest,
} from "../api";
import { bulkSyncExtras } from "./bulk-syncs";
import { organizationCalls } from "./organizations";
import { HttpTransport, type TransportOptions } from "./transport";

/** Per-call settings shared by the client's methods. */
export interface RequestOptions {
  /** Secret values in the body (passwords, keys) to keep out of any error message. */
  readonly secrets?: readonly string[];
  /** A POST's idempotency key, when the caller wants to choose it (e.g. to resume a call); generated otherwise. */
  readonly idempotencyKey?: string;
}

/** The four calls of an API object kind whose create and update take a full body (`POST` and `PUT`). */
export interface CrudCalls<Req, Res, UpdateReq = Req> {
  create(body: Req, options?: RequestOptions): Promise<Res>;
  get(id: string): Promise<Res>;
  /** A full replacement. */
  update(id: string, body: UpdateReq, options?: RequestOptions): Promise<Res>;
  delete(id: string): Promise<unknown>;
}

/** A path segment from an id: URL-encoded, so an id can never change the path. */
const segment = (value: string) => encodeURIComponent(value);

/** The Polytomic REST API: connections, models, syncs and the caller's identity. */
export class PolytomicClient {
  readonly transport: HttpTransport;

  constructor(options: TransportOptions) {
    this.transport = new HttpTransport(options);
  }

  /** `GET /api/me`: who the API key belongs to. Use it to check a key. */
  me() {
    return this.transport.call("GET", "/api/me", { schema: Identity });
  }

  /** Connections and their schema cache. */
  readonly connections = {
    /** `update` is a full replacement: configuration keys left out are cleared. */
    ...this.crud<CreateConnectionRequest, ConnectionResponse, UpdateConnectionRequest>(
      "/api/connections",
      ConnectionResponse,
    ),
    /** With `force`, Polytomic deletes the models and syncs that use the connection first. */
    delete: (connectionId: string, options: { force?: boolean } = {}) =>
      this.transport.call("DELETE", `/api/connections/${segment(connectionId)}`, {
        query: { force: options.force ? true : undefined },
      }),
    list: () => this.transport.call("GET", "/api/connections", { schema: z.array(ConnectionResponse) }),
    schemaStatus: (connectionId: string) =>
      this.transport.call("GET", `/api/connections/${segment(connectionId)}/schemas/status`, {
        schema: SchemaCacheStatus,
      }),
    /** Starts a schema-cache refresh (202); poll {@link schemaStatus} for its end. */
    refreshSchema: (connectionId: string, options: RequestOptions = {}) =>
      this.transport.call("POST", `/api/connections/${segment(connectionId)}/schemas/refresh`, options),
  };

  /**
   * Models. Calls are synchronous (no `?async=true`): Polytomic answers with the model and its fields, which the
   * Pulumi resources need as outputs anyway.
   */
  readonly models: CrudCalls<ModelRequest, ModelResponse> = this.crud("/api/models", ModelResponse);

  /** Model syncs and their executions. */
  readonly syncs = {
    ...this.crud<SyncRequest, SyncResponse>("/api/syncs", SyncResponse),
    /** Starts an execution now; `resync` forces a full resync. */
    startExecution: (
      syncId: string,
      body: { resync?: boolean; test?: boolean; identities?: string[] } = {},
      options: RequestOptions = {},
    ) =>
      this.transport.call("POST", `/api/syncs/${segment(syncId)}/executions`, {
        body,
        schema: SyncExecution,
        ...options,
      }),
    status: (syncId: string) =>
      this.transport.call("GET", `/api/syncs/${segment(syncId)}/status`, { schema: SyncStatus }),
  };

  /** Bulk syncs (ELT), their schemas and status, and connections' bulk-sync metadata (./bulk-syncs). */
  readonly bulkSyncs = {
    ...this.crud<BulkSyncRequest, BulkSyncResponse>("/api/bulk/syncs", BulkSyncResponse),
    ...bulkSyncExtras(this),
  };

  /**
   * Organizations, users and their keys, roles, policies, the event webhook, global error subscribers and schema
   * overrides (./organizations).
   */
  readonly admin = organizationCalls(this);

  /** `POST base`, `GET base/{id}`, `PUT base/{id}` and `DELETE base/{id}`, each response validated by `schema`. */
  crud<Req, Res, UpdateReq = Req>(base: string, schema: ZodType<Res>): CrudCalls<Req, Res, UpdateReq> {
    const at = (id: string) => `${base}/${segment(id)}`;
    return {
      create: (body, options = {}) => this.transport.call("POST", base, { body, schema, ...options }),
      get: (id) => this.transport.call("GET", at(id), { schema }),
      update: (id, body, options = {}) => this.transport.call("PUT", at(id), { body, schema, ...options }),
      delete: (id) => this.transport.call("DELETE", at(id)),
    };
  }
}
