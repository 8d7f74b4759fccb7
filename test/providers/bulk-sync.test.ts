import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { getBulkDestination, getBulkSource } from "../../src/lookups";
import type { BulkSyncInputs, BulkSyncOutputs } from "../../src/providers/bulk-sync-spec";
import { providerFor } from "../../src/providers/entry";
import { ResourceInitError } from "../../src/providers/errors";
import { UNKNOWN } from "../../src/providers/unknown";
import { API_KEY } from "../helpers/sa";

/**
 * The BulkSync provider in-process against the emulator: check (offline), the schema-cache retry, no drift, an
 * out-of-band change that shows and converges, adoption, and the look-ups programs use.
 */

let emulator: RunningEmulator;
let config: { apiKey: string; deploymentUrl: string };
let api: PolytomicClient;
let salesforce: string;
let hubspot: string;
let s3: string;
let postgres: string;

const provider = () => providerFor("BulkSync", config);

async function connection(body: Record<string, unknown>, ready = true): Promise<string> {
  const { id } = await api.connections.create(body as never);
  if (ready) emulator.setSchemaReady(id);
  return id;
}
const salesforceBody = (name: string) => ({
  name,
  type: "salesforce",
  configuration: { domain: "https://example.my.salesforce.com", client_id: "id", client_secret: "secret" },
});

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 1200 });
  config = { apiKey: API_KEY, deploymentUrl: emulator.url };
  api = new PolytomicClient(config);
  salesforce = await connection(salesforceBody("Salesforce"));
  hubspot = await connection({ name: "HubSpot", type: "hubspot", configuration: {} });
  s3 = await connection({
    name: "Lake",
    type: "s3",
    configuration: {
      auth_mode: "access_key_and_secret",
      aws_access_key_id: "AKIA",
      aws_secret_access_key: "secret",
      s3_bucket_region: "us-east-1",
      s3_bucket_name: "sample",
    },
  });
  postgres = await connection({
    name: "Warehouse",
    type: "postgresql",
    configuration: { hostname: "db", username: "u", password: "p", database: "d", port: 5432 },
  });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
});

const toS3 = (over: Partial<BulkSyncInputs> = {}): BulkSyncInputs => ({
  name: "Salesforce to S3",
  sourceConnectionId: salesforce,
  destinationConnectionId: s3,
  destinationConfiguration: { format: "csv", subfolder: "salesforce" },
  mode: "snapshot",
  schemas: [
    "Account",
    {
      id: "Contact",
      fields: ["Id", "FirstName", { id: "Email", obfuscate: true }],
      filters: [{ function: "StringOneOf", fieldId: "Title", value: ["CTO", "Buyer"] }],
    },
  ],
  defaultSchedule: { frequency: "daily", hour: 5, minute: 0 },
  additionalSchedules: [{ frequency: "weekly", dayOfWeek: "sunday", hour: "01", resyncMode: "resync" }],
  active: true,
  automaticallyAddNewObjects: "all",
  __provider: "forwarder-text",
  ...over,
});

const posts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === "/api/bulk/syncs");

