import { randomUUID } from "node:crypto";
import type { JsonSchema } from "../../connection-types/json-schema";
import {
  getConnectionType,
  listConnectionTypes,
  loadConnectionSchema,
} from "../../connection-types/registry";
import { callerFrom } from "../admin-state";
import { hasSchemaCache } from "../bulk-source";
import { assertTypeUnchanged, maskedConfiguration, prepareConfiguration } from "../connection-config";
import {
  connectionDependents,
  deleteBulkSyncsOf,
  deleteSync,
  modelsOfConnection,
  syncsOfConnection,
} from "../dependents";
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
import type { RouteTable } from "../router";
import { startRefresh } from "../schema-cache";
import type { StoredConnection } from "../state";
import { unknownPolicies } from "./permissions";

const LOGO_BASE = "https://app.polytomic.com/static/logos";

function typeRef(type: string) {
  return {
    id: type,
    name: getConnectionType(type)?.name ?? type,
    logo_url: `${LOGO_BASE}/${type}.svg`,
    operations: [] as string[],
  };
}

/** A connection as Polytomic answers it: secrets masked, the type as a reference, the caller as author. */
export function connectionResponse(c: StoredConnection) {
  return {
    id: c.id,
    name: c.name,
    type: typeRef(c.type),
    configuration: maskedConfiguration(c.type, loadConnectionSchema(c.type), c.configuration),
    organization_id: c.organization_id,
    policies: c.policies,
    saved: true,
    status: "healthy",
    status_error: "",
    healthcheck_interval: c.healthcheck_interval,
    // OAuth types finish connecting in a browser; the emulator names a URL but never needs the visit.
    ...(getConnectionType(c.type)?.use_oauth === true
      ? { auth_url: `https://app.polytomic.com/oauth/connect?connection_id=${c.id}` }
      : {}),
    api_calls_last_24_hours: 0,
    parent_connection_id: null,
    created_at: c.created_at,
    created_by: ACTOR,
    updated_at: c.updated_at,
    updated_by: ACTOR,
  };
}

/** The connection with that id, or 404. */
export function getConnection(ctx: RequestContext, id: string): StoredConnection {
  return findOr404(ctx.state.connections, "connection", id);
}

function schemaFor(type: string): JsonSchema {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) {
    throw new ApiError(422, "unknown_connection_type", `unknown connection type "${type}"`, {
      errors: [{ path: "type", message: "unknown connection type" }],
    });
  }
  return schema;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw badRequest(`${name} must be an array of strings`);
  }
  return value as string[];
}

/** The body's `policies`: each one a policy of the caller's organization (422 otherwise). */
function policyList(ctx: RequestContext, value: unknown): string[] {
  const policies = stringList(value, "policies");
  const problems = unknownPolicies(ctx.state, policies);
  if (problems.length > 0) throw validationError(422, problems, "", "invalid connection");
  return policies;
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw badRequest(`${name} must be a string`);
  return value;
}

function create(ctx: RequestContext): HandlerResult {
  const body = bodyObject(ctx);
  requireFields(body, { name: "string", type: "string", configuration: "object" });
  const type = body.type as string;
  const schema = schemaFor(type);
  const configuration = prepareConfiguration({
    type,
    schema,
    input: body.configuration as Record<string, unknown>,
    validate: body.validate !== false,
  });
  const now = ctx.now();
  const connection: StoredConnection = {
    id: randomUUID(),
    name: body.name as string,
    type,
    configuration,
    organization_id:
      optionalString(body.organization_id, "organization_id") ?? callerFrom(ctx).organizationId,
    policies: policyList(ctx, body.policies),
    healthcheck_interval: optionalString(body.healthcheck_interval, "healthcheck_interval"),
    created_at: iso(now),
    updated_at: iso(now),
    schemaCache: hasSchemaCache(type, body.name, ctx.settings.catalog)
      ? startRefresh(now, ctx.settings.schemaReadyDelayMs)
      : null,
  };
  ctx.state.connections.set(connection.id, connection);
  return ok(connectionResponse(connection));
}

function update(ctx: RequestContext): HandlerResult {
  const existing = getConnection(ctx, pathParam(ctx));
  const body = bodyObject(ctx);
  requireFields(body, { name: "string", configuration: "object" });
  assertTypeUnchanged(existing.type, body.type);
  const schema = schemaFor(existing.type);
  const configuration = prepareConfiguration({
    type: existing.type,
    schema,
    input: body.configuration as Record<string, unknown>,
    stored: existing.configuration,
    validate: body.validate !== false,
  });
  const now = ctx.now();
  const updated: StoredConnection = {
    ...existing,
    name: body.name as string,
    configuration,
    organization_id: optionalString(body.organization_id, "organization_id") ?? existing.organization_id,
    policies: policyList(ctx, body.policies),
    healthcheck_interval: optionalString(body.healthcheck_interval, "healthcheck_interval"),
    updated_at: iso(now),
    schemaCache: hasSchemaCache(existing.type, body.name, ctx.settings.catalog)
      ? startRefresh(now, ctx.settings.schemaReadyDelayMs)
      : null,
  };
  ctx.state.connections.set(updated.id, updated);
  return ok(connectionResponse(updated));
}

function remove(ctx: RequestContext): HandlerResult {
  const connection = getConnection(ctx, pathParam(ctx));
  const usedBy = connectionDependents(ctx.state, connection.id);
  if (usedBy.length > 0) {
    if (!boolQuery(ctx.query, "force")) {
      throw new ApiError(422, "connection_in_use", "connection in use", { used_by: usedBy });
    }
    for (const sync of syncsOfConnection(ctx.state, connection.id)) deleteSync(ctx.state, sync.id);
    deleteBulkSyncsOf(ctx.state, connection.id);
    for (const model of modelsOfConnection(ctx.state, connection.id)) ctx.state.models.delete(model.id);
  }
  ctx.state.connections.delete(connection.id);
  return deleted();
}

function connectionTypeSchema(ctx: RequestContext): HandlerResult {
  const schema = loadConnectionSchema(pathParam(ctx));
  if (schema === undefined) throw notFound("connection type", pathParam(ctx));
  return { status: 200, body: schema };
}

/** Connection types and connections. */
export const routes: RouteTable = [
  [
    "GET",
    "/api/connection_types",
    () => ok(listConnectionTypes().map((t) => ({ ...typeRef(t.id), use_oauth: t.use_oauth }))),
    "any",
  ],
  ["GET", "/api/connection_types/:id", connectionTypeSchema, "any"],
  ["GET", "/api/connections", (ctx) => ok([...ctx.state.connections.values()].map(connectionResponse))],
  ["POST", "/api/connections", create],
  ["GET", "/api/connections/:id", (ctx) => ok(connectionResponse(getConnection(ctx, pathParam(ctx))))],
  ["PUT", "/api/connections/:id", update],
  ["DELETE", "/api/connections/:id", remove],
];
