import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import {
  type ApiClient,
  apiClient,
  gcsConnectionBody,
  readyGcsConnection,
  SERVICE_ACCOUNT,
  sampleModelBody,
  webhookConnectionBody,
} from "../helpers/emulator";

let emu: RunningEmulator;
let api: ApiClient;
let source: string;
let bucketsDir: string;

const SAMPLE_COLUMNS = [
  ["email_address", "string"],
  ["first_name", "string"],
  ["last_name", "string"],
  ["company", "string"],
  ["annual_revenue", "number"],
  ["plan", "string"],
  ["signup_date", "datetime"],
];

beforeAll(async () => {
  // a buckets folder with the sample plus a custom bucket
  bucketsDir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-buckets-"));
  fs.cpSync(path.join(__dirname, "../../data/buckets/sample"), path.join(bucketsDir, "sample"), {
    recursive: true,
  });
  fs.mkdirSync(path.join(bucketsDir, "custom", "exports"), { recursive: true });
  fs.writeFileSync(
    path.join(bucketsDir, "custom", "exports", "flags.csv"),
    "id,active,score,seen_at,note\n1,true,1.5,2024-05-01T10:00:00Z,hello\n2,false,2,2024-05-02T10:00:00Z,\n",
  );
  emu = await startEmulator({ schemaReadyDelayMs: 60_000, bucketsDir });
  api = apiClient(emu);
  source = await readyGcsConnection(api, emu);
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(bucketsDir, { recursive: true, force: true });
});

