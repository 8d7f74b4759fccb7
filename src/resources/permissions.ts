import * as pulumi from "@pulumi/pulumi";
import type { PolicyActionName } from "../api/organization-enums";
import { defineFields, resourceProps } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of {@link Role}. */
export interface RoleArgs {
  /** The role's name, unique in its organization (Polytomic compares names without case). */
  name: pulumi.Input<string>;
  /**
   * The organization the role belongs to. Needed with a partner or deployment key (else `polytomic:organizationId`
   * applies); with an API key, the key's own organization. Changing it replaces the role.
   */
  organizationId?: pulumi.Input<string>;
  /** Adopt the existing role with this ID instead of creating one (built-in roles cannot be adopted: they never change). */
  importId?: pulumi.Input<string>;
}

/** {@link Role}'s field lists: its outputs and the provider's diff keys derive from them. */
export const ROLE_FIELDS = defineFields<RoleArgs>()({
  remote: ["name", "organizationId"],
  local: ["importId"],
  reported: ["system"],
  replace: ["organizationId"],
  secret: [],
});

/**
 * A custom permission role (Terraform: `polytomic_role`). Policies grant actions to roles; users hold roles.
 * Every organization also has built-in roles (`Admin`, `Member`), which cannot change: find them with
 * `getRole({ name: "Admin" })`. Type token: `pulumi-nodejs:dynamic/polytomic:Role`.
 */
export class Role extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  /** Whether Polytomic reports the role as built in (`false` for roles made here). */
  declare readonly system: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwarderFor("Role"), name, resourceProps(ROLE_FIELDS, args), opts, TYPE_MODULE, "Role");
  }

  /**
   * A read-only reference to an existing role, by its Polytomic ID. With a partner or deployment key the
   * organization comes from `polytomic:organizationId`.
   */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Role {
    return new Role(name, undefined as unknown as RoleArgs, { ...opts, id });
  }
}

/** One action of a policy and the roles allowed it. */
export interface PolicyActionArgs {
  /**
   * The action: `read`, `edit`, `create`, `delete`, `trigger` (run a sync), `sync_to` (use a connection as a
   * target) or `apply_policy` (attach policies). Actions an object does not support are ignored by Polytomic.
   */
  action: pulumi.Input<PolicyActionName>;
  /** The roles allowed the action (role IDs, e.g. `role.id` or `getRole(...)`'s `id`); none when left out. */
  roleIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Arguments of {@link Policy}. */
export interface PolicyArgs {
  /** The policy's name. */
  name: pulumi.Input<string>;
  /**
   * Which roles may do what to the objects the policy is attached to (each action at most once). The whole list
   * replaces the policy's bindings on every update.
   */
  policyActions: pulumi.Input<pulumi.Input<PolicyActionArgs>[]>;
  /**
   * The organization the policy belongs to. Needed with a partner or deployment key (else `polytomic:organizationId`
   * applies); with an API key, the key's own organization. Changing it replaces the policy.
   */
  organizationId?: pulumi.Input<string>;
  /** Adopt the existing policy with this ID instead of creating one. */
  importId?: pulumi.Input<string>;
}

/** {@link Policy}'s field lists. */
export const POLICY_FIELDS = defineFields<PolicyArgs>()({
  remote: ["name", "policyActions", "organizationId"],
  local: ["importId"],
  reported: ["system"],
  replace: ["organizationId"],
  secret: [],
});

/** A policy action as the outputs hold it (sorted by action; role IDs sorted). */
export interface PolicyActionOutput {
  action: PolicyActionName;
  roleIds?: string[];
}

/**
 * A permission policy (Terraform: `polytomic_policy`): attach it to connections, models, syncs and bulk syncs with
 * their `policies: [policy.id]`. Type token: `pulumi-nodejs:dynamic/polytomic:Policy`.
 */
export class Policy extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly policyActions: pulumi.Output<PolicyActionOutput[]>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  declare readonly system: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: PolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwarderFor("Policy"), name, resourceProps(POLICY_FIELDS, args), opts, TYPE_MODULE, "Policy");
  }

  /** A read-only reference to an existing policy, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Policy {
    return new Policy(name, undefined as unknown as PolicyArgs, { ...opts, id });
  }
}
