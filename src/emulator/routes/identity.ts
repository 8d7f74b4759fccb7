import { ok } from "../http";
import { IDENTITY } from "../identity";
import type { RouteTable } from "../router";

/** `GET /api/me`: every accepted key belongs to the one emulated user and organization. */
export const routes: RouteTable = [["GET", "/api/me", () => ok(IDENTITY)]];
