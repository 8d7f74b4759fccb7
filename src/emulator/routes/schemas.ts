import { ApiError, type HandlerResult, ok, type RequestContext } from "../http";
import type { Router } from "../router";
import { cacheStatus, startRefresh } from "../schema-cache";
import type { SchemaCache, StoredConnection } from "../state";
import { getConnection } from "./connections";

function cacheOf(connection: StoredConnection): SchemaCache {
  if (connection.schemaCache === null) {
    throw new ApiError(400, "no_schema_cache", `connection type ${connection.type} has no schema cache`);
  }
  return connection.schemaCache;
}

function status(ctx: RequestContext): HandlerResult {
  const connection = getConnection(ctx, ctx.params.id ?? "");
  return ok(cacheStatus(cacheOf(connection), ctx.now()));
}

/** 202, body `{}`, `Location` = the status URL; the cache goes back to refreshing. */
function refresh(ctx: RequestContext): HandlerResult {
  const connection = getConnection(ctx, ctx.params.id ?? "");
  cacheOf(connection);
  connection.schemaCache = startRefresh(ctx.now(), ctx.settings.schemaReadyDelayMs);
  return {
    status: 202,
    body: {},
    headers: { Location: `/api/connections/${encodeURIComponent(connection.id)}/schemas/status` },
  };
}

export function registerSchemaRoutes(router: Router): void {
  router
    .add("GET", "/api/connections/:id/schemas/status", status)
    .add("POST", "/api/connections/:id/schemas/refresh", refresh);
}
