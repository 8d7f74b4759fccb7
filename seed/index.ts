/**
 * The seed program: Polytomic's "Syncing contacts from Google Cloud Storage to webhooks" walkthrough
 * (https://apidocs.polytomic.com/2025-09-18/guides/code-examples/syncing-contacts-from-google-cloud-storage-to-webhooks)
 * as Pulumi resources.
 *
 * Stack configuration (no stack file is committed: it would hold secrets; set it per stack):
 *
 *   pulumi config set --secret polytomic:apiKey <Polytomic API key>
 *   pulumi config set polytomic:deploymentUrl https://app.polytomic.com   # optional; your deployment's URL
 *   pulumi config set webhookUrl https://example.com/polytomic-webhook   # where the records are POSTed
 *   pulumi config set gcsBucket my-bucket                                 # bucket holding high_paying_users.csv
 *   pulumi config set --secret gcsServiceAccount "$(cat service-account.json)"   # the JSON key, kept secret
 *   pulumi config set runSync true          # optional: also run the sync once deployed (a SyncExecution)
 *   pulumi config set syncRunTrigger 2      # optional: any new value runs it again
 *
 * `npm run demo` at the repository root runs this program against the local Polytomic emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import * as polytomic from "pulumi-polytomic";

const config = new pulumi.Config();

// The target: Polytomic POSTs batches of records here, signed with a secret it generates
// (authMethod "polytomic_secret", the default).
const webhook = new polytomic.WebhookConnection("webhook", {
  name: "Contacts webhook",
  configuration: {
    url: config.require("webhookUrl"),
  },
});

// The source: a bucket of CSV files. `serviceAccount` is secret in the program, in state and in every output.
// Creating it waits until Polytomic's schema cache for the bucket is ready, so the model below can be created.
const gcs = new polytomic.GcsConnection("gcs", {
  name: "Contacts bucket",
  configuration: {
    bucket: config.require("gcsBucket"),
    serviceAccount: config.requireSecret("gcsServiceAccount"),
  },
});

// A model over one CSV file: every column of high_paying_users.csv becomes a model field.
const model = new polytomic.Model("high-paying-users", {
  name: "High paying users",
  connectionId: gcs.id,
  configuration: { model_from: "single_file", key: "high_paying_users.csv" },
});

const field = (name: string) => ({ source: { modelId: model.id, field: name }, target: "record" });

const sync = new polytomic.Sync("gcs-to-webhook", {
  name: "Sync GCS to Webhook",
  active: true,
  // Polytomic documents webhook syncs as always `updateOrCreate`, with every field's target set to `record`.
  mode: "updateOrCreate",
  fields: [field("email_address"), field("first_name"), field("last_name")],
  target: {
    connectionId: webhook.id,
    object: "http",
    configuration: { batch_size: 100, record_requests: true },
  },
  schedule: { frequency: "manual" },
});

// Optional (stack config `runSync: true`): run the sync once it is deployed. With the manual schedule Polytomic
// runs it only when asked (in the app, or `POST /api/syncs/{id}/executions`); a SyncExecution asks from Pulumi,
// waits for the run to end and fails the deployment if the run fails. It runs again only when `triggers` change
// (here: the `syncRunTrigger` setting), never on its own.
const run = config.getBoolean("runSync")
  ? new polytomic.SyncExecution("sync-run", {
      syncId: sync.id,
      triggers: [config.get("syncRunTrigger") ?? "1"],
    })
  : undefined;

export const webhookConnectionId = webhook.id;
export const gcsConnectionId = gcs.id;
export const modelId = model.id;
export const syncId = sync.id;
export const modelFieldNames = model.fieldNames;
export const syncExecutionId = run?.executionId;
export const syncRunStatus = run?.status;
export const syncRunCounts = run?.counts;