describe("check", () => {
  it("accepts the Terraform provider's examples, spelled as this package's arguments", async () => {
    const tfMain = {
      name: "Terraform Bulk Sync",
      active: true,
      mode: "replicate",
      defaultSchedule: { frequency: "manual" },
      sourceConnectionId: "src",
      destinationConnectionId: "dst",
      destinationConfiguration: { schema: "terraform" },
      schemas: ["Account", "Contact"],
      automaticallyAddNewObjects: "none",
    };
    const tfSmoke = {
      name: "Terraform test sync",
      active: false,
      mode: "replicate",
      sourceConnectionId: "hubspot",
      destinationConnectionId: "postgresql",
      destinationConfiguration: { schema: "hubspot_tf" },
      schemas: [{ enabled: true, id: "Contact" }],
      defaultSchedule: { frequency: "manual" },
    };
    for (const news of [tfMain, tfSmoke, toS3()]) {
      expect((await provider().check({} as never, news as never)).failures).toBeUndefined();
    }
  });

  it("names every broken property, inside schemas and schedules too", async () => {
    const bad = {
      ...toS3(),
      mode: "mirror",
      schemas: [
        "Account",
        { id: "Contact", fields: ["Id", { id: "", obfuscate: "yes" }], filters: [{ function: "Like" }] },
        { id: "Account", dataCutoffTimestamp: "yesterday" },
        42,
      ],
      defaultSchedule: { frequency: "sometimes" },
      additionalSchedules: [{ frequency: "weekly", schemas: ["Lead"], resyncMode: "full" }],
      concurrencyLimit: 0,
      schemaTimeoutSeconds: 0,
      bukket: 1,
    };
    const { failures } = await provider().check({} as never, bad as never);
    expect(failures?.map((f) => f.property).sort()).toEqual([
      "additionalSchedules[0].resyncMode",
      "additionalSchedules[0].schemas[0]",
      "bukket",
      "concurrencyLimit",
      "defaultSchedule.frequency",
      "mode",
      "schemaTimeoutSeconds",
      "schemas[1].fields[1].id",
      "schemas[1].fields[1].obfuscate",
      "schemas[1].filters[0].function",
      "schemas[2]",
      "schemas[2].dataCutoffTimestamp",
      "schemas[3]",
    ]);
    for (const f of failures ?? []) expect(f.reason.startsWith(f.property)).toBe(true);
    expect(failures?.find((f) => f.property === "schemas[3]")?.reason).toBe(
      "schemas[3] must be a string or an object, got number 42",
    );
  });

  it("tolerates schemas unknown at preview (all of them, one, or a field), and counts them as a change", async () => {
    for (const schemas of [UNKNOWN, [UNKNOWN, "Account"], [{ id: UNKNOWN, fields: [UNKNOWN] }]]) {
      const news = toS3({ schemas: schemas as never, sourceConnectionId: UNKNOWN });
      expect((await provider().check({} as never, news)).failures, JSON.stringify(schemas)).toBeUndefined();
      const olds = { ...toS3(), selectedSchemas: [] } as BulkSyncOutputs;
      expect((await provider().diff("id", olds, news)).changes).toBe(true);
    }
  });
});

