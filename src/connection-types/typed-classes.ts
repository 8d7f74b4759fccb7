/**
 * The typed connection classes and the connection type each one manages. The resource kind (the last part of
 * the type token `pulumi-nodejs:dynamic/polytomic:<Class>`) is the key; state stores it, so never rename one.
 */
export const TYPED_CONNECTION_CLASSES: Readonly<Record<string, string>> = {
  GcsConnection: "gcs",
  WebhookConnection: "webhook",
};
