import { randomUUID } from "node:crypto";
import { POLICY_ACTIONS } from "../../api/organization-enums";
import { callerFrom, type StoredPolicy, type StoredRole } from "../admin-state";
import { forEachObjectItem, isNonEmptyString, isUnset, oneOf, type Problem } from "../body-checks";
import {
  ApiError,
  bodyObject,
  deleted,
  findOr404,
  type HandlerResult,
  iso,
  ok,
  pathParam,
  type RequestContext,
  validationError,
} from "../http";
import type { RouteTable } from "../router";
import type { EmulatorState } from "../state";

const roleResponse = (r: StoredRole) => ({
  id: r.id,
  name: r.name,
  organization_id: r.organization_id,
  system: r.system,
});

const policyResponse = (p: StoredPolicy) => ({
  id: p.id,
  name: p.name,
  organization_id: p.organization_id,
  policy_actions: p.policy_actions.map((a) => ({ action: a.action, role_ids: [...a.role_ids] })),
  system: p.system,
});

/** The organization a create acts in: the caller's, unless the body names one (another is refused: 403). */
function organizationOf(ctx: RequestContext, body: Record<string, unknown>): string {
  return typeof body.organization_id === "string" && body.organization_id !== ""
    ? body.organization_id
    : callerFrom(ctx).organizationId;
}

function refuseSystem(kind: "role" | "policy", system: boolean): void {
  if (system) {
    throw new ApiError(
      403,
      "forbidden",
      `built-in ${kind === "role" ? "roles" : "policies"} cannot be modified or deleted`,
    );
  }
}

// ---- Roles ----

/** The body's name: required, and unique in the organization (case-insensitive), 400 otherwise. */
function roleName(ctx: RequestContext, organizationId: string, existing?: StoredRole): string {
  const body = bodyObject(ctx);
  if (!isNonEmptyString(body.name))
    throw validationError(400, [{ path: "name", message: "is required" }], "", "invalid role");
  const name = body.name;
  const clash = [...ctx.state.admin.roles.values()].find(
    (r) =>
      r.id !== existing?.id &&
      r.organization_id === organizationId &&
      r.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash !== undefined) {
    throw validationError(
      400,
      [{ path: "name", message: `a role named "${clash.name}" already exists` }],
      "",
      "invalid role",
    );
  }
  return name;
}

/** Built-in roles first, then the others, oldest first. */
function listRoles(ctx: RequestContext): HandlerResult {
  const roles = [...ctx.state.admin.roles.values()];
  roles.sort((a, b) => Number(b.system) - Number(a.system) || a.created_at.localeCompare(b.created_at));
  return ok(roles.map(roleResponse));
}

function createRole(ctx: RequestContext): HandlerResult {
  const organizationId = organizationOf(ctx, bodyObject(ctx));
  const now = iso(ctx.now());
  const role: StoredRole = {
    id: randomUUID(),
    name: roleName(ctx, organizationId),
    organization_id: organizationId,
    system: false,
    created_at: now,
    updated_at: now,
  };
  ctx.state.admin.roles.set(role.id, role);
  return ok(roleResponse(role));
}

const getRole = (ctx: RequestContext) => findOr404(ctx.state.admin.roles, "role", pathParam(ctx));

function updateRole(ctx: RequestContext): HandlerResult {
  const role = getRole(ctx);
  refuseSystem("role", role.system);
  const updated = { ...role, name: roleName(ctx, role.organization_id, role), updated_at: iso(ctx.now()) };
  ctx.state.admin.roles.set(role.id, updated);
  return ok(roleResponse(updated));
}

/** Deleting a role leaves the policies naming it as they are (as Polytomic documents). */
function deleteRole(ctx: RequestContext): HandlerResult {
  const role = getRole(ctx);
  refuseSystem("role", role.system);
  ctx.state.admin.roles.delete(role.id);
  return deleted();
}

// ---- Policies ----

