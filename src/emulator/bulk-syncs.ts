/**
 * Bulk syncs (ELT) in the emulator: what is stored, how a create or update body becomes it (validated, every
 * problem named by its path), the automatic addition of new schemas and fields, and the answers' shapes. The
 * routes are in routes/bulk-syncs.ts; the choices where the references are silent, in README.md ("The emulator").
 */

import { randomUUID } from "node:crypto";
import {
  BULK_DISCOVER,
  BULK_NORMALIZE_NAMES,
  BULK_SCHEDULE_DEFAULTS,
  BULK_SCHEDULE_SYNC_MODES,
  BULK_SELECTIVE_MODES,
  BULK_SYNC_DEFAULTS,
  BULK_SYNC_MODES,
} from "../api/bulk-sync-enums";
import { FILTER_FUNCTIONS, SCHEDULE_FREQUENCIES } from "../api/sync-enums";
import { isPlainObject } from "../wire";
import { isNonEmptyString, isUnset, oneOf, type Problem, stringArray } from "./body-checks";
import {
  canBeBulkSource,
  checkSettings,
  destinationInfo,
  type SourceSettings,
  sourceConfigurationSchema,
  sourceSchemas,
} from "./bulk-source";
import type { SourceSchema } from "./catalog";
import { deepCopy } from "./config-paths";
import { ApiError, iso, type RequestContext, requireFields, validationError } from "./http";
import { ACTOR } from "./identity";
import { unknownPolicies } from "./routes/permissions";
import { isReady } from "./schema-cache";
import type { JsonObject, StoredConnection } from "./state";

// ---- What is stored ----

/** A field of a schema of a bulk sync (`BulkField`). */
export interface StoredBulkField {
  id: string;
  enabled: boolean;
  obfuscated: boolean;
  output_name: string;
  user_output_name: string;
}

/** A row filter (`BulkFilter`). */
export interface StoredBulkFilter {
  function: string;
  field_id?: string;
  value?: unknown;
}

/** A schema of a bulk sync (`BulkSchema`): every schema the source offered, enabled or not. */
export interface StoredBulkSchema {
  id: string;
  enabled: boolean;
  output_name: string;
  user_output_name: string;
  partition_key: string;
  tracking_field: string;
  data_cutoff_timestamp: string | null;
  disable_data_cutoff: boolean;
  fields: StoredBulkField[];
  filters: StoredBulkFilter[];
}

/** A schedule: the default one, or an additional one (which also has `resync_mode`, `selective_mode`, `schemas`). */
export interface StoredBulkSchedule {
  id: string;
  frequency: string;
  hour?: string;
  minute?: string;
  day_of_week?: string;
  day_of_month?: string;
  month?: string;
  job_id?: number;
  connection_id?: string;
  run_after?: JsonObject;
  run_after_success_only?: boolean;
  resync_mode?: string;
  selective_mode?: string;
  schemas?: string[];
  created_at: string;
  updated_at: string;
}

/** A run (`BulkSyncExecution`); the emulator's complete at once. */
export interface StoredBulkExecution {
  id: string;
  status: string;
  status_message: string;
  type: string;
  is_test: boolean;
  is_resync: boolean;
  is_partial: boolean;
  fetch_mode: string;
  output_disposition: string;
  record_count: number;
  error_count: number;
  warning_count: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  updated_at: string;
  schemas: JsonObject[];
}

/** A bulk sync as stored: the API's fields, its schemas (never part of the sync's answer) and its runs. */
export interface StoredBulkSync {
  id: string;
  name: string;
  organization_id: string;
  source_connection_id: string;
  destination_connection_id: string;
  mode: string;
  active: boolean;
  source_configuration: JsonObject | null;
  destination_configuration: JsonObject;
  default_schedule: StoredBulkSchedule;
  additional_schedules: StoredBulkSchedule[];
  automatically_add_new_fields: string;
  automatically_add_new_objects: string;
  normalize_names: string;
  disable_record_timestamps: boolean;
  data_cutoff_timestamp: string | null;
  concurrency_limit: number | null;
  resync_concurrency_limit: number | null;
  policies: string[];
  schemas: StoredBulkSchema[];
  executions: StoredBulkExecution[];
  created_at: string;
  updated_at: string;
}

