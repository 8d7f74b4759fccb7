import type { RouteAccess } from "./admin-state";
import type { Handler } from "./http";

/**
 * One row of a route family's table: method, pattern (`:name` matches one path segment), handler, and who may call
 * it (default `organization`: a caller acting inside an organization; see {@link RouteAccess}).
 */
export type RouteRow = readonly [method: string, pattern: string, handler: Handler, access?: RouteAccess];

/** A route family's routes (see routes/index.ts for the convention). */
export type RouteTable = readonly RouteRow[];

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
  access: RouteAccess;
}

/** A route that matched method and path, with its path parameters. */
export interface FoundRoute {
  kind: "found";
  handler: Handler;
  params: Record<string, string>;
  pattern: string;
  /** Who may call it. */
  access: RouteAccess;
}

/** What {@link Router.match} found: a route, a path whose other methods match (405), or nothing (404). */
export type RouteMatch =
  | FoundRoute
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

/** A tiny router: patterns like `/api/connections/:id/schemas/status`; `:name` matches one path segment. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds one route. Earlier routes win where patterns overlap (`/api/syncs/schedules` before `/api/syncs/:id`). */
  add(method: string, pattern: string, handler: Handler, access: RouteAccess = "organization"): this {
    const names: string[] = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        if (segment.startsWith(":")) {
          names.push(segment.slice(1));
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}$`), names, handler, access });
    return this;
  }

  /** Adds every row of a route family's table, in order. */
  addTable(table: RouteTable): this {
    for (const [method, pattern, handler, access] of table) this.add(method, pattern, handler, access);
    return this;
  }

  /** The first route matching method and path. */
  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (m === null) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { kind: "found", handler: route.handler, params, pattern: route.pattern, access: route.access };
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  }
}
