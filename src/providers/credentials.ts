/**
 * Which key a call needs, and how it is sent: the one table every provider (and `getRole`,
 * `getCallerIdentity`) consults. Polytomic has three kinds of key (README, "Provider configuration"):
 *
 * - an **API key** belongs to one organization and acts only inside it: `Authorization: Bearer <key>`;
 * - a **partner key** manages the partner's organizations and their users (`Bearer <key>`), and acts inside one of
 *   them when sent as HTTP Basic with the organization id as the user name;
 * - a **deployment key** (on-premises deployments) is used like a partner key.
 *
 * For each kind of call, {@link ACCESS} lists the ways to make it, best first; the first one whose key is
 * configured (and whose organization id is known, when it needs one) is used. When none fits, the error names
 * what is missing. Nothing here holds or logs a key.
 *
 * An API key, when configured, makes every call inside an organization (as Terraform's provider does): it can only
 * act in its own organization, so a program that manages several organizations configures a partner key and no API
 * key. Organizations themselves, and users' API keys, always take the partner (or deployment) key.
 */

/** A key setting: `polytomic:<name>` in the stack config (with its environment fallback). */
export type KeySetting = "apiKey" | "partnerKey" | "deploymentKey";

/** The kinds of call, by what they touch. */
export type Access =
  /** Objects inside one organization: connections, models, syncs, roles, policies, notifications, ... */
  | "organization"
  /** Users: the current organization's endpoints with an API key, the partner endpoints with a partner key. */
  | "users"
  /** Organizations themselves (create, read, update, delete): partner and deployment keys only. */
  | "partner"
  /** A user's API keys: only the partner endpoints create them. */
  | "partnerUsers"
  /** `GET /api/me`: any key. */
  | "identity";

/** One way to make a call. */
export interface Way {
  readonly key: KeySetting;
  /**
   * `bearer`: `Authorization: Bearer <key>`; `basic`: HTTP Basic with the organization id as the user name and the
   * key as the password (Polytomic's organization-scoped credential).
   */
  readonly scheme: "bearer" | "basic";
  /** The call names an organization (in the credential or in the path): it needs an organization id. */
  readonly needsOrganization: boolean;
  /** Which endpoints the call goes to with this key (users: the current organization's, or the partner's). */
  readonly endpoints: "current" | "partner";
}

const way = (
  key: KeySetting,
  scheme: Way["scheme"],
  needsOrganization: boolean,
  endpoints: Way["endpoints"],
) => ({ key, scheme, needsOrganization, endpoints }) as const satisfies Way;

/** What each kind of call needs: the ways to make it, best first, and what to tell the user when none fits. */
export const ACCESS: Readonly<Record<Access, { readonly ways: readonly Way[]; readonly needs: string }>> = {
  organization: {
    ways: [
      way("apiKey", "bearer", false, "current"),
      way("partnerKey", "basic", true, "current"),
      way("deploymentKey", "basic", true, "current"),
    ],
    needs: "an API key (polytomic:apiKey), or a partner or deployment key with an organization id",
  },
  users: {
    ways: [
      way("apiKey", "bearer", false, "current"),
      way("partnerKey", "bearer", true, "partner"),
      way("deploymentKey", "bearer", true, "partner"),
    ],
    needs: "an API key (polytomic:apiKey), or a partner or deployment key with an organization id",
  },
  partner: {
    ways: [way("partnerKey", "bearer", false, "partner"), way("deploymentKey", "bearer", false, "partner")],
    needs:
      "a partner key (polytomic:partnerKey; or an on-premises deployment key, polytomic:deploymentKey): " +
      "an API key acts only inside its own organization and cannot manage organizations",
  },
  partnerUsers: {
    ways: [way("partnerKey", "bearer", true, "partner"), way("deploymentKey", "bearer", true, "partner")],
    needs:
      "a partner key (polytomic:partnerKey; or an on-premises deployment key, polytomic:deploymentKey) and the " +
      "user's organization id: Polytomic creates users' API keys only through the partner endpoints",
  },
  identity: {
    ways: [
      way("apiKey", "bearer", false, "current"),
      way("partnerKey", "basic", true, "current"),
      way("deploymentKey", "basic", true, "current"),
      way("partnerKey", "bearer", false, "partner"),
      way("deploymentKey", "bearer", false, "partner"),
    ],
    needs: "a key (polytomic:apiKey, polytomic:partnerKey or polytomic:deploymentKey)",
  },
};

