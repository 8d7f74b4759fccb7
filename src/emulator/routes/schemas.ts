import { ApiError, type HandlerResult, ok, pathParam, type RequestContext } from "../http";
import type { RouteTable } from "../router";
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
  const connection = getConnection(ctx, pathParam(ctx));
  return ok(cacheStatus(cacheOf(connection), ctx.now()));
}

/** 202, body `{}`, `Location` = the status URL; the cache goes back to refreshing. */
function refresh(ctx: RequestContext): HandlerResult {
  const connection = getConnection(ctx, pathParam(ctx));
  cacheOf(connection);
  connection.schemaCache = startRefresh(ctx.now(), ctx.settings.schemaReadyDelayMs);
  return {
    status: 202,
    body: {},
    headers: { Location: `/api/connections/${encodeURIComponent(connection.id)}/schemas/status` },
  };
}

/** A connection's schema cache: its status and a refresh. */
export const routes: RouteTable = [
  ["GET", "/api/connections/:id/schemas/status", status],
  ["POST", "/api/connections/:id/schemas/refresh", refresh],
];
