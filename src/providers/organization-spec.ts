import { z } from "zod";
import type { OrganizationRequest, OrganizationResponse } from "../api";
import { ORGANIZATION_FIELDS } from "../resources/organization";
import type { ObjectSpec } from "./object-provider";
import { compact } from "./plain";

const ID = z.string().min(1, "must not be empty");

/** The Organization inputs after `check`. */
export interface OrganizationInputs {
  name: string;
  ssoDomain?: string;
  ssoOrgId?: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  importId?: string;
  __provider?: string;
}
export type OrganizationOutputs = OrganizationInputs;

const OrganizationValidator = z
  .object({
    name: ID,
    ssoDomain: z.string().optional(),
    ssoOrgId: z.string().optional(),
    issuer: z.string().optional(),
    clientId: z.string().optional(),
    clientSecret: z.string().optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

/**
 * The Organization resource's spec (partner and deployment keys, as Bearer). `clientId` and `clientSecret` are
 * never returned: a read keeps the program's values, so they are never compared with what Polytomic holds.
 */
export const ORGANIZATION_SPEC: ObjectSpec<
  OrganizationInputs,
  OrganizationOutputs,
  OrganizationRequest,
  OrganizationResponse
> = {
  noun: "organization",
  validator: OrganizationValidator,
  access: "partner",
  // The organization is the object itself: no organization id picks the key.
  organizationOf: () => undefined,
  request: (inputs) =>
    compact({
      name: inputs.name,
      sso_domain: inputs.ssoDomain,
      sso_org_id: inputs.ssoOrgId,
      issuer: inputs.issuer,
      client_id: inputs.clientId,
      client_secret: inputs.clientSecret,
    }) as OrganizationRequest,
  secrets: (inputs) => (inputs.clientSecret === undefined ? [] : [inputs.clientSecret]),
  outputs: (inputs) => compact({ ...inputs }) as OrganizationOutputs,
  readOutputs: (previous, response) =>
    compact({
      name: response.name,
      ssoDomain: response.sso_domain === "" ? undefined : response.sso_domain,
      ssoOrgId: response.sso_org_id === "" ? undefined : response.sso_org_id,
      issuer: response.issuer === "" ? undefined : response.issuer,
      clientId: previous?.clientId,
      clientSecret: previous?.clientSecret,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as OrganizationOutputs,
  inputsOf: (outputs) => outputs,
  fields: ORGANIZATION_FIELDS,
  compare: {},
  explain: (error) =>
    error.status === 409
      ? "Organization names must be unique among the partner's organizations: another one has this name " +
        "(choose another name, or adopt that organization with `importId`)."
      : undefined,
  api: (client) => client.admin.organizations,
};
