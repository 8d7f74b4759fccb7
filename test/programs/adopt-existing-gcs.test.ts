/**
 * examples/adopt-existing-gcs under mocks as `pulumi up` runs it, then through the provider's `check` and
 * against the local emulator, where the adopted GCS connection and the referenced webhook connection exist
 * beforehand.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { apiClient, gcsConnectionBody, webhookConnectionBody } from "../helpers/emulator";
import { FAKE_SERVICE_ACCOUNT, PRIVATE_KEY_LINE } from "../helpers/fixtures";
import {
  checkAll,
  expectCleanForwarder,
  mockId,
  outputValue,
  type ProgramRun,
  replayInEmulator,
  runProgram,
  secretValue,
  TYPE_PREFIX,
} from "./harness";

const P = "polytomic-adopt-existing-gcs";
/** The ids the program gets from its config; the emulator test maps them to objects made beforehand. */
const EXISTING_GCS = "existing-gcs-connection";
const EXISTING_WEBHOOK = "existing-webhook-connection";

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/adopt-existing-gcs/index.ts"),
    project: P,
    preview: false,
    config: {
      [`${P}:gcsConnectionId`]: EXISTING_GCS,
      [`${P}:gcsBucket`]: "sample",
      [`${P}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
      [`${P}:webhookConnectionId`]: EXISTING_WEBHOOK,
    },
    secretKeys: [`${P}:gcsServiceAccount`],
    computed: (r) =>
      r.readId !== undefined
        ? { status: "healthy" }
        : r.kind === "GcsConnection"
          ? { computedConfiguration: { clientEmail: "polytomic-demo@demo-project.iam.gserviceaccount.com" } }
          : {},
  });
});

describe("adopt-existing-gcs under mocks (deploy)", () => {
  it("registers the adopted connection, model and sync, and reads the webhook by id", () => {
    expect(run.registrations).toHaveLength(4);
    expect(run.types()).toEqual({
      gcs: `${TYPE_PREFIX}GcsConnection`,
      webhook: `${TYPE_PREFIX}WebhookConnection`,
      contacts: `${TYPE_PREFIX}Model`,
      "contacts-to-webhook": `${TYPE_PREFIX}Sync`,
    });
    expect(run.byName("webhook").readId).toBe(EXISTING_WEBHOOK);
    expect(run.registrations.filter((r) => r.readId !== undefined)).toHaveLength(1);
  });

  it("adopts the GCS connection with importId, the service account secret", () => {
    const gcs = run.byName("gcs").inputs;
    expect(gcs).toMatchObject({ name: "Contacts bucket", importId: EXISTING_GCS });
    expect(secretValue(gcs.configuration)).toEqual({
      bucket: "sample",
      serviceAccount: FAKE_SERVICE_ACCOUNT,
    });
  });

  it("reads the webhook with no arguments but the forwarder", () => {
    const { __provider, ...rest } = run.byName("webhook").inputs;
    expect(rest).toEqual({});
    expectCleanForwarder(run.byName("webhook"), []);
  });

  it("models three columns of the CSV on the adopted connection", () => {
    expect(run.byName("contacts").inputs).toMatchObject({
      connectionId: mockId("gcs"),
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
      fields: ["email_address", "first_name", "last_name"],
    });
  });

  it("syncs the model to the referenced webhook's id", () => {
    const sync = run.byName("contacts-to-webhook").inputs;
    const modelId = mockId("contacts");
    expect(sync).toMatchObject({
      mode: "updateOrCreate",
      target: { connectionId: EXISTING_WEBHOOK, object: "http", configuration: { batch_size: 50 } },
      schedule: { frequency: "hourly", minute: "15" },
    });
    expect(sync.fields).toEqual(
      ["email_address", "first_name", "last_name"].map((field) => ({
        source: { modelId, field },
        target: "record",
      })),
    );
  });

  it("keeps the service account out of __provider", () => {
    for (const r of run.registrations) expectCleanForwarder(r, [FAKE_SERVICE_ACCOUNT, PRIVATE_KEY_LINE]);
  });

  it("exports the adopted id, the derived client email and the webhook's status", async () => {
    expect(await outputValue(run.exports.adoptedGcsConnectionId)).toBe(mockId("gcs"));
    expect(await outputValue(run.exports.gcsClientEmail)).toBe(
      "polytomic-demo@demo-project.iam.gserviceaccount.com",
    );
    expect(await outputValue(run.exports.webhookStatus)).toBe("healthy");
    expect(await outputValue(run.exports.syncId)).toBe(mockId("contacts-to-webhook"));
  });
});

describe("adopt-existing-gcs through the provider", () => {
  it("passes check for every resource it creates", async () => {
    expect(await checkAll(run)).toEqual({ gcs: [], contacts: [], "contacts-to-webhook": [] });
  });

  describe("against the emulator", () => {
    let emulator: RunningEmulator;
    let gcsId: string;
    let webhookId: string;
    beforeAll(async () => {
      emulator = await startEmulator({ apiKeys: ["k"], schemaReadyDelayMs: 50 });
      const api = apiClient(emulator, "k");
      const gcs = await api.post("/api/connections", gcsConnectionBody({ name: "Made in the UI" }));
      const webhook = await api.post("/api/connections", webhookConnectionBody({ name: "Team webhook" }));
      expect([gcs.status, webhook.status]).toEqual([200, 200]);
      gcsId = gcs.body.data.id;
      webhookId = webhook.body.data.id;
    });
    afterAll(() => emulator?.close());

    it("adopts the GCS connection in place, reads the webhook, and creates only the model and the sync", async () => {
      const webhookBefore = structuredClone(emulator.state.connections.get(webhookId));
      const { ids, outputs } = await replayInEmulator(run, emulator, "k", {
        [EXISTING_GCS]: gcsId,
        [EXISTING_WEBHOOK]: webhookId,
      });
      expect(ids.get("gcs")).toBe(gcsId);
      expect(ids.get("webhook")).toBe(webhookId);
      expect(emulator.state.connections.size).toBe(2);

      const gcs = emulator.state.connections.get(gcsId)!;
      expect(gcs.name).toBe("Contacts bucket");
      expect(gcs.configuration).toMatchObject({ bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT });
      expect(emulator.state.connections.get(webhookId)).toEqual(webhookBefore);
      expect(outputs.get("webhook")).toMatchObject({ name: "Team webhook", type: "webhook" });

      const model = emulator.state.models.get(ids.get("contacts")!)!;
      expect(model.connection_id).toBe(gcsId);
      expect(model.fields.map((f) => f.name)).toEqual(["email_address", "first_name", "last_name"]);
      const sync = emulator.state.syncs.get(ids.get("contacts-to-webhook")!)!;
      expect(sync.target).toMatchObject({ connection_id: webhookId, object: "http" });
      expect(sync.model_ids).toEqual([ids.get("contacts")]);
    });
  });
});
