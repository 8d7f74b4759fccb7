import type { PolytomicClient } from "../../src/client";

/**
 * The seed walkthrough's pipeline made through the API: a GCS connection over the sample bucket (its schema cache
 * marked ready), a model over `high_paying_users.csv`, a webhook connection to `hookUrl` and a manual
 * `updateOrCreate` sync of the three contact fields to it. Returns the sync's id.
 *
 * Imports types only, so the bench can load it as it is (Node strips the types), like fixtures.ts.
 */
export async function createWebhookPipeline(options: {
  client: PolytomicClient;
  emulator: { setSchemaReady(connectionId: string): void };
  serviceAccount: string;
  hookUrl: string;
  batchSize: number;
}): Promise<string> {
  const { client, emulator, serviceAccount, hookUrl, batchSize } = options;
  const gcs = await client.connections.create({
    name: "gcs",
    type: "gcs",
    configuration: { bucket: "sample", service_account: serviceAccount },
  });
  emulator.setSchemaReady(gcs.id);
  const model = await client.models.create({
    name: "users",
    connection_id: gcs.id,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  });
  const hook = await client.connections.create({
    name: "hook",
    type: "webhook",
    configuration: { url: hookUrl, auth_method: "polytomic_secret" },
  });
  const sync = await client.syncs.create({
    name: "to hook",
    mode: "updateOrCreate",
    active: true,
    fields: ["email_address", "first_name", "last_name"].map((field) => ({
      source: { model_id: model.id, field },
      target: "record",
    })),
    schedule: { frequency: "manual" },
    target: { connection_id: hook.id, object: "http", configuration: { batch_size: batchSize } },
  });
  return sync.id;
}
