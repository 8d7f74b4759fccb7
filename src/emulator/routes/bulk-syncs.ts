import { randomUUID } from "node:crypto";
import { BULK_RESYNC_MODES } from "../../api/bulk-sync-enums";
import { isPlainObject } from "../../wire";
import { isUnset, oneOf, type Problem } from "../body-checks";
import {
  bulkOutputs,
  currentBulkExecution,
  isFinalBulkStatus,
  pendingBulkExecution,
  runBulkExecution,
} from "../bulk-run";
import { canBeBulkSource, destinationInfo, sourceConfigurationSchema, sourceSchemas } from "../bulk-source";
import {
  applySchemaSettings,
  buildBulkSync,
  bulkSyncResponse,
  discoverNow,
  readSchedule,
  readySourceSchemas,
  type StoredBulkExecution,
  type StoredBulkSchedule,
  type StoredBulkSync,
  scheduleFromItem,
  scheduleItem,
  schemaListItem,
  schemaResponse,
} from "../bulk-syncs";
import {
  ApiError,
  badRequest,
  bodyObject,
  boolQuery,
  deleted,
  findOr404,
  type HandlerResult,
  iso,
  notFound,
  ok,
  pathParam,
  type RequestContext,
  validationError,
} from "../http";
import type { RouteTable } from "../router";
import { getConnection } from "./connections";

const LIST_LIMIT = 50;

/** The bulk sync with that id (its source's new schemas and fields discovered first), or 404. */
function getBulkSync(ctx: RequestContext, id = pathParam(ctx)): StoredBulkSync {
  const sync = findOr404(ctx.state.bulkSyncs, "bulk sync", id);
  discoverNow(ctx, sync);
  return sync;
}

function list(ctx: RequestContext): HandlerResult {
  let items = [...ctx.state.bulkSyncs.values()];
  const active = ctx.query.get("active");
  if (active !== null) items = items.filter((s) => s.active === (active === "true"));
  items.sort((a, b) =>
    a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : a.id < b.id ? -1 : 1,
  );
  const limit = Math.min(LIST_LIMIT, Math.max(1, Number(ctx.query.get("limit") ?? LIST_LIMIT) || LIST_LIMIT));
  const offset = Math.max(0, Number(ctx.query.get("page_token") ?? 0) || 0);
  const next = offset + limit < items.length ? String(offset + limit) : null;
  return ok(
    items.slice(offset, offset + limit).map((s) => {
      discoverNow(ctx, s);
      return bulkSyncResponse(s);
    }),
    { pagination: { next_page_token: next } },
  );
}

function create(ctx: RequestContext): HandlerResult {
  const sync = buildBulkSync(ctx, bodyObject(ctx));
  ctx.state.bulkSyncs.set(sync.id, sync);
  return ok(bulkSyncResponse(sync));
}

function update(ctx: RequestContext): HandlerResult {
  const previous = getBulkSync(ctx);
  const sync = buildBulkSync(ctx, bodyObject(ctx), previous);
  ctx.state.bulkSyncs.set(sync.id, sync);
  return ok(bulkSyncResponse(sync));
}

function remove(ctx: RequestContext): HandlerResult {
  ctx.state.bulkSyncs.delete(findOr404(ctx.state.bulkSyncs, "bulk sync", pathParam(ctx)).id);
  return deleted();
}

function activate(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const body = bodyObject(ctx);
  if (typeof body.active !== "boolean") {
    throw badRequest("active must be a boolean", {
      errors: [{ path: "active", message: "must be a boolean" }],
    });
  }
  sync.active = body.active;
  sync.updated_at = iso(ctx.now());
  // Deactivating "requests cancellation of any execution that is currently in progress".
  const running = body.active ? undefined : currentBulkExecution(sync);
  if (running !== undefined) requestCancel(ctx, running);
  return ok({ id: sync.id, active: sync.active });
}

// ---- Executions ----

/**
 * Starts a run: `created` at once, then it runs in the background (../bulk-run.ts): `running`, one schema after
 * another, then `completed` (`errors` or `failed` when schemas fail; `canceled`). 409 while another run is going.
 */
