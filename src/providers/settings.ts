import { PolytomicClient } from "../client";
import {
  type Access,
  type Credential,
  CredentialError,
  chooseCredential,
  type KeySetting,
} from "./credentials";

export { MISSING_API_KEY_MESSAGE } from "./credentials";

/** Provider settings as `configure()` saw them in the stack config. Lives only in the provider process. */
export interface ProviderConfig {
  apiKey?: string;
  deploymentUrl?: string;
  /** A partner key: manages organizations and their users; acts inside one organization with its id. */
  partnerKey?: string;
  /** An on-premises deployment key, used like a partner key. */
  deploymentKey?: string;
  /** The organization partner and deployment keys act in, unless a resource names its own. */
  organizationId?: string;
}

/** Each setting's environment fallback. */
const ENVIRONMENT: Readonly<Record<keyof ProviderConfig, string>> = {
  apiKey: "POLYTOMIC_API_KEY",
  deploymentUrl: "POLYTOMIC_DEPLOYMENT_URL",
  partnerKey: "POLYTOMIC_PARTNER_KEY",
  deploymentKey: "POLYTOMIC_DEPLOYMENT_KEY",
  organizationId: "POLYTOMIC_ORGANIZATION_ID",
};

/**
 * The settings in force for one call: each from the stack config first, then its environment variable
 * (`POLYTOMIC_API_KEY`, `POLYTOMIC_PARTNER_KEY`, `POLYTOMIC_DEPLOYMENT_KEY`, `POLYTOMIC_ORGANIZATION_ID`,
 * `POLYTOMIC_DEPLOYMENT_URL`), read now (not at import time) so a rotated key is picked up. Never throws.
 */
export function resolveSettings(config: ProviderConfig | undefined): ProviderConfig {
  const out: ProviderConfig = {};
  for (const name of Object.keys(ENVIRONMENT) as (keyof ProviderConfig)[]) {
    const value = nonEmpty(config?.[name]) ?? nonEmpty(process.env[ENVIRONMENT[name]]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The credential for a call of kind `access` (src/providers/credentials.ts): the resource's own organization id
 * wins over `polytomic:organizationId`. Throws the message users need when the configured keys cannot make it
 * (every provider method calls it, because `configure()` failing would only fail the first call).
 */
export function credentialFor(
  config: ProviderConfig | undefined,
  access: Access = "organization",
  organizationId?: string,
): Credential {
  const settings = resolveSettings(config);
  const keys: Partial<Record<KeySetting, string>> = {
    apiKey: settings.apiKey,
    partnerKey: settings.partnerKey,
    deploymentKey: settings.deploymentKey,
  };
  return chooseCredential(access, keys, nonEmpty(organizationId) ?? settings.organizationId);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

const clients = new Map<string, PolytomicClient>();

/**
 * One client per (URL, key, how it is sent, organization) in the process, so every resource shares its keep-alive
 * pool. `access` and `organizationId` choose the key (see {@link credentialFor}).
 */
export function clientFor(
  config: ProviderConfig | undefined,
  access: Access = "organization",
  organizationId?: string,
): PolytomicClient {
  return clientWith(config, credentialFor(config, access, organizationId));
}

/** The client that sends `credential`. */
export function clientWith(config: ProviderConfig | undefined, credential: Credential): PolytomicClient {
  const deploymentUrl = resolveSettings(config).deploymentUrl;
  const basicOrganization = credential.scheme === "basic" ? credential.organizationId : undefined;
  const cacheKey = [deploymentUrl ?? "", credential.scheme, basicOrganization ?? "", credential.key].join(
    "\n",
  );
  let client = clients.get(cacheKey);
  if (client === undefined) {
    client = new PolytomicClient({
      apiKey: credential.key,
      deploymentUrl,
      ...(basicOrganization === undefined ? {} : { organizationId: basicOrganization }),
      timeoutMs: envNumber("POLYTOMIC_TIMEOUT_MS"),
    });
    clients.set(cacheKey, client);
  }
  return client;
}

const keyOrganizations = new WeakMap<PolytomicClient, Promise<string | undefined>>();

/**
 * With an API key, a call naming an organization: checks (once per client, with `GET /api/me`, as Terraform's
 * provider does) that it is the key's own, since an API key acts only there. Throws {@link CredentialError} naming
 * both organizations otherwise. Other credentials carry the organization themselves.
 */
export async function assertKeyOrganization(client: PolytomicClient, credential: Credential): Promise<void> {
  if (credential.setting !== "apiKey" || credential.organizationId === undefined) return;
  let own = keyOrganizations.get(client);
  if (own === undefined) {
    own = client.me().then((me) => me.organization_id);
    own.catch(() => keyOrganizations.delete(client));
    keyOrganizations.set(client, own);
  }
  const organizationId = await own;
  if (organizationId !== undefined && organizationId !== credential.organizationId) {
    throw new CredentialError(
      `The API key (polytomic:apiKey) belongs to organization ${organizationId}, not ${credential.organizationId}: ` +
        "an API key acts only in its own organization. To manage other organizations, configure a partner key " +
        "(polytomic:partnerKey) instead of the API key.",
    );
  }
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
