import { Router, type RouteTable } from "../router";
import { routes as bulkSyncs } from "./bulk-syncs";
import { routes as connections } from "./connections";
import { routes as identity } from "./identity";
import { routes as models } from "./models";
import { routes as notifications } from "./notifications";
import { routes as organizations } from "./organizations";
import { routes as permissions } from "./permissions";
import { routes as schemaOverrides } from "./schema-overrides";
import { routes as schemas } from "./schemas";
import { routes as syncs } from "./syncs";
import { routes as users } from "./users";

/*
 * Convention: a route family (connections, models, syncs; later bulk syncs, permissions, users, ...) is one file
 * in this folder that exports `routes`, a `RouteTable` of `[method, pattern, handler, access?]` rows
 * (access: who may call it, `organization` by default; see ../admin-state), and imports what it
 * needs from ../http (ok, notFound, findOr404, bodyObject, ...) and ../state. Adding a family is that file plus
 * its entry in ROUTE_FAMILIES (and the import above); nothing else changes: the server routes, authenticates,
 * applies faults and idempotency to every route alike. Where patterns overlap, the earlier row wins, within a
 * table and across the list (e.g. `GET /api/syncs/schedules` is listed before `GET /api/syncs/:id`).
 */
const ROUTE_FAMILIES: readonly RouteTable[] = [
  identity,
  connections,
  schemas,
  models,
  syncs,
  bulkSyncs,
  organizations,
  users,
  permissions,
  notifications,
  schemaOverrides,
];

/** Every `/api/*` route the emulator answers. */
export function buildRouter(): Router {
  const router = new Router();
  for (const family of ROUTE_FAMILIES) router.addTable(family);
  return router;
}
