/**
 * examples/salesforce-to-s3-bulk under mocks as `pulumi preview` runs it for a new stack: the look-up reads the
 * Salesforce connection's schemas at preview (the connection exists: it is referenced by id), the S3
 * connection's id is not known yet; `check` and `diff` accept the unknowns.
 */
import * as path from "node:path";
import { isUnknown } from "@pulumi/pulumi/output";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { checkAll, engineInputs, type ProgramRun, runProgram } from "./harness";

const P = "polytomic-salesforce-to-s3-bulk";
const KEY = "bulk-preview-key";

let emulator: RunningEmulator;
let salesforceId: string;
let run: ProgramRun;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], schemaReadyDelayMs: 0 });
  const client = new PolytomicClient({ apiKey: KEY, deploymentUrl: emulator.url });
  salesforceId = (
    await client.connections.create({
      name: "Salesforce",
      type: "salesforce",
      configuration: {
        domain: "https://example.my.salesforce.com",
        client_id: "id",
        client_secret: "secret",
      },
    })
  ).id;
  emulator.requests.length = 0;
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/salesforce-to-s3-bulk/index.ts"),
    project: P,
    preview: true,
    config: {
      "polytomic:apiKey": KEY,
      "polytomic:deploymentUrl": emulator.url,
      [`${P}:salesforceConnectionId`]: salesforceId,
      [`${P}:s3BucketName`]: "sample",
      [`${P}:awsAccessKeyId`]: "AKIAEXAMPLE",
      [`${P}:awsSecretAccessKey`]: "aws-secret-preview",
    },
    secretKeys: ["polytomic:apiKey", `${P}:awsSecretAccessKey`],
  });
});
afterAll(() => emulator?.close());

describe("salesforce-to-s3-bulk under mocks (preview)", () => {
  it("registers the resources without ids; the Salesforce connection is read by its id", () => {
    expect(run.registrations.map((r) => [r.kind, r.name, r.id]).sort()).toEqual([
      ["BulkSync", "salesforce-to-s3", undefined],
      ["S3Connection", "lake", undefined],
      ["SalesforceConnection", "salesforce", salesforceId],
    ]);
  });

  it("reads the source's schemas at preview: they are known, the S3 connection's id is not", () => {
    const sync = run.byName("salesforce-to-s3").inputs;
    expect(isUnknown(sync.destinationConnectionId)).toBe(true);
    expect(sync.schemas.map((s: string | { id: string }) => (typeof s === "string" ? s : s.id))).toEqual([
      "Account",
      "Contact",
      "Opportunity",
    ]);
    const paths = emulator.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`GET /api/connections/${salesforceId}/bulksync/source`);
    // Nothing was created at preview.
    expect(paths.filter((p) => !p.startsWith("GET "))).toEqual([]);
  });

  it("passes check, and diff counts the unknown as a change", async () => {
    expect(await checkAll(run)).toEqual({ lake: [], "salesforce-to-s3": [] });
    const news = engineInputs(run.byName("salesforce-to-s3").inputs);
    const olds = { ...news, destinationConnectionId: "lake-before" };
    const diff = await providerFor("BulkSync", { apiKey: KEY }).diff("bulk-id", olds, news);
    expect(diff.changes).toBe(true);
  });
});