/** Where each key setting is set, for messages. */
export const KEY_SETTINGS: Readonly<Record<KeySetting, { config: string; env: string }>> = {
  apiKey: { config: "polytomic:apiKey", env: "POLYTOMIC_API_KEY" },
  partnerKey: { config: "polytomic:partnerKey", env: "POLYTOMIC_PARTNER_KEY" },
  deploymentKey: { config: "polytomic:deploymentKey", env: "POLYTOMIC_DEPLOYMENT_KEY" },
};

/** The error every provider method throws when no key at all is set. Names the ways to set one. */
export const MISSING_API_KEY_MESSAGE =
  "No Polytomic API key is configured. Set it with `pulumi config set --secret polytomic:apiKey <key>`, " +
  "or set the POLYTOMIC_API_KEY environment variable where Pulumi runs (partners: polytomic:partnerKey or " +
  "POLYTOMIC_PARTNER_KEY, with the organization id in the resource's organizationId or polytomic:organizationId).";

/** The credential chosen for a call: the key's setting and value, how it is sent, and the organization. */
export interface Credential {
  readonly setting: KeySetting;
  readonly key: string;
  readonly scheme: Way["scheme"];
  readonly endpoints: Way["endpoints"];
  /** The organization the call acts in, when known (sent in Basic credentials and partner paths). */
  readonly organizationId?: string;
}

/** Why no configured key can make a call; the message names the settings to change, never a key. */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialError";
  }
}

/**
 * The credential for a call of kind `access`, from the configured keys and the organization id (the resource's own,
 * else `polytomic:organizationId`). Throws {@link CredentialError} naming what is missing when no way fits.
 */
export function chooseCredential(
  access: Access,
  keys: Readonly<Partial<Record<KeySetting, string>>>,
  organizationId: string | undefined,
): Credential {
  const { ways, needs } = ACCESS[access];
  const configured = ways.filter((w) => keys[w.key] !== undefined);
  const usable = configured.find((w) => !w.needsOrganization || organizationId !== undefined);
  if (usable !== undefined) {
    return {
      setting: usable.key,
      key: keys[usable.key] as string,
      scheme: usable.scheme,
      endpoints: usable.endpoints,
      ...(organizationId === undefined ? {} : { organizationId }),
    };
  }
  const anyKey = (Object.keys(KEY_SETTINGS) as KeySetting[]).some((k) => keys[k] !== undefined);
  if (!anyKey) throw new CredentialError(MISSING_API_KEY_MESSAGE);
  const first = configured[0];
  if (first !== undefined) {
    const { config, env } = KEY_SETTINGS[first.key];
    throw new CredentialError(
      `The ${first.key === "partnerKey" ? "partner" : "deployment"} key (${config} / ${env}) acts inside one ` +
        "organization: set `organizationId` on the resource, or `pulumi config set polytomic:organizationId <id>` " +
        "(or POLYTOMIC_ORGANIZATION_ID).",
    );
  }
  const present = (Object.keys(KEY_SETTINGS) as KeySetting[])
    .filter((k) => keys[k] !== undefined)
    .map((k) => KEY_SETTINGS[k].config);
  const missing = [...new Set(ways.map((w) => w.key))].map((k) => KEY_SETTINGS[k]);
  throw new CredentialError(
    `This needs ${needs}; only ${present.join(" and ")} is configured. Set ` +
      missing.map((s) => `\`pulumi config set --secret ${s.config} <key>\` (or ${s.env})`).join(", or ") +
      ".",
  );
}
