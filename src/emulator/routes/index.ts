import { ok } from "../http";
import { IDENTITY } from "../identity";
import { Router } from "../router";
import { registerConnectionRoutes } from "./connections";
import { registerModelRoutes } from "./models";
import { registerSchemaRoutes } from "./schemas";
import { registerSyncRoutes } from "./syncs";

/** Every `/api/*` route the emulator answers. */
export function buildRouter(): Router {
  const router = new Router();
  router.add("GET", "/api/me", () => ok(IDENTITY));
  registerConnectionRoutes(router);
  registerSchemaRoutes(router);
  registerModelRoutes(router);
  registerSyncRoutes(router);
  return router;
}
