import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionCommonArgs } from "./connection-base";
import { ConnectionResource } from "./connection-resource";

/** Arguments of a typed connection class: the common ones plus the type's camelCase configuration. */
export interface TypedConnectionArgs<Configuration> extends ConnectionCommonArgs {
  /** The type's configuration, in camelCase; mapped to the API's keys by the provider. */
  configuration: pulumi.Input<Configuration>;
}

/**
 * The base of every typed connection class (`GcsConnection`, `WebhookConnection`, ...): one connection type, a
 * camelCase configuration checked against that type's schema at preview, secrets kept secret.
 */
export abstract class TypedConnection<Configuration> extends ConnectionResource<Configuration> {
  protected constructor(
    kind: string,
    type: string,
    name: string,
    args: TypedConnectionArgs<Configuration> | undefined,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(kind, type, "camel", name, args, opts);
  }
}
