import * as pulumi from "@pulumi/pulumi";
import {
  type ConnectionCommonArgs,
  connectionProps,
  connectionSecretOutputs,
  withSecretOutputs,
} from "./connection-base";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of the generic {@link Connection}. */
export interface ConnectionArgs extends ConnectionCommonArgs {
  /** The connection type id, e.g. `"postgresql"`, `"gcs"`, `"webhook"`. Changing it replaces the connection. */
  type: pulumi.Input<string>;
  /**
   * The type's configuration, spelled as the API spells it (snake_case keys, e.g. `{ service_account, bucket }`).
   * Values the type's schema marks sensitive are kept secret; for a type this package does not know, the whole
   * configuration is.
   */
  configuration: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

/**
 * A Polytomic connection of any type: the escape hatch for types newer than this package, configured exactly as
 * the API takes it. Prefer a typed class (`GcsConnection`, `WebhookConnection`) where one exists.
 *
 * Type token: `pulumi-nodejs:dynamic/polytomic:Connection`.
 */
export class Connection extends pulumi.dynamic.Resource {
  /** The display name. */
  declare readonly name: pulumi.Output<string>;
  /** The connection type id. */
  declare readonly type: pulumi.Output<string>;
  /** The configuration as last applied or read (secret: it holds the type's sensitive values). */
  declare readonly configuration: pulumi.Output<Record<string, unknown>>;
  /** Values Polytomic derives from the configuration (read-only keys), e.g. GCS `client_email`. */
  declare readonly computedConfiguration: pulumi.Output<Record<string, unknown>>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  declare readonly policies: pulumi.Output<string[] | undefined>;
  /** Polytomic's health status, e.g. `healthy`. */
  declare readonly status: pulumi.Output<string | undefined>;
  declare readonly statusError: pulumi.Output<string | undefined>;
  /** For OAuth types: the URL to visit to finish authorising the connection. */
  declare readonly authUrl: pulumi.Output<string | undefined>;
  declare readonly forceDestroy: pulumi.Output<boolean | undefined>;
  declare readonly waitForSchema: pulumi.Output<boolean | undefined>;
  declare readonly schemaTimeoutSeconds: pulumi.Output<number | undefined>;

  /**
   * @param name The Pulumi resource name (not the Polytomic display name, which is `args.name`).
   */
  constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    const type = args?.type;
    super(
      forwarderFor("Connection"),
      name,
      connectionProps(args, type, "api"),
      withSecretOutputs(opts, connectionSecretOutputs(type, "api")),
      TYPE_MODULE,
      "Connection",
    );
  }

  /** A read-only reference to an existing connection, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Connection {
    return new Connection(name, undefined as unknown as ConnectionArgs, { ...opts, id });
  }
}
