import { z } from "zod";
import { JsonObject, optional } from "./common";

/** `ModelField`. */
export const ModelField = z.looseObject({
  id: z.string(),
  name: z.string(),
  label: optional(z.string()),
  type: optional(z.string()),
  remote_type: optional(z.string()),
  description: optional(z.string()),
  example: z.unknown().optional(),
  unique: optional(z.boolean()),
  user_added: optional(z.boolean()),
});
export type ModelField = z.infer<typeof ModelField>;

/** `{from, to: {model_id, field}}`. */
export const ModelRelation = z.looseObject({
  from: z.string(),
  to: z.looseObject({ model_id: z.string(), field: z.string() }),
});

/** `ModelResponse` (2025-09-18); unknown fields are kept. */
export const ModelResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  connection_id: z.string(),
  configuration: JsonObject.nullish().transform((v) => v ?? {}),
  type: optional(z.string()),
  version: optional(z.number()),
  identifier: optional(z.string()),
  fields: z
    .array(ModelField)
    .nullish()
    .transform((v) => v ?? []),
  relations: optional(z.array(ModelRelation)),
  tracking_columns: optional(z.array(z.string())),
  labels: optional(z.array(z.unknown())),
  policies: optional(z.array(z.string())),
  organization_id: optional(z.string()),
  created_at: optional(z.string()),
  updated_at: optional(z.string()),
});
export type ModelResponse = z.infer<typeof ModelResponse>;

/** `CreateModelRequest` / `UpdateModelRequest` (both full bodies). */
export interface ModelRequest {
  name: string;
  connection_id: string;
  configuration: Record<string, unknown>;
  fields?: string[];
  additional_fields?: { name: string; label: string; type: string; example?: unknown }[];
  identifier?: string;
  tracking_columns?: string[];
  labels?: string[];
  policies?: string[];
  relations?: { from: string; to: { model_id: string; field: string } }[];
  organization_id?: string;
}