describe("the lifecycle against the emulator", () => {
  let id: string;
  let outs: BulkSyncOutputs;

  it("creates: the body, the schema settings, and outputs with what Polytomic reports", async () => {
    const created = await provider().create(toS3());
    id = created.id;
    outs = created.outs as BulkSyncOutputs;
    expect(outs).toMatchObject({
      name: "Salesforce to S3",
      defaultSchedule: { frequency: "daily", hour: "05", minute: "00" },
      __provider: "forwarder-text",
    });
    // Opportunity is known at create, not new: automaticallyAddNewObjects enables only schemas found later.
    expect(outs.selectedSchemas?.map((s) => s.id)).toEqual(["Account", "Contact"]);
    const contact = outs.selectedSchemas?.find((s) => s.id === "Contact");
    expect(contact?.fields?.map((f) => f.id).sort()).toEqual(["Email", "FirstName", "Id"]);
    expect(contact?.fields?.find((f) => f.id === "Email")).toMatchObject({
      obfuscate: true,
      outputName: "email",
    });
    expect(outs.status).toBeUndefined();
    const stored = emulator.state.bulkSyncs.get(id);
    expect(stored?.additional_schedules[0]).toMatchObject({ frequency: "weekly", resync_mode: "resync" });
  });

  it("no diff after create, nor after a refresh, though Polytomic added schemas and fields of its own", async () => {
    expect(await provider().diff(id, outs, toS3())).toMatchObject({ changes: false });
    emulator.addSourceSchema(salesforce, { id: "Lead", fields: [{ name: "Id" }] });
    emulator.addSourceField(salesforce, "Contact", { name: "Department" });
    const read = await provider().read(id, outs);
    expect((read.props as BulkSyncOutputs).selectedSchemas?.map((s) => s.id)).toContain("Lead");
    expect(read.props?.schemas).toEqual(outs.schemas);
    expect(await provider().diff(id, read.props as BulkSyncOutputs, toS3())).toMatchObject({
      changes: false,
    });
    expect(read.inputs).not.toHaveProperty("selectedSchemas");
  });

  it("a change outside Pulumi shows on refresh (a schema disabled, a field disabled, a filter cleared), diffs, and converges", async () => {
    await api.bulkSyncs.patchSchemas(id, [
      { id: "Account", enabled: false },
      {
        id: "Contact",
        fields: [
          { id: "Id", enabled: true },
          { id: "Email", enabled: true, obfuscated: true },
        ],
      },
    ]);
    const read = await provider().read(id, outs);
    expect(read.props?.schemas).toEqual([
      { id: "Account", enabled: false },
      {
        id: "Contact",
        fields: ["Id", { id: "FirstName", enabled: false }, { id: "Email", obfuscate: true }],
        filters: [],
      },
    ]);
    const diff = await provider().diff(id, read.props as BulkSyncOutputs, toS3());
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider().update(id, read.props as BulkSyncOutputs, toS3());
    const again = await provider().read(id, updated.outs as BulkSyncOutputs);
    expect(again.props?.schemas).toEqual(normalizedSchemas());
    expect(await provider().diff(id, again.props as BulkSyncOutputs, toS3())).toMatchObject({
      changes: false,
    });
  });

  it("updates schemas and schedules in place; user output names go through the schema endpoint", async () => {
    const news = toS3({
      schemas: [
        {
          id: "Opportunity",
          userOutputName: "deals",
          fields: [{ id: "Amount", userOutputName: "value" }, "Id"],
        },
      ],
      additionalSchedules: [],
      defaultSchedule: { frequency: "hourly", minute: "30" },
    });
    expect((await provider().diff(id, outs, news)).changes).toBe(true);
    const updated = await provider().update(id, outs, news);
    const stored = emulator.state.bulkSyncs.get(id);
    expect(stored?.additional_schedules).toEqual([]);
    expect(stored?.default_schedule).toMatchObject({ frequency: "hourly", minute: "30" });
    const opportunity = stored?.schemas.find((s) => s.id === "Opportunity");
    expect(opportunity?.user_output_name).toBe("deals");
    expect(opportunity?.fields.find((f) => f.id === "Amount")?.user_output_name).toBe("value");
    expect(stored?.schemas.find((s) => s.id === "Account")?.enabled).toBe(false);
    const read = await provider().read(id, updated.outs as BulkSyncOutputs);
    expect(await provider().diff(id, read.props as BulkSyncOutputs, news)).toMatchObject({ changes: false });
    outs = read.props as BulkSyncOutputs;
  });

  it("reports the run's status after a run", async () => {
    await api.transport.call("POST", `/api/bulk/syncs/${id}/executions`, { body: {} });
    // The emulator's runs go on in the background: wait for this one to end.
    while (emulator.state.bulkSyncs.get(id)?.executions.some((e) => e.status !== "completed")) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await provider().read(id, outs)).props?.status).toBe("completed");
  });

  it("a new source connection is an update in place (a PUT is a full replacement)", async () => {
    const other = await connection(salesforceBody("Salesforce sandbox"));
    const news = toS3({ sourceConnectionId: other, schemas: ["Account"], additionalSchedules: [] });
    expect(await provider().diff(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider().update(id, outs, news);
    expect(emulator.state.bulkSyncs.get(id)?.source_connection_id).toBe(other);
    outs = updated.outs as BulkSyncOutputs;
  });

  it("adopts an existing bulk sync with importId (GET, then PUT), and deletes; 404 is done", async () => {
    const adopted = await provider().create(toS3({ name: "Adopted", importId: id }));
    expect(adopted.id).toBe(id);
    expect(emulator.state.bulkSyncs.get(id)?.name).toBe("Adopted");
    expect(emulator.state.bulkSyncs.size).toBe(1);
    await provider().delete(id, adopted.outs as BulkSyncOutputs);
    expect(emulator.state.bulkSyncs.has(id)).toBe(false);
    await provider().delete(id, adopted.outs as BulkSyncOutputs);
    expect(await provider().read(id, adopted.outs as BulkSyncOutputs)).toEqual({});
  });
});

function normalizedSchemas() {
  return [
    "Account",
    {
      id: "Contact",
      fields: ["Id", "FirstName", { id: "Email", obfuscate: true }],
      filters: [{ function: "StringOneOf", fieldId: "Title", value: ["CTO", "Buyer"] }],
    },
  ];
}