function start(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const body = ctx.body === undefined ? {} : bodyObject(ctx);
  const running = currentBulkExecution(sync);
  if (running !== undefined) {
    throw new ApiError(
      409,
      "execution_in_progress",
      `bulk sync ${sync.id} already has an execution in progress (${running.id}, status ${running.status})`,
      { execution_id: running.id, status: running.status },
    );
  }
  const problems: Problem[] = [];
  if (body.resync !== undefined) {
    problems.push({ path: "resync", message: "is no longer accepted: send resync_mode instead" });
  }
  if (!isUnset(body.resync_mode) && !BULK_RESYNC_MODES.includes(body.resync_mode as never)) {
    problems.push({ path: "resync_mode", message: oneOf(BULK_RESYNC_MODES) });
  }
  if (body.test === true && !isUnset(body.resync_mode)) {
    problems.push({ path: "test", message: "cannot be combined with resync_mode" });
  }
  const wanted =
    Array.isArray(body.schemas) && body.schemas.length > 0 ? (body.schemas as unknown[]) : undefined;
  wanted?.forEach((id, i) => {
    if (!sync.schemas.some((s) => s.id === id && s.enabled)) {
      problems.push({
        path: `schemas[${i}]`,
        message: `"${String(id)}" is not an enabled schema of the sync`,
      });
    }
  });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid execution");
  const source = getConnection(ctx, sync.source_connection_id);
  const rows = new Map(readySourceSchemas(source, ctx.settings, ctx.now()).map((s) => [s.id, s.rows.length]));
  const now = iso(ctx.now());
  const schemas = sync.schemas
    .filter((s) => s.enabled && (wanted === undefined || wanted.includes(s.id)))
    .map((s) => ({
      schema: s.id,
      output_name: s.user_output_name || s.output_name,
      status: "completed",
      status_message: "",
      record_count: body.test === true ? 0 : (rows.get(s.id) ?? 0),
      error_count: 0,
      warning_count: 0,
      created_at: now,
      started_at: now,
      completed_at: now,
      updated_at: now,
    }));
  const execution: StoredBulkExecution = {
    id: randomUUID(),
    status: "completed",
    status_message: "",
    type: body.test === true ? "test" : isUnset(body.resync_mode) ? "manual" : "resync",
    is_test: body.test === true,
    is_resync: !isUnset(body.resync_mode),
    is_partial: wanted !== undefined,
    fetch_mode: typeof body.fetch_mode === "string" ? body.fetch_mode : "none",
    output_disposition: body.resync_mode === "rebuild" ? "rebuild" : "retain",
    record_count: schemas.reduce((n, s) => n + s.record_count, 0),
    error_count: 0,
    warning_count: 0,
    created_at: now,
    started_at: now,
    completed_at: now,
    updated_at: now,
    schemas,
  };
  sync.executions.push(pendingBulkExecution(execution));
  const runner = ctx.settings.executions;
  const state = ctx.state;
  runner.launch(
    execution.id,
    (control) =>
      runBulkExecution(state, sync, execution, control, { ...ctx.settings, changed: () => runner.changed() }),
    (error) => {
      execution.status = "failed";
      execution.status_message = `internal error: ${(error as Error)?.message ?? String(error)}`;
      execution.completed_at = iso(Date.now());
    },
  );
  return ok(execution);
}

function executionOf(ctx: RequestContext): StoredBulkExecution {
  const sync = getBulkSync(ctx);
  const id = pathParam(ctx, "execution");
  const execution = sync.executions.find((e) => e.id === id);
  if (execution === undefined) throw notFound("execution", id);
  return execution;
}

/** `current_execution`: the run not finished yet; `last_execution`: the latest finished one. */
function status(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  return ok({
    current_execution: currentBulkExecution(sync) ?? null,
    last_execution: sync.executions.filter((e) => isFinalBulkStatus(e.status)).at(-1) ?? null,
    next_execution_time: null,
  });
}

