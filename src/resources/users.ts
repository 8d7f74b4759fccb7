import * as pulumi from "@pulumi/pulumi";
import { defineFields, resourceProps, withSecretOutputs } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of {@link User}. */
export interface UserArgs {
  /**
   * The user's email: they receive an invitation there. Polytomic stores it in lower case (a change of case alone
   * is no change). It cannot change: changing it replaces the user.
   */
  email: pulumi.Input<string>;
  /**
   * The roles the user holds (role IDs, at least one): custom `Role`s or built-in ones (`getRole`). When left out,
   * Polytomic gives the built-in Member role, and what it assigns is not compared.
   */
  roleIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The user's organization. With a partner or deployment key (else `polytomic:organizationId`), the user is managed
   * through the partner endpoints of that organization; with an API key, in the key's own organization. Changing it
   * replaces the user.
   */
  organizationId?: pulumi.Input<string>;
  /** Adopt the existing user with this ID instead of creating one. */
  importId?: pulumi.Input<string>;
}

/** {@link User}'s field lists. */
export const USER_FIELDS = defineFields<UserArgs>()({
  remote: ["email", "roleIds", "organizationId"],
  local: ["importId"],
  reported: ["role"],
  replace: ["email", "organizationId"],
  secret: [],
});

/**
 * A user of an organization (Terraform: `polytomic_user`). Polytomic's deprecated single `role` is not offered: give
 * `roleIds`. Type token: `pulumi-nodejs:dynamic/polytomic:User`.
 */
export class User extends pulumi.dynamic.Resource {
  declare readonly email: pulumi.Output<string>;
  declare readonly roleIds: pulumi.Output<string[] | undefined>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  /** Polytomic's deprecated role name, as it reports it (`admin` or `user`). */
  declare readonly role: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super(forwarderFor("User"), name, resourceProps(USER_FIELDS, args), opts, TYPE_MODULE, "User");
  }

  /** A read-only reference to an existing user, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): User {
    return new User(name, undefined as unknown as UserArgs, { ...opts, id });
  }
}

/** Arguments of {@link UserApiKey}. */
export interface UserApiKeyArgs {
  /** The user's ID (`user.id`). Changing it replaces the key. */
  userId: pulumi.Input<string>;
  /**
   * The user's organization (`user.organizationId`); else `polytomic:organizationId`. Changing it replaces the key.
   */
  organizationId?: pulumi.Input<string>;
  /**
   * Revoke the user's existing API key first (Polytomic's `force`). Without it, creating a key for a user who has
   * one fails. Changing it replaces this resource, which creates a new key: with `force: true`, that rotates the
   * key (so does `pulumi up --replace <this resource's URN>`).
   */
  force?: pulumi.Input<boolean>;
}

/** {@link UserApiKey}'s field lists. */
export const USER_API_KEY_FIELDS = defineFields<UserApiKeyArgs>()({
  remote: ["userId", "organizationId", "force"],
  local: [],
  reported: ["value"],
  replace: ["userId", "organizationId", "force"],
  secret: [],
});

/**
 * An API key of a user, created through Polytomic's partner endpoints (a partner or deployment key is needed). The
 * key is `value`, a secret output: Polytomic shows it once, when it is created, so it is kept from then on and never
 * read back.
 *
 * What `pulumi refresh` can see: whether the user still exists (a deleted user takes the key with it), and whether
 * the key still works (it asks `GET /api/me` with the key itself): a key revoked or replaced outside Pulumi (e.g.
 * by another key created with `force`) reads as gone, and the next `pulumi up` creates a new one (which then needs
 * `force: true`). What it cannot see: anything about the key but that (its value is never returned again).
 *
 * Polytomic has no call to revoke a key, so deleting this resource, when the key still works, replaces it with a
 * new key (`force`) that is thrown away at once: the old key stops working, and nobody holds the new one. A key
 * already revoked or replaced outside Pulumi is left alone, and so is the key that replaced it.
 *
 * Its id is `<organization>/<user>`. Type token: `pulumi-nodejs:dynamic/polytomic:UserApiKey`.
 */
export class UserApiKey extends pulumi.dynamic.Resource {
  declare readonly userId: pulumi.Output<string>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  declare readonly force: pulumi.Output<boolean | undefined>;
  /** The API key (secret). */
  declare readonly value: pulumi.Output<string>;

  constructor(name: string, args: UserApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("UserApiKey"),
      name,
      resourceProps(USER_API_KEY_FIELDS, args),
      withSecretOutputs(opts, ["value"]),
      TYPE_MODULE,
      "UserApiKey",
    );
  }
}
