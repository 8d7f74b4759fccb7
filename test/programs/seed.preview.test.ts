/**
 * The seed program under mocks as `pulumi preview` runs it for a new stack: ids and computed outputs are
 * unknown, the references between resources arrive as unknowns where the ids go, secrets are still secret, and
 * the provider's `check` accepts the inputs with the engine's unknown sentinel in them.
 */
import * as path from "node:path";
import { isUnknown } from "@pulumi/pulumi/output";
import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";
import {
  checkAll,
  engineInputs,
  expectCleanForwarder,
  type ProgramRun,
  runProgram,
  secretValue,
  TYPE_PREFIX,
} from "./harness";

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../seed/index.ts"),
    project: "polytomic-seed",
    preview: true,
    config: {
      "polytomic-seed:webhookUrl": "https://hooks.example.com/polytomic",
      "polytomic-seed:gcsBucket": "sample",
      "polytomic-seed:gcsServiceAccount": FAKE_SERVICE_ACCOUNT,
    },
    secretKeys: ["polytomic-seed:gcsServiceAccount"],
  });
});

const isKnown = (output: unknown) => (output as { isKnown: Promise<boolean> }).isKnown;

describe("seed program under mocks (preview)", () => {
  it("registers the same four resources, with no ids yet", () => {
    expect(run.registrations).toHaveLength(4);
    expect(run.types()).toEqual({
      webhook: `${TYPE_PREFIX}WebhookConnection`,
      gcs: `${TYPE_PREFIX}GcsConnection`,
      "high-paying-users": `${TYPE_PREFIX}Model`,
      "gcs-to-webhook": `${TYPE_PREFIX}Sync`,
    });
    expect(run.registrations.map((r) => r.id)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("passes unknown ids exactly where the resources reference each other", () => {
    const model = run.byName("high-paying-users").inputs;
    expect(isUnknown(model.connectionId)).toBe(true);
    expect(model.configuration).toEqual({ model_from: "single_file", key: "high_paying_users.csv" });

    const sync = run.byName("gcs-to-webhook").inputs;
    expect(isUnknown(sync.target.connectionId)).toBe(true);
    expect(sync.identity).toBeUndefined();
    expect(sync.fields).toHaveLength(3);
    for (const f of sync.fields) expect(isUnknown(f.source.modelId)).toBe(true);
    // Everything else is known at preview.
    expect(engineInputs({ ...sync, __provider: undefined })).toEqual({
      name: "Sync GCS to Webhook",
      active: true,
      mode: "updateOrCreate",
      fields: ["email_address", "first_name", "last_name"].map((field) => ({
        source: { modelId: expect.any(String), field },
        target: "record",
      })),
      target: {
        connectionId: expect.any(String),
        object: "http",
        configuration: { batch_size: 100, record_requests: true },
      },
      schedule: { frequency: "manual" },
    });
  });

  it("keeps the service account secret and out of __provider", () => {
    expect(secretValue(run.byName("gcs").inputs.configuration).serviceAccount).toBe(FAKE_SERVICE_ACCOUNT);
    expect(run.byName("webhook").inputs.configuration).toEqual({
      url: "https://hooks.example.com/polytomic",
    });
    for (const r of run.registrations) expectCleanForwarder(r, [FAKE_SERVICE_ACCOUNT]);
  });

  it("leaves ids and the model's field names unknown", async () => {
    for (const name of ["webhookConnectionId", "gcsConnectionId", "modelId", "syncId", "modelFieldNames"]) {
      expect(await isKnown(run.exports[name]), name).toBe(false);
    }
  });

  it("passes check with the unknown sentinel in place of the ids", async () => {
    const failures = await checkAll(run);
    expect(failures).toEqual({ webhook: [], gcs: [], "high-paying-users": [], "gcs-to-webhook": [] });
  });
});