/** The body's name and actions (400 naming every problem): each action documented, each role of the organization. */
function readPolicy(ctx: RequestContext, organizationId: string) {
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  if (!isNonEmptyString(body.name)) problems.push({ path: "name", message: "is required" });
  const actions: StoredPolicy["policy_actions"] = [];
  const seen = new Set<string>();
  forEachObjectItem(body, "policy_actions", problems, (item, at) => {
    const { action, role_ids: roleIds } = item;
    if (typeof action !== "string" || !(POLICY_ACTIONS as readonly string[]).includes(action)) {
      problems.push({ path: `${at}.action`, message: oneOf(POLICY_ACTIONS) });
      return;
    }
    if (seen.has(action)) problems.push({ path: `${at}.action`, message: `"${action}" is listed twice` });
    seen.add(action);
    const ids: string[] = [];
    if (!isUnset(roleIds) && !Array.isArray(roleIds))
      problems.push({ path: `${at}.role_ids`, message: "must be an array" });
    for (const [i, id] of (Array.isArray(roleIds) ? roleIds : []).entries()) {
      const role = typeof id === "string" ? ctx.state.admin.roles.get(id) : undefined;
      if (role === undefined || role.organization_id !== organizationId) {
        problems.push({ path: `${at}.role_ids[${i}]`, message: `role ${String(id)} not found` });
      } else if (!ids.includes(id as string)) ids.push(id as string);
    }
    actions.push({ action, role_ids: ids });
  });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid policy");
  return { name: body.name as string, policy_actions: actions };
}

function createPolicy(ctx: RequestContext): HandlerResult {
  const organizationId = organizationOf(ctx, bodyObject(ctx));
  const now = iso(ctx.now());
  const policy: StoredPolicy = {
    id: randomUUID(),
    ...readPolicy(ctx, organizationId),
    organization_id: organizationId,
    system: false,
    created_at: now,
    updated_at: now,
  };
  ctx.state.admin.policies.set(policy.id, policy);
  return ok(policyResponse(policy));
}

const getPolicy = (ctx: RequestContext) => findOr404(ctx.state.admin.policies, "policy", pathParam(ctx));

/** A full replacement of the bindings. */
function updatePolicy(ctx: RequestContext): HandlerResult {
  const policy = getPolicy(ctx);
  refuseSystem("policy", policy.system);
  const updated = { ...policy, ...readPolicy(ctx, policy.organization_id), updated_at: iso(ctx.now()) };
  ctx.state.admin.policies.set(policy.id, updated);
  return ok(policyResponse(updated));
}

/** Deleting a policy revokes what it granted at once: it is detached from every object it was attached to. */
function deletePolicy(ctx: RequestContext): HandlerResult {
  const policy = getPolicy(ctx);
  refuseSystem("policy", policy.system);
  ctx.state.admin.policies.delete(policy.id);
  detachPolicy(ctx.state, policy.id);
  return deleted();
}

function detachPolicy(state: EmulatorState, policyId: string): void {
  for (const map of Object.values(state)) {
    if (!(map instanceof Map)) continue;
    for (const value of map.values()) {
      const holder = value as { policies?: unknown };
      if (Array.isArray(holder?.policies) && holder.policies.includes(policyId)) {
        holder.policies = holder.policies.filter((id) => id !== policyId);
      }
    }
  }
}

/**
 * The policies among `ids` that are not policies of the organization whose view `state` is: each one a problem at
 * `<path>[i]`. Connections, models and syncs (and any object with `policies`) check theirs with it.
 */
export function unknownPolicies(state: EmulatorState, ids: readonly unknown[], path = "policies"): Problem[] {
  const problems: Problem[] = [];
  ids.forEach((id, i) => {
    if (typeof id !== "string" || !state.admin.policies.has(id)) {
      problems.push({ path: `${path}[${i}]`, message: `policy ${String(id)} not found` });
    }
  });
  return problems;
}

/** Permission roles and policies. */
export const routes: RouteTable = [
  ["GET", "/api/permissions/roles", listRoles],
  ["POST", "/api/permissions/roles", createRole],
  ["GET", "/api/permissions/roles/:id", (ctx) => ok(roleResponse(getRole(ctx)))],
  ["PUT", "/api/permissions/roles/:id", updateRole],
  ["DELETE", "/api/permissions/roles/:id", deleteRole],
  [
    "GET",
    "/api/permissions/policies",
    (ctx) => ok([...ctx.state.admin.policies.values()].map(policyResponse)),
  ],
  ["POST", "/api/permissions/policies", createPolicy],
  ["GET", "/api/permissions/policies/:id", (ctx) => ok(policyResponse(getPolicy(ctx)))],
  ["PUT", "/api/permissions/policies/:id", updatePolicy],
  ["DELETE", "/api/permissions/policies/:id", deletePolicy],
];
