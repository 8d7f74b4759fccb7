import type * as pulumi from "@pulumi/pulumi";
import { TYPED_CONNECTION_CLASSES } from "../generated/connection-kinds";
import { ConnectionProvider } from "./connection-provider";
import { MODEL_SPEC } from "./model-spec";
import { ObjectProvider } from "./object-provider";
import type { ProviderConfig } from "./settings";
import { SYNC_SPEC } from "./sync-spec";

/**
 * The entry point the serialized forwarders load (`require("pulumi-polytomic/provider")`): the provider
 * implementation for a resource kind. Keep `providerFor`'s name and signature stable: state written by every
 * earlier version calls it.
 */

type Implementation = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;

const cache = new Map<string, Implementation>();

function build(kind: string, config: ProviderConfig | undefined): Implementation {
  if (kind === "Connection") return new ConnectionProvider({ className: kind, casing: "api" }, config);
  if (kind === "Model") return new ObjectProvider(MODEL_SPEC, config) as Implementation;
  if (kind === "Sync") return new ObjectProvider(SYNC_SPEC, config) as Implementation;
  const type = TYPED_CONNECTION_CLASSES[kind];
  if (type !== undefined)
    return new ConnectionProvider({ className: kind, fixedType: type, casing: "camel" }, config);
  throw new Error(
    `pulumi-polytomic does not know the resource kind "${kind}": the state was written by a newer version of ` +
      "the package; install that version (or newer) in the Pulumi program's folder.",
  );
}

/** The implementation of a kind, with the settings `configure()` saw (cached per kind and settings). */
export function providerFor(kind: string, config?: ProviderConfig): Implementation {
  const key = `${kind}\n${config?.apiKey ?? ""}\n${config?.deploymentUrl ?? ""}`;
  let provider = cache.get(key);
  if (provider === undefined) {
    provider = build(kind, config);
    cache.set(key, provider);
  }
  return provider;
}
