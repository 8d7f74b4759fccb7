/**
 * examples/salesforce-to-s3-bulk under mocks as `pulumi up` runs it (its `getBulkSource` look-up answered by the
 * emulator, as Polytomic would answer it), then through the provider's `check` and replayed against the
 * emulator with its source catalog.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import {
  checkAll,
  engineInputs,
  expectCleanForwarder,
  mockId,
  outputValue,
  type ProgramRun,
  replayInEmulator,
  runProgram,
  secretValue,
  substituteIds,
  TYPE_PREFIX,
} from "./harness";

const P = "polytomic-salesforce-to-s3-bulk";
const KEY = "bulk-example-key";
const AWS_SECRET = "aws-secret-3f9c1e";

let emulator: RunningEmulator;
let salesforceId: string;
let run: ProgramRun;

const CONTACT_FIELDS = [
  "Id",
  "AccountId",
  "FirstName",
  "LastName",
  { id: "Email", obfuscate: true },
  "Title",
  "CreatedDate",
  "SystemModstamp",
];
const SCHEMAS = [
  "Account",
  { id: "Contact", fields: CONTACT_FIELDS },
  {
    id: "Opportunity",
    filters: [{ function: "RelativeOnOrAfter", fieldId: "CloseDate", value: "365 days ago" }],
  },
];

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], schemaReadyDelayMs: 50 });
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
  emulator.setSchemaReady(salesforceId);
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/salesforce-to-s3-bulk/index.ts"),
    project: P,
    preview: false,
    config: {
      "polytomic:apiKey": KEY,
      "polytomic:deploymentUrl": emulator.url,
      [`${P}:salesforceConnectionId`]: salesforceId,
      [`${P}:s3BucketName`]: "sample",
      [`${P}:awsAccessKeyId`]: "AKIAEXAMPLE",
      [`${P}:awsSecretAccessKey`]: AWS_SECRET,
    },
    secretKeys: ["polytomic:apiKey", `${P}:awsSecretAccessKey`],
    computed: (r) =>
      r.kind === "BulkSync" ? { selectedSchemas: [{ id: "Account", outputName: "account" }] } : {},
  });
});
afterAll(() => emulator?.close());

describe("salesforce-to-s3-bulk under mocks (deploy)", () => {
  it("reads the Salesforce connection by id and registers the S3 connection and the bulk sync", () => {
    expect(run.registrations.map((r) => [r.kind, r.name, r.readId]).sort()).toEqual([
      ["BulkSync", "salesforce-to-s3", undefined],
      ["S3Connection", "lake", undefined],
      ["SalesforceConnection", "salesforce", salesforceId],
    ]);
    expect(run.byName("salesforce-to-s3").type).toBe(`${TYPE_PREFIX}BulkSync`);
  });

  it("keeps the AWS secret key secret and every credential out of __provider", () => {
    const lake = run.byName("lake").inputs;
    expect(secretValue(lake.configuration)).toMatchObject({
      authMode: "access_key_and_secret",
      s3BucketName: "sample",
      s3BucketRegion: "us-east-1",
      awsSecretAccessKey: AWS_SECRET,
    });
    for (const r of run.registrations) expectCleanForwarder(r, [AWS_SECRET, KEY]);
  });

  it("selects the schemas by name from the source's look-up: Contact's phones left out, Email obfuscated", () => {
    const sync = run.byName("salesforce-to-s3").inputs;
    expect(sync).toMatchObject({
      name: "Salesforce to S3",
      sourceConnectionId: salesforceId,
      destinationConnectionId: mockId("lake"),
      destinationConfiguration: { format: "csv", subfolder: "salesforce" },
      mode: "snapshot",
      defaultSchedule: { frequency: "daily", hour: 2, minute: 0 },
      additionalSchedules: [
        {
          frequency: "weekly",
          dayOfWeek: "sunday",
          hour: 4,
          minute: 0,
          resyncMode: "resync",
          schemas: ["Opportunity"],
        },
      ],
      active: true,
      automaticallyAddNewFields: "all",
      automaticallyAddNewObjects: "none",
    });
    expect(sync.schemas).toEqual(SCHEMAS);
  });

  it("exports the ids and the synced objects", async () => {
    expect(await outputValue(run.exports.lakeConnectionId)).toBe(mockId("lake"));
    expect(await outputValue(run.exports.bulkSyncId)).toBe(mockId("salesforce-to-s3"));
    expect(await outputValue(run.exports.syncedObjects)).toEqual(["account"]);
  });
});

describe("salesforce-to-s3-bulk through the provider", () => {
  it("passes check for every resource", async () => {
    expect(await checkAll(run)).toEqual({ lake: [], "salesforce-to-s3": [] });
  });

  it("replays against the emulator: the bulk sync as declared, and no diff after a refresh", async () => {
    const { ids, outputs } = await replayInEmulator(run, emulator, KEY, { [salesforceId]: salesforceId });
    const stored = emulator.state.bulkSyncs.get(ids.get("salesforce-to-s3") as string);
    expect(stored).toMatchObject({
      source_connection_id: salesforceId,
      destination_connection_id: ids.get("lake"),
      mode: "snapshot",
      default_schedule: { frequency: "daily", hour: "02", minute: "00" },
    });
    const enabled = stored?.schemas.filter((s) => s.enabled).map((s) => s.id);
    expect(enabled).toEqual(["Account", "Contact", "Opportunity"]);
    const contact = stored?.schemas.find((s) => s.id === "Contact");
    expect(contact?.fields.filter((f) => !f.enabled).map((f) => f.id)).toEqual(["Phone"]);
    expect(contact?.fields.find((f) => f.id === "Email")?.obfuscated).toBe(true);
    expect(stored?.schemas.find((s) => s.id === "Opportunity")?.filters).toEqual([
      { function: "RelativeOnOrAfter", field_id: "CloseDate", value: "365 days ago" },
    ]);
    expect(outputs.get("salesforce-to-s3")?.selectedSchemas.map((s: { id: string }) => s.id)).toEqual(
      enabled,
    );

    const provider = providerFor("BulkSync", { apiKey: KEY, deploymentUrl: emulator.url });
    const id = ids.get("salesforce-to-s3") as string;
    const news = substituteIds(
      engineInputs(run.byName("salesforce-to-s3").inputs),
      new Map([[mockId("lake"), ids.get("lake") as string]]),
    );
    const read = await provider.read(id, outputs.get("salesforce-to-s3"));
    expect(await provider.diff(id, read.props, news)).toMatchObject({ changes: false });
  });
});
