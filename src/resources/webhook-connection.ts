import type * as pulumi from "@pulumi/pulumi";
import { TypedConnection, type TypedConnectionArgs } from "./typed-connection";

// Hand-written for now from data/connection-types/webhook.json; the per-type generator is to replace it.

/** A `{name, value}` pair. */
export interface WebhookNameValue {
  name: pulumi.Input<string>;
  value: pulumi.Input<string>;
}

/** Configuration of a webhook connection (`webhook`). */
export interface WebhookConfiguration {
  /** Webhook URL, e.g. `"https://example.com/webhook"`. */
  url: pulumi.Input<string>;
  /**
   * Authentication method: `"polytomic_secret"` (Polytomic secret, the default), `"basic"` (Basic
   * authentication), `"header"` (Custom header), `"query"` (Query string key) or `"oauth_client_credentials"`
   * (OAuth client credentials). Polytomic requires it; this package sends the default when it is left out.
   */
  authMethod?: pulumi.Input<"polytomic_secret" | "basic" | "header" | "query" | "oauth_client_credentials">;
  /** Additional headers sent with every delivery. */
  headers?: pulumi.Input<pulumi.Input<WebhookNameValue>[]>;
  /** Basic authentication; required when `authMethod` is `"basic"`. `password` is kept secret. */
  basic?: pulumi.Input<{ username: pulumi.Input<string>; password: pulumi.Input<string> }>;
  /** Custom header; required when `authMethod` is `"header"`. `value` is kept secret. */
  header?: pulumi.Input<WebhookNameValue>;
  /** Query string authentication parameters; required when `authMethod` is `"query"`. Values are kept secret. */
  query?: pulumi.Input<pulumi.Input<WebhookNameValue>[]>;
  /** OAuth client credentials; required when `authMethod` is `"oauth_client_credentials"`. */
  oauth?: pulumi.Input<{
    clientId: pulumi.Input<string>;
    /** Kept secret. */
    clientSecret: pulumi.Input<string>;
    tokenEndpoint: pulumi.Input<string>;
    extraFormData?: pulumi.Input<pulumi.Input<WebhookNameValue>[]>;
    scopes?: pulumi.Input<pulumi.Input<string>[]>;
    authStyle?: pulumi.Input<number>;
  }>;
}

/** Arguments of {@link WebhookConnection}. */
export type WebhookConnectionArgs = TypedConnectionArgs<WebhookConfiguration>;

/**
 * A webhook connection: a sync target that receives records as JSON `POST`s. With the default
 * `polytomic_secret` authentication Polytomic generates a secret and sends it as `Authorization: Bearer <secret>`.
 *
 * Type token: `pulumi-nodejs:dynamic/polytomic:WebhookConnection`.
 */
export class WebhookConnection extends TypedConnection<WebhookConfiguration> {
  constructor(name: string, args: WebhookConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super("WebhookConnection", "webhook", name, args, opts);
  }

  /** A read-only reference to an existing webhook connection, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): WebhookConnection {
    return new WebhookConnection(name, undefined as unknown as WebhookConnectionArgs, { ...opts, id });
  }
}
