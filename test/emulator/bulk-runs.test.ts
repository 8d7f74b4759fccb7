import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { parseCsv } from "../../src/emulator/csv";
import { type ApiClient, apiClient, sleep } from "../helpers/emulator";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";

/**
 * Bulk-sync runs move rows: a bucket destination gets files in the buckets folder (a temporary copy here; data/ is
 * never written), other destinations record what they would have written; the run goes through its statuses and
 * can be canceled between schemas.
 */

const ROOT = path.join(__dirname, "../..");
const SAMPLE_CSV = path.join(ROOT, "data/buckets/sample/high_paying_users.csv");

let emu: RunningEmulator;
let api: ApiClient;
let bucketsDir: string;
let gcsSource: string;
let s3Lake: string;
let salesforce: string;
let postgres: string;

async function connection(body: unknown, ready = true): Promise<string> {
  const r = await api.post("/api/connections", body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  if (ready && r.body.data.configuration !== undefined) {
    try {
      emu.setSchemaReady(r.body.data.id);
    } catch {
      // a type without a schema cache
    }
  }
  return r.body.data.id;
}

const s3Body = (bucket: string) => ({
  name: `Lake ${bucket}`,
  type: "s3",
  configuration: {
    auth_mode: "access_key_and_secret",
    aws_access_key_id: "AKIA",
    aws_secret_access_key: "secret",
    s3_bucket_region: "us-east-1",
    s3_bucket_name: bucket,
  },
});

async function bulkSync(over: Record<string, unknown>): Promise<string> {
  const r = await api.post("/api/bulk/syncs", {
    name: "bulk",
    source_connection_id: gcsSource,
    destination_connection_id: s3Lake,
    destination_configuration: { format: "csv", subfolder: "exports" },
    mode: "replicate",
    default_schedule: { frequency: "manual" },
    ...over,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.id;
}

/** Starts a run and polls it until it is final; returns it and every status seen. */
async function run(id: string, body: Record<string, unknown> = {}, client = api) {
  const started = await client.post(`/api/bulk/syncs/${id}/executions`, body);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const seen = [started.body.data.status as string];
  for (;;) {
    const e = (await client.get(`/api/bulk/syncs/${id}/executions/${started.body.data.id}`)).body.data;
    if (seen.at(-1) !== e.status) seen.push(e.status);
    if (["completed", "failed", "canceled", "errors"].includes(e.status)) return { execution: e, seen };
    await sleep(5);
  }
}

beforeAll(async () => {
  bucketsDir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-bulk-runs-"));
  fs.mkdirSync(path.join(bucketsDir, "src", "crm"), { recursive: true });
  fs.copyFileSync(SAMPLE_CSV, path.join(bucketsDir, "src", "high_paying_users.csv"));
  fs.writeFileSync(path.join(bucketsDir, "src", "crm", "Orders.csv"), 'id,amount\n1,10.5\n2,"1,000"\n');
  emu = await startEmulator({ schemaReadyDelayMs: 60_000, executionDelayMs: 5, bucketsDir });
  api = apiClient(emu);
  gcsSource = await connection({
    name: "src",
    type: "gcs",
    configuration: { bucket: "src", service_account: FAKE_SERVICE_ACCOUNT },
  });
  s3Lake = await connection(s3Body("lake"));
  salesforce = await connection({
    name: "Salesforce",
    type: "salesforce",
    configuration: { domain: "https://example.my.salesforce.com", client_id: "id", client_secret: "secret" },
  });
  postgres = await connection({
    name: "Warehouse",
    type: "postgresql",
    configuration: { hostname: "db", username: "u", password: "p", database: "d", port: 5432 },
  });
});

afterAll(async () => {
  await emu?.close();
  fs.rmSync(bucketsDir, { recursive: true, force: true });
});

const readCsv = (file: string) => {
  const [header = [], ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  return { header, rows };
};

describe("a bulk sync run to a bucket destination", () => {
  it("goes created → running → completed and writes one CSV per schema into the destination bucket", async () => {
    const id = await bulkSync({});
    const { execution, seen } = await run(id);
    expect(seen[0]).toBe("created");
    expect(seen).toContain("running");
    expect(seen.at(-1)).toBe("completed");
    expect(execution).toMatchObject({ record_count: 36, error_count: 0 });
    expect(execution.schemas.map((s: { schema: string; status: string }) => [s.schema, s.status])).toEqual([
      ["crm/Orders.csv", "completed"],
      ["high_paying_users.csv", "completed"],
    ]);

    const users = readCsv(path.join(bucketsDir, "lake", "exports", "high_paying_users.csv"));
    expect(users.header).toEqual([
      "email_address",
      "first_name",
      "last_name",
      "company",
      "annual_revenue",
      "plan",
      "signup_date",
      "_polytomic_synced_at",
    ]);
    expect(users.rows).toHaveLength(34);
    expect(users.rows[0]?.slice(0, 3)).toEqual(["ada.lovelace@example.com", "Ada", "Lovelace"]);
    expect(users.rows[0]?.[7]).toBe(execution.started_at);
    const orders = readCsv(path.join(bucketsDir, "lake", "exports", "crm_orders.csv"));
    expect(orders.rows).toEqual([
      ["1", "10.5", execution.started_at],
      ["2", "1,000", execution.started_at],
    ]);

    const outputs = (await api.get(`/api/bulk/syncs/${id}/executions/${execution.id}/outputs`)).body.data;
    expect(
      outputs.map((o: { schema: string; kind: string; record_count: number }) => [
        o.schema,
        o.kind,
        o.record_count,
      ]),
    ).toEqual([
      ["crm/Orders.csv", "file", 2],
      ["high_paying_users.csv", "file", 34],
    ]);
    const status = (await api.get(`/api/bulk/syncs/${id}/status`)).body.data;
    expect(status).toMatchObject({ current_execution: null, last_execution: { id: execution.id } });
  });

  it("snapshot mode writes a new file per run; JSON format writes JSON lines; a test run writes nothing", async () => {
    const id = await bulkSync({
      mode: "snapshot",
      destination_configuration: { format: "json", subfolder: "snap" },
      disable_record_timestamps: true,
    });
    await run(id);
    await sleep(10);
    await run(id);
    const dir = path.join(bucketsDir, "lake", "snap", "high_paying_users");
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith(".jsonl"))).toBe(true);
    const lines = fs
      .readFileSync(path.join(dir, files[0] ?? ""), "utf8")
      .trimEnd()
      .split("\n");
    expect(lines).toHaveLength(34);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      email_address: "ada.lovelace@example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      company: "Acme Widgets",
      annual_revenue: 945000,
      plan: "business",
      signup_date: "2024-07-21",
    });
    const test = (await run(id, { test: true })).execution;
    expect(test).toMatchObject({ status: "completed", is_test: true, record_count: 0 });
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });
});

