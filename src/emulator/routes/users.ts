import { randomBytes, randomUUID } from "node:crypto";
import { type AdminState, callerFrom, hashKey, type StoredUser, systemRoleId } from "../admin-state";
import { isNonEmptyString, isUnset, type Problem } from "../body-checks";
import {
  ApiError,
  bodyObject,
  boolQuery,
  findOr404,
  type HandlerResult,
  iso,
  notFound,
  ok,
  pathParam,
  type RequestContext,
  validationError,
} from "../http";
import type { RouteTable } from "../router";
import { managedOrganization } from "./organizations";

const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** The deprecated `role` names and the built-in roles they stand for. */
const LEGACY_ROLES: Record<string, string> = { admin: "Admin", user: "Member", member: "Member" };

/** A user as Polytomic answers it, with the deprecated `role` (`admin` with the Admin role, else `user`). */
function userResponse(u: StoredUser) {
  const admin = u.role_ids.includes(systemRoleId(u.organization_id, "Admin"));
  return {
    id: u.id,
    email: u.email,
    organization_id: u.organization_id,
    role: admin ? "admin" : "user",
    role_ids: u.role_ids,
  };
}

/**
 * The roles a body assigns: `role_ids` (at least one, each a role of the organization) or the deprecated `role`,
 * never both; `undefined` when the body names none.
 */
function readRoles(
  admin: AdminState,
  organizationId: string,
  body: Record<string, unknown>,
  problems: Problem[],
) {
  const { role, role_ids: roleIds } = body;
  if (!isUnset(role) && !isUnset(roleIds)) {
    problems.push({ path: "role", message: "cannot be set together with role_ids" });
    return undefined;
  }
  if (!isUnset(role)) {
    const name = typeof role === "string" ? LEGACY_ROLES[role.toLowerCase()] : undefined;
    if (name === undefined) problems.push({ path: "role", message: "must be admin or user" });
    return name === undefined ? undefined : [systemRoleId(organizationId, name)];
  }
  if (isUnset(roleIds)) return undefined;
  if (!Array.isArray(roleIds) || roleIds.length === 0) {
    problems.push({ path: "role_ids", message: "must contain at least one role id" });
    return undefined;
  }
  roleIds.forEach((id, i) => {
    const found = typeof id === "string" ? admin.roles.get(id) : undefined;
    if (found === undefined || found.organization_id !== organizationId) {
      problems.push({ path: `role_ids[${i}]`, message: `role ${String(id)} not found` });
    }
  });
  return [...new Set(roleIds as string[])];
}

function readEmail(body: Record<string, unknown>, problems: Problem[]): string | undefined {
  if (!isNonEmptyString(body.email)) problems.push({ path: "email", message: "is required" });
  else if (!EMAIL.test(body.email)) problems.push({ path: "email", message: "must be an email address" });
  else return body.email.trim().toLowerCase();
  return undefined;
}

function usersOf(admin: AdminState, organizationId: string): StoredUser[] {
  return [...admin.users.values()].filter((u) => u.organization_id === organizationId);
}

function createUser(ctx: RequestContext, organizationId: string): HandlerResult {
  const admin = ctx.state.admin;
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  const email = readEmail(body, problems);
  const roleIds = readRoles(admin, organizationId, body, problems);
  if (email !== undefined && usersOf(admin, organizationId).some((u) => u.email === email)) {
    problems.push({ path: "email", message: `a user with the email ${email} already exists` });
  }
  if (problems.length > 0) throw validationError(422, problems, "", "invalid user");
  const now = iso(ctx.now());
  const user: StoredUser = {
    id: randomUUID(),
    email: email as string,
    organization_id: organizationId,
    role_ids: roleIds ?? [systemRoleId(organizationId, "Member")],
    created_at: now,
    updated_at: now,
  };
  admin.users.set(user.id, user);
  return ok(userResponse(user));
}

/**
 * Only the roles change (left out: kept). The partner endpoint requires the email, which cannot change: a
 * different one is 422 (Polytomic says profile data is not affected; the emulator refuses rather than ignores).
 */
