import { randomUUID } from "node:crypto";
import { isModelSourceType } from "../../connection-types/registry";
import { isPlainObject } from "../../wire";
import { forEachObjectItem, isNonEmptyString, isUnset, type Problem, stringArray } from "../body-checks";
import { deepCopy } from "../config-paths";
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
  requireFields,
  validationError,
} from "../http";
import { ACTOR } from "../identity";
import { readModelSource, type SourceRead } from "../model-source";
import type { RouteTable } from "../router";
import { isReady } from "../schema-cache";
import type { StoredConnection, StoredJob, StoredModel, StoredModelField } from "../state";
import { unknownPolicies } from "./permissions";

/** A model as Polytomic answers it: fields, labels and the model itself authored by the caller. */
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

/** The model with that id, or 404. */
export function getModel(ctx: RequestContext, id: string): StoredModel {
  return findOr404(ctx.state.models, "model", id);
}

/** A model's connection is fixed at creation (Polytomic answers 422 to a change). */
function assertSameConnection(previous: StoredModel | undefined, connectionId: string): void {
  if (previous !== undefined && previous.connection_id !== connectionId) {
    throw new ApiError(422, "validation_error", "the connection_id of a model cannot change", {
      errors: [{ path: "connection_id", message: "cannot change" }],
    });
  }
}

/**
 * The model's source connection: 400 if missing or not a source (POST /api/models declares no 404), or while its
 * schema cache is still refreshing.
 */
