import { PolytomicForwarder } from "../providers/forwarder";

const forwarders = new Map<string, PolytomicForwarder>();

/**
 * The one forwarder per resource kind. Reusing the same object lets Pulumi's per-object serialization cache
 * serialize it once per program run instead of once per resource.
 */
export function forwarderFor(kind: string): PolytomicForwarder {
  let forwarder = forwarders.get(kind);
  if (forwarder === undefined) {
    forwarder = new PolytomicForwarder(kind);
    forwarders.set(kind, forwarder);
  }
  return forwarder;
}

/** The `module` part of every type token: `pulumi-nodejs:dynamic/polytomic:<Class>`. */
export const TYPE_MODULE = "polytomic";
