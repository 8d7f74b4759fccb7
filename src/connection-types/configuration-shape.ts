import { z } from "zod";
import { enumValues, isReadOnly, type JsonSchema } from "./json-schema";

/**
 * A connection type's `configuration`, seen from both sides: the API's snake_case keys and the camelCase keys of
 * the typed Pulumi classes. Every function here is driven by the type's JSON Schema, so one implementation
 * serves every connection type.
 */

/** `service_account` → `serviceAccount`; keys without underscores are unchanged. */
export function camelizeKey(key: string): string {
  return key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/** How a configuration's keys are spelled. */
export type KeyCasing = "api" | "camel";

const keyFor = (apiKey: string, casing: KeyCasing) => (casing === "camel" ? camelizeKey(apiKey) : apiKey);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapKeys(
  schema: JsonSchema | undefined,
  value: unknown,
  rename: (apiKey: string) => string,
  unknownKey: (key: string) => string,
): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(schema?.items, v, rename, unknownKey));
  if (!isObject(value)) return value;
  const properties = schema?.properties ?? {};
  const byName = new Map(Object.keys(properties).map((k) => [rename(k), k]));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const apiKey = byName.get(key);
    out[apiKey === undefined ? unknownKey(key) : key === apiKey ? key : apiKey] = mapKeys(
      apiKey === undefined ? undefined : properties[apiKey],
      v,
      rename,
      unknownKey,
    );
  }
  return out;
}

/** camelCase configuration → the API's keys. Keys the schema does not know are passed through unchanged. */
export function toApiConfiguration(
  schema: JsonSchema,
  camel: Record<string, unknown>,
): Record<string, unknown> {
  return mapKeys(schema, camel, camelizeKey, (k) => k) as Record<string, unknown>;
}

/** The API's configuration → camelCase keys (keys the schema does not know are camelized too). */
export function fromApiConfiguration(
  schema: JsonSchema,
  api: Record<string, unknown>,
): Record<string, unknown> {
  return camelizeDeep(schema, api) as Record<string, unknown>;
}

function camelizeDeep(schema: JsonSchema | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => camelizeDeep(schema?.items, v));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[camelizeKey(key)] = camelizeDeep(schema?.properties?.[key], v);
  return out;
}

/** Some schema defaults are UI strings (`["[csv]"]`); only defaults that match the field's own type are used. */
export function isUsableDefault(schema: JsonSchema): boolean {
  const d = schema.default;
  switch (schema.type) {
    case "string":
      return typeof d === "string";
    case "boolean":
      return typeof d === "boolean";
    case "integer":
    case "number":
      return typeof d === "number";
    default:
      return false;
  }
}

/** Drops the keys the server derives (read-only), at every level. Such values are never sent. */
export function withoutReadOnly(schema: JsonSchema, api: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(api)) {
    const sub = schema.properties?.[key];
    if (sub !== undefined && isReadOnly(sub)) continue;
    out[key] = sub !== undefined && isObject(v) && sub.properties !== undefined ? withoutReadOnly(sub, v) : v;
  }
  return out;
}

/** Only the read-only (server-derived) top-level values, for the `computedConfiguration` output. */
export function onlyReadOnly(schema: JsonSchema, api: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (isReadOnly(sub) && api[key] !== undefined) out[key] = api[key];
  }
  return out;
}

/**
 * A zod validator for a configuration, in either casing: types, required keys, enum values, unknown keys, and
 * read-only keys refused (the server derives them).
 */
export function configurationValidator(schema: JsonSchema, casing: KeyCasing, strict = true): z.ZodType {
  return objectValidator(schema, casing, strict);
}

function objectValidator(schema: JsonSchema, casing: KeyCasing, strictTop = true): z.ZodType {
  const required = new Set(schema.required ?? []);
  const shape: Record<string, z.ZodType> = {};
  for (const [apiKey, sub] of Object.entries(schema.properties ?? {})) {
    const key = keyFor(apiKey, casing);
    if (isReadOnly(sub)) {
      shape[key] = z
        .unknown()
        .refine((v) => v === undefined, "is read-only: Polytomic derives it, so it cannot be set")
        .optional();
      continue;
    }
    const field = nodeValidator(sub, casing);
    // A required key with a default may be left out: the request fills the default in (withRequiredDefaults).
    shape[key] = required.has(apiKey) && !isUsableDefault(sub) ? field : field.optional();
  }
  const object = z.object(shape);
  const strict =
    schema.additionalProperties === false || (schema.additionalProperties === undefined && strictTop);
  return strict ? object.strict() : object.loose();
}

function nodeValidator(schema: JsonSchema, casing: KeyCasing): z.ZodType {
  const values = enumValues(schema);
  if (values !== undefined && values.length > 0) {
    const literals = values.filter((v): v is string | number | boolean =>
      ["string", "number", "boolean"].includes(typeof v),
    );
    if (literals.length > 0) {
      const base = z.union(literals.map((v) => z.literal(v)) as [z.ZodLiteral, ...z.ZodLiteral[]], {
        error: `must be one of: ${literals.map((v) => JSON.stringify(v)).join(", ")}`,
      });
      return schema.type === "array" ? z.array(base) : base;
    }
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return z.string();
    case "boolean":
      return z.boolean();
    case "integer":
      return z.number().int();
    case "number":
      return z.number();
    case "array":
      return z.array(schema.items === undefined ? z.unknown() : nodeValidator(schema.items, casing));
    case "object":
      return schema.properties === undefined
        ? z.record(z.string(), z.unknown())
        : objectValidator(schema, casing);
    default:
      return z.unknown();
  }
}

/** The schema's usable defaults by path (`csv_has_headers`, `ssh.port`), in the given casing. */
export function defaultsByPath(schema: JsonSchema, casing: KeyCasing, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [apiKey, sub] of Object.entries(schema.properties ?? {})) {
    const path = prefix === "" ? keyFor(apiKey, casing) : `${prefix}.${keyFor(apiKey, casing)}`;
    if (sub.default !== undefined && isUsableDefault(sub)) out[path] = sub.default;
    if (sub.properties !== undefined) Object.assign(out, defaultsByPath(sub, casing, path));
  }
  return out;
}

/** Fills the defaults of required top-level keys the configuration leaves out (e.g. webhook `auth_method`). */
export function withRequiredDefaults(
  schema: JsonSchema,
  api: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...api };
  for (const key of schema.required ?? []) {
    const sub = schema.properties?.[key];
    if (sub !== undefined && out[key] === undefined && isUsableDefault(sub) && !isReadOnly(sub))
      out[key] = sub.default;
  }
  return out;
}