function sourceConnection(ctx: RequestContext, id: string): StoredConnection {
  const connection = ctx.state.connections.get(id);
  if (connection === undefined) {
    throw badRequest(`connection ${id} not found`, {
      errors: [{ path: "connection_id", message: "not found" }],
    });
  }
  if (!isModelSourceType(connection.type) || connection.schemaCache === null) {
    throw badRequest(`connection type ${connection.type} cannot be a model source`, {
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

/** The body's lists of names; items that are not strings are problems. */
interface ModelLists {
  /** The source columns wanted; `undefined` = all of them. */
  fields: string[] | undefined;
  trackingColumns: string[];
  labels: string[];
  policies: string[];
}

function readModelLists(body: Record<string, unknown>, problems: Problem[]): ModelLists {
  return {
    fields: stringArray(body, "fields", problems),
    trackingColumns: stringArray(body, "tracking_columns", problems) ?? [],
    labels: stringArray(body, "labels", problems) ?? [],
    policies: stringArray(body, "policies", problems) ?? [],
  };
}

/** What a model field is made of; `label` defaults to the name. */
interface FieldSpec {
  name: string;
  type: string;
  remoteType: string;
  example: unknown;
  userAdded: boolean;
  label?: string;
}

type FieldMaker = (spec: FieldSpec) => StoredModelField;

/** Makes fields stamped `now`; a field the previous version had (same name) keeps its id and `created_at`. */
function fieldMaker(previous: StoredModel | undefined, now: string): FieldMaker {
  return ({ name, type, remoteType, example, userAdded, label = name }) => {
    const before = previous?.fields.find((f) => f.name === name);
    return {
      id: before?.id ?? randomUUID(),
      name,
      label,
      type,
      remote_type: remoteType,
      description: "",
      example,
      unique: false,
      user_added: userAdded,
      created_at: before?.created_at ?? now,
      updated_at: now,
    };
  };
}

/**
 * The source's columns (those requested, or all), a requested name the source lacks being a problem. Sources
 * without files behind them (databases, warehouses) offer no columns: the requested names become string fields.
 */
function sourceFields(
  source: SourceRead | undefined,
  requested: string[] | undefined,
  makeField: FieldMaker,
  problems: Problem[],
): StoredModelField[] {
  if (source === undefined) {
    return (requested ?? []).map((name) =>
      makeField({ name, type: "string", remoteType: "string", example: null, userAdded: false }),
    );
  }
  const known = new Set(source.columns.map((c) => c.name));
  (requested ?? []).forEach((name, i) => {
    if (!known.has(name)) problems.push({ path: `fields[${i}]`, message: `unknown field "${name}"` });
  });
  const wanted = requested === undefined ? undefined : new Set(requested);
  return source.columns
    .filter((c) => wanted === undefined || wanted.has(c.name))
    .map((c) =>
      makeField({
        name: c.name,
        type: c.type,
        remoteType: c.remote_type,
        example: c.example,
        userAdded: false,
      }),
    );
}

/** Appends the body's `additional_fields` (user-added `{name, label, type, example?}`) that are complete and new. */
function addAdditionalFields(
  body: Record<string, unknown>,
  fields: StoredModelField[],
  makeField: FieldMaker,
  problems: Problem[],
): void {
  forEachObjectItem(body, "additional_fields", problems, (extra, at) => {
    for (const key of ["name", "label", "type"]) {
      if (!isNonEmptyString(extra[key])) problems.push({ path: `${at}.${key}`, message: "is required" });
    }
    if (typeof extra.name === "string" && fields.some((f) => f.name === extra.name)) {
      problems.push({ path: `${at}.name`, message: `duplicates field "${extra.name}"` });
    }
    if (problems.some((p) => p.path.startsWith(at))) return;
    const type = extra.type as string;
    fields.push(
      makeField({
        name: extra.name as string,
        label: extra.label as string,
        type,
        remoteType: type,
        example: extra.example ?? null,
        userAdded: true,
      }),
    );
  });
}

/** `identifier`, `tracking_columns` and each relation's `from` must name fields of the model. */
function checkFieldReferences(
  body: Record<string, unknown>,
  fields: StoredModelField[],
  trackingColumns: string[],
  problems: Problem[],
): void {
  const names = new Set(fields.map((f) => f.name));
  const notAField = (name: unknown) => `"${name}" is not a field of the model`;
  const { identifier } = body;
  if (!isUnset(identifier) && identifier !== "") {
    if (typeof identifier !== "string") problems.push({ path: "identifier", message: "must be a string" });
    else if (!names.has(identifier)) problems.push({ path: "identifier", message: notAField(identifier) });
  }
  trackingColumns.forEach((name, i) => {
    if (!names.has(name)) problems.push({ path: `tracking_columns[${i}]`, message: notAField(name) });
  });
  const relations = body.relations ?? [];
  if (!Array.isArray(relations)) {
    problems.push({ path: "relations", message: "must be an array" });
    return;
  }
  relations.forEach((r, i) => {
    if (!isPlainObject(r) || typeof r.from !== "string" || !isPlainObject(r.to)) {
      problems.push({ path: `relations[${i}]`, message: "must be {from, to: {model_id, field}}" });
    } else if (!names.has(r.from)) {
      problems.push({ path: `relations[${i}].from`, message: notAField(r.from) });
    }
  });
}

/** The parts of a model that {@link buildModel} has read and checked. */
interface ModelParts {
  body: Record<string, unknown>;
  previous: StoredModel | undefined;
  connection: StoredConnection;
  configuration: Record<string, unknown>;
  source: SourceRead | undefined;
  fields: StoredModelField[];
  lists: ModelLists;
  now: string;
}

function storedModel({ body, previous, connection, configuration, source, fields, lists, now }: ModelParts) {
  const { identifier } = body;
  return {
    id: previous?.id ?? randomUUID(),
    name: body.name as string,
    connection_id: connection.id,
    configuration,
    type: connection.type,
    version: (previous?.version ?? 0) + 1,
    identifier: isNonEmptyString(identifier) ? identifier : null,
    fields,
    relations: deepCopy((body.relations ?? []) as unknown[]),
    tracking_columns: lists.trackingColumns,
    labels: lists.labels,
    policies: lists.policies,
    // In its connection's organization unless the body names one (another organization's is refused).
    organization_id:
      typeof body.organization_id === "string" ? body.organization_id : connection.organization_id,
    created_at: previous?.created_at ?? now,
    updated_at: now,
    rowCount: source?.rowCount ?? 0,
  } satisfies StoredModel;
}

/** Builds a stored model from a create/update body (`previous` for updates: field ids stay stable by name). */
function buildModel(ctx: RequestContext, body: Record<string, unknown>, previous?: StoredModel): StoredModel {
  requireFields(body, { name: "string", connection_id: "string", configuration: "object" });
  const connectionId = body.connection_id as string;
  assertSameConnection(previous, connectionId);
  const connection = sourceConnection(ctx, connectionId);
  const configuration = deepCopy(body.configuration as Record<string, unknown>);
  const source = readModelSource(connection, configuration, ctx.settings.bucketsDir, ctx.settings.catalog);

  const problems: Problem[] = [];
  const lists = readModelLists(body, problems);
  problems.push(...unknownPolicies(ctx.state, lists.policies));
  const now = iso(ctx.now());
  const makeField = fieldMaker(previous, now);
  const fields = sourceFields(source, lists.fields, makeField, problems);
  addAdditionalFields(body, fields, makeField, problems);
  checkFieldReferences(body, fields, lists.trackingColumns, problems);
  if (problems.length > 0) throw validationError(400, problems, "", "invalid model");
  return storedModel({ body, previous, connection, configuration, source, fields, lists, now });
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
  const previous = getModel(ctx, pathParam(ctx));
  const model = buildModel(ctx, bodyObject(ctx), previous);
  ctx.state.models.set(model.id, model);
  return respond(ctx, model, "updatemodel");
}

function remove(ctx: RequestContext): HandlerResult {
  ctx.state.models.delete(getModel(ctx, pathParam(ctx)).id);
  return deleted();
}

/** `?async=true` answers carry a job; this reads it back. */
function getJob(ctx: RequestContext): HandlerResult {
  const job = ctx.state.jobs.get(pathParam(ctx));
  if (job === undefined || job.type !== pathParam(ctx, "type")) throw notFound("job", pathParam(ctx));
  return ok(job);
}

/** Models, and the jobs of their `?async=true` calls. */
export const routes: RouteTable = [
  ["GET", "/api/models", (ctx) => ok([...ctx.state.models.values()].map(modelResponse))],
  ["POST", "/api/models", create],
  ["GET", "/api/models/:id", (ctx) => ok(modelResponse(getModel(ctx, pathParam(ctx))))],
  ["PUT", "/api/models/:id", update],
  ["DELETE", "/api/models/:id", remove],
  ["GET", "/api/jobs/:type/:id", getJob],
];
