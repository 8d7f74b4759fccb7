import * as pulumi from "@pulumi/pulumi";
import { defineFields, resourceProps, secretOutputsOf, withSecretOutputs } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of {@link Organization}. */
export interface OrganizationArgs {
  /** The organization's name: unique among the partner's organizations. */
  name: pulumi.Input<string>;
  /** The email domain that matches users to this organization when they sign in with SSO. */
  ssoDomain?: pulumi.Input<string>;
  /** The WorkOS organization identifier for SSO. */
  ssoOrgId?: pulumi.Input<string>;
  /** The OIDC issuer URL, for organizations that sign in with OpenID Connect. */
  issuer?: pulumi.Input<string>;
  /** The OIDC client ID. Polytomic never returns it: refresh keeps your program's value. */
  clientId?: pulumi.Input<string>;
  /** The OIDC client secret (secret). Write-only: never returned, never compared with what Polytomic holds. */
  clientSecret?: pulumi.Input<string>;
  /** Adopt the existing organization with this ID instead of creating one. */
  importId?: pulumi.Input<string>;
}

/** {@link Organization}'s field lists. */
export const ORGANIZATION_FIELDS = defineFields<OrganizationArgs>()({
  remote: ["name", "ssoDomain", "ssoOrgId", "issuer", "clientId", "clientSecret"],
  local: ["importId"],
  reported: [],
  replace: [],
  secret: ["clientSecret"],
});

/**
 * An organization under a partner account (Terraform: `polytomic_organization`); needs a partner key
 * (`polytomic:partnerKey`) or an on-premises deployment key. Its `id` is what the other resources' `organizationId`
 * takes. The SSO and OIDC settings are replaced in full on every update. Deleting an organization deletes
 * everything in it. Type token: `pulumi-nodejs:dynamic/polytomic:Organization`.
 */
export class Organization extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly ssoDomain: pulumi.Output<string | undefined>;
  declare readonly ssoOrgId: pulumi.Output<string | undefined>;
  declare readonly issuer: pulumi.Output<string | undefined>;
  declare readonly clientId: pulumi.Output<string | undefined>;
  /** Secret. */
  declare readonly clientSecret: pulumi.Output<string | undefined>;

  constructor(name: string, args: OrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("Organization"),
      name,
      resourceProps(ORGANIZATION_FIELDS, args),
      withSecretOutputs(opts, secretOutputsOf(ORGANIZATION_FIELDS)),
      TYPE_MODULE,
      "Organization",
    );
  }

  /** A read-only reference to an existing organization of the partner, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Organization {
    return new Organization(name, undefined as unknown as OrganizationArgs, { ...opts, id });
  }
}
