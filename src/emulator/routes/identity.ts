import { type Caller, callerFrom, PARTNER_EMAIL, systemRoleId } from "../admin-state";
import { type HandlerResult, notFound, ok, type RequestContext } from "../http";
import { IDENTITY, ORGANIZATION_ID, USER_ID } from "../identity";
import type { RouteTable } from "../router";
import { organizationResponse } from "./organizations";

/**
 * `GET /api/me`: who the key is. A user key: the user, its organization and its legacy role (`admin` with the
 * Admin role, else `user`). A partner key: `is_partner`, no user id, the organization it acts in (its owner
 * organization when sent as Bearer). A deployment key: `is_system`. `is_organization` marks a partner or
 * deployment key sent as HTTP Basic for one organization (Polytomic does not document which flags such a caller
 * sees).
 */
function me(ctx: RequestContext): HandlerResult {
  const caller = callerFrom(ctx);
  const admin = ctx.state.admin;
  const organization = admin.organizations.get(caller.organizationId);
  if (caller.kind === "user") {
    if (caller.userId === USER_ID && caller.organizationId === ORGANIZATION_ID) return ok(IDENTITY);
    const user = caller.userId === undefined ? undefined : admin.users.get(caller.userId);
    return ok({
      email: user?.email ?? "",
      id: caller.userId,
      is_organization: false,
      is_partner: false,
      is_system: false,
      is_user: true,
      organization_id: caller.organizationId,
      organization_name: organization?.name ?? "",
      role: user?.role_ids.includes(systemRoleId(caller.organizationId, "Admin")) ? "admin" : "user",
    });
  }
  return ok(keyIdentity(caller, organization?.name ?? ""));
}

function keyIdentity(caller: Caller, organizationName: string) {
  return {
    email: caller.kind === "partner" ? PARTNER_EMAIL : "",
    is_organization: caller.scoped,
    is_partner: caller.kind === "partner",
    is_system: caller.kind === "deployment",
    is_user: false,
    organization_id: caller.organizationId,
    organization_name: organizationName,
  };
}

/** `GET /api/organization`: the organization the credential acts in. */
function current(ctx: RequestContext): HandlerResult {
  const { organizationId } = callerFrom(ctx);
  const organization = ctx.state.admin.organizations.get(organizationId);
  if (organization === undefined) throw notFound("organization", organizationId);
  return ok(organizationResponse(organization));
}

/** The caller's identity and organization. */
export const routes: RouteTable = [
  ["GET", "/api/me", me, "any"],
  ["GET", "/api/organization", current],
];
