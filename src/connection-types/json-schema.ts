/**
 * A small validator for the JSON Schema dialect of Polytomic's connection-type schemas
 * (`data/connection-types/<type>.json`).
 *
 * Only these keywords occur in those schemas and are understood here: `type` (string, object, boolean, array,
 * integer), `properties`, `required`, `enum` (items are `{value, label}` objects or bare values), `items`,
 * `additionalProperties`, plus Polytomic's `sensitive`, `readOnly` / `readonly` (both spellings occur),
 * `hidden`, `api_field` and `default`. Everything else (`title`, `examples`, `widget`, ...) is ignored.
 *
 * Paths are dotted (`basic.password`), array elements are indexed in problems (`query[0].name`) and written
 * `[]` in path patterns (`query[].value`).
 */

import { EXTRA_SECRETS } from "./extra-secrets";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  sensitive?: boolean;
  readOnly?: boolean;
  readonly?: boolean;
  hidden?: boolean;
  api_field?: boolean;
  default?: unknown;
  title?: string;
  description?: string;
  [keyword: string]: unknown;
}

export interface ValidationProblem {
  /** Where the problem is, e.g. `basic.password` or `query[0].name`; `""` for the configuration itself. */
  path: string;
  message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

/** The allowed values of an `enum`, whose items are `{value, label}` objects or bare values. */
export function enumValues(schema: JsonSchema): unknown[] | undefined {
  if (!Array.isArray(schema.enum)) return undefined;
  return schema.enum.map((item) => (isPlainObject(item) && "value" in item ? item.value : item));
}

export function isReadOnly(schema: JsonSchema): boolean {
  return schema.readOnly === true || schema.readonly === true;
}

function childPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

function validateNode(schema: JsonSchema, value: unknown, path: string, problems: ValidationProblem[]): void {
  // `null` reads as "not set": required-ness is checked by the parent object.
  if (value === null || value === undefined) return;

  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((t) => matchesType(t, value))) {
    problems.push({ path, message: `expected ${types.join(" or ")}, got ${describe(value)}` });
    return;
  }

  const allowed = enumValues(schema);
  if (allowed !== undefined && allowed.length > 0 && !allowed.some((v) => v === value)) {
    problems.push({
      path,
      message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`,
    });
    return;
  }

  if (isPlainObject(value)) {
    const properties = schema.properties ?? {};
    for (const key of schema.required ?? []) {
      const property = properties[key];
      // Derived by the server; or not declared at all: the OAuth types list their tokens as required without a
      // property, because Polytomic's interactive consent fills them in, never the client.
      if (property === undefined || isReadOnly(property)) continue;
      if (value[key] === undefined || value[key] === null) {
        problems.push({ path: childPath(path, key), message: "is required" });
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const property = properties[key];
      if (property !== undefined) {
        validateNode(property, child, childPath(path, key), problems);
      } else if (schema.additionalProperties === false) {
        problems.push({ path: childPath(path, key), message: "is not an allowed property" });
      } else if (isPlainObject(schema.additionalProperties)) {
        validateNode(schema.additionalProperties, child, childPath(path, key), problems);
      }
    }
  } else if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, index) => {
      validateNode(items, item, `${path}[${index}]`, problems);
    });
  }
}

/**
 * Validates a connection `configuration` against its type's schema and returns every problem found (an empty
 * array when the value is valid). `null` values count as absent.
 */
export function validateConfiguration(schema: JsonSchema, value: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isPlainObject(value)) {
    problems.push({ path: "", message: `expected object, got ${describe(value)}` });
    return problems;
  }
  validateNode({ ...schema, type: "object" }, value, "", problems);
  return problems;
}

function collectPaths(
  schema: JsonSchema,
  path: string,
  test: (s: JsonSchema) => boolean,
  out: string[],
): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const here = childPath(path, key);
    if (test(property)) out.push(here);
    collectPaths(property, here, test, out);
  }
  if (schema.items !== undefined) {
    const here = `${path}[]`;
    if (test(schema.items)) out.push(here);
    collectPaths(schema.items, here, test, out);
  }
}

/** Path patterns of every value marked `sensitive: true`, e.g. `service_account`, `oauth.client_secret`, `query[].value`. */
export function sensitivePaths(schema: JsonSchema): string[] {
  const out: string[] = [];
  collectPaths(schema, "", (s) => s.sensitive === true, out);
  return out;
}

/** Path patterns of every value marked `readOnly: true` or `readonly: true` (server-derived). */
export function readOnlyPaths(schema: JsonSchema): string[] {
  const out: string[] = [];
  collectPaths(schema, "", isReadOnly, out);
  return out;
}

/**
 * {@link sensitivePaths} plus the credentials the type's schema leaves unmarked (`EXTRA_SECRETS` in
 * `./extra-secrets`, each with its reason), without duplicates. Every part of the package that treats a value
 * as secret (the resource classes, the providers' error redaction, the emulator's masking) asks this function.
 */
export function secretPathsForType(type: string, schema: JsonSchema): string[] {
  const extra = Object.hasOwn(EXTRA_SECRETS, type) ? (EXTRA_SECRETS[type] ?? []) : [];
  return [...new Set([...sensitivePaths(schema), ...extra.map((e) => e.path)])];
}
