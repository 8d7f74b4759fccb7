/**
 * examples/adopt-existing-gcs under mocks as `pulumi preview` runs it for a new stack: the webhook is read by the
 * configured id even in preview, the adoption's importId is known, the new resources' ids are not; `check`
 * accepts the unknowns.
 */
import * as path from "node:path";
import { isUnknown } from "@pulumi/pulumi/output";
import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";
import { checkAll, expectCleanForwarder, type ProgramRun, runProgram, secretValue } from "./harness";

const P = "polytomic-adopt-existing-gcs";
const EXISTING_GCS = "existing-gcs-connection";
const EXISTING_WEBHOOK = "existing-webhook-connection";

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/adopt-existing-gcs/index.ts"),
    project: P,
    preview: true,
    config: {
      [`${P}:gcsConnectionId`]: EXISTING_GCS,
      [`${P}:gcsBucket`]: "sample",
      [`${P}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
      [`${P}:webhookConnectionId`]: EXISTING_WEBHOOK,
    },
    secretKeys: [`${P}:gcsServiceAccount`],
  });
});

describe("adopt-existing-gcs under mocks (preview)", () => {
  it("reads the webhook by its id and registers the rest without ids", () => {
    expect(run.registrations.map((r) => [r.kind, r.name, r.readId, r.id]).sort()).toEqual([
      ["GcsConnection", "gcs", undefined, undefined],
      ["Model", "contacts", undefined, undefined],
      ["Sync", "contacts-to-webhook", undefined, undefined],
      ["WebhookConnection", "webhook", EXISTING_WEBHOOK, EXISTING_WEBHOOK],
    ]);
  });

  it("keeps the importId known and the service account secret", () => {
    const gcs = run.byName("gcs").inputs;
    expect(gcs.importId).toBe(EXISTING_GCS);
    expect(secretValue(gcs.configuration).serviceAccount).toBe(FAKE_SERVICE_ACCOUNT);
    for (const r of run.registrations) expectCleanForwarder(r, [FAKE_SERVICE_ACCOUNT]);
  });

  it("passes unknown ids where the model and the sync reference other resources", () => {
    expect(isUnknown(run.byName("contacts").inputs.connectionId)).toBe(true);
    const sync = run.byName("contacts-to-webhook").inputs;
    // Unknown here only because the mock monitor answers ReadResource without an id, which the SDK takes as
    // unknown in preview; the engine returns the id it read.
    expect(isUnknown(sync.target.connectionId)).toBe(true);
    expect(sync.identity).toBeUndefined();
    for (const f of sync.fields) expect(isUnknown(f.source.modelId)).toBe(true);
  });

  it("leaves the adopted connection's id and derived values unknown", async () => {
    for (const name of ["adoptedGcsConnectionId", "gcsClientEmail", "modelId", "syncId"]) {
      expect(await (run.exports[name] as { isKnown: Promise<boolean> }).isKnown, name).toBe(false);
    }
  });

  it("passes check", async () => {
    expect(await checkAll(run)).toEqual({ gcs: [], contacts: [], "contacts-to-webhook": [] });
  });
});
