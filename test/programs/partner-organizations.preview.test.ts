/**
 * examples/partner-organizations under mocks as `pulumi preview` runs it for a new stack: the organizations' ids
 * are unknown, so every object inside them has an unknown organizationId (and the pipeline's policy ids are
 * unknown); check accepts the unknowns; secrets stay secret.
 */
import * as path from "node:path";
import { isUnknown } from "@pulumi/pulumi/output";
import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import { checkAll, expectCleanForwarder, type ProgramRun, runProgram, secretValue } from "./harness";

const P = "polytomic-partner-organizations";
const EVENT_SECRET = "example-event-secret-preview";

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/partner-organizations/index.ts"),
    project: P,
    preview: true,
    config: {
      [`${P}:gcsBucket`]: "sample",
      [`${P}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
      [`${P}:webhookBaseUrl`]: "https://hooks.example.com/polytomic",
      [`${P}:eventsBaseUrl`]: "https://events.example.com/polytomic",
      [`${P}:eventWebhookSecret`]: EVENT_SECRET,
    },
    secretKeys: [`${P}:gcsServiceAccount`, `${P}:eventWebhookSecret`],
  });
});

describe("partner-organizations under mocks (preview)", () => {
  it("registers the 20 resources, none with an id yet", () => {
    expect(run.registrations).toHaveLength(20);
    expect(run.registrations.every((r) => r.id === undefined)).toBe(true);
  });

  it("leaves the organization ids unknown inside the organizations, and the names known", () => {
    for (const r of run.registrations.filter((x) => x.kind !== "Organization")) {
      expect(isUnknown(r.inputs.organizationId), r.name).toBe(true);
    }
    expect(run.byName("globex-org").inputs).toMatchObject({ name: "Globex", ssoDomain: "globex.example" });
    expect(run.byName("globex-admin").inputs.email).toBe("analytics@globex.example");
    expect(isUnknown(run.byName("acme-gcs").inputs.policies[0])).toBe(true);
  });

  it("keeps the secrets secret and out of __provider", () => {
    expect(secretValue(run.byName("globex-events").inputs.secret)).toBe(EVENT_SECRET);
    for (const r of run.registrations) expectCleanForwarder(r, [EVENT_SECRET, FAKE_SERVICE_ACCOUNT]);
  });

  it("passes check with the unknown sentinel in place of the ids", async () => {
    const failures = await checkAll(run);
    expect(Object.values(failures).flat()).toEqual([]);
  });
});
