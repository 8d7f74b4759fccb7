import { z } from "zod";
import {
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
import { HttpTransport, type TransportOptions } from "./transport";

/** Per-call settings shared by the client's methods. */
export interface RequestOptions {
  /** Secret values in the body (passwords, keys) to keep out of any error message. */
  readonly secrets?: readonly string[];
  /** A POST's idempotency key, when the caller wants to choose it (e.g. to resume a call); generated otherwise. */
  readonly idempotencyKey?: string;
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
    create: (body: CreateConnectionRequest, options: RequestOptions = {}) =>
      this.transport.call("POST", "/api/connections", { body, schema: ConnectionResponse, ...options }),
    get: (connectionId: string) =>
      this.transport.call("GET", `/api/connections/${segment(connectionId)}`, { schema: ConnectionResponse }),
    /** A full replacement: configuration keys left out are cleared. */
    update: (connectionId: string, body: UpdateConnectionRequest, options: RequestOptions = {}) =>
      this.transport.call("PUT", `/api/connections/${segment(connectionId)}`, {
        body,
        schema: ConnectionResponse,
        ...options,
      }),
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
  readonly models = {
    create: (body: ModelRequest, options: RequestOptions = {}) =>
      this.transport.call("POST", "/api/models", { body, schema: ModelResponse, ...options }),
    get: (modelId: string) =>
      this.transport.call("GET", `/api/models/${segment(modelId)}`, { schema: ModelResponse }),
    /** A full replacement. */
    update: (modelId: string, body: ModelRequest, options: RequestOptions = {}) =>
      this.transport.call("PUT", `/api/models/${segment(modelId)}`, {
        body,
        schema: ModelResponse,
        ...options,
      }),
    delete: (modelId: string) => this.transport.call("DELETE", `/api/models/${segment(modelId)}`),
  };

  /** Model syncs and their executions. */
  readonly syncs = {
    create: (body: SyncRequest, options: RequestOptions = {}) =>
      this.transport.call("POST", "/api/syncs", { body, schema: SyncResponse, ...options }),
    get: (syncId: string) =>
      this.transport.call("GET", `/api/syncs/${segment(syncId)}`, { schema: SyncResponse }),
    /** A full replacement. */
    update: (syncId: string, body: SyncRequest, options: RequestOptions = {}) =>
      this.transport.call("PUT", `/api/syncs/${segment(syncId)}`, { body, schema: SyncResponse, ...options }),
    delete: (syncId: string) => this.transport.call("DELETE", `/api/syncs/${segment(syncId)}`),
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
}