// ---- Names ----

/**
 * The destination name Polytomic derives from a source name: with `normalize_names` `enabled` lower snake case
 * (`AnnualRevenue` → `annual_revenue`, `public.users` → `public_users`, `orders/2024.csv` → `orders_2024`),
 * `legacy` lower case with other characters as `_`, `disabled` unchanged.
 */
export function outputName(name: string, normalize: string): string {
  if (normalize === "disabled") return name;
  const base = name.replace(/\.csv$/i, "");
  const split = normalize === "legacy" ? base : base.replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return split
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

// ---- The source ----

/**
 * The source's schemas, once its schema cache is ready. While the cache is being built for the first time (a new
 * connection), 400 "did not provide any schemas"; while a later refresh runs, 400 "cache refresh in progress":
 * the two answers Polytomic's Terraform provider waits out.
 */
export function readySourceSchemas(
  connection: StoredConnection,
  settings: SourceSettings,
  now: number,
): SourceSchema[] {
  const cache = connection.schemaCache;
  if (cache !== null && !isReady(cache, now)) {
    const status = `retry once GET /api/connections/${connection.id}/schemas/status reports "fresh"`;
    if (cache.startedAt <= Date.parse(connection.created_at)) {
      throw new ApiError(
        400,
        "schemas_not_cached",
        `source connection ${connection.id} did not provide any schemas yet: its schema cache is being built; ${status}`,
      );
    }
    throw new ApiError(
      400,
      "cache_refresh_in_progress",
      `schema cache refresh in progress for connection ${connection.id}; ${status}`,
    );
  }
  return sourceSchemas(connection, settings);
}

// ---- Reading a body ----

const TIME_PARTS: readonly [key: string, min: number, max: number][] = [
  ["hour", 0, 23],
  ["minute", 0, 59],
  ["day_of_month", 1, 31],
  ["month", 1, 12],
];
const SCHEDULE_KEYS = [
  "id",
  "frequency",
  "hour",
  "minute",
  "day_of_week",
  "day_of_month",
  "month",
  "job_id",
  "connection_id",
  "run_after",
  "run_after_success_only",
];
const ADDITIONAL_KEYS = [...SCHEDULE_KEYS, "resync_mode", "selective_mode", "schemas"];

function enumOf(value: unknown, list: readonly string[], at: string, problems: Problem[]): void {
  if (!isUnset(value) && (typeof value !== "string" || !list.includes(value))) {
    problems.push({ path: at, message: oneOf(list) });
  }
}

function unknownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  at: string,
  problems: Problem[],
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push({ path: `${at}.${key}`, message: "is not a known setting" });
  }
}

const isTimestamp = (v: unknown): v is string => typeof v === "string" && !Number.isNaN(Date.parse(v));