describe("POST /api/models (GCS)", () => {
  it("builds fields from the sample CSV header with inferred types", async () => {
    const r = await api.post("/api/models", sampleModelBody(source, { identifier: "email_address" }));
    expect(r.status).toBe(200);
    const m = r.body.data;
    expect(m).toMatchObject({
      id: expect.any(String),
      name: "High paying users",
      connection_id: source,
      configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" },
      type: "gcs",
      version: 1,
      identifier: "email_address",
      relations: [],
      tracking_columns: [],
      labels: [],
      policies: [],
      organization_id: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(m.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual(SAMPLE_COLUMNS);
    expect(m.fields[0]).toMatchObject({
      id: expect.any(String),
      name: "email_address",
      label: "email_address",
      remote_type: "string",
      description: "",
      example: "ada.lovelace@example.com",
      unique: false,
      user_added: false,
    });
    expect(m.fields[4].example).toBe(945000);
    expect(new Set(m.fields.map((f: { id: string }) => f.id)).size).toBe(7);
  });

  it("fields restricts, additional_fields append with user_added", async () => {
    const r = await api.post(
      "/api/models",
      sampleModelBody(source, {
        fields: ["email_address", "first_name", "last_name"],
        additional_fields: [{ name: "tier", label: "Tier", type: "string", example: "gold" }],
        tracking_columns: ["email_address"],
      }),
    );
    expect(r.status).toBe(200);
    expect(r.body.data.fields.map((f: { name: string }) => f.name)).toEqual([
      "email_address",
      "first_name",
      "last_name",
      "tier",
    ]);
    expect(r.body.data.fields[3]).toMatchObject({
      label: "Tier",
      type: "string",
      example: "gold",
      user_added: true,
    });
    expect(r.body.data.tracking_columns).toEqual(["email_address"]);
  });

  it("400 with paths for unknown fields, identifier, additional field problems", async () => {
    const r = await api.post(
      "/api/models",
      sampleModelBody(source, {
        fields: ["email_address", "nope"],
        identifier: "missing",
        additional_fields: [{ name: "x" }],
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.metadata.errors.map((e: { path: string }) => e.path)).toEqual([
      "fields[1]",
      "additional_fields[0].label",
      "additional_fields[0].type",
      "identifier",
    ]);
  });

  it("400 when model_from or key is missing, or the key does not exist", async () => {
    const noConfig = await api.post("/api/models", sampleModelBody(source, { configuration: {} }));
    expect(noConfig.status).toBe(400);
    expect(noConfig.body.metadata.errors.map((e: { path: string }) => e.path)).toEqual([
      "configuration.model_from",
      "configuration.key",
    ]);
    const missing = await api.post(
      "/api/models",
      sampleModelBody(source, { configuration: { model_from: "single_file", key: "nope.csv" } }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("nope.csv");
    const outside = await api.post(
      "/api/models",
      sampleModelBody(source, { configuration: { model_from: "single_file", key: "../../package.json" } }),
    );
    expect(outside.status).toBe(400);
  });

  it("reads a named bucket folder (gcs:// form), types booleans, falls back to sample otherwise", async () => {
    const custom = await readyGcsConnection(api, emu, {
      configuration: { service_account: SERVICE_ACCOUNT, bucket: "gcs://custom/exports" },
    });
    const r = await api.post(
      "/api/models",
      sampleModelBody(custom, { configuration: { model_from: "single_file", key: "exports/flags.csv" } }),
    );
    expect(r.status).toBe(200);
    expect(r.body.data.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
      ["id", "number"],
      ["active", "boolean"],
      ["score", "number"],
      ["seen_at", "datetime"],
      ["note", "string"],
    ]);
    expect(r.body.data.fields[1].example).toBe(true);
    // multi_file_archive: a folder key reads its first CSV
    const multi = await api.post(
      "/api/models",
      sampleModelBody(custom, { configuration: { model_from: "multi_file_archive", key: "exports" } }),
    );
    expect(multi.status).toBe(200);
    expect(multi.body.data.fields).toHaveLength(5);
    // the sample file is not in this bucket
    expect((await api.post("/api/models", sampleModelBody(custom))).status).toBe(400);
    // bucket "my-bucket" has no folder: the sample is used
    expect((await api.post("/api/models", sampleModelBody(source))).status).toBe(200);
  });

  it("rejected with 400 'cache refresh in progress' while the schema cache refreshes", async () => {
    const fresh = (await api.post("/api/connections", gcsConnectionBody())).body.data.id;
    const r = await api.post("/api/models", sampleModelBody(fresh));
    expect(r.status).toBe(400);
    expect(r.body.key).toBe("cache_refresh_in_progress");
    expect(r.body.message).toContain("cache refresh in progress");
    emu.setSchemaReady(fresh);
    expect((await api.post("/api/models", sampleModelBody(fresh))).status).toBe(200);
  });

  it("400 for missing or non-source connections and missing required fields", async () => {
    const hook = (await api.post("/api/connections", webhookConnectionBody())).body.data.id;
    const notSource = await api.post("/api/models", sampleModelBody(hook));
    expect(notSource.status).toBe(400);
    expect(notSource.body.message).toContain("cannot be a model source");
    const missing = await api.post("/api/models", sampleModelBody("00000000-0000-4000-8000-000000000000"));
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("not found");
    const noName = await api.post("/api/models", { connection_id: source, configuration: {} });
    expect(noName.status).toBe(400);
    expect(noName.body.message).toContain("name");
  });

  it("other source types: requested field names become string fields", async () => {
    const pg = await api.post("/api/connections", {
      name: "pg",
      type: "postgresql",
      configuration: {
        hostname: "db.example.com",
        database: "app",
        username: "u",
        password: "p",
        port: 5432,
      },
    });
    expect(pg.status).toBe(200);
    emu.setSchemaReady(pg.body.data.id);
    const m = await api.post("/api/models", {
      name: "users",
      connection_id: pg.body.data.id,
      configuration: { query: "select id, email from users" },
      fields: ["id", "email"],
    });
    expect(m.status).toBe(200);
    expect(m.body.data.type).toBe("postgresql");
    expect(m.body.data.fields.map((f: { name: string }) => f.name)).toEqual(["id", "email"]);
  });
});

describe("GET/PUT/DELETE /api/models/{id}", () => {
  it("gets, lists, replaces (version + 1, stable field ids), deletes", async () => {
    const created = (await api.post("/api/models", sampleModelBody(source))).body.data;
    const got = await api.get(`/api/models/${created.id}`);
    expect(got.body.data).toEqual(created);
    expect((await api.get("/api/models")).body.data.some((m: { id: string }) => m.id === created.id)).toBe(
      true,
    );

    const put = await api.put(
      `/api/models/${created.id}`,
      sampleModelBody(source, { name: "Renamed", fields: ["email_address", "plan"], labels: ["l-1"] }),
    );
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      name: "Renamed",
      version: 2,
      labels: [{ id: "l-1" }],
      identifier: null,
    });
    const idOf = (m: { fields: { name: string; id: string }[] }, name: string) =>
      m.fields.find((f) => f.name === name)?.id;
    expect(idOf(put.body.data, "email_address")).toBe(idOf(created, "email_address"));
    expect(idOf(put.body.data, "plan")).toBe(idOf(created, "plan"));
    expect(put.body.data.created_at).toBe(created.created_at);

    const again = await api.put(`/api/models/${created.id}`, sampleModelBody(source));
    expect(again.body.data.version).toBe(3);
    expect(again.body.data.name).toBe("High paying users");

    const del = await api.del(`/api/models/${created.id}`);
    expect(del.status).toBe(200);
    expect((await api.get(`/api/models/${created.id}`)).status).toBe(404);
    expect((await api.del(`/api/models/${created.id}`)).status).toBe(404);
    expect((await api.put(`/api/models/${created.id}`, sampleModelBody(source))).status).toBe(404);
  });

  it("422 when PUT changes connection_id", async () => {
    const created = (await api.post("/api/models", sampleModelBody(source))).body.data;
    const other = await readyGcsConnection(api, emu);
    const r = await api.put(`/api/models/${created.id}`, sampleModelBody(other));
    expect(r.status).toBe(422);
    expect(r.body.message).toContain("connection_id");
  });

  it("?async=true answers with a finished job, pollable at /api/jobs/{type}/{id}", async () => {
    const r = await api.post("/api/models?async=true", sampleModelBody(source));
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBeDefined();
    expect(r.body.job).toEqual({
      job_id: expect.any(String),
      type: "createmodel",
      status: "done",
      result: null,
      error: null,
    });
    const job = await api.get(`/api/jobs/createmodel/${r.body.job.job_id}`);
    expect(job.status).toBe(200);
    expect(job.body.data).toEqual(r.body.job);
    expect((await api.get(`/api/jobs/updatemodel/${r.body.job.job_id}`)).status).toBe(404);
    const put = await api.put(`/api/models/${r.body.data.id}?async=true`, sampleModelBody(source));
    expect(put.body.job.type).toBe("updatemodel");
  });
});
