/**
 * Look-ups of Polytomic's organization administration, for programs: the caller's identity and a role by name (the
 * counterparts of Terraform's `polytomic_caller_identity` and `polytomic_role` data sources). Dynamic providers
 * have no invokes, so these are ordinary async functions that call the API from the program, with the same
 * settings as the resources (the `polytomic:` stack config, then the `POLYTOMIC_*` environment variables). They
 * run whenever the program runs, `pulumi preview` included.
 *
 * Loaded with the package: it imports nothing heavy, and loads the HTTP client (undici, zod) on the first call.
 */

import * as pulumi from "@pulumi/pulumi";
import type { Access } from "./providers/credentials";
import type { ProviderConfig } from "./providers/settings";

/** The stack's `polytomic:` settings (read raw: secret values too, without the SDK's warning). */
function stackSettings(): ProviderConfig {
  const get = (name: string) => pulumi.runtime.getConfig(`polytomic:${name}`);
  const config: ProviderConfig = {};
  for (const name of ["apiKey", "partnerKey", "deploymentKey", "organizationId", "deploymentUrl"] as const) {
    const value = get(name);
    if (value !== undefined) config[name] = value;
  }
  return config;
}

/** The client and the key it sends, for a call of kind `access` in `organizationId` (else the stack's). */
async function clientFor(access: Access, organizationId: string | undefined) {
  // Loaded here, not at the top: requiring the package must not load the HTTP client.
  const settings = await import("./providers/settings");
  const config = stackSettings();
  const credential = settings.credentialFor(config, access, organizationId);
  return { client: settings.clientWith(config, credential), credential };
}

async function explained(error: unknown, action: string, key: "apiKey" | "partnerKey" | "deploymentKey") {
  const { explainApiError } = await import("./providers/errors");
  return explainApiError(error, action, key);
}

/** What {@link getCallerIdentity} returns. */
export interface CallerIdentity {
  /** The user's ID (user API keys only). */
  id?: string;
  email?: string;
  /** The organization the key acts in (a partner or deployment key: the one named, else the partner's own). */
  organizationId?: string;
  organizationName?: string;
  /** Polytomic's deprecated role name (user API keys only). */
  role?: string;
  /** A user's API key. */
  isUser: boolean;
  /** A partner key. */
  isPartner: boolean;
  /** A key acting for one organization (a partner or deployment key with an organization id). */
  isOrganization: boolean;
  /** A system key (an on-premises deployment key). */
  isSystem: boolean;
}

/** Arguments of {@link getCallerIdentity}. */
export interface CallerIdentityArgs {
  /**
   * With a partner or deployment key: the organization to ask as (else `polytomic:organizationId`, else the key
   * itself, without an organization).
   */
  organizationId?: string;
}

/**
 * Who the configured key is (`GET /api/me`; Terraform: `polytomic_caller_identity`): its organization, and whether
 * it is a user's API key or a partner key. With an API key configured, that key is asked; otherwise the partner (or
 * deployment) key.
 *
 * ```ts
 * const me = await polytomic.getCallerIdentity();
 * export const organization = me.organizationName;
 * ```
 */
export async function getCallerIdentity(args: CallerIdentityArgs = {}): Promise<CallerIdentity> {
  const { client, credential } = await clientFor("identity", args.organizationId);
  try {
    const me = await client.me();
    const optional = {
      id: me.id,
      email: me.email,
      organizationId: me.organization_id,
      organizationName: me.organization_name,
      role: me.role,
    };
    return {
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined && v !== "")),
      isUser: me.is_user === true,
      isPartner: me.is_partner === true,
      isOrganization: me.is_organization === true,
      isSystem: me.is_system === true,
    };
  } catch (error) {
    throw await explained(error, "reading the caller's identity (GET /api/me)", credential.setting);
  }
}

/** What {@link getRole} returns. */
export interface RoleInfo {
  /** What `Policy.policyActions[].roleIds` and `User.roleIds` take. */
  id: string;
  name: string;
  organizationId?: string;
  /** Whether it is a built-in role (Admin, Member): those cannot change. */
  system: boolean;
}

/** Arguments of {@link getRole}. */
export interface GetRoleArgs {
  /** The role's name, compared without case (`admin` finds `Admin`). */
  name: string;
  /** The organization (partner and deployment keys; else `polytomic:organizationId`, else the API key's own). */
  organizationId?: string;
}

/**
 * A role found by its name among the organization's roles, built-in ones included (Terraform's `polytomic_role`
 * data source). Use it to give users or policies a built-in role:
 *
 * ```ts
 * const admin = await polytomic.getRole({ name: "Admin" });
 * new polytomic.User("ada", { email: "ada@example.com", roleIds: [admin.id] });
 * ```
 *
 * For an organization created by the same program, call it inside `org.id.apply(...)`: at preview the id is not
 * known yet, and the role stays unknown until `up`.
 */
export async function getRole(args: GetRoleArgs): Promise<RoleInfo> {
  const { client, credential } = await clientFor("organization", args.organizationId);
  let roles: { id: string; name: string; organization_id?: string; system?: boolean }[];
  try {
    roles = (await client.admin.roles.list()) ?? [];
  } catch (error) {
    throw await explained(error, `looking up the role "${args.name}"`, credential.setting);
  }
  const wanted = args.name.trim().toLowerCase();
  const found = roles.find((r) => r.name.toLowerCase() === wanted);
  if (found === undefined) {
    const where =
      credential.organizationId === undefined ? "" : ` of organization ${credential.organizationId}`;
    throw new Error(
      `no role named "${args.name}" among the roles${where}: ${roles.map((r) => `"${r.name}"`).join(", ") || "none"}`,
    );
  }
  return {
    id: found.id,
    name: found.name,
    ...(found.organization_id === undefined ? {} : { organizationId: found.organization_id }),
    system: found.system === true,
  };
}