/** `GET /api/bulk/syncs/status`: every sync's last run (`all`/`active` win over `sync_id`). */
function statuses(ctx: RequestContext): HandlerResult {
  const ids = ctx.query.getAll("sync_id");
  let items = [...ctx.state.bulkSyncs.values()];
  if (boolQuery(ctx.query, "active")) items = items.filter((s) => s.active);
  else if (!boolQuery(ctx.query, "all") && ids.length > 0) items = items.filter((s) => ids.includes(s.id));
  return ok(
    items.map((s) => {
      const last = s.executions.at(-1);
      return {
        sync_id: s.id,
        status: last?.status ?? null,
        nextExecutionTime: null,
        schemas: (last?.schemas ?? []).map((x) => ({ ...x, execution_id: last?.id })),
      };
    }),
  );
}

// ---- Schemas ----

/** `?filters={"enabled":"true"}` (one JSON-encoded value), as Polytomic's SDK sends it. */
function enabledFilter(ctx: RequestContext): boolean | undefined {
  const raw = ctx.query.get("filters");
  if (raw === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('filters must be a JSON object, e.g. {"enabled":"true"}');
  }
  const enabled = isPlainObject(parsed) ? parsed.enabled : undefined;
  if (enabled === undefined) return undefined;
  return enabled === true || enabled === "true";
}

function listSchemas(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const enabled = enabledFilter(ctx);
  return ok(sync.schemas.filter((s) => enabled === undefined || s.enabled === enabled).map(schemaListItem));
}

function schemaOf(ctx: RequestContext, sync: StoredBulkSync) {
  const id = pathParam(ctx, "schema");
  const schema = sync.schemas.find((s) => s.id === id);
  if (schema === undefined) throw notFound("schema", id);
  return schema;
}

/** The source's current schema `id`, for the schema endpoints' writes. */
function sourceSchemaOf(
  ctx: RequestContext,
  sync: StoredBulkSync,
  id: string,
  at: string,
  problems: Problem[],
) {
  const source = getConnection(ctx, sync.source_connection_id);
  const schema = readySourceSchemas(source, ctx.settings, ctx.now()).find((s) => s.id === id);
  if (schema === undefined)
    problems.push({ path: at, message: `"${id}" is not a schema of the source connection` });
  return schema;
}

/** `PATCH …/schemas`: only the schemas listed change, each replaced by what it says (fields left out: all). */
function patchSchemas(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const body = bodyObject(ctx);
  if (!Array.isArray(body.schemas)) {
    throw badRequest("schemas must be an array", {
      errors: [{ path: "schemas", message: "must be an array" }],
    });
  }
  const problems: Problem[] = [];
  const changed = body.schemas.flatMap((item, i) => {
    const at = `schemas[${i}]`;
    if (!isPlainObject(item) || typeof item.id !== "string" || item.id === "") {
      problems.push({ path: isPlainObject(item) ? `${at}.id` : at, message: "must be an object with an id" });
      return [];
    }
    const source = sourceSchemaOf(ctx, sync, item.id, `${at}.id`, problems);
    if (source === undefined) return [];
    const previous = sync.schemas.find((s) => s.id === item.id);
    return [applySchemaSettings(item, at, source, previous, sync.normalize_names, "schemas", problems)];
  });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid schemas");
  for (const schema of changed) {
    const i = sync.schemas.findIndex((s) => s.id === schema.id);
    if (i >= 0) sync.schemas[i] = schema;
    else sync.schemas.push(schema);
  }
  sync.updated_at = iso(ctx.now());
  return ok(changed.map(schemaResponse));
}

/** `PUT …/schemas/{schema_id}`: a full replacement of that schema's settings. */
function putSchema(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const previous = schemaOf(ctx, sync);
  const problems: Problem[] = [];
  const source = sourceSchemaOf(ctx, sync, previous.id, "schema_id", problems);
  const body = bodyObject(ctx);
  const schema =
    source === undefined
      ? undefined
      : applySchemaSettings(
          { ...body, id: previous.id },
          "",
          source,
          previous,
          sync.normalize_names,
          "schemas",
          problems,
        );
  if (problems.length > 0 || schema === undefined) throw validationError(400, problems, "", "invalid schema");
  sync.schemas[sync.schemas.indexOf(previous)] = schema;
  sync.updated_at = iso(ctx.now());
  return ok(schemaResponse(schema));
}

// ---- Schedules (camelCase, the same records as default_schedule and additional_schedules) ----

