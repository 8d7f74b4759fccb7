/**
 * The seed program (seed/index.ts) under mocks as `pulumi up` runs it: what it registers, how the resources
 * reference each other, that secrets stay secret; then the same registrations through the provider's `check`
 * and against the local emulator.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { API_KEY, FAKE_SERVICE_ACCOUNT, PRIVATE_KEY_LINE } from "../helpers/fixtures";
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

const CSV_FIELDS = [
  "email_address",
  "first_name",
  "last_name",
  "company",
  "annual_revenue",
  "plan",
  "signup_date",
];

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../seed/index.ts"),
    project: "polytomic-seed",
    preview: false,
    config: {
      "polytomic:apiKey": API_KEY,
      "polytomic-seed:webhookUrl": "https://hooks.example.com/polytomic",
      "polytomic-seed:gcsBucket": "sample",
      "polytomic-seed:gcsServiceAccount": FAKE_SERVICE_ACCOUNT,
    },
    secretKeys: ["polytomic:apiKey", "polytomic-seed:gcsServiceAccount"],
    computed: (r) => (r.kind === "Model" ? { fieldNames: CSV_FIELDS } : {}),
  });
});

describe("seed program under mocks (deploy)", () => {
  it("registers the four resources with their type tokens", () => {
    expect(run.registrations).toHaveLength(4);
    expect(run.types()).toEqual({
      webhook: `${TYPE_PREFIX}WebhookConnection`,
      gcs: `${TYPE_PREFIX}GcsConnection`,
      "high-paying-users": `${TYPE_PREFIX}Model`,
      "gcs-to-webhook": `${TYPE_PREFIX}Sync`,
    });
    expect(run.registrations.every((r) => r.readId === undefined)).toBe(true);
  });

  it("configures the webhook from config, with nothing secret in it", () => {
    const webhook = run.byName("webhook").inputs;
    expect(webhook.name).toBe("Contacts webhook");
    expect(webhook.configuration).toEqual({ url: "https://hooks.example.com/polytomic" });
  });

  it("keeps the GCS configuration secret (it holds the service account key)", () => {
    const gcs = run.byName("gcs").inputs;
    expect(gcs.name).toBe("Contacts bucket");
    expect(secretValue(gcs.configuration)).toEqual({
      bucket: "sample",
      serviceAccount: FAKE_SERVICE_ACCOUNT,
    });
  });

  it("builds the model over high_paying_users.csv on the GCS connection", () => {
    const model = run.byName("high-paying-users").inputs;
    expect(model).toMatchObject({
      name: "High paying users",
      connectionId: mockId("gcs"),
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    });
    expect(model.fields).toBeUndefined();
  });

  it("syncs three model fields to the webhook's http object", () => {
    const sync = run.byName("gcs-to-webhook").inputs;
    const modelId = mockId("high-paying-users");
    expect(sync).toMatchObject({
      name: "Sync GCS to Webhook",
      active: true,
      mode: "updateOrCreate",
      schedule: { frequency: "manual" },
      target: {
        connectionId: mockId("webhook"),
        object: "http",
        configuration: { batch_size: 100, record_requests: true },
      },
    });
    expect(sync.fields).toEqual(
      ["email_address", "first_name", "last_name"].map((field) => ({
        source: { modelId, field },
        target: "record",
      })),
    );
    expect(sync.encryptionPassphrase).toBeUndefined();
  });

  it("serializes the forwarder into __provider without any secret", () => {
    for (const r of run.registrations) {
      expectCleanForwarder(r, [FAKE_SERVICE_ACCOUNT, PRIVATE_KEY_LINE, API_KEY]);
    }
  });

  it("exports the ids and the model's field names", async () => {
    expect(await outputValue(run.exports.webhookConnectionId)).toBe(mockId("webhook"));
    expect(await outputValue(run.exports.gcsConnectionId)).toBe(mockId("gcs"));
    expect(await outputValue(run.exports.modelId)).toBe(mockId("high-paying-users"));
    expect(await outputValue(run.exports.syncId)).toBe(mockId("gcs-to-webhook"));
    expect(await outputValue(run.exports.modelFieldNames)).toEqual(CSV_FIELDS);
  });
});

describe("seed program through the provider", () => {
  it("passes check for every resource", async () => {
    const failures = await checkAll(run);
    expect(Object.keys(failures)).toHaveLength(4);
    expect(failures).toEqual(Object.fromEntries(Object.keys(failures).map((n) => [n, []])));
  });

  describe("against the emulator", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ apiKeys: ["k"], schemaReadyDelayMs: 50 });
    });
    afterAll(() => emulator?.close());

    it("creates everything in dependency order and the emulator holds what the program declared", async () => {
      const { ids, outputs } = await replayInEmulator(run, emulator, "k");
      expect(emulator.state.connections.size).toBe(2);
      const gcs = emulator.state.connections.get(ids.get("gcs")!)!;
      expect(gcs.type).toBe("gcs");
      expect(gcs.configuration).toMatchObject({ bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT });
      expect(outputs.get("gcs")!.computedConfiguration).toMatchObject({
        clientEmail: "polytomic-demo@demo-project.iam.gserviceaccount.com",
      });
      const webhook = emulator.state.connections.get(ids.get("webhook")!)!;
      expect(webhook.configuration).toMatchObject({
        url: "https://hooks.example.com/polytomic",
        auth_method: "polytomic_secret",
      });

      const model = emulator.state.models.get(ids.get("high-paying-users")!)!;
      expect(model.connection_id).toBe(ids.get("gcs"));
      expect(outputs.get("high-paying-users")!.fieldNames).toEqual(CSV_FIELDS);

      const sync = emulator.state.syncs.get(ids.get("gcs-to-webhook")!)!;
      expect(sync.target).toMatchObject({ connection_id: ids.get("webhook"), object: "http" });
      expect(sync.model_ids).toEqual([ids.get("high-paying-users")]);
      expect(sync.fields.map((f: any) => f.source.model_id)).toEqual(
        Array(3).fill(ids.get("high-paying-users")),
      );
      expect(outputs.get("gcs-to-webhook")!.modelIds).toEqual([ids.get("high-paying-users")]);
    });
  });
});
