import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionCommonArgs } from "./connection-base";
import { ConnectionResource } from "./connection-resource";

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
export class Connection extends ConnectionResource<Record<string, unknown>> {
  /**
   * @param name The Pulumi resource name (not the Polytomic display name, which is `args.name`).
   */
  constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super("Connection", args?.type, "api", name, args, opts);
  }

  /** A read-only reference to an existing connection, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Connection {
    return new Connection(name, undefined as unknown as ConnectionArgs, { ...opts, id });
  }
}
