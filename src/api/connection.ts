import { z } from "zod";
import { JsonObject, optional } from "./common";

/** The `type` of a connection response: an object in responses, a string in requests. */
export const ConnectionTypeRef = z.looseObject({
  id: z.string(),
  name: optional(z.string()),
  logo_url: optional(z.string()),
  operations: optional(z.array(z.string())),
});

/** `ConnectionResponseSchema` / `CreateConnectionResponseSchema` (2025-09-18); unknown fields are kept. */
export const ConnectionResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: ConnectionTypeRef,
  configuration: JsonObject.nullish().transform((v) => v ?? {}),
  organization_id: optional(z.string()),
  policies: optional(z.array(z.string())),
  saved: optional(z.boolean()),
  status: optional(z.string()),
  status_error: optional(z.string()),
  healthcheck_interval: optional(z.string()),
  auth_url: optional(z.string()),
  auth_code: optional(z.string()),
  parent_connection_id: optional(z.string()),
  created_at: optional(z.string()),
  updated_at: optional(z.string()),
});
export type ConnectionResponse = z.infer<typeof ConnectionResponse>;

/** `POST /api/connections` body. */
export interface CreateConnectionRequest {
  name: string;
  type: string;
  configuration: Record<string, unknown>;
  organization_id?: string;
  policies?: string[];
  validate?: boolean;
  healthcheck_interval?: string;
  redirect_url?: string;
}

/** `PUT /api/connections/{id}` body: a full replacement. */
export interface UpdateConnectionRequest {
  name: string;
  type?: string;
  configuration: Record<string, unknown>;
  organization_id?: string;
  policies?: string[];
  validate?: boolean;
  healthcheck_interval?: string;
}

/** `GET /api/connections/{id}/schemas/status`. `cache_status` values vary in the docs (see the README). */
export const SchemaCacheStatus = z.looseObject({
  cache_status: optional(z.union([z.string(), z.boolean()]).transform(String)),
  last_refresh_started: optional(z.string()),
  last_refresh_finished: optional(z.string()),
});
export type SchemaCacheStatus = z.infer<typeof SchemaCacheStatus>;

/** One dependent named in a `422 connection in use` answer's `metadata.used_by`. */
export const ConnectionUser = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  id: z.string(),
});
export type ConnectionUser = z.infer<typeof ConnectionUser>;