describe("other destinations", () => {
  it("record what they would have written (table, fields, rows)", async () => {
    const id = await bulkSync({
      source_connection_id: salesforce,
      destination_connection_id: postgres,
      destination_configuration: { schema: "crm" },
    });
    const { execution } = await run(id);
    expect(execution.status).toBe("completed");
    const outputs = (await api.get(`/api/bulk/syncs/${id}/executions/${execution.id}/outputs`)).body.data;
    expect(outputs[0]).toMatchObject({
      schema: "Account",
      kind: "recorded",
      target: "crm.account",
      destination_type: "postgresql",
      record_count: 2,
      fields: expect.arrayContaining(["id", "name", "annual_revenue"]),
      rows: [
        expect.objectContaining({ name: "Acme Widgets" }),
        expect.objectContaining({ name: "Globex Example" }),
      ],
    });
  });
});

describe("409, cancel, deactivate", () => {
  it("refuses a second start while one runs, cancels between schemas, and deactivating cancels", async () => {
    const slow = await startEmulator({ schemaReadyDelayMs: 0, executionDelayMs: 200, bucketsDir });
    try {
      const slowApi = apiClient(slow);
      const post = async (body: unknown) =>
        (await slowApi.post("/api/connections", body)).body.data.id as string;
      const source = await post({
        name: "src",
        type: "gcs",
        configuration: { bucket: "src", service_account: FAKE_SERVICE_ACCOUNT },
      });
      const lake = await post(s3Body("slow-lake"));
      slow.setSchemaReady(source);
      slow.setSchemaReady(lake);
      const id = (
        await slowApi.post("/api/bulk/syncs", {
          name: "slow",
          source_connection_id: source,
          destination_connection_id: lake,
          destination_configuration: { format: "csv" },
          mode: "replicate",
          default_schedule: { frequency: "manual" },
        })
      ).body.data.id;
      const started = (await slowApi.post(`/api/bulk/syncs/${id}/executions`, {})).body.data;
      expect(started.status).toBe("created");
      const second = await slowApi.post(`/api/bulk/syncs/${id}/executions`, {});
      expect(second.status).toBe(409);
      expect(second.body.metadata).toMatchObject({ execution_id: started.id });

      let e = started;
      while (e.schemas[0].status !== "completed") {
        await sleep(10);
        e = (await slowApi.get(`/api/bulk/syncs/${id}/executions/${started.id}`)).body.data;
      }
      const status = (await slowApi.get(`/api/bulk/syncs/${id}/status`)).body.data;
      expect(status.current_execution).toMatchObject({ id: started.id, status: "running" });
      expect(
        (await slowApi.post(`/api/bulk/syncs/${id}/executions/${started.id}/cancel`)).body.data.message,
      ).toMatch(/canceling/);
      while (e.status !== "canceled") {
        await sleep(10);
        e = (await slowApi.get(`/api/bulk/syncs/${id}/executions/${started.id}`)).body.data;
      }
      expect(e.schemas.map((s: { status: string }) => s.status)).toEqual(["completed", "canceled"]);
      expect(fs.existsSync(path.join(bucketsDir, "slow-lake", "high_paying_users.csv"))).toBe(false);

      const next = (await slowApi.post(`/api/bulk/syncs/${id}/executions`, {})).body.data;
      await slowApi.post(`/api/bulk/syncs/${id}/activate`, { active: false });
      for (;;) {
        const x = (await slowApi.get(`/api/bulk/syncs/${id}/executions/${next.id}`)).body.data;
        if (x.status === "canceled") break;
        expect(["created", "canceling", "running"]).toContain(x.status);
        await sleep(10);
      }
      expect((await slowApi.post(`/api/bulk/syncs/${id}/cancel`)).body.data.message).toBe(
        "no execution in progress",
      );
    } finally {
      await slow.close();
    }
  });
});