function scheduleOf(ctx: RequestContext, sync: StoredBulkSync): StoredBulkSchedule {
  const id = pathParam(ctx, "schedule");
  const found = [sync.default_schedule, ...sync.additional_schedules].find((s) => s.id === id);
  if (found === undefined) throw notFound("schedule", id);
  return found;
}

/** The `{schedule: {...}}` body as a stored schedule; the default schedule takes no `selectiveMode` but `none`. */
function scheduleBody(ctx: RequestContext, previous: StoredBulkSchedule | undefined, isDefault: boolean) {
  const body = bodyObject(ctx);
  if (!isPlainObject(body.schedule)) {
    throw badRequest("schedule is required", { errors: [{ path: "schedule", message: "is required" }] });
  }
  const settings = scheduleFromItem(body.schedule) as Record<string, unknown>;
  if (isDefault && (settings.selective_mode === "none" || isUnset(settings.selective_mode))) {
    delete settings.selective_mode;
  }
  const problems: Problem[] = [];
  // The sub-resource cannot set what runs do (syncMode) nor which schemas: kept from the schedule.
  const kept = isDefault ? {} : { resync_mode: previous?.resync_mode, schemas: previous?.schemas };
  const schedule = readSchedule(
    { ...settings, ...kept },
    "schedule",
    !isDefault,
    problems,
    iso(ctx.now()),
    previous,
  );
  if (schedule === undefined) throw validationError(400, problems, "", "invalid schedule");
  return schedule;
}

function addSchedule(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const schedule = scheduleBody(ctx, undefined, false);
  sync.additional_schedules.push(schedule);
  sync.updated_at = iso(ctx.now());
  return ok(scheduleItem(sync, schedule));
}

function putSchedule(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const previous = scheduleOf(ctx, sync);
  const isDefault = previous.id === sync.default_schedule.id;
  const schedule = scheduleBody(ctx, previous, isDefault);
  if (isDefault) sync.default_schedule = schedule;
  else sync.additional_schedules[sync.additional_schedules.indexOf(previous)] = schedule;
  sync.updated_at = iso(ctx.now());
  return ok(scheduleItem(sync, schedule));
}

function deleteSchedule(ctx: RequestContext): HandlerResult {
  const sync = getBulkSync(ctx);
  const schedule = scheduleOf(ctx, sync);
  if (schedule.id === sync.default_schedule.id) {
    throw new ApiError(400, "default_schedule", "the default schedule cannot be deleted: change it instead", {
      errors: [{ path: "schedule_id", message: "is the default schedule" }],
    });
  }
  sync.additional_schedules = sync.additional_schedules.filter((s) => s !== schedule);
  sync.updated_at = iso(ctx.now());
  return deleted();
}

// ---- Connections' bulk-sync metadata ----

/** `GET /api/connections/{id}/bulksync/source`: the schemas the connection has cached (none while refreshing). */
function bulkSource(ctx: RequestContext): HandlerResult {
  const connection = getConnection(ctx, pathParam(ctx));
  if (!canBeBulkSource(connection, ctx.settings.catalog)) {
    throw badRequest(`connection type ${connection.type} cannot be a bulk-sync source`);
  }
  const refreshing = connection.schemaCache !== null && connection.schemaCache.readyAt > ctx.now();
  const includeFields = ctx.query.get("include_fields") !== "false";
  const schemas = refreshing ? [] : sourceSchemas(connection, ctx.settings);
  return ok({
    capabilities: { supports_tracking_fields: schemas.some((s) => s.tracking_field !== "") },
    configuration: sourceConfigurationSchema(connection.type),
    schemas: schemas.map((s) => ({
      id: s.id,
      name: s.name,
      fields: includeFields ? s.fields.map((f) => ({ ...f, user_managed: false })) : [],
    })),
  });
}

/** `GET /api/connections/{id}/bulksync/target`: the settings (JSON Schema) and modes of a destination. */
function bulkTarget(ctx: RequestContext): HandlerResult {
  const connection = getConnection(ctx, pathParam(ctx));
  const info = destinationInfo(connection.type);
  if (info === undefined)
    throw badRequest(`connection type ${connection.type} cannot be a bulk-sync destination`);
  return ok(info);
}

