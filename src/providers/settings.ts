import { PolytomicClient } from "../client";

/** Provider settings as `configure()` saw them in the stack config. Lives only in the provider process. */
export interface ProviderConfig {
  apiKey?: string;
  deploymentUrl?: string;
}

/** The error every provider method throws when no API key is set. Names both ways to set one. */
export const MISSING_API_KEY_MESSAGE =
  "No Polytomic API key is configured. Set it with `pulumi config set --secret polytomic:apiKey <key>`, " +
  "or set the POLYTOMIC_API_KEY environment variable where Pulumi runs.";

/**
 * The settings in force for one call: stack config first, then `POLYTOMIC_API_KEY` and
 * `POLYTOMIC_DEPLOYMENT_URL`, read now (not at import time) so a rotated key is picked up.
 * Throws {@link MISSING_API_KEY_MESSAGE} when there is no key; called by every method, because `configure()`
 * failing would only fail the first call.
 */
export function resolveSettings(
  config: ProviderConfig | undefined,
): Required<Pick<ProviderConfig, "apiKey">> & ProviderConfig {
  const apiKey = config?.apiKey ?? nonEmpty(process.env.POLYTOMIC_API_KEY);
  if (apiKey === undefined) throw new Error(MISSING_API_KEY_MESSAGE);
  const deploymentUrl = config?.deploymentUrl ?? nonEmpty(process.env.POLYTOMIC_DEPLOYMENT_URL);
  return { apiKey, deploymentUrl };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

const clients = new Map<string, PolytomicClient>();

/** One client per (key, URL) in the process, so every resource shares its keep-alive pool. */
export function clientFor(config: ProviderConfig | undefined): PolytomicClient {
  const settings = resolveSettings(config);
  const cacheKey = `${settings.deploymentUrl ?? ""}\n${settings.apiKey}`;
  let client = clients.get(cacheKey);
  if (client === undefined) {
    client = new PolytomicClient({
      apiKey: settings.apiKey,
      deploymentUrl: settings.deploymentUrl,
      timeoutMs: envNumber("POLYTOMIC_TIMEOUT_MS"),
    });
    clients.set(cacheKey, client);
  }
  return client;
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
