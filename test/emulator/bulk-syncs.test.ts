import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { SourceCatalog } from "../../src/emulator/catalog";
import { parseCliArgs } from "../../src/emulator/cli";
import { type ApiClient, apiClient, gcsConnectionBody } from "../helpers/emulator";

/** The emulator's bulk syncs: metadata, the schema-cache answers, validation, schemas, discovery, schedules, runs. */

let emu: RunningEmulator;
let api: ApiClient;
let salesforce: string;
let postgres: string;
let s3: string;
let webhook: string;

const salesforceBody = (name = "Salesforce") => ({
  name,
  type: "salesforce",
  configuration: { domain: "https://example.my.salesforce.com", client_id: "id", client_secret: "secret" },
});
const postgresBody = {
  name: "Warehouse",
  type: "postgresql",
  configuration: { hostname: "db", username: "u", password: "p", database: "d", port: 5432 },
};
const s3Body = {
  name: "Lake",
  type: "s3",
  configuration: {
    auth_mode: "access_key_and_secret",
    aws_access_key_id: "AKIA",
    aws_secret_access_key: "secret",
    s3_bucket_region: "us-east-1",
    s3_bucket_name: "sample",
  },
};

async function connection(body: unknown): Promise<string> {
  const r = await api.post("/api/connections", body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.id;
}

const bulkBody = (over: Record<string, unknown> = {}) => ({
  name: "Salesforce to S3",
  source_connection_id: salesforce,
  destination_connection_id: s3,
  destination_configuration: { format: "csv", subfolder: "salesforce" },
  mode: "snapshot",
  default_schedule: { frequency: "daily", hour: "05", minute: "00" },
  ...over,
});
const paths = (r: { body: { metadata?: { errors?: { path: string }[] } } }) =>
  (r.body.metadata?.errors ?? []).map((e) => e.path).sort();

beforeAll(async () => {
  emu = await startEmulator({ schemaReadyDelayMs: 60_000, executionDelayMs: 0 });
  api = apiClient(emu);
  salesforce = await connection(salesforceBody());
  postgres = await connection(postgresBody);
  s3 = await connection(s3Body);
  webhook = await connection({
    name: "hook",
    type: "webhook",
    configuration: { url: "https://example.com/h", auth_method: "polytomic_secret" },
  });
  for (const id of [salesforce, postgres, s3]) emu.setSchemaReady(id);
});
afterAll(() => emu.close());

describe("GET /api/connections/{id}/bulksync/source and /target", () => {
  it("lists the catalog's schemas with their fields for a Salesforce connection", async () => {
    const r = await api.get(`/api/connections/${salesforce}/bulksync/source`);
    expect(r.status).toBe(200);
    expect(r.body.data.schemas.map((s: { id: string }) => s.id)).toEqual([
      "Account",
      "Contact",
      "Opportunity",
    ]);
    expect(r.body.data.schemas[1].fields[0]).toMatchObject({
      id: "Id",
      name: "Id",
      type: "string",
      remote_type: "id",
      is_primary_key: true,
    });
    expect(r.body.data.capabilities).toEqual({ supports_tracking_fields: true });
    const bare = await api.get(`/api/connections/${salesforce}/bulksync/source?include_fields=false`);
    expect(bare.body.data.schemas[0].fields).toEqual([]);
  });

  it("lists a bucket's CSV files, fields from their header rows (S3 and GCS alike)", async () => {
    const r = await api.get(`/api/connections/${s3}/bulksync/source`);
    expect(r.body.data.schemas).toEqual([
      expect.objectContaining({
        id: "high_paying_users.csv",
        fields: expect.arrayContaining([expect.objectContaining({ id: "email_address", type: "string" })]),
      }),
    ]);
  });

  it("describes destinations: settings as a JSON Schema, modes (snapshot only for storage)", async () => {
    const pg = (await api.get(`/api/connections/${postgres}/bulksync/target`)).body.data;
    expect(pg.configuration).toMatchObject({
      required: ["schema"],
      properties: { schema: { type: "string" } },
    });
    expect(pg.modes.map((m: { id: string }) => m.id)).toEqual(["replicate"]);
    const lake = (await api.get(`/api/connections/${s3}/bulksync/target`)).body.data;
    expect(lake.modes.map((m: { id: string }) => m.id)).toEqual(["replicate", "snapshot"]);
    expect((await api.get(`/api/connections/${webhook}/bulksync/target`)).status).toBe(400);
  });
});

describe("POST /api/bulk/syncs while the source's schema cache is not ready", () => {
  it("answers 400 'did not provide any schemas' while a new connection's cache is built, then 'cache refresh in progress' during a refresh", async () => {
    const fresh = await connection(salesforceBody("Fresh Salesforce"));
    const first = await api.post("/api/bulk/syncs", bulkBody({ source_connection_id: fresh }));
    expect(first.status).toBe(400);
    expect(first.body.message).toContain("did not provide any schemas");
    expect((await api.get(`/api/connections/${fresh}/bulksync/source`)).body.data.schemas).toEqual([]);
    emu.setSchemaReady(fresh);
    expect((await api.post("/api/bulk/syncs", bulkBody({ source_connection_id: fresh }))).status).toBe(200);
    expect((await api.post(`/api/connections/${fresh}/schemas/refresh`)).status).toBe(202);
    const later = await api.post("/api/bulk/syncs", bulkBody({ source_connection_id: fresh }));
    expect(later.status).toBe(400);
    expect(later.body).toMatchObject({ key: "cache_refresh_in_progress", status: 400 });
    expect(later.body.message).toContain("cache refresh in progress");
  });

  it("answers 422 for a body that is wrong anyway, before looking at the cache", async () => {
    const fresh = await connection(salesforceBody("Fresh again"));
    const r = await api.post("/api/bulk/syncs", bulkBody({ source_connection_id: fresh, mode: "mirror" }));
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual(["mode"]);
  });
});

describe("POST /api/bulk/syncs", () => {
  it("creates a bulk sync: the body without schemas, defaults filled in, schedules with ids", async () => {
    const r = await api.post(
      "/api/bulk/syncs",
      bulkBody({
        schemas: ["Account", { id: "Contact", fields: ["Id", { id: "Email", obfuscate: true }] }],
        additional_schedules: [
          { frequency: "weekly", day_of_week: "sunday", hour: "01", resync_mode: "resync" },
        ],
        active: true,
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const s = r.body.data;
    expect(s).not.toHaveProperty("schemas");
    expect(s).toMatchObject({
      name: "Salesforce to S3",
      mode: "snapshot",
      active: true,
      automatically_add_new_fields: "all",
      automatically_add_new_objects: "none",
      normalize_names: "enabled",
      disable_record_timestamps: false,
      data_cutoff_timestamp: null,
      concurrency_limit: null,
      policies: [],
      default_schedule: { id: expect.any(String), frequency: "daily", hour: "05", minute: "00" },
      additional_schedules: [
        {
          frequency: "weekly",
          day_of_week: "sunday",
          resync_mode: "resync",
          selective_mode: "none",
          schemas: [],
        },
      ],
      created_by: { type: "user" },
    });
    expect(s.default_schedule).not.toHaveProperty("resync_mode");

    const list = (await api.get(`/api/bulk/syncs/${s.id}/schemas`)).body.data;
    expect(list.map((x: { id: string; enabled: boolean }) => [x.id, x.enabled])).toEqual([
      ["Account", true],
      ["Contact", true],
      ["Opportunity", false],
    ]);
    expect(list[0]).not.toHaveProperty("fields");
    expect(list[0]).toMatchObject({
      output_name: "account",
      tracking_field: "SystemModstamp",
      partition_key: "",
    });
    const contact = (await api.get(`/api/bulk/syncs/${s.id}/schemas/Contact`)).body.data;
    const byId = Object.fromEntries(contact.fields.map((f: { id: string }) => [f.id, f]));
    expect(byId.Id).toMatchObject({ enabled: true, obfuscated: false, output_name: "id" });
    expect(byId.Email).toMatchObject({ enabled: true, obfuscated: true });
    expect(byId.FirstName).toMatchObject({ enabled: false, output_name: "first_name" });
    expect((await api.get(`/api/bulk/syncs/${s.id}/schemas/Nope`)).status).toBe(404);
    const enabled = await api.get(
      `/api/bulk/syncs/${s.id}/schemas?filters=${encodeURIComponent('{"enabled":"false"}')}`,
    );
    expect(enabled.body.data.map((x: { id: string }) => x.id)).toEqual(["Opportunity"]);
  });

  it("400 names every missing required field", async () => {
    const r = await api.post("/api/bulk/syncs", { name: "x" });
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual([
      "default_schedule",
      "destination_configuration",
      "destination_connection_id",
      "mode",
      "source_connection_id",
    ]);
  });

  it("422 names each problem by its path", async () => {
    const r = await api.post(
      "/api/bulk/syncs",
      bulkBody({
        destination_connection_id: postgres,
        destination_configuration: { schemaa: "x" },
        automatically_add_new_objects: "some",
        concurrency_limit: 0,
        data_cutoff_timestamp: "yesterday",
        default_schedule: { frequency: "daily", hour: "25", resync_mode: "normal" },
        additional_schedules: [{ frequency: "sometimes", selective_mode: "x" }],
      }),
    );
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual([
      "additional_schedules[0].frequency",
      "additional_schedules[0].selective_mode",
      "automatically_add_new_objects",
      "concurrency_limit",
      "data_cutoff_timestamp",
      "default_schedule.hour",
      "default_schedule.resync_mode",
      "destination_configuration.schema",
      "destination_configuration.schemaa",
      "mode",
    ]);
    expect(r.body.message).toContain("postgresql destination does not support snapshot mode");
  });

  it("422 names unknown schemas, fields, filter functions and settings the sync body cannot carry", async () => {
    const r = await api.post(
      "/api/bulk/syncs",
      bulkBody({
        schemas: [
          "Lead",
          {
            id: "Contact",
            fields: ["Id", "Nope", { id: "Email", obfuscated: true }],
            filters: [
              { function: "Like", field_id: "Email" },
              { function: "IsNull", field_id: "Nope" },
            ],
            user_output_name: "people",
            partition_key: "Nope",
          },
          "Contact",
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual([
      "schemas[0]",
      "schemas[1].fields[1]",
      "schemas[1].fields[2].obfuscated",
      "schemas[1].filters[0].function",
      "schemas[1].filters[1].field_id",
      "schemas[1].partition_key",
      "schemas[1].user_output_name",
      "schemas[2]",
    ]);
  });
});

describe("a bulk sync's life", () => {
  let id: string;
  beforeAll(async () => {
    const r = await api.post(
      "/api/bulk/syncs",
      bulkBody({
        name: "HubSpot-like life",
        destination_connection_id: postgres,
        destination_configuration: { schema: "salesforce" },
        mode: "replicate",
        schemas: [{ id: "Account", fields: ["Id", "Name"] }],
        automatically_add_new_objects: "all",
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    id = r.body.data.id;
  });

  it("discovers new schemas and fields as the source grows, per the sync's settings", async () => {
    emu.addSourceSchema(salesforce, {
      id: "Lead",
      trackingField: "SystemModstamp",
      fields: [{ name: "Id", primaryKey: true }, { name: "Email" }],
    });
    emu.addSourceField(salesforce, "Account", { name: "Website", type: "string", remoteType: "url" });
    const list = (await api.get(`/api/bulk/syncs/${id}/schemas`)).body.data;
    expect(list.find((s: { id: string }) => s.id === "Lead")).toMatchObject({
      enabled: true,
      output_name: "lead",
    });
    const account = (await api.get(`/api/bulk/syncs/${id}/schemas/Account`)).body.data;
    expect(account.fields.find((f: { id: string }) => f.id === "Website")).toMatchObject({ enabled: true });
    expect(account.fields.find((f: { id: string }) => f.id === "Industry")).toMatchObject({ enabled: false });
    // The connection's source shows the additions too.
    const source = (await api.get(`/api/connections/${salesforce}/bulksync/source`)).body.data;
    expect(source.schemas.map((s: { id: string }) => s.id)).toContain("Lead");
  });

  it("PATCH …/schemas changes only the schemas listed (user output names too); PUT one replaces it", async () => {
    const patched = await api.call("PATCH", `/api/bulk/syncs/${id}/schemas`, {
      schemas: [
        { id: "Account", user_output_name: "companies", fields: [{ id: "Id", user_output_name: "sf_id" }] },
      ],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const account = (await api.get(`/api/bulk/syncs/${id}/schemas/Account`)).body.data;
    expect(account.user_output_name).toBe("companies");
    expect(
      account.fields.filter((f: { enabled: boolean }) => f.enabled).map((f: { id: string }) => f.id),
    ).toEqual(["Id"]);
    expect(account.fields[0]).toMatchObject({ id: "Id", user_output_name: "sf_id" });
    const lead = (await api.get(`/api/bulk/syncs/${id}/schemas/Lead`)).body.data;
    expect(lead.enabled).toBe(true);

    const put = await api.put(`/api/bulk/syncs/${id}/schemas/Lead`, { enabled: false });
    expect(put.body.data).toMatchObject({ id: "Lead", enabled: false, user_output_name: "" });
    const bad = await api.call("PATCH", `/api/bulk/syncs/${id}/schemas`, { schemas: [{ id: "Nope" }] });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(["schemas[0].id"]);
  });

  it("a PUT of the sync replaces it: schemas not listed are disabled, user output names kept", async () => {
    const r = await api.put(
      `/api/bulk/syncs/${id}`,
      bulkBody({
        name: "Renamed",
        destination_connection_id: postgres,
        destination_configuration: { schema: "salesforce" },
        mode: "replicate",
        schemas: [{ id: "Account", fields: ["Id", "Name", "Website"] }, "Contact"],
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({ name: "Renamed", automatically_add_new_objects: "none" });
    const list = (await api.get(`/api/bulk/syncs/${id}/schemas`)).body.data;
    expect(list.filter((s: { enabled: boolean }) => s.enabled).map((s: { id: string }) => s.id)).toEqual([
      "Account",
      "Contact",
    ]);
    expect(list.find((s: { id: string }) => s.id === "Account").user_output_name).toBe("companies");
  });

  it("the schedules sub-resource: camelCase, the same records as default_schedule and additional_schedules", async () => {
    const added = await api.post(`/api/bulk/syncs/${id}/schedules`, {
      schedule: { frequency: "weekly", dayOfWeek: "monday", hour: "02", selectiveMode: "incrementalFields" },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.data).toMatchObject({
      isDefault: false,
      syncMode: "normal",
      selectiveMode: "incrementalFields",
    });
    const all = (await api.get(`/api/bulk/syncs/${id}/schedules`)).body.data;
    expect(all.map((s: { isDefault: boolean; frequency: string }) => [s.isDefault, s.frequency])).toEqual([
      [true, "daily"],
      [false, "weekly"],
    ]);
    const sync = (await api.get(`/api/bulk/syncs/${id}`)).body.data;
    expect(sync.additional_schedules[0]).toMatchObject({ id: added.body.data.id, day_of_week: "monday" });
    const put = await api.put(`/api/bulk/syncs/${id}/schedules/${all[0].id}`, {
      schedule: { frequency: "hourly", minute: "15" },
    });
    expect(put.body.data).toMatchObject({
      id: all[0].id,
      isDefault: true,
      frequency: "hourly",
      minute: "15",
      hour: "",
    });
    const undeletable = await api.del(`/api/bulk/syncs/${id}/schedules/${all[0].id}`);
    expect(undeletable.status).toBe(400);
    expect((await api.del(`/api/bulk/syncs/${id}/schedules/${added.body.data.id}`)).status).toBe(200);
    expect((await api.get(`/api/bulk/syncs/${id}`)).body.data.additional_schedules).toEqual([]);
  });

  it("runs end completed, counting the sample rows; the legacy resync flag is refused", async () => {
    const run = await api.post(`/api/bulk/syncs/${id}/executions`, {});
    expect(run.body.data).toMatchObject({ status: "created" });
    // The run goes on in the background (test/emulator/bulk-runs.test.ts).
    let done = run.body.data;
    while (done.status !== "completed") {
      await new Promise((r) => setTimeout(r, 5));
      done = (await api.get(`/api/bulk/syncs/${id}/executions/${run.body.data.id}`)).body.data;
    }
    expect(done).toMatchObject({ status: "completed", record_count: 2 + 3 });
    const status = (await api.get(`/api/bulk/syncs/${id}/status`)).body.data;
    expect(status.last_execution.id).toBe(run.body.data.id);
    expect((await api.post(`/api/bulk/syncs/${id}/executions`, { resync: true })).status).toBe(400);
    expect((await api.get(`/api/bulk/syncs/${id}/executions/${run.body.data.id}`)).body.data.id).toBe(
      run.body.data.id,
    );
  });

  it("lists, activates, and blocks the deletion of its connections until deleted or forced", async () => {
    expect((await api.get("/api/bulk/syncs")).body.data.some((s: { id: string }) => s.id === id)).toBe(true);
    expect((await api.post(`/api/bulk/syncs/${id}/activate`, { active: false })).body.data).toEqual({
      id,
      active: false,
    });
    const inUse = await api.del(`/api/connections/${postgres}`);
    expect(inUse.status).toBe(422);
    expect(inUse.body.metadata.used_by).toContainEqual({ type: "bulk_sync", name: "Renamed", id });
    expect((await api.del(`/api/bulk/syncs/${id}`)).status).toBe(200);
    expect((await api.get(`/api/bulk/syncs/${id}`)).status).toBe(404);
    expect((await api.del(`/api/bulk/syncs/${id}`)).status).toBe(404);
  });
});

describe("the source catalog", () => {
  it("gives a model over a catalog table its fields (a field it lacks is a 400)", async () => {
    const m = await api.post("/api/models", {
      name: "users",
      connection_id: postgres,
      configuration: { table: "public.users" },
      fields: ["email", "first_name"],
    });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(
      m.body.data.fields.map((f: { name: string; remote_type: string }) => [f.name, f.remote_type]),
    ).toEqual([
      ["email", "text"],
      ["first_name", "text"],
    ]);
    const bad = await api.post("/api/models", {
      name: "users",
      connection_id: postgres,
      configuration: { table: "public.users" },
      fields: ["emial"],
    });
    expect(bad.status).toBe(400);
  });

  it("is read from --catalog FILE / the catalog option, and a wrong one is refused naming the problem", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalog-"));
    const file = path.join(dir, "catalog.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        connections: { "My Salesforce": { schemas: [{ id: "Case", fields: [{ name: "Id" }] }] } },
      }),
    );
    expect(parseCliArgs(["--catalog", file], {}).catalog).toBe(file);
    const other = await startEmulator({ catalog: file, schemaReadyDelayMs: 0 });
    try {
      const client = apiClient(other);
      const named = (await client.post("/api/connections", salesforceBody("My Salesforce"))).body.data.id;
      const source = (await client.get(`/api/connections/${named}/bulksync/source`)).body.data;
      expect(source.schemas.map((s: { id: string }) => s.id)).toEqual(["Case"]);
      // Another Salesforce connection: neither its name nor its type is in this catalog.
      const plain = (await client.post("/api/connections", salesforceBody("Other"))).body.data.id;
      expect((await client.get(`/api/connections/${plain}/bulksync/source`)).status).toBe(400);
      // A GCS bucket needs no catalog.
      const gcs = (await client.post("/api/connections", gcsConnectionBody())).body.data.id;
      expect((await client.get(`/api/connections/${gcs}/bulksync/source`)).body.data.schemas).toHaveLength(1);
    } finally {
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(
      () => new SourceCatalog({ connectionTypes: { x: { schemas: [{ id: "A", fields: [] }] } } }),
    ).toThrow(/connectionTypes\.x\.schemas\.0\.fields/);
  });
});