/** A schedule of a body, checked; `previous` keeps its id and creation time. */
export function readSchedule(
  value: unknown,
  at: string,
  additional: boolean,
  problems: Problem[],
  now: string,
  previous: StoredBulkSchedule | undefined,
): StoredBulkSchedule | undefined {
  if (!isPlainObject(value)) {
    problems.push({ path: at, message: "must be an object" });
    return undefined;
  }
  const before = problems.length;
  unknownKeys(value, additional ? ADDITIONAL_KEYS : SCHEDULE_KEYS, at, problems);
  if (isUnset(value.frequency)) problems.push({ path: `${at}.frequency`, message: "is required" });
  else enumOf(value.frequency, SCHEDULE_FREQUENCIES, `${at}.frequency`, problems);
  for (const [key, min, max] of TIME_PARTS) {
    const v = value[key];
    if (isUnset(v) || v === "") continue;
    const n = Number(v);
    if (typeof v !== "string" || !/^\d{1,2}$/.test(v) || n < min || n > max) {
      problems.push({
        path: `${at}.${key}`,
        message: `must be a string holding a number from ${min} to ${max}`,
      });
    }
  }
  if (!isUnset(value.day_of_week) && typeof value.day_of_week !== "string") {
    problems.push({ path: `${at}.day_of_week`, message: "must be a string" });
  }
  if (!isUnset(value.job_id) && !Number.isInteger(value.job_id)) {
    problems.push({ path: `${at}.job_id`, message: "must be an integer" });
  }
  if (!isUnset(value.run_after) && !isPlainObject(value.run_after)) {
    problems.push({ path: `${at}.run_after`, message: "must be an object {sync_ids, bulk_sync_ids}" });
  }
  if (additional) {
    enumOf(value.resync_mode, BULK_SCHEDULE_SYNC_MODES, `${at}.resync_mode`, problems);
    enumOf(value.selective_mode, BULK_SELECTIVE_MODES, `${at}.selective_mode`, problems);
    const schemaProblems: Problem[] = [];
    stringArray(value, "schemas", schemaProblems);
    problems.push(...schemaProblems.map((p) => ({ ...p, path: `${at}.${p.path}` })));
  }
  if (problems.length > before) return undefined;
  const text = (k: string) =>
    typeof value[k] === "string" && value[k] !== "" ? (value[k] as string) : undefined;
  const schedule: StoredBulkSchedule = {
    id: previous?.id ?? randomUUID(),
    frequency: value.frequency as string,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
  for (const k of ["hour", "minute", "day_of_week", "day_of_month", "month", "connection_id"] as const) {
    const v = text(k);
    if (v !== undefined) schedule[k] = v;
  }
  if (typeof value.job_id === "number") schedule.job_id = value.job_id;
  if (isPlainObject(value.run_after)) schedule.run_after = deepCopy(value.run_after);
  if (typeof value.run_after_success_only === "boolean")
    schedule.run_after_success_only = value.run_after_success_only;
  if (additional) {
    schedule.resync_mode = text("resync_mode") ?? BULK_SCHEDULE_DEFAULTS.resync_mode;
    schedule.selective_mode = text("selective_mode") ?? BULK_SCHEDULE_DEFAULTS.selective_mode;
    schedule.schemas = Array.isArray(value.schemas) ? (value.schemas as string[]) : [];
  }
  return schedule;
}

/** The body's plain settings, checked. */
function checkSettingsOfBody(body: Record<string, unknown>, problems: Problem[]): void {
  enumOf(body.mode, BULK_SYNC_MODES, "mode", problems);
  enumOf(body.automatically_add_new_fields, BULK_DISCOVER, "automatically_add_new_fields", problems);
  enumOf(body.automatically_add_new_objects, BULK_DISCOVER, "automatically_add_new_objects", problems);
  enumOf(body.normalize_names, BULK_NORMALIZE_NAMES, "normalize_names", problems);
  for (const key of ["active", "disable_record_timestamps"]) {
    if (!isUnset(body[key]) && typeof body[key] !== "boolean")
      problems.push({ path: key, message: "must be a boolean" });
  }
  for (const key of ["concurrency_limit", "resync_concurrency_limit"]) {
    const v = body[key];
    if (!isUnset(v) && (!Number.isInteger(v) || (v as number) < 1)) {
      problems.push({ path: key, message: "must be an integer of at least 1" });
    }
  }
  if (!isUnset(body.data_cutoff_timestamp) && !isTimestamp(body.data_cutoff_timestamp)) {
    problems.push({ path: "data_cutoff_timestamp", message: "must be an ISO 8601 date-time" });
  }
  if (!isUnset(body.source_configuration) && !isPlainObject(body.source_configuration)) {
    problems.push({ path: "source_configuration", message: "must be an object" });
  }
  if (!isUnset(body.organization_id) && typeof body.organization_id !== "string") {
    problems.push({ path: "organization_id", message: "must be a string" });
  }
  stringArray(body, "policies", problems);
}

/** The source and destination connections: they must exist, and be able to play their part. */
function connectionsOf(ctx: RequestContext, body: Record<string, unknown>, problems: Problem[]) {
  const source = ctx.state.connections.get(body.source_connection_id as string);
  const destination = ctx.state.connections.get(body.destination_connection_id as string);
  if (source === undefined) {
    problems.push({
      path: "source_connection_id",
      message: `connection ${body.source_connection_id} not found`,
    });
  } else if (!canBeBulkSource(source, ctx.settings.catalog)) {
    problems.push({
      path: "source_connection_id",
      message: `connection type ${source.type} offers no schemas in the emulator (add it to the source catalog)`,
    });
  }
  const info = destination === undefined ? undefined : destinationInfo(destination.type);
  if (destination === undefined) {
    problems.push({
      path: "destination_connection_id",
      message: `connection ${body.destination_connection_id} not found`,
    });
  } else if (info === undefined) {
    problems.push({
      path: "destination_connection_id",
      message: `connection type ${destination.type} cannot be a bulk-sync destination`,
    });
  } else {
    if (
      (BULK_SYNC_MODES as readonly unknown[]).includes(body.mode) &&
      !info.modes.some((m) => m.id === body.mode)
    ) {
      problems.push({
        path: "mode",
        message: `${destination.type} destination does not support ${body.mode} mode (it supports ${info.modes.map((m) => m.id).join(", ")}; snapshot mode needs a storage destination such as S3)`,
      });
    }
    problems.push(
      ...checkSettings(
        body.destination_configuration as Record<string, unknown>,
        info.configuration,
        "destination_configuration",
      ),
    );
  }
  if (source !== undefined && isPlainObject(body.source_configuration)) {
    const schema = sourceConfigurationSchema(source.type);
    if (schema !== null)
      problems.push(...checkSettings(body.source_configuration, schema, "source_configuration"));
  }
  return { source, destination };
}

const SCHEMA_KEYS = [
  "id",
  "enabled",
  "fields",
  "filters",
  "partition_key",
  "tracking_field",
  "data_cutoff_timestamp",
  "disable_data_cutoff",
];
/** A schema's settings in the sync body (`SchemaConfiguration`), or in `PATCH …/schemas` (`BulkSchema`). */
export type SchemaSpelling = "sync" | "schemas";

/** Checks a filter list; every `field_id` must be a field of the schema. */
function readFilters(
  value: unknown,
  at: string,
  fieldIds: ReadonlySet<string>,
  problems: Problem[],
): StoredBulkFilter[] {
  if (isUnset(value)) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: at, message: "must be an array" });
    return [];
  }
  return value.flatMap((f, i): StoredBulkFilter[] => {
    const fat = `${at}[${i}]`;
    if (!isPlainObject(f)) {
      problems.push({ path: fat, message: "must be an object {function, field_id, value}" });
      return [];
    }
    unknownKeys(f, ["function", "field_id", "value"], fat, problems);
    if (isUnset(f.function)) problems.push({ path: `${fat}.function`, message: "is required" });
    else enumOf(f.function, FILTER_FUNCTIONS, `${fat}.function`, problems);
    if (!isUnset(f.field_id) && (typeof f.field_id !== "string" || !fieldIds.has(f.field_id))) {
      problems.push({
        path: `${fat}.field_id`,
        message: `"${String(f.field_id)}" is not a field of the schema`,
      });
    }
    const filter: StoredBulkFilter = { function: f.function as string };
    if (typeof f.field_id === "string") filter.field_id = f.field_id;
    if (f.value !== undefined) filter.value = deepCopy(f.value);
    return [filter];
  });
}