describe("the package's own data folder", () => {
  it("is never written: with the default buckets folder a bucket destination only records its output", async () => {
    const before = fs.readdirSync(path.join(ROOT, "data/buckets/sample"));
    const plain = await startEmulator({ schemaReadyDelayMs: 0, executionDelayMs: 0 });
    try {
      const plainApi = apiClient(plain);
      const post = async (body: unknown) =>
        (await plainApi.post("/api/connections", body)).body.data.id as string;
      const source = await post({
        name: "src",
        type: "gcs",
        configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
      });
      const lake = await post(s3Body("sample"));
      plain.setSchemaReady(source);
      plain.setSchemaReady(lake);
      const id = (
        await plainApi.post("/api/bulk/syncs", {
          name: "into data",
          source_connection_id: source,
          destination_connection_id: lake,
          destination_configuration: { format: "csv" },
          mode: "replicate",
          default_schedule: { frequency: "manual" },
        })
      ).body.data.id;
      const { execution } = await run(id, {}, plainApi);
      expect(execution.status).toBe("completed");
      const outputs = (await plainApi.get(`/api/bulk/syncs/${id}/executions/${execution.id}/outputs`)).body
        .data;
      expect(outputs[0]).toMatchObject({ kind: "recorded", note: expect.stringContaining("--buckets-dir") });
      expect(fs.readdirSync(path.join(ROOT, "data/buckets/sample"))).toEqual(before);
    } finally {
      await plain.close();
    }
  });
});
