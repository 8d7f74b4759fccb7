import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PROGRAM_DIR } from "./packed-package";

/**
 * The `__provider` text of a resource kind, serialized the way `dynamic.Resource` does it
 * (`serializeFunction(() => provider, { allowSecrets: true })`), from the forwarder of the package as installed
 * in the program folder (so it is captured the way it is in users' programs).
 */
export async function serializedProvider(kind: string): Promise<string> {
  const installed = require(
    path.join(PROGRAM_DIR, "node_modules", "pulumi-polytomic", "dist", "providers", "forwarder.js"),
  );
  const provider = new installed.PolytomicForwarder(kind);
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}
