import { randomUUID } from "node:crypto";
import { callerFrom, manages, type StoredOrganization } from "../admin-state";
import { isNonEmptyString, isUnset, type Problem } from "../body-checks";
import {
  ApiError,
  bodyObject,
  deleted,
  type HandlerResult,
  iso,
  notFound,
  ok,
  pathParam,
  type RequestContext,
  validationError,
} from "../http";
import type { RouteTable } from "../router";
import type { EmulatorState } from "../state";

/** An organization as Polytomic answers it: `client_id` and `client_secret` are never returned. */
export function organizationResponse(o: StoredOrganization) {
  return { id: o.id, name: o.name, sso_domain: o.sso_domain, sso_org_id: o.sso_org_id, issuer: o.issuer };
}

/** The organization with that id, if the calling partner (or deployment key) manages it; else 404. */
export function managedOrganization(ctx: RequestContext, id: string): StoredOrganization {
  const organization = ctx.state.admin.organizations.get(id);
  if (organization === undefined || !manages(callerFrom(ctx), organization))
    throw notFound("organization", id);
  return organization;
}

const SETTINGS = ["sso_domain", "sso_org_id", "issuer", "client_id", "client_secret"] as const;

/** The body's name and SSO settings (422 naming every problem); the name is unique among the partner's organizations. */
function readOrganization(ctx: RequestContext, existing?: StoredOrganization) {
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  if (!isNonEmptyString(body.name)) problems.push({ path: "name", message: "is required" });
  for (const key of SETTINGS) {
    if (!isUnset(body[key]) && typeof body[key] !== "string")
      problems.push({ path: key, message: "must be a string" });
  }
  if (problems.length > 0) throw validationError(422, problems, "", "invalid organization");
  const name = body.name as string;
  const caller = callerFrom(ctx);
  const taken = [...ctx.state.admin.organizations.values()].find(
    (o) => o.id !== existing?.id && manages(caller, o) && o.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken !== undefined) {
    throw new ApiError(409, "conflict", `an organization named "${name}" already exists under this partner`, {
      organization_id: taken.id,
    });
  }
  const setting = (key: (typeof SETTINGS)[number]) => (isNonEmptyString(body[key]) ? body[key] : null);
  return {
    name,
    sso_domain: setting("sso_domain"),
    sso_org_id: setting("sso_org_id"),
    issuer: setting("issuer"),
    client_id: setting("client_id"),
    client_secret: setting("client_secret"),
  };
}

/** The partner's owner organization first, then its other organizations, oldest first. */
function list(ctx: RequestContext): HandlerResult {
  const caller = callerFrom(ctx);
  const managed = [...ctx.state.admin.organizations.values()].filter((o) => manages(caller, o));
  managed.sort((a, b) => Number(b.owner) - Number(a.owner) || a.created_at.localeCompare(b.created_at));
  return ok(managed.map(organizationResponse));
}

function create(ctx: RequestContext): HandlerResult {
  const caller = callerFrom(ctx);
  const now = iso(ctx.now());
  const organization: StoredOrganization = {
    id: randomUUID(),
    ...readOrganization(ctx),
    partner_id: caller.partnerId ?? null,
    owner: false,
    created_at: now,
    updated_at: now,
  };
  ctx.state.admin.organizations.set(organization.id, organization);
  ctx.state.admin.seedRoles(organization.id);
  return ok(organizationResponse(organization));
}

/** A full replacement: SSO and OIDC settings left out are cleared. */
function update(ctx: RequestContext): HandlerResult {
  const existing = managedOrganization(ctx, pathParam(ctx));
  const updated: StoredOrganization = {
    ...existing,
    ...readOrganization(ctx, existing),
    updated_at: iso(ctx.now()),
  };
  ctx.state.admin.organizations.set(updated.id, updated);
  return ok(organizationResponse(updated));
}

/** Deletes the organization and everything in it (its users' keys too); never the partner's own organization. */
function remove(ctx: RequestContext): HandlerResult {
  const organization = managedOrganization(ctx, pathParam(ctx));
  if (organization.owner) {
    throw new ApiError(403, "forbidden", "partner callers cannot delete their own owner organization");
  }
  deleteOrganization(ctx.state, organization.id);
  return deleted();
}

/** Removes every object of the organization from every collection of the state, then the organization. */
export function deleteOrganization(state: EmulatorState, organizationId: string): void {
  const collections = [...Object.values(state), ...Object.values(state.admin)].filter(
    (v): v is Map<string, unknown> => v instanceof Map,
  );
  for (const map of collections) {
    for (const [key, value] of map) {
      if ((value as { organization_id?: unknown } | null)?.organization_id === organizationId)
        map.delete(key);
    }
  }
  state.admin.organizations.delete(organizationId);
}

/** Organizations under the calling partner (partner and deployment keys). */
export const routes: RouteTable = [
  ["GET", "/api/organizations", list, "partner"],
  ["POST", "/api/organizations", create, "partner"],
  [
    "GET",
    "/api/organizations/:id",
    (ctx) => ok(organizationResponse(managedOrganization(ctx, pathParam(ctx)))),
    "partner",
  ],
  ["PUT", "/api/organizations/:id", update, "partner"],
  ["DELETE", "/api/organizations/:id", remove, "partner"],
];
