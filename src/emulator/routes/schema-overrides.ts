import { SCHEMA_FIELD_TYPES } from "../../api/organization-enums";
import type { StoredSchemaOverride, StoredUserField } from "../admin-state";
import { forEachObjectItem, isNonEmptyString, isUnset, oneOf, type Problem } from "../body-checks";
import {
  ApiError,
  bodyObject,
  type HandlerResult,
  notFound,
  ok,
  pathParam,
  type RequestContext,
  validationError,
} from "../http";
import { readModelSource, type SourceColumn } from "../model-source";
import type { RouteTable } from "../router";
import type { StoredConnection } from "../state";
import { getConnection } from "./connections";

/** 202 with `{}`: how Polytomic answers the override writes (they apply asynchronously). */
const accepted = (): HandlerResult => ({ status: 202, body: {} });

/** One schema of a connection: its detected fields, and the user's overrides (stored per connection and schema). */
interface SchemaView {
  connection: StoredConnection;
  schemaId: string;
  detected: SourceColumn[];
  override: StoredSchemaOverride;
}

/**
 * The schema `:schema` of the connection `:id`. A GCS connection's schemas are the CSV files of its bucket (the
 * schema id is the file's key; its columns are the detected fields, none of them a primary key). Other model
 * sources have no files behind them in the emulator: any schema id names a schema without detected fields.
 * Connections that cannot be sources have no schemas (400, as the schema-cache routes answer).
 */
function schemaOf(ctx: RequestContext): SchemaView {
  const connection = getConnection(ctx, pathParam(ctx));
  const schemaId = pathParam(ctx, "schema");
  if (connection.schemaCache === null) {
    throw new ApiError(400, "no_schema_cache", `connection type ${connection.type} has no schemas`);
  }
  let detected: SourceColumn[] = [];
  try {
    detected =
      readModelSource(connection, { model_from: "single_file", key: schemaId }, ctx.settings.bucketsDir)
        ?.columns ?? [];
  } catch {
    throw notFound("schema", schemaId);
  }
  const key = `${connection.id}/${schemaId}`;
  const override = ctx.state.admin.schemaOverrides.get(key) ?? {
    connection_id: connection.id,
    schema_id: schemaId,
    organization_id: connection.organization_id,
    primary_keys: null,
    fields: [],
  };
  return { connection, schemaId, detected, override };
}

function save(ctx: RequestContext, view: SchemaView): void {
  ctx.state.admin.schemaOverrides.set(`${view.connection.id}/${view.schemaId}`, view.override);
}

const isPrimaryKey = (view: SchemaView, fieldId: string) =>
  view.override.primary_keys?.some((k) => k.field_id === fieldId && k.is_primary_key) === true;

function userFieldResponse(view: SchemaView, f: StoredUserField) {
  return {
    id: f.field_id,
    name: f.label,
    type: f.type,
    remote_type: f.type,
    path: f.path ?? "",
    is_primary_key: isPrimaryKey(view, f.field_id),
    user_managed: true,
  };
}

/** `Schema`: the detected fields, then the user-defined ones (`user_managed`), with the primary-key override. */
function schemaResponse(view: SchemaView) {
  return {
    id: view.schemaId,
    name: view.schemaId,
    fields: [
      ...view.detected.map((c) => ({
        id: c.name,
        name: c.name,
        type: c.type,
        remote_type: c.remote_type,
        path: "",
        is_primary_key: isPrimaryKey(view, c.name),
        user_managed: false,
      })),
      ...view.override.fields.map((f) => userFieldResponse(view, f)),
    ],
  };
}

const fieldIds = (view: SchemaView) =>
  new Set([...view.detected.map((c) => c.name), ...view.override.fields.map((f) => f.field_id)]);

/** A full replacement of the primary-key override: each field a field of the schema; an empty list clears it. */
function setPrimaryKeys(ctx: RequestContext): HandlerResult {
  const view = schemaOf(ctx);
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  const known = fieldIds(view);
  const keys: { field_id: string; is_primary_key: boolean }[] = [];
  forEachObjectItem(body, "fields", problems, (item, at) => {
    if (!isNonEmptyString(item.field_id)) problems.push({ path: `${at}.field_id`, message: "is required" });
    else if (!known.has(item.field_id))
      problems.push({ path: `${at}.field_id`, message: `no field "${item.field_id}" in the schema` });
    else if (keys.some((k) => k.field_id === item.field_id))
      problems.push({ path: `${at}.field_id`, message: "is listed twice" });
    if (typeof item.is_primary_key !== "boolean")
      problems.push({ path: `${at}.is_primary_key`, message: "must be a boolean" });
    if (problems.some((p) => p.path.startsWith(at))) return;
    keys.push({ field_id: item.field_id as string, is_primary_key: item.is_primary_key as boolean });
  });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid primary keys");
  view.override.primary_keys = keys.length === 0 ? null : keys;
  save(ctx, view);
  return accepted();
}

