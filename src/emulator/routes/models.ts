import { randomUUID } from "node:crypto";
import { isModelSourceType } from "../../connection-types/registry";
import { deepCopy } from "../config-paths";
import {
  ApiError,
  bodyObject,
  boolQuery,
  type HandlerResult,
  iso,
  isPlainObject,
  notFound,
  ok,
  type RequestContext,
  requireFields,
  validationError,
} from "../http";
import { ACTOR, ORGANIZATION_ID } from "../identity";
import { readModelSource } from "../model-source";
import type { Router } from "../router";
import { isReady } from "../schema-cache";
import type { StoredConnection, StoredJob, StoredModel, StoredModelField } from "../state";

type Problem = { path: string; message: string };

export function modelResponse(m: StoredModel) {
  return {
    id: m.id,
    name: m.name,
    connection_id: m.connection_id,
    configuration: m.configuration,
    type: m.type,
    version: m.version,
    identifier: m.identifier,
    fields: m.fields.map((f) => ({ ...f, created_by: ACTOR, updated_by: ACTOR })),
    relations: m.relations,
    tracking_columns: m.tracking_columns,
    labels: m.labels.map((id) => ({ id })),
    policies: m.policies,
    enricher: null,
    organization_id: m.organization_id,
    created_at: m.created_at,
    created_by: ACTOR,
    updated_at: m.updated_at,
    updated_by: ACTOR,
  };
}

export function getModel(ctx: RequestContext, id: string): StoredModel {
  const m = ctx.state.models.get(id);
  if (m === undefined) throw notFound("model", id);
  return m;
}

/** The model's source connection: 400 if missing, not a source, or its schema cache is still refreshing. */
function sourceConnection(ctx: RequestContext, id: string): StoredConnection {
  const connection = ctx.state.connections.get(id);
  if (connection === undefined) {
    throw new ApiError(400, "bad_request", `connection ${id} not found`, {
      errors: [{ path: "connection_id", message: "not found" }],
    });
  }
  if (!isModelSourceType(connection.type) || connection.schemaCache === null) {
    throw new ApiError(400, "bad_request", `connection type ${connection.type} cannot be a model source`, {
      errors: [{ path: "connection_id", message: "not a model source" }],
    });
  }
  if (!isReady(connection.schemaCache, ctx.now())) {
    throw new ApiError(
      400,
      "cache_refresh_in_progress",
      `schema cache refresh in progress for connection ${connection.id}; retry once GET /api/connections/${connection.id}/schemas/status reports "fresh"`,
    );
  }
  return connection;
}

function stringArray(body: Record<string, unknown>, name: string, problems: Problem[]): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ path: name, message: "must be an array of strings" });
    return undefined;
  }
  value.forEach((v, i) => {
    if (typeof v !== "string") problems.push({ path: `${name}[${i}]`, message: "must be a string" });
  });
  return value.filter((v): v is string => typeof v === "string");
}