describe("the schema-cache wait", () => {
  it("a create while the source's cache is being built waits and retries, each attempt with a new key", async () => {
    const fresh = await connection(salesforceBody("Fresh"), false);
    const started = Date.now();
    const created = await provider().create(toS3({ sourceConnectionId: fresh, name: "After the wait" }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.state.bulkSyncs.get(created.id)?.name).toBe("After the wait");
    const attempts = posts();
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.slice(0, -1).every((r) => r.status === 400)).toBe(true);
    expect(attempts.at(-1)?.status).toBe(200);
    expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(attempts.length);
    expect([...emulator.state.bulkSyncs.values()].filter((s) => s.name === "After the wait")).toHaveLength(1);
  });

  it("an update during a refresh ('cache refresh in progress') waits too", async () => {
    const { id, outs } = await provider().create(toS3({ name: "To update" }));
    await api.connections.refreshSchema(salesforce);
    const updated = await provider().update(
      id,
      outs as BulkSyncOutputs,
      toS3({ name: "Updated after the refresh" }),
    );
    expect((updated.outs as BulkSyncOutputs).name).toBe("Updated after the refresh");
    const puts = emulator.requests.filter((r) => r.method === "PUT" && r.path === `/api/bulk/syncs/${id}`);
    expect(puts.map((r) => r.status)).toContain(400);
    expect(puts.at(-1)?.status).toBe(200);
    emulator.setSchemaReady(salesforce);
  });

  it("gives up after schemaTimeoutSeconds with a message saying what to do; nothing is created", async () => {
    const slow = await connection(salesforceBody("Slow"), false);
    const error = (await provider()
      .create(toS3({ sourceConnectionId: slow, name: "Never", schemaTimeoutSeconds: 1 }))
      .catch((e) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^creating bulk sync "Never": the schema cache of the source connection/);
    expect(error.message).toContain("did not provide any schemas");
    expect(error.message).toContain("raise schemaTimeoutSeconds (now 1)");
    expect([...emulator.state.bulkSyncs.values()].some((s) => s.name === "Never")).toBe(false);
  });

  it("never retries another 400 or 422", async () => {
    const error = (await provider()
      .create(toS3({ destinationConfiguration: { format: "csv", bukket: "x" } }))
      .catch((e) => e)) as Error;
    expect(error.message).toContain("destination_configuration.bukket");
    expect(posts()).toHaveLength(1);
  });

  it("a failure after the create keeps the object (created but not initialised), never orphaned", async () => {
    emulator.addFault({ method: "GET", path: /\/schemas$/, kind: "status", status: 404, times: 1 });
    const error = (await provider()
      .create(toS3({ name: "Half made" }))
      .catch((e) => e)) as ResourceInitError;
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(emulator.state.bulkSyncs.get(error.id)?.name).toBe("Half made");
    expect(error.properties).toMatchObject({ name: "Half made", __provider: "forwarder-text" });
  });
});

describe("a HubSpot to PostgreSQL bulk sync (the Terraform provider's smoke test)", () => {
  it("creates, reads back without drift, and deletes", async () => {
    const news = {
      name: "Terraform test sync",
      active: false,
      mode: "replicate",
      sourceConnectionId: hubspot,
      destinationConnectionId: postgres,
      destinationConfiguration: { schema: "hubspot_tf" },
      schemas: [{ enabled: true, id: "contacts" }],
      defaultSchedule: { frequency: "manual" },
    } as BulkSyncInputs;
    const created = await provider().create(news);
    const read = await provider().read(created.id, created.outs as BulkSyncOutputs);
    expect(await provider().diff(created.id, read.props as BulkSyncOutputs, news)).toMatchObject({
      changes: false,
    });
    const snapshot = await provider()
      .create({ ...news, mode: "snapshot" })
      .catch((e) => e);
    expect((snapshot as Error).message).toContain("does not support snapshot mode");
    await provider().delete(created.id, created.outs as BulkSyncOutputs);
  });
});

describe("getBulkSource and getBulkDestination", () => {
  beforeAll(() => {
    process.env.POLYTOMIC_API_KEY = API_KEY;
    process.env.POLYTOMIC_DEPLOYMENT_URL = emulator.url;
  });
  afterAll(() => {
    delete process.env.POLYTOMIC_API_KEY;
    delete process.env.POLYTOMIC_DEPLOYMENT_URL;
  });

  it("list a source's schemas and fields (camelCase), so a program can pick them by name", async () => {
    const source = await getBulkSource({ connectionId: hubspot });
    expect(source.schemas.map((s) => s.id)).toEqual(["contacts", "companies"]);
    expect(source.schemas[0]?.fields[0]).toEqual({
      id: "hs_object_id",
      name: "hs_object_id",
      type: "string",
      remoteType: "number",
      isPrimaryKey: true,
    });
    expect(source.supportsTrackingFields).toBe(true);
    expect((await getBulkSource({ connectionId: hubspot, includeFields: false })).schemas[0]?.fields).toEqual(
      [],
    );
  });

  it("describe a destination: settings schema, required settings, modes", async () => {
    const pg = await getBulkDestination({ connectionId: postgres });
    expect(pg.requiredConfiguration).toEqual(["schema"]);
    expect(pg.modes.map((m) => m.id)).toEqual(["replicate"]);
    expect(pg.supportedResyncModes).toEqual(["refetch", "resync", "rebuild"]);
  });

  it("fail with the API's message, naming the connection", async () => {
    await expect(getBulkSource({ connectionId: "missing" })).rejects.toThrow(
      /reading the bulk-sync source schemas of connection missing: GET .* failed \(404\)/,
    );
  });
});
