import * as pulumi from "@pulumi/pulumi";
import type { KeyCasing } from "../connection-types/configuration-shape";
import { secretPathsForType } from "../connection-types/json-schema";
import { loadConnectionSchema } from "../connection-types/registry";
import { secretAtPaths } from "./secrets";

/** The arguments every connection class shares, besides its configuration. */
export interface ConnectionCommonArgs {
  /** The connection's display name in Polytomic. */
  name: pulumi.Input<string>;
  /** The organization to create it in (partner keys); changing it replaces the connection. */
  organizationId?: pulumi.Input<string>;
  /** IDs of permission policies that govern the connection. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Whether Polytomic checks the configuration against the upstream service on create and update. Polytomic's
   * default is `true`: a wrong password then fails the deployment instead of the first sync.
   */
  validate?: pulumi.Input<boolean>;
  /** Overrides the interval of Polytomic's health checks (format as Polytomic documents it, e.g. `"1h"`). */
  healthcheckInterval?: pulumi.Input<string>;
  /**
   * On destroy, also delete the models and syncs that use this connection (`DELETE ?force=true`). Without it,
   * destroying a connection in use fails with the list of its dependents. Default `false`.
   */
  forceDestroy?: pulumi.Input<boolean>;
  /**
   * Block `create` and `update` until Polytomic's schema cache for the connection is ready, so models and syncs
   * that depend on it are created only after. Default: `true` for types that can be model sources.
   */
  waitForSchema?: pulumi.Input<boolean>;
  /** How long to wait for the schema cache, in seconds. Default 600. */
  schemaTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Adopt an existing connection instead of creating one: `create` reads the connection with this ID and
   * replaces its settings with these arguments. (`pulumi import` cannot work with dynamic providers.)
   */
  importId?: pulumi.Input<string>;
}

/**
 * Every output a connection class declares. Each gets a placeholder in the props, so the property exists as an
 * Output even when its argument is left out, and on `get()` references.
 */
export const CONNECTION_OUTPUT_NAMES = [
  "name",
  "type",
  "configuration",
  "organizationId",
  "policies",
  "healthcheckInterval",
  "forceDestroy",
  "waitForSchema",
  "schemaTimeoutSeconds",
  "status",
  "statusError",
  "authUrl",
  "computedConfiguration",
] as const;

/**
 * The props passed to `dynamic.Resource`: the arguments, secret values wrapped as secrets, and a placeholder for
 * each output so the output properties exist. For a connection type this package does not know (or not yet),
 * the whole configuration is secret.
 */
export function connectionProps(
  args: (ConnectionCommonArgs & { configuration?: unknown; type?: pulumi.Input<string> }) | undefined,
  type: pulumi.Input<string> | undefined,
  casing: KeyCasing,
): Record<string, unknown> {
  const placeholders = Object.fromEntries(CONNECTION_OUTPUT_NAMES.map((n) => [n, undefined]));
  if (args === undefined) return placeholders;
  const paths = sensitivePaths(type, casing);
  const configuration =
    paths === undefined
      ? args.configuration === undefined
        ? undefined
        : pulumi.secret(args.configuration)
      : secretAtPaths(args.configuration, paths);
  return { ...placeholders, ...args, configuration };
}

/** The sensitive paths of a known type in the given casing, or undefined when the type is not known now. */
export function sensitivePaths(
  type: pulumi.Input<string> | undefined,
  casing: KeyCasing,
): string[] | undefined {
  if (typeof type !== "string") return undefined;
  const schema = loadConnectionSchema(type);
  if (schema === undefined) return undefined;
  const paths = secretPathsForType(type, schema);
  return casing === "camel"
    ? paths.map((p) => p.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
    : paths;
}

/**
 * Resource options with the secret outputs added: `configuration` holds secrets (or, for a type not known here,
 * may hold them), and Pulumi only re-marks outputs whose input of the same name was secret.
 */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  outputs: readonly string[],
): pulumi.CustomResourceOptions {
  const existing = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...new Set([...existing, ...outputs])] };
}

/** `configuration` is a secret output unless the type is known to have no sensitive field. */
export function connectionSecretOutputs(type: pulumi.Input<string> | undefined, casing: KeyCasing): string[] {
  const paths = sensitivePaths(type, casing);
  return paths !== undefined && paths.length === 0 ? [] : ["configuration"];
}