/** A field of the source, as a new stored field. */
function newField(id: string, enabled: boolean, normalize: string): StoredBulkField {
  return { id, enabled, obfuscated: false, output_name: outputName(id, normalize), user_output_name: "" };
}

/** A schema of the source, as a new stored schema: every field enabled. */
export function newSchema(source: SourceSchema, enabled: boolean, normalize: string): StoredBulkSchema {
  return {
    id: source.id,
    enabled,
    output_name: outputName(source.name, normalize),
    user_output_name: "",
    partition_key: "",
    tracking_field: source.tracking_field,
    data_cutoff_timestamp: null,
    disable_data_cutoff: false,
    fields: source.fields.map((f) => newField(f.id, true, normalize)),
    filters: [],
  };
}

/**
 * One schema's settings applied to the schema as the source offers it (a full replacement of the settings the
 * spelling can carry; the user output names, which the sync body cannot carry, are kept from `previous`).
 * `fields` left out enables every field; given, it enables the fields it names and disables the others.
 */
export function applySchemaSettings(
  item: unknown,
  at: string,
  source: SourceSchema,
  previous: StoredBulkSchema | undefined,
  normalize: string,
  spelling: SchemaSpelling,
  problems: Problem[],
): StoredBulkSchema {
  const base = newSchema(source, true, normalize);
  const keepNames = spelling === "sync";
  if (keepNames && previous !== undefined) base.user_output_name = previous.user_output_name;
  if (typeof item === "string") {
    if (previous !== undefined) {
      base.fields = base.fields.map((f) => ({
        ...f,
        user_output_name: previous.fields.find((p) => p.id === f.id)?.user_output_name ?? "",
      }));
    }
    return base;
  }
  const s = item as Record<string, unknown>;
  const known = spelling === "sync" ? SCHEMA_KEYS : [...SCHEMA_KEYS, "user_output_name", "output_name"];
  unknownKeys(s, known, at, problems);
  const fieldIds = new Set(source.fields.map((f) => f.id));
  for (const key of ["enabled", "disable_data_cutoff"]) {
    if (!isUnset(s[key]) && typeof s[key] !== "boolean")
      problems.push({ path: `${at}.${key}`, message: "must be a boolean" });
  }
  base.enabled = s.enabled !== false;
  base.disable_data_cutoff = s.disable_data_cutoff === true;
  for (const key of ["partition_key", "tracking_field"] as const) {
    const v = s[key];
    if (isUnset(v) || v === "") continue;
    if (typeof v !== "string" || !fieldIds.has(v)) {
      problems.push({ path: `${at}.${key}`, message: `"${String(v)}" is not a field of the schema` });
    } else base[key] = v;
  }
  if (!isUnset(s.data_cutoff_timestamp)) {
    if (!isTimestamp(s.data_cutoff_timestamp)) {
      problems.push({ path: `${at}.data_cutoff_timestamp`, message: "must be an ISO 8601 date-time" });
    } else base.data_cutoff_timestamp = new Date(Date.parse(s.data_cutoff_timestamp)).toISOString();
  }
  if (spelling === "schemas") {
    if (!isUnset(s.user_output_name) && typeof s.user_output_name !== "string") {
      problems.push({ path: `${at}.user_output_name`, message: "must be a string" });
    } else base.user_output_name = (s.user_output_name as string | undefined) ?? "";
  }
  base.filters = readFilters(s.filters, `${at}.filters`, fieldIds, problems);
  if (isUnset(s.fields)) return base;
  if (!Array.isArray(s.fields)) {
    problems.push({ path: `${at}.fields`, message: "must be an array" });
    return base;
  }
  const fieldKeys =
    spelling === "sync"
      ? ["id", "enabled", "obfuscate"]
      : ["id", "enabled", "obfuscated", "user_output_name", "output_name"];
  const configured = new Map<string, StoredBulkField>();
  s.fields.forEach((f, j) => {
    const fat = `${at}.fields[${j}]`;
    const fid = typeof f === "string" ? f : isPlainObject(f) ? f.id : undefined;
    if (!isNonEmptyString(fid)) {
      problems.push({
        path: typeof f === "string" || !isPlainObject(f) ? fat : `${fat}.id`,
        message: "must name a field",
      });
      return;
    }
    if (!fieldIds.has(fid)) {
      problems.push({
        path: typeof f === "string" ? fat : `${fat}.id`,
        message: `"${fid}" is not a field of schema ${source.id}`,
      });
      return;
    }
    if (configured.has(fid)) {
      problems.push({ path: fat, message: `names field "${fid}" again` });
      return;
    }
    const field = newField(fid, true, normalize);
    const before = previous?.fields.find((p) => p.id === fid);
    if (keepNames && before !== undefined) field.user_output_name = before.user_output_name;
    if (isPlainObject(f)) {
      unknownKeys(f, fieldKeys, fat, problems);
      const obfuscate = spelling === "sync" ? f.obfuscate : f.obfuscated;
      for (const [key, v] of [
        ["enabled", f.enabled],
        [spelling === "sync" ? "obfuscate" : "obfuscated", obfuscate],
      ] as const) {
        if (!isUnset(v) && typeof v !== "boolean")
          problems.push({ path: `${fat}.${key}`, message: "must be a boolean" });
      }
      field.enabled = f.enabled !== false;
      field.obfuscated = obfuscate === true;
      if (spelling === "schemas")
        field.user_output_name = typeof f.user_output_name === "string" ? f.user_output_name : "";
    }
    configured.set(fid, field);
  });
  base.fields = base.fields.map((f) => configured.get(f.id) ?? { ...f, enabled: false });
  return base;
}

