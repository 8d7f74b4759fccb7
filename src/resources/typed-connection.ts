import * as pulumi from "@pulumi/pulumi";
import {
  type ConnectionCommonArgs,
  connectionProps,
  connectionSecretOutputs,
  withSecretOutputs,
} from "./connection-base";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of a typed connection class: the common ones plus the type's camelCase configuration. */
export interface TypedConnectionArgs<Configuration> extends ConnectionCommonArgs {
  /** The type's configuration, in camelCase; mapped to the API's keys by the provider. */
  configuration: pulumi.Input<Configuration>;
}

/**
 * The base of every typed connection class (`GcsConnection`, `WebhookConnection`, ...): one connection type, a
 * camelCase configuration checked against that type's schema at preview, secrets kept secret.
 */
export abstract class TypedConnection<Configuration> extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  /** The connection type id (fixed per class). */
  declare readonly type: pulumi.Output<string>;
  /** The configuration as last applied or read (secret: it holds the type's sensitive values). */
  declare readonly configuration: pulumi.Output<Configuration>;
  /** Values Polytomic derives from the configuration (read-only keys), in camelCase. */
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

  protected constructor(
    kind: string,
    type: string,
    name: string,
    args: TypedConnectionArgs<Configuration> | undefined,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      forwarderFor(kind),
      name,
      connectionProps(args, type, "camel"),
      withSecretOutputs(opts, connectionSecretOutputs(type, "camel")),
      TYPE_MODULE,
      kind,
    );
  }
}