/** Builds a stored model from a create/update body (`previous` for updates: field ids stay stable by name). */
function buildModel(ctx: RequestContext, body: Record<string, unknown>, previous?: StoredModel): StoredModel {
  requireFields(body, { name: "string", connection_id: "string", configuration: "object" });
  const connectionId = body.connection_id as string;
  if (previous !== undefined && previous.connection_id !== connectionId) {
    throw new ApiError(422, "validation_error", "the connection_id of a model cannot change", {
      errors: [{ path: "connection_id", message: "cannot change" }],
    });
  }
  const connection = sourceConnection(ctx, connectionId);
  const configuration = deepCopy(body.configuration as Record<string, unknown>);
  const source = readModelSource(connection, configuration, ctx.settings.bucketsDir);

  const problems: Problem[] = [];
  const requested = stringArray(body, "fields", problems);
  const tracking = stringArray(body, "tracking_columns", problems) ?? [];
  const labels = stringArray(body, "labels", problems) ?? [];
  const policies = stringArray(body, "policies", problems) ?? [];

  const now = iso(ctx.now());
  const idFor = (name: string) => previous?.fields.find((f) => f.name === name)?.id ?? randomUUID();
  const field = (
    name: string,
    type: string,
    remoteType: string,
    example: unknown,
    userAdded: boolean,
    label = name,
  ) =>
    ({
      id: idFor(name),
      name,
      label,
      type,
      remote_type: remoteType,
      description: "",
      example,
      unique: false,
      user_added: userAdded,
      created_at: previous?.fields.find((f) => f.name === name)?.created_at ?? now,
      updated_at: now,
    }) satisfies StoredModelField;

  let fields: StoredModelField[];
  if (source !== undefined) {
    const known = new Map(source.columns.map((c) => [c.name, c]));
    (requested ?? []).forEach((name, i) => {
      if (!known.has(name)) problems.push({ path: `fields[${i}]`, message: `unknown field "${name}"` });
    });
    const wanted = requested === undefined ? undefined : new Set(requested);
    fields = source.columns
      .filter((c) => wanted === undefined || wanted.has(c.name))
      .map((c) => field(c.name, c.type, c.remote_type, c.example, false));
  } else {
    // Sources without files behind them (databases, warehouses): the requested names become string fields.
    fields = (requested ?? []).map((name) => field(name, "string", "string", null, false));
  }

  const additional = body.additional_fields;
  if (additional !== undefined && additional !== null) {
    if (!Array.isArray(additional)) {
      problems.push({ path: "additional_fields", message: "must be an array" });
    } else {
      additional.forEach((a, i) => {
        const at = `additional_fields[${i}]`;
        if (!isPlainObject(a)) {
          problems.push({ path: at, message: "must be an object" });
          return;
        }
        for (const key of ["name", "label", "type"]) {
          if (typeof a[key] !== "string" || a[key] === "")
            problems.push({ path: `${at}.${key}`, message: "is required" });
        }
        if (typeof a.name === "string" && fields.some((f) => f.name === a.name)) {
          problems.push({ path: `${at}.name`, message: `duplicates field "${a.name}"` });
        }
        if (problems.some((p) => p.path.startsWith(at))) return;
        fields.push(
          field(
            a.name as string,
            a.type as string,
            a.type as string,
            a.example ?? null,
            true,
            a.label as string,
          ),
        );
      });
    }
  }

  const names = new Set(fields.map((f) => f.name));
  const identifier = body.identifier;
  if (identifier !== undefined && identifier !== null && identifier !== "") {
    if (typeof identifier !== "string") problems.push({ path: "identifier", message: "must be a string" });
    else if (!names.has(identifier))
      problems.push({ path: "identifier", message: `"${identifier}" is not a field of the model` });
  }
  tracking.forEach((name, i) => {
    if (!names.has(name))
      problems.push({ path: `tracking_columns[${i}]`, message: `"${name}" is not a field of the model` });
  });
  const relations = body.relations ?? [];
  if (!Array.isArray(relations)) problems.push({ path: "relations", message: "must be an array" });
  else {
    relations.forEach((r, i) => {
      if (!isPlainObject(r) || typeof r.from !== "string" || !isPlainObject(r.to)) {
        problems.push({ path: `relations[${i}]`, message: "must be {from, to: {model_id, field}}" });
      } else if (!names.has(r.from)) {
        problems.push({ path: `relations[${i}].from`, message: `"${r.from}" is not a field of the model` });
      }
    });
  }
  if (problems.length > 0) throw validationError(400, problems, "", "invalid model");

  const created = previous?.created_at ?? now;
  return {
    id: previous?.id ?? randomUUID(),
    name: body.name as string,
    connection_id: connectionId,
    configuration,
    type: connection.type,
    version: (previous?.version ?? 0) + 1,
    identifier: typeof identifier === "string" && identifier !== "" ? identifier : null,
    fields,
    relations: deepCopy(relations as unknown[]),
    tracking_columns: tracking,
    labels,
    policies,
    organization_id: typeof body.organization_id === "string" ? body.organization_id : ORGANIZATION_ID,
    created_at: created,
    updated_at: now,
    rowCount: source?.rowCount ?? 0,
  };
}

/** With `?async=true` the work is still done at once; the answer carries a finished job (`result: null`). */
function respond(ctx: RequestContext, model: StoredModel, jobType: string): HandlerResult {
  if (!boolQuery(ctx.query, "async")) return ok(modelResponse(model));
  const job: StoredJob = { job_id: randomUUID(), type: jobType, status: "done", result: null, error: null };
  ctx.state.jobs.set(job.job_id, job);
  return ok(modelResponse(model), { job });
}

function create(ctx: RequestContext): HandlerResult {
  const model = buildModel(ctx, bodyObject(ctx));
  ctx.state.models.set(model.id, model);
  return respond(ctx, model, "createmodel");
}

function update(ctx: RequestContext): HandlerResult {
  const previous = getModel(ctx, ctx.params.id ?? "");
  const model = buildModel(ctx, bodyObject(ctx), previous);
  ctx.state.models.set(model.id, model);
  return respond(ctx, model, "updatemodel");
}

export function registerModelRoutes(router: Router): void {
  router
    .add("GET", "/api/models", (ctx) => ok([...ctx.state.models.values()].map((m) => modelResponse(m))))
    .add("POST", "/api/models", create)
    .add("GET", "/api/models/:id", (ctx) => ok(modelResponse(getModel(ctx, ctx.params.id ?? ""))))
    .add("PUT", "/api/models/:id", update)
    .add("DELETE", "/api/models/:id", (ctx) => {
      const model = getModel(ctx, ctx.params.id ?? "");
      ctx.state.models.delete(model.id);
      return { status: 200, body: {} };
    })
    .add("GET", "/api/jobs/:type/:id", (ctx) => {
      const job = ctx.state.jobs.get(ctx.params.id ?? "");
      if (job === undefined || job.type !== ctx.params.type) throw notFound("job", ctx.params.id ?? "");
      return ok(job);
    });
}
