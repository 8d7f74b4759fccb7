import { randomBytes } from "node:crypto";
import {
  isReadOnly,
  type JsonSchema,
  readOnlyPaths,
  secretPathsForType,
  validateConfiguration,
} from "../connection-types/json-schema";
import { isPlainObject } from "../wire";
import { deepCopy, deletePaths, dropNulls, keepStoredSecrets, maskPaths } from "./config-paths";
import { ApiError, validationError } from "./http";

/** What {@link prepareConfiguration} needs to know about a create or an update. */
export interface PrepareInput {
  type: string;
  schema: JsonSchema;
  /** The configuration the client sent. */
  input: Record<string, unknown>;
  /** The stored configuration, for updates. */
  stored?: Record<string, unknown>;
  /** The request's `validate` flag (default true). */
  validate: boolean;
}

/**
 * Turns a client's configuration into the stored one:
 * 1. read-only values the client sent are dropped;
 * 2. on update, secrets sent as `"********"` or left out keep their stored value;
 * 3. `null` values are dropped (null = not set);
 * 4. the result is validated against the type's schema (422 listing every problem with its path);
 * 5. derived values are set (GCS `project_id`/`client_email`, webhook `secret`);
 * 6. schema defaults are filled in for omitted scalar keys.
 */
export function prepareConfiguration({
  type,
  schema,
  input,
  stored,
  validate,
}: PrepareInput): Record<string, unknown> {
  const config = deepCopy(input);
  deletePaths(config, readOnlyPaths(schema));
  if (stored !== undefined) keepStoredSecrets(config, stored, secretPathsForType(type, schema));
  dropNulls(config);

  const problems = validateConfiguration(schema, config);
  if (problems.length > 0) throw validationError(422, problems, "configuration", "invalid configuration");

  if (type === "gcs") deriveGcs(config, validate);
  if (type === "webhook") ensureWebhookSecret(config, stored);
  fillDefaults(schema, config);
  return config;
}

/** `project_id` and `client_email` come from the `service_account` key JSON. */
function deriveGcs(config: Record<string, unknown>, validate: boolean): void {
  let key: unknown;
  try {
    key = typeof config.service_account === "string" ? JSON.parse(config.service_account) : undefined;
  } catch {
    key = undefined;
  }
  const email = isPlainObject(key) && typeof key.client_email === "string" ? key.client_email : undefined;
  if (email === undefined || !isPlainObject(key)) {
    if (!validate) return;
    throw validationError(
      422,
      [
        {
          path: "service_account",
          message: "must be a service account key in JSON form with a client_email",
        },
      ],
      "configuration",
      "invalid configuration",
    );
  }
  config.client_email = email;
  if (typeof key.project_id === "string") config.project_id = key.project_id;
}

/** With `auth_method` `polytomic_secret` (the default), Polytomic generates the delivery secret once. */
function ensureWebhookSecret(
  config: Record<string, unknown>,
  stored: Record<string, unknown> | undefined,
): void {
  const method = config.auth_method ?? "polytomic_secret";
  if (method !== "polytomic_secret") {
    delete config.secret;
    return;
  }
  const previous = stored?.secret;
  config.secret =
    typeof previous === "string" && previous !== "" ? previous : randomBytes(24).toString("hex");
}

/**
 * Fills `default`s for omitted keys, in present objects only. Only scalar defaults are used: array defaults in
 * the shipped schemas are not usable values (GCS `single_table_file_formats` defaults to `["[csv]"]`).
 * Read-only keys and hidden internal keys (`hidden` without `api_field`) are skipped.
 */
export function fillDefaults(schema: JsonSchema, config: Record<string, unknown>): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const value = config[key];
    if (value === undefined) {
      if (isReadOnly(property) || (property.hidden === true && property.api_field !== true)) continue;
      const d = property.default;
      if (typeof d === "string" || typeof d === "number" || typeof d === "boolean") config[key] = d;
    } else if (isPlainObject(value)) {
      fillDefaults(property, value);
    } else if (Array.isArray(value) && property.items !== undefined) {
      const items = property.items;
      for (const item of value) if (isPlainObject(item)) fillDefaults(items, item);
    }
  }
}

/** The configuration as responses show it: every secret masked. */
export function maskedConfiguration(
  type: string,
  schema: JsonSchema | undefined,
  config: Record<string, unknown>,
): Record<string, unknown> {
  if (schema === undefined) return deepCopy(config);
  return maskPaths(config, secretPathsForType(type, schema));
}

/** A connection's type is fixed at creation: 422 for a different one (leaving it out is fine). */
export function assertTypeUnchanged(storedType: string, requested: unknown): void {
  if (requested !== undefined && requested !== null && requested !== storedType) {
    throw new ApiError(
      422,
      "validation_error",
      `the type of a connection cannot change (is ${storedType}, got ${String(requested)})`,
      { errors: [{ path: "type", message: "cannot change" }] },
    );
  }
}