function updateUser(ctx: RequestContext, user: StoredUser, emailRequired: boolean): HandlerResult {
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  if (emailRequired) {
    const email = readEmail(body, problems);
    if (email !== undefined && email !== user.email) {
      problems.push({ path: "email", message: "cannot change (create a new user instead)" });
    }
  }
  const roleIds = readRoles(ctx.state.admin, user.organization_id, body, problems);
  if (problems.length > 0) throw validationError(422, problems, "", "invalid user");
  const updated: StoredUser = { ...user, role_ids: roleIds ?? user.role_ids, updated_at: iso(ctx.now()) };
  ctx.state.admin.users.set(updated.id, updated);
  return ok(userResponse(updated));
}

/** Deletes the user (answered with the user, as Polytomic does) and revokes its API keys. */
function deleteUser(ctx: RequestContext, user: StoredUser): HandlerResult {
  const admin = ctx.state.admin;
  admin.users.delete(user.id);
  for (const [hash, key] of admin.apiKeys) if (key.user_id === user.id) admin.apiKeys.delete(hash);
  return ok(userResponse(user));
}

// ---- The current organization's users (`/api/organization/users`): any caller acting in it ----

const currentOrganization = (ctx: RequestContext) => callerFrom(ctx).organizationId;
const currentUser = (ctx: RequestContext) => findOr404(ctx.state.admin.users, "user", pathParam(ctx));

// ---- A partner's organizations' users (`/api/organizations/{org}/users`): partner and deployment keys ----

function partnerUser(ctx: RequestContext): StoredUser {
  const organization = managedOrganization(ctx, pathParam(ctx, "org"));
  const user = ctx.state.admin.users.get(pathParam(ctx));
  if (user === undefined || user.organization_id !== organization.id) throw notFound("user", pathParam(ctx));
  return user;
}

/**
 * A new API key for the user, shown once. Without `force`, a user who has a key already gets 422 `api_key_exists`
 * (Polytomic does not document this case; 422 rather than 409, which clients retry as an Idempotency-Key still in
 * flight); with it, the old keys are revoked first.
 */
function createKey(ctx: RequestContext): HandlerResult {
  const user = partnerUser(ctx);
  const admin = ctx.state.admin;
  const existing = [...admin.apiKeys.entries()].filter(([, k]) => k.user_id === user.id);
  if (existing.length > 0 && !boolQuery(ctx.query, "force")) {
    throw new ApiError(
      422,
      "api_key_exists",
      "the user has an API key already: pass force=true to replace it",
    );
  }
  for (const [hash] of existing) admin.apiKeys.delete(hash);
  const value = `pk_emulated_${randomBytes(24).toString("hex")}`;
  admin.apiKeys.set(hashKey(value), {
    id: randomUUID(),
    hash: hashKey(value),
    organization_id: user.organization_id,
    user_id: user.id,
    created_at: iso(ctx.now()),
  });
  return ok({ value });
}

/** Users: of the caller's own organization, and of the partner's organizations (with their API keys). */
export const routes: RouteTable = [
  [
    "GET",
    "/api/organization/users",
    (ctx) => ok(usersOf(ctx.state.admin, currentOrganization(ctx)).map(userResponse)),
  ],
  ["POST", "/api/organization/users", (ctx) => createUser(ctx, currentOrganization(ctx))],
  ["GET", "/api/organization/users/:id", (ctx) => ok(userResponse(currentUser(ctx)))],
  ["PUT", "/api/organization/users/:id", (ctx) => updateUser(ctx, currentUser(ctx), false)],
  ["DELETE", "/api/organization/users/:id", (ctx) => deleteUser(ctx, currentUser(ctx))],
  [
    "GET",
    "/api/organizations/:org/users",
    (ctx) =>
      ok(usersOf(ctx.state.admin, managedOrganization(ctx, pathParam(ctx, "org")).id).map(userResponse)),
    "partner",
  ],
  [
    "POST",
    "/api/organizations/:org/users",
    (ctx) => createUser(ctx, managedOrganization(ctx, pathParam(ctx, "org")).id),
    "partner",
  ],
  ["GET", "/api/organizations/:org/users/:id", (ctx) => ok(userResponse(partnerUser(ctx))), "partner"],
  ["PUT", "/api/organizations/:org/users/:id", (ctx) => updateUser(ctx, partnerUser(ctx), true), "partner"],
  ["DELETE", "/api/organizations/:org/users/:id", (ctx) => deleteUser(ctx, partnerUser(ctx)), "partner"],
  ["POST", "/api/organizations/:org/users/:id/keys", createKey, "partner"],
];