/**
 * The body's `schemas` applied to the source's: left out, every schema and field is enabled; given, the schemas
 * it names are configured as it says and every other one is disabled (a full replacement).
 */
function readSchemas(
  value: unknown,
  source: readonly SourceSchema[],
  previous: StoredBulkSync | undefined,
  normalize: string,
  problems: Problem[],
): StoredBulkSchema[] {
  const before = (id: string) => previous?.schemas.find((s) => s.id === id);
  if (isUnset(value))
    return source.map((s) => applySchemaSettings(s.id, "", s, before(s.id), normalize, "sync", problems));
  if (!Array.isArray(value)) {
    problems.push({ path: "schemas", message: "must be an array of schema ids or objects" });
    return [];
  }
  const byId = new Map(source.map((s) => [s.id, s]));
  const configured = new Map<string, StoredBulkSchema>();
  value.forEach((item, i) => {
    const at = `schemas[${i}]`;
    const id = typeof item === "string" ? item : isPlainObject(item) ? item.id : undefined;
    const idAt = typeof item === "string" ? at : `${at}.id`;
    if (!isNonEmptyString(id)) {
      problems.push({
        path: isPlainObject(item) ? `${at}.id` : at,
        message: "must name a schema (an id, or an object with id)",
      });
      return;
    }
    const schema = byId.get(id);
    if (schema === undefined) {
      problems.push({ path: idAt, message: `"${id}" is not a schema of the source connection` });
      return;
    }
    if (configured.has(id)) {
      problems.push({ path: at, message: `names schema "${id}" again` });
      return;
    }
    configured.set(id, applySchemaSettings(item, at, schema, before(id), normalize, "sync", problems));
  });
  return source.map(
    (s) =>
      configured.get(s.id) ?? {
        ...applySchemaSettings(s.id, "", s, before(s.id), normalize, "sync", problems),
        enabled: false,
      },
  );
}

