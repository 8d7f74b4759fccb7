/**
 * Adopting existing Polytomic objects: a GCS connection made in the Polytomic UI is brought under Pulumi with
 * `importId`, and a webhook connection that someone else manages is only referenced, read-only, with
 * `WebhookConnection.get`. A model over the bucket's CSV and a sync to the webhook are then managed as usual.
 *
 * (`pulumi import` cannot work with dynamic providers, hence `importId`.)
 *
 * Configuration (see README.md):
 *   pulumi config set --secret polytomic:apiKey <key>
 *   pulumi config set gcsConnectionId <id of the existing GCS connection>
 *   pulumi config set gcsBucket my-bucket
 *   pulumi config set --secret gcsServiceAccount "$(cat service-account.json)"
 *   pulumi config set webhookConnectionId <id of the existing webhook connection>
 */
import * as pulumi from "@pulumi/pulumi";
import * as polytomic from "pulumi-polytomic";

const config = new pulumi.Config();

// `create` reads the connection with this id (it must be a GCS connection) and replaces its settings with the
// ones below: from then on Pulumi manages it. `retainOnDelete` keeps it in Polytomic on `pulumi destroy`, as it
// existed before this stack did.
const gcs = new polytomic.GcsConnection(
  "gcs",
  {
    name: "Contacts bucket",
    importId: config.require("gcsConnectionId"),
    configuration: {
      bucket: config.require("gcsBucket"),
      serviceAccount: config.requireSecret("gcsServiceAccount"),
    },
  },
  { retainOnDelete: true },
);

// A read-only reference: Pulumi reads this connection on every run but never changes or deletes it.
const webhook = polytomic.WebhookConnection.get("webhook", config.require("webhookConnectionId"));

const model = new polytomic.Model("contacts", {
  name: "Contacts",
  connectionId: gcs.id,
  configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  // Only these columns of the file become model fields.
  fields: ["email_address", "first_name", "last_name"],
});

const field = (name: string) => ({ source: { modelId: model.id, field: name }, target: "record" });

const sync = new polytomic.Sync("contacts-to-webhook", {
  name: "Contacts to webhook",
  active: true,
  // Webhook syncs are `updateOrCreate` with every field's target `record` and object `http` (no identity).
  mode: "updateOrCreate",
  fields: [field("email_address"), field("first_name"), field("last_name")],
  target: { connectionId: webhook.id, object: "http", configuration: { batch_size: 50 } },
  schedule: { frequency: "hourly", minute: "15" },
});

export const adoptedGcsConnectionId = gcs.id;
/** Derived by Polytomic from the service account key. */
export const gcsClientEmail = gcs.computedConfiguration.apply((c) => c?.clientEmail);
/** Polytomic's health status of the referenced webhook connection, e.g. `healthy`. */
export const webhookStatus = webhook.status;
export const modelId = model.id;
export const syncId = sync.id;
