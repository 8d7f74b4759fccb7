import * as pulumi from "@pulumi/pulumi";
import type { KeyCasing } from "../connection-types/configuration-shape";
import { secretPathsForType } from "../connection-types/json-schema";
import { loadConnectionSchema } from "../connection-types/registry";
import { camelPath } from "../wire";
import { defineFields, resourceProps } from "./fields";
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

/** The arguments a connection class takes: the shared ones, its configuration, and (generic class) its type. */
export type ConnectionClassArgs = ConnectionCommonArgs & {
  configuration?: unknown;
  type?: pulumi.Input<string>;
};

/**
 * The field lists of every connection class. `validate` is sent with each create and update, but Polytomic does
 * not hold it, so it is compared as a local setting. The configuration's secret paths depend on the type: see
 * {@link sensitivePaths}.
 */
export const CONNECTION_FIELDS = defineFields<Required<ConnectionClassArgs>>()({
  remote: ["name", "type", "configuration", "organizationId", "policies", "healthcheckInterval"],
  local: ["forceDestroy", "waitForSchema", "schemaTimeoutSeconds", "importId", "validate"],
  reported: ["status", "statusError", "authUrl", "computedConfiguration"],
  replace: ["type", "organizationId"],
  secret: [],
});

/**
 * The props passed to `dynamic.Resource`: the arguments, secret values wrapped as secrets, and a placeholder for
 * each output so the output properties exist. For a connection type this package does not know (or not yet),
 * the whole configuration is secret.
 */
export function connectionProps(
  args: ConnectionClassArgs | undefined,
  type: pulumi.Input<string> | undefined,
  casing: KeyCasing,
): Record<string, unknown> {
  const props = resourceProps(CONNECTION_FIELDS, args);
  if (args === undefined) return props;
  const paths = sensitivePaths(type, casing);
  const configuration =
    paths === undefined
      ? args.configuration === undefined
        ? undefined
        : pulumi.secret(args.configuration)
      : secretAtPaths(args.configuration, paths);
  return { ...props, configuration };
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
  return casing === "camel" ? paths.map(camelPath) : paths;
}

/** `configuration` is a secret output unless the type is known to have no sensitive field. */
export function connectionSecretOutputs(type: pulumi.Input<string> | undefined, casing: KeyCasing): string[] {
  const paths = sensitivePaths(type, casing);
  return paths !== undefined && paths.length === 0 ? [] : ["configuration"];
}
