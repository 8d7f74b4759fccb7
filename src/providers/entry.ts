import { kindOf, type ProviderImplementation } from "../kinds";
import type { ProviderConfig } from "./settings";

/**
 * The entry point the serialized forwarders load (`require("pulumi-polytomic/provider")`): the provider
 * implementation for a resource kind, looked up in the kinds table. Keep `providerFor`'s name and signature
 * stable: state written by every earlier version calls it.
 */

const cache = new Map<string, ProviderImplementation>();

/** The implementation of a kind, with the settings `configure()` saw (cached per kind and settings, in memory). */
export function providerFor(kind: string, config?: ProviderConfig): ProviderImplementation {
  const { apiKey, deploymentUrl, partnerKey, deploymentKey, organizationId } = config ?? {};
  const key = JSON.stringify([kind, apiKey, deploymentUrl, partnerKey, deploymentKey, organizationId]);
  let provider = cache.get(key);
  if (provider === undefined) {
    provider = kindOf(kind).provider(config);
    cache.set(key, provider);
  }
  return provider;
}