/** Asks a run to stop (asynchronous): `canceling` until its next step, then `canceled`. */
function requestCancel(ctx: RequestContext, execution: StoredBulkExecution): string {
  if (isFinalBulkStatus(execution.status))
    return `execution ${execution.id} has already ended (${execution.status})`;
  if (ctx.settings.executions.cancel(execution.id)) {
    execution.status = "canceling";
  } else {
    execution.status = "canceled";
    execution.completed_at = iso(ctx.now());
  }
  return `canceling execution ${execution.id}`;
}

function cancelSync(ctx: RequestContext): HandlerResult {
  const current = currentBulkExecution(getBulkSync(ctx));
  return ok({ message: current === undefined ? "no execution in progress" : requestCancel(ctx, current) });
}

function cancelExecution(ctx: RequestContext): HandlerResult {
  return ok({ message: requestCancel(ctx, executionOf(ctx)) });
}

function cancelSchema(ctx: RequestContext): HandlerResult {
  schemaOf(ctx, getBulkSync(ctx));
  return ok({ message: "no execution in progress" });
}

/** Bulk syncs (ELT), their executions, schemas and schedules, and connections' bulk-sync metadata. */
export const routes: RouteTable = [
  ["GET", "/api/bulk/syncs", list],
  ["POST", "/api/bulk/syncs", create],
  ["GET", "/api/bulk/syncs/status", statuses],
  ["GET", "/api/bulk/syncs/:id", (ctx) => ok(bulkSyncResponse(getBulkSync(ctx)))],
  ["PUT", "/api/bulk/syncs/:id", update],
  ["DELETE", "/api/bulk/syncs/:id", remove],
  ["POST", "/api/bulk/syncs/:id/activate", activate],
  ["POST", "/api/bulk/syncs/:id/cancel", cancelSync],
  ["POST", "/api/bulk/syncs/:id/executions", start],
  [
    "GET",
    "/api/bulk/syncs/:id/executions",
    (ctx) => ok([...getBulkSync(ctx).executions].reverse(), { pagination: { next_page_token: null } }),
  ],
  ["GET", "/api/bulk/syncs/:id/executions/:execution", (ctx) => ok(executionOf(ctx))],
  // Emulator only: what each schema of the run wrote, or would have written (../bulk-run.ts).
  [
    "GET",
    "/api/bulk/syncs/:id/executions/:execution/outputs",
    (ctx) => ok(bulkOutputs(ctx.state, executionOf(ctx).id)),
  ],
  ["POST", "/api/bulk/syncs/:id/executions/:execution/cancel", cancelExecution],
  ["GET", "/api/bulk/syncs/:id/status", status],
  ["GET", "/api/bulk/syncs/:id/schemas", listSchemas],
  ["PATCH", "/api/bulk/syncs/:id/schemas", patchSchemas],
  [
    "GET",
    "/api/bulk/syncs/:id/schemas/:schema",
    (ctx) => ok(schemaResponse(schemaOf(ctx, getBulkSync(ctx)))),
  ],
  ["PUT", "/api/bulk/syncs/:id/schemas/:schema", putSchema],
  ["POST", "/api/bulk/syncs/:id/schemas/:schema/cancel", cancelSchema],
  [
    "GET",
    "/api/bulk/syncs/:id/schedules",
    (ctx) => {
      const sync = getBulkSync(ctx);
      return ok([sync.default_schedule, ...sync.additional_schedules].map((s) => scheduleItem(sync, s)));
    },
  ],
  ["POST", "/api/bulk/syncs/:id/schedules", addSchedule],
  [
    "GET",
    "/api/bulk/syncs/:id/schedules/:schedule",
    (ctx) => {
      const sync = getBulkSync(ctx);
      return ok(scheduleItem(sync, scheduleOf(ctx, sync)));
    },
  ],
  ["PUT", "/api/bulk/syncs/:id/schedules/:schedule", putSchedule],
  ["DELETE", "/api/bulk/syncs/:id/schedules/:schedule", deleteSchedule],
  ["GET", "/api/connections/:id/bulksync/source", bulkSource],
  ["GET", "/api/connections/:id/bulksync/target", bulkTarget],
];
