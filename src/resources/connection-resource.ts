import * as pulumi from "@pulumi/pulumi";
import type { KeyCasing } from "../connection-types/configuration-shape";
import { type ConnectionClassArgs, connectionProps, connectionSecretOutputs } from "./connection-base";
import { withSecretOutputs } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/**
 * The base of every connection class, generic (`Connection`) and typed (`GcsConnection`, ...): the outputs they
 * all have, and the wiring (props with secrets wrapped, secret outputs, the forwarder, the type token).
 */
export abstract class ConnectionResource<Configuration> extends pulumi.dynamic.Resource {
  /** The display name. */
  declare readonly name: pulumi.Output<string>;
  /** The connection type id. */
  declare readonly type: pulumi.Output<string>;
  /** The configuration as last applied or read (secret: it holds the type's sensitive values). */
  declare readonly configuration: pulumi.Output<Configuration>;
  /** Values Polytomic derives from the configuration (read-only keys), e.g. GCS `clientEmail`. */
  declare readonly computedConfiguration: pulumi.Output<Record<string, unknown>>;
  declare readonly organizationId: pulumi.Output<string | undefined>;
  declare readonly policies: pulumi.Output<string[] | undefined>;
  declare readonly healthcheckInterval: pulumi.Output<string | undefined>;
  /** Polytomic's health status, e.g. `healthy`. */
  declare readonly status: pulumi.Output<string | undefined>;
  declare readonly statusError: pulumi.Output<string | undefined>;
  /** For OAuth types: the URL to visit to finish authorising the connection. */
  declare readonly authUrl: pulumi.Output<string | undefined>;
  declare readonly forceDestroy: pulumi.Output<boolean | undefined>;
  declare readonly waitForSchema: pulumi.Output<boolean | undefined>;
  declare readonly schemaTimeoutSeconds: pulumi.Output<number | undefined>;

  /**
   * @param kind the class name, the type token's last part (state stores it)
   * @param type the connection type id (known for typed classes; the generic class's `args.type`)
   * @param casing how `args.configuration` spells its keys
   */
  protected constructor(
    kind: string,
    type: pulumi.Input<string> | undefined,
    casing: KeyCasing,
    name: string,
    args: ConnectionClassArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      forwarderFor(kind),
      name,
      connectionProps(args, type, casing),
      withSecretOutputs(opts, connectionSecretOutputs(type, casing)),
      TYPE_MODULE,
      kind,
    );
  }
}