/** Builds a stored bulk sync from a create or update body (a full replacement of `previous`). */
export function buildBulkSync(
  ctx: RequestContext,
  body: Record<string, unknown>,
  previous?: StoredBulkSync,
): StoredBulkSync {
  requireFields(body, {
    name: "string",
    source_connection_id: "string",
    destination_connection_id: "string",
    destination_configuration: "object",
    default_schedule: "object",
    mode: "string",
  });
  const problems: Problem[] = [];
  const now = iso(ctx.now());
  checkSettingsOfBody(body, problems);
  // The policies named must be the organization's own (the state is the caller's organization's view).
  problems.push(...unknownPolicies(ctx.state, Array.isArray(body.policies) ? body.policies : []));
  const defaultSchedule = readSchedule(
    body.default_schedule,
    "default_schedule",
    false,
    problems,
    now,
    previous?.default_schedule,
  );
  const additional: StoredBulkSchedule[] = [];
  if (!isUnset(body.additional_schedules)) {
    if (!Array.isArray(body.additional_schedules))
      problems.push({ path: "additional_schedules", message: "must be an array" });
    else {
      body.additional_schedules.forEach((s, i) => {
        const id = isPlainObject(s) && typeof s.id === "string" ? s.id : undefined;
        const kept = previous?.additional_schedules.find((p) => p.id === id);
        const schedule = readSchedule(s, `additional_schedules[${i}]`, true, problems, now, kept);
        if (schedule !== undefined) additional.push(schedule);
      });
    }
  }
  const { source } = connectionsOf(ctx, body, problems);
  if (problems.length > 0) throw validationError(422, problems, "", "invalid bulk sync");

  const sourceConnection = source as StoredConnection;
  const offered = readySourceSchemas(sourceConnection, ctx.settings, ctx.now());
  if (offered.length === 0) {
    throw validationError(
      422,
      [
        {
          path: "source_connection_id",
          message: `connection ${sourceConnection.id} offers no schemas to sync`,
        },
      ],
      "",
      "invalid bulk sync",
    );
  }
  const normalize = (body.normalize_names as string | undefined) ?? BULK_SYNC_DEFAULTS.normalize_names;
  const schemas = readSchemas(body.schemas, offered, previous, normalize, problems);
  const selected = new Set(schemas.filter((s) => s.enabled).map((s) => s.id));
  additional.forEach((s, i) => {
    (s.schemas ?? []).forEach((id, j) => {
      if (!schemas.some((x) => x.id === id)) {
        problems.push({
          path: `additional_schedules[${i}].schemas[${j}]`,
          message: `"${id}" is not a schema of the sync`,
        });
      } else if (!selected.has(id)) {
        problems.push({
          path: `additional_schedules[${i}].schemas[${j}]`,
          message: `schema "${id}" is not enabled`,
        });
      }
    });
  });
  if (problems.length > 0) throw validationError(422, problems, "", "invalid bulk sync");

  return {
    id: previous?.id ?? randomUUID(),
    name: body.name as string,
    organization_id:
      typeof body.organization_id === "string" ? body.organization_id : sourceConnection.organization_id,
    source_connection_id: sourceConnection.id,
    destination_connection_id: body.destination_connection_id as string,
    mode: body.mode as string,
    active: body.active === true,
    source_configuration: isPlainObject(body.source_configuration)
      ? deepCopy(body.source_configuration)
      : null,
    destination_configuration: deepCopy(body.destination_configuration as JsonObject),
    default_schedule: defaultSchedule as StoredBulkSchedule,
    additional_schedules: additional,
    automatically_add_new_fields:
      (body.automatically_add_new_fields as string | undefined) ??
      BULK_SYNC_DEFAULTS.automatically_add_new_fields,
    automatically_add_new_objects:
      (body.automatically_add_new_objects as string | undefined) ??
      BULK_SYNC_DEFAULTS.automatically_add_new_objects,
    normalize_names: normalize,
    disable_record_timestamps: body.disable_record_timestamps === true,
    data_cutoff_timestamp: isTimestamp(body.data_cutoff_timestamp)
      ? new Date(Date.parse(body.data_cutoff_timestamp)).toISOString()
      : null,
    concurrency_limit: typeof body.concurrency_limit === "number" ? body.concurrency_limit : null,
    resync_concurrency_limit:
      typeof body.resync_concurrency_limit === "number" ? body.resync_concurrency_limit : null,
    policies: Array.isArray(body.policies) ? [...(body.policies as string[])] : [],
    schemas,
    executions: previous?.executions ?? [],
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}

// ---- Discovery ----

/** Whether `automatically_add_new_objects` enables a newly discovered schema. */
function addsObject(setting: string, schema: SourceSchema): boolean {
  if (setting === "all") return true;
  if (setting === "onlyIncremental") return schema.tracking_field !== "";
  if (setting === "onlyNonIncremental") return schema.tracking_field === "";
  return false;
}

/**
 * Polytomic's discovery: schemas and fields the source offers that the sync does not know yet are added, enabled
 * per `automatically_add_new_objects` / `automatically_add_new_fields` (else added disabled). Runs whenever the
 * emulator looks at a bulk sync, and only while the source's cache is ready. Returns whether anything was added.
 */
export function discover(sync: StoredBulkSync, offered: readonly SourceSchema[]): boolean {
  let changed = false;
  for (const source of offered) {
    const known = sync.schemas.find((s) => s.id === source.id);
    if (known === undefined) {
      sync.schemas.push(
        newSchema(source, addsObject(sync.automatically_add_new_objects, source), sync.normalize_names),
      );
      changed = true;
      continue;
    }
    for (const f of source.fields) {
      if (known.fields.some((k) => k.id === f.id)) continue;
      known.fields.push(newField(f.id, sync.automatically_add_new_fields !== "none", sync.normalize_names));
      changed = true;
    }
  }
  return changed;
}

/** Runs discovery for a sync if its source is ready; never fails. */
export function discoverNow(ctx: RequestContext, sync: StoredBulkSync): void {
  const source = ctx.state.connections.get(sync.source_connection_id);
  if (source === undefined || (source.schemaCache !== null && !isReady(source.schemaCache, ctx.now())))
    return;
  if (discover(sync, sourceSchemas(source, ctx.settings))) sync.updated_at = iso(ctx.now());
}

// ---- Answers ----

function scheduleResponse(s: StoredBulkSchedule, additional: boolean) {
  const { resync_mode, selective_mode, schemas, ...rest } = s;
  return {
    ...deepCopy(rest),
    ...(additional ? { resync_mode, selective_mode, schemas: [...(schemas ?? [])] } : {}),
    created_by: ACTOR,
    updated_by: ACTOR,
  };
}

/** A bulk sync as Polytomic answers it (`BulkSyncResponse`): no `schemas`, no runs. */
export function bulkSyncResponse(s: StoredBulkSync) {
  const { schemas: _schemas, executions: _executions, default_schedule, additional_schedules, ...rest } = s;
  return {
    ...deepCopy(rest),
    default_schedule: scheduleResponse(default_schedule, false),
    additional_schedules: additional_schedules.map((a) => scheduleResponse(a, true)),
    created_by: ACTOR,
    updated_by: ACTOR,
  };
}

/** A schema as the list answers it (`BulkSchemaListItem`: no fields, no filters). */
export function schemaListItem(s: StoredBulkSchema) {
  const { fields: _fields, filters: _filters, ...rest } = s;
  return deepCopy(rest);
}

/** A schema with its fields and filters (`BulkSchema`). */
export function schemaResponse(s: StoredBulkSchema) {
  return deepCopy(s);
}

/** A schedule as the schedules sub-resource answers it (camelCase, `BulkBulkSyncSchedule`, plus its `id`). */
export function scheduleItem(sync: StoredBulkSync, s: StoredBulkSchedule) {
  const isDefault = s.id === sync.default_schedule.id;
  return {
    id: s.id,
    syncId: sync.id,
    isDefault,
    frequency: s.frequency,
    hour: s.hour ?? "",
    minute: s.minute ?? "",
    dayOfWeek: s.day_of_week ?? "",
    dayOfMonth: s.day_of_month ?? "",
    month: s.month ?? "",
    selectiveMode: s.selective_mode ?? BULK_SCHEDULE_DEFAULTS.selective_mode,
    syncMode: s.resync_mode ?? BULK_SCHEDULE_DEFAULTS.resync_mode,
    schemas: isDefault ? null : [...(s.schemas ?? [])],
    createdAt: s.created_at,
    createdBy: ACTOR.id,
    updatedAt: s.updated_at,
    updatedBy: ACTOR.id,
  };
}

/** The camelCase schedule of the schedules sub-resource, as a stored schedule's settings (snake_case). */
export function scheduleFromItem(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const map: Record<string, string> = {
    frequency: "frequency",
    hour: "hour",
    minute: "minute",
    dayOfWeek: "day_of_week",
    dayOfMonth: "day_of_month",
    month: "month",
    selectiveMode: "selective_mode",
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[map[k] ?? k] = v;
  return out;
}