/** Back to the primary keys detected from the source. */
function resetPrimaryKeys(ctx: RequestContext): HandlerResult {
  const view = schemaOf(ctx);
  view.override.primary_keys = null;
  save(ctx, view);
  return accepted();
}

/** Creates or updates user-defined fields, by `field_id`; a detected field's id is refused (400). */
function upsertFields(ctx: RequestContext): HandlerResult {
  const view = schemaOf(ctx);
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  const detected = new Set(view.detected.map((c) => c.name));
  const fields: StoredUserField[] = [];
  if (!Array.isArray(body.fields) || body.fields.length === 0)
    problems.push({ path: "fields", message: "must list at least one field" });
  forEachObjectItem(body, "fields", problems, (item, at) => {
    for (const key of ["field_id", "label"])
      if (!isNonEmptyString(item[key])) problems.push({ path: `${at}.${key}`, message: "is required" });
    if (typeof item.type !== "string" || !(SCHEMA_FIELD_TYPES as readonly string[]).includes(item.type)) {
      problems.push({ path: `${at}.type`, message: oneOf(SCHEMA_FIELD_TYPES) });
    }
    if (!isUnset(item.path) && typeof item.path !== "string")
      problems.push({ path: `${at}.path`, message: "must be a string" });
    if (isNonEmptyString(item.field_id) && detected.has(item.field_id)) {
      problems.push({
        path: `${at}.field_id`,
        message: `"${item.field_id}" is a detected field of the schema`,
      });
    }
    if (problems.some((p) => p.path.startsWith(at))) return;
    fields.push({
      field_id: item.field_id as string,
      label: item.label as string,
      type: item.type as string,
      path: isNonEmptyString(item.path) ? item.path : null,
      example: item.example ?? null,
    });
  });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid fields");
  for (const field of fields) {
    const i = view.override.fields.findIndex((f) => f.field_id === field.field_id);
    if (i >= 0) view.override.fields[i] = field;
    else view.override.fields.push(field);
  }
  save(ctx, view);
  return accepted();
}

function userField(view: SchemaView, fieldId: string): StoredUserField {
  const field = view.override.fields.find((f) => f.field_id === fieldId);
  if (field !== undefined) return field;
  if (view.detected.some((c) => c.name === fieldId)) {
    throw new ApiError(
      400,
      "bad_request",
      `"${fieldId}" is a detected field: only user-defined fields can change here`,
    );
  }
  throw notFound("field", fieldId);
}

/** Changes a user-defined field (`path: ""` clears the path). Detected fields cannot be changed here (400). */
function patchField(ctx: RequestContext): HandlerResult {
  const view = schemaOf(ctx);
  const field = userField(view, pathParam(ctx, "field"));
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  if (!isUnset(body.label) && !isNonEmptyString(body.label))
    problems.push({ path: "label", message: "must be a non-empty string" });
  if (!isUnset(body.type) && !(SCHEMA_FIELD_TYPES as readonly unknown[]).includes(body.type)) {
    problems.push({ path: "type", message: oneOf(SCHEMA_FIELD_TYPES) });
  }
  if (!isUnset(body.path) && typeof body.path !== "string")
    problems.push({ path: "path", message: "must be a string" });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid field");
  if (isNonEmptyString(body.label)) field.label = body.label;
  if (typeof body.type === "string") field.type = body.type;
  if (typeof body.path === "string") field.path = body.path === "" ? null : body.path;
  if (body.example !== undefined) field.example = body.example;
  save(ctx, view);
  return ok(userFieldResponse(view, field));
}

/** Deletes a user-defined field (and its place in the primary-key override). */
function deleteField(ctx: RequestContext): HandlerResult {
  const view = schemaOf(ctx);
  const field = userField(view, pathParam(ctx, "field"));
  view.override.fields = view.override.fields.filter((f) => f !== field);
  if (view.override.primary_keys !== null) {
    const keys = view.override.primary_keys.filter((k) => k.field_id !== field.field_id);
    view.override.primary_keys = keys.length === 0 ? null : keys;
  }
  save(ctx, view);
  return accepted();
}

/**
 * One schema of a connection with its fields, and the user's overrides: primary keys and user-defined fields.
 * Listed after the schema-cache family, whose `/schemas/status` and `/schemas/refresh` win over `/schemas/:schema`.
 */
export const routes: RouteTable = [
  ["GET", "/api/connections/:id/schemas/:schema", (ctx) => ok(schemaResponse(schemaOf(ctx)))],
  ["PUT", "/api/connections/:id/schemas/:schema/primary_keys", setPrimaryKeys],
  ["DELETE", "/api/connections/:id/schemas/:schema/primary_keys", resetPrimaryKeys],
  ["POST", "/api/connections/:id/schemas/:schema/fields", upsertFields],
  ["PATCH", "/api/connections/:id/schemas/:schema/fields/:field", patchField],
  ["DELETE", "/api/connections/:id/schemas/:schema/fields/:field", deleteField],
];
