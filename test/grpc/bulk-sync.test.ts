/**
 * BulkSync through the real dynamic-provider gRPC server (`@pulumi/pulumi/cmd/dynamic-provider`), with the packed
 * tarball installed in a program folder: create, read, no diff after create and refresh, an out-of-band change
 * that shows and converges, updates of schemas and schedules, delete, the cache-refresh wait, and adoption.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { PROGRAM_DIR } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";
import { API_KEY } from "../helpers/sa";
import { serializedProvider } from "../helpers/serialize";

type Json = Record<string, unknown>;

const urn = (name: string) => `urn:pulumi:dev::bulk::pulumi-nodejs:dynamic/polytomic:BulkSync::${name}`;
const DIFF_NONE = 1;
const DIFF_SOME = 2;

let emulator: RunningEmulator;
let server: ProviderServer;
let api: PolytomicClient;
let provider: string;
let salesforce: string;
let s3: string;

async function connection(body: Json, ready = true): Promise<string> {
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
  api = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  salesforce = await connection(salesforceBody("Salesforce"));
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
  provider = await serializedProvider("BulkSync");
  server = await startProviderServer(PROGRAM_DIR, "bulk", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
});

afterAll(async () => {
  server?.close();
  await emulator?.close();
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
});

const news = (over: Json = {}): Json => ({
  name: "Salesforce to S3",
  sourceConnectionId: salesforce,
  destinationConnectionId: s3,
  destinationConfiguration: { format: "csv" },
  mode: "snapshot",
  schemas: [
    "Account",
    {
      id: "Contact",
      fields: ["Id", "Email", { id: "Phone", obfuscate: true }],
      filters: [{ function: "RelativeOnOrAfter", fieldId: "CreatedDate", value: "48 hours ago" }],
    },
  ],
  defaultSchedule: { frequency: "daily", hour: 5, minute: 0 },
  automaticallyAddNewObjects: "all",
  schemaTimeoutSeconds: 30,
  __provider: provider,
  ...over,
});

describe("BulkSync through the provider server", () => {
  it("has a small __provider that loads the installed package", () => {
    expect(Buffer.byteLength(provider)).toBeLessThanOrEqual(4096);
    expect(provider).toContain('require("pulumi-polytomic/provider")');
    expect(provider).toContain('"BulkSync"');
  });

  it("Check names the broken properties and passes good inputs through", async () => {
    const bad = await server.check(
      urn("bad"),
      {},
      news({ mode: "mirror", schemas: [{ id: "Contact", fields: [] }] }),
    );
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["mode", "schemas[0].fields"]);
    const good = await server.check(urn("good"), {}, news());
    expect(good.failures).toEqual([]);
    expect(good.inputs.__provider).toBe(provider);
  });

  it("the lifecycle: create, no diff after create and refresh, drift shows and converges, updates, delete", async () => {
    const u = urn("lifecycle");
    const created = await server.create(u, news());
    expect(created.props).toMatchObject({
      name: "Salesforce to S3",
      defaultSchedule: { frequency: "daily", hour: "05", minute: "00" },
      selectedSchemas: [{ id: "Account" }, { id: "Contact" }],
      __provider: provider,
    });
    expect((await server.diff(u, created.id, created.props, news())).changes).toBe(DIFF_NONE);

    // Polytomic grows the source; the sync adds what it finds: no diff after a refresh.
    emulator.addSourceSchema(salesforce, { id: "Campaign", fields: [{ name: "Id" }, { name: "Name" }] });
    emulator.addSourceField(salesforce, "Contact", { name: "MobilePhone" });
    const refreshed = await server.read(u, created.id, created.props, news());
    expect(refreshed.props.schemas).toEqual(created.props.schemas);
    expect((refreshed.props.selectedSchemas as { id: string }[]).map((s) => s.id)).toContain("Campaign");
    expect(refreshed.inputs).not.toHaveProperty("selectedSchemas");
    expect((await server.diff(u, created.id, refreshed.props, news())).changes).toBe(DIFF_NONE);

    // A change outside Pulumi: Account disabled, Contact's Email disabled.
    await api.bulkSyncs.patchSchemas(created.id, [
      { id: "Account", enabled: false },
      {
        id: "Contact",
        fields: [
          { id: "Id", enabled: true },
          { id: "Email", enabled: false },
          { id: "Phone", enabled: true, obfuscated: true },
        ],
        filters: [{ function: "RelativeOnOrAfter", field_id: "CreatedDate", value: "48 hours ago" }],
      },
    ]);
    const drifted = await server.read(u, created.id, refreshed.props, news());
    expect(drifted.props.schemas).toEqual([
      { id: "Account", enabled: false },
      {
        id: "Contact",
        fields: ["Id", { id: "Email", enabled: false }, { id: "Phone", obfuscate: true }],
        filters: [{ function: "RelativeOnOrAfter", fieldId: "CreatedDate", value: "48 hours ago" }],
      },
    ]);
    const diff = await server.diff(u, created.id, drifted.props, news());
    expect(diff).toMatchObject({ changes: DIFF_SOME, replaces: [] });
    const converged = await server.update(u, created.id, drifted.props, news());
    const after = await server.read(u, created.id, converged.props, news());
    expect((await server.diff(u, created.id, after.props, news())).changes).toBe(DIFF_NONE);
    expect(emulator.state.bulkSyncs.get(created.id)?.schemas.find((s) => s.id === "Account")?.enabled).toBe(
      true,
    );

    // Updates of schemas and schedules, in place.
    const next = news({
      schemas: ["Opportunity", { id: "Contact", fields: ["Id"], userOutputName: "people" }],
      additionalSchedules: [{ frequency: "weekly", dayOfWeek: "sunday", hour: 1, resyncMode: "resync" }],
    });
    expect(await server.diff(u, created.id, after.props, next)).toMatchObject({
      changes: DIFF_SOME,
      replaces: [],
    });
    const updated = await server.update(u, created.id, after.props, next);
    const stored = emulator.state.bulkSyncs.get(created.id);
    expect(stored?.additional_schedules[0]).toMatchObject({
      frequency: "weekly",
      hour: "01",
      resync_mode: "resync",
    });
    expect(stored?.schemas.find((s) => s.id === "Contact")?.user_output_name).toBe("people");
    const reread = await server.read(u, created.id, updated.props, next);
    expect((await server.diff(u, created.id, reread.props, next)).changes).toBe(DIFF_NONE);

    await server.delete(u, created.id, updated.props);
    expect(emulator.state.bulkSyncs.has(created.id)).toBe(false);
    expect((await server.read(u, created.id, updated.props)).id).toBe("");
    await server.delete(u, created.id, updated.props);
  });

  it("waits out the source's schema cache (new keys per attempt), then creates once", async () => {
    const fresh = await connection(salesforceBody("Fresh Salesforce"), false);
    const created = await server.create(urn("fresh"), news({ name: "Fresh", sourceConnectionId: fresh }));
    const posts = emulator.requests.filter((r) => r.method === "POST" && r.path === "/api/bulk/syncs");
    expect(posts.map((r) => r.status).slice(-1)).toEqual([200]);
    expect(posts.filter((r) => r.status === 400).length).toBeGreaterThanOrEqual(1);
    expect(new Set(posts.map((r) => r.idempotencyKey)).size).toBe(posts.length);
    expect([...emulator.state.bulkSyncs.values()].filter((s) => s.name === "Fresh")).toHaveLength(1);
    await server.delete(urn("fresh"), created.id, created.props);
  });

  it("adopts an existing bulk sync with importId", async () => {
    const existing = await api.bulkSyncs.create({
      name: "Made by hand",
      source_connection_id: salesforce,
      destination_connection_id: s3,
      destination_configuration: { format: "json" },
      default_schedule: { frequency: "manual" },
      mode: "replicate",
    });
    const adopted = await server.create(urn("adopted"), news({ importId: existing.id }));
    expect(adopted.id).toBe(existing.id);
    expect(emulator.state.bulkSyncs.get(existing.id)).toMatchObject({
      name: "Salesforce to S3",
      mode: "snapshot",
    });
    const read = await server.read(
      urn("adopted"),
      adopted.id,
      adopted.props,
      news({ importId: existing.id }),
    );
    expect(
      (await server.diff(urn("adopted"), adopted.id, read.props, news({ importId: existing.id }))).changes,
    ).toBe(DIFF_NONE);
    await server.delete(urn("adopted"), adopted.id, adopted.props);
  });
});
