import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { parseCsv } from "../../src/emulator/csv";
import { isLoopbackHost } from "../../src/emulator/webhook-delivery";
import { type ApiClient, apiClient, readyGcsConnection, sampleModelBody, sleep } from "../helpers/emulator";
import { FAKE_SERVICE_ACCOUNT as SERVICE_ACCOUNT } from "../helpers/sa";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

/**
 * The emulator runs model syncs: it reads the model's CSV, maps the fields and POSTs the records to a webhook
 * connection in batches, the way Polytomic documents deliveries (reference part 2 §13). A temporary copy of the
 * sample bucket lets a test change the CSV between runs.
 */

const SAMPLE_CSV = path.join(__dirname, "../../data/buckets/sample/high_paying_users.csv");
const FIELDS = ["email_address", "first_name", "last_name"];

let emu: RunningEmulator;
let api: ApiClient;
let receiver: WebhookReceiver;
let bucketsDir: string;
let modelId: string;
let csvRows: Record<string, string>[];

function readCsvRows(file: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

beforeAll(async () => {
  bucketsDir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-runs-"));
  fs.mkdirSync(path.join(bucketsDir, "runs"));
  fs.copyFileSync(SAMPLE_CSV, path.join(bucketsDir, "runs", "high_paying_users.csv"));
  csvRows = readCsvRows(SAMPLE_CSV);
  emu = await startEmulator({
    schemaReadyDelayMs: 60_000,
    executionDelayMs: 5,
    deliveryTimeoutMs: 300,
    bucketsDir,
  });
  api = apiClient(emu);
  receiver = await startWebhookReceiver();
  const source = await readyGcsConnection(api, emu, {
    configuration: {
      service_account: SERVICE_ACCOUNT,
      bucket: "runs",
    },
  });
  modelId = (await api.post("/api/models", sampleModelBody(source))).body.data.id;
});

afterAll(async () => {
  await emu?.close();
  await receiver?.close();
  fs.rmSync(bucketsDir, { recursive: true, force: true });
});

beforeEach(() => {
  receiver.requests.length = 0;
  receiver.setRespond(() => 200);
});

async function webhook(configuration: Record<string, unknown> = {}, pathName = "/hook") {
  const r = await api.post("/api/connections", {
    name: "receiver",
    type: "webhook",
    configuration: { url: `${receiver.url}${pathName}`, auth_method: "polytomic_secret", ...configuration },
  });
  expect(r.status, r.text).toBe(200);
  return r.body.data.id as string;
}

async function sync(targetId: string, configuration: Record<string, unknown> = {}, extra = {}) {
  const r = await api.post("/api/syncs", {
    name: "Sync GCS to Webhook",
    mode: "updateOrCreate",
    active: true,
    fields: FIELDS.map((field) => ({ source: { model_id: modelId, field }, target: "record" })),
    schedule: { frequency: "manual" },
    target: { connection_id: targetId, object: "http", configuration: { batch_size: 10, ...configuration } },
    ...extra,
  });
  expect(r.status, r.text).toBe(200);
  return r.body.data.id as string;
}

/** Starts a run and polls it (every 5 ms) until it is final; returns it and every status seen. */
async function run(syncId: string, body: Record<string, unknown> = {}) {
  const started = await api.post(`/api/syncs/${syncId}/executions`, body);
  expect(started.status, started.text).toBe(200);
  const seen = [started.body.data.status as string];
  for (;;) {
    const e = (await api.get(`/api/syncs/${syncId}/executions/${started.body.data.id}`)).body.data;
    if (seen.at(-1) !== e.status) seen.push(e.status);
    if (["completed", "failed", "canceled"].includes(e.status)) return { execution: e, seen };
    await sleep(5);
  }
}

describe("a model sync run to a webhook", () => {
  it("delivers every CSV row, in batches of batch_size, with the documented body and headers", async () => {
    const hookId = await webhook();
    const syncId = await sync(hookId);
    const { execution, seen } = await run(syncId);
    expect(seen[0]).toBe("created");
    expect(seen).toContain("running");
    expect(seen.at(-1)).toBe("completed");
    expect(execution).toMatchObject({
      status: "completed",
      type: "manual",
      counts: { upserts: 34, total: 34, error: 0 },
      errors: [],
    });
    expect(Date.parse(execution.completed_at)).toBeGreaterThanOrEqual(Date.parse(execution.started_at));

    expect(receiver.requests.map((r) => r.body.object.records.length)).toEqual([10, 10, 10, 4]);
    const secret = emu.state.connections.get(hookId)?.configuration.secret;
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    for (const r of receiver.requests) {
      expect(r.method).toBe("POST");
      expect(r.url).toBe("/hook");
      expect(r.headers.authorization).toBe(`Bearer ${secret}`);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["polytomic-signature-timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r.headers["user-agent"]).toMatch(/^Polytomic\//);
      expect(r.body).toMatchObject({
        event: "sync.records",
        object: { id: syncId, name: "Sync GCS to Webhook" },
      });
      expect(Object.keys(r.body).sort()).toEqual(["event", "object"]);
    }
    const records = receiver.records();
    expect(records.map((x) => x.fields)).toEqual(
      csvRows.map((row) => ({
        email_address: row.email_address,
        first_name: row.first_name,
        last_name: row.last_name,
      })),
    );
    for (const record of records) expect(record.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("records each request and its answer when record_requests is set, credentials masked", async () => {
    const syncId = await sync(await webhook(), { record_requests: true, batch_size: 20 });
    const { execution } = await run(syncId);
    const recorded = (await api.get(`/api/syncs/${syncId}/executions/${execution.id}/requests`)).body.data;
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({
      batch: 1,
      records: 20,
      request: {
        method: "POST",
        url: `${receiver.url}/hook`,
        headers: { Authorization: "Bearer ********" },
        body: { event: "sync.records" },
      },
      response: { status: 200, body: '{"ok":true}' },
      error: null,
    });
    const unrecorded = await sync(await webhook());
    const other = (await run(unrecorded)).execution;
    expect((await api.get(`/api/syncs/${unrecorded}/executions/${other.id}/requests`)).body.data).toEqual([]);
  });

  it.each([
    [
      "basic",
      { basic: { username: "u", password: "p w" } },
      (h: any) => h.authorization === `Basic ${Buffer.from("u:p w").toString("base64")}`,
    ],
    [
      "header",
      { header: { name: "X-Api-Key", value: "k1" } },
      (h: any) => h["x-api-key"] === "k1" && h.authorization === undefined,
    ],
  ])("authorises with auth_method %s", async (method, settings, check) => {
    const syncId = await sync(
      await webhook({ auth_method: method, ...settings, headers: [{ name: "X-Extra", value: "1" }] }),
    );
    expect((await run(syncId)).execution.status).toBe("completed");
    expect(receiver.requests.length).toBe(4);
    for (const r of receiver.requests) {
      expect(check(r.headers), JSON.stringify(r.headers)).toBe(true);
      expect(r.headers["x-extra"]).toBe("1");
    }
  });

  it("authorises with auth_method query, and with an OAuth client-credentials token", async () => {
    const viaQuery = await sync(
      await webhook({ auth_method: "query", query: [{ name: "token", value: "q 1" }] }),
    );
    expect((await run(viaQuery)).execution.status).toBe("completed");
    expect(receiver.requests.every((r) => r.url === "/hook?token=q+1")).toBe(true);

    receiver.requests.length = 0;
    receiver.setRespond((r) =>
      r.url === "/token" ? { status: 200, body: { access_token: "tok-1", token_type: "bearer" } } : 200,
    );
    const oauth = {
      client_id: "cid",
      client_secret: "csecret",
      token_endpoint: `${receiver.url}/token`,
      scopes: ["a", "b"],
    };
    const viaOauth = await sync(await webhook({ auth_method: "oauth_client_credentials", oauth }));
    expect((await run(viaOauth)).execution.status).toBe("completed");
    const [token, ...deliveries] = receiver.requests;
    expect(token?.body).toBe("grant_type=client_credentials&scope=a+b");
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from("cid:csecret").toString("base64")}`);
    expect(deliveries.every((r) => r.headers.authorization === "Bearer tok-1")).toBe(true);
  });
});

describe("what later runs send", () => {
  it("sends nothing new when the CSV is unchanged, only the changed and new rows after a change, all on resync", async () => {
    const csv = path.join(bucketsDir, "runs", "high_paying_users.csv");
    const original = fs.readFileSync(csv, "utf8");
    try {
      const syncId = await sync(await webhook());
      await run(syncId);
      expect(receiver.records()).toHaveLength(34);

      receiver.requests.length = 0;
      const again = (await run(syncId)).execution;
      expect(again).toMatchObject({ status: "completed", counts: { total: 0, upserts: 0 } });
      expect(receiver.requests).toHaveLength(0);

      const lines = original.trimEnd().split("\n");
      lines[1] = lines[1]!.replace("Ada,", "Adah,");
      lines.push("zoe.new@example.com,Zoe,New,Newco,500000,business,2024-11-01");
      fs.writeFileSync(csv, `${lines.join("\n")}\n`);
      const changed = (await run(syncId)).execution;
      expect(changed.counts).toMatchObject({ total: 2, upserts: 2 });
      expect(receiver.records().map((r) => r.fields.first_name)).toEqual(["Adah", "Zoe"]);

      receiver.requests.length = 0;
      const resync = (await run(syncId, { resync: true })).execution;
      expect(resync).toMatchObject({ type: "resync", counts: { total: 35 } });
      expect(receiver.records()).toHaveLength(35);

      receiver.requests.length = 0;
      const test = (await run(syncId, { test: true })).execution;
      expect(test).toMatchObject({ type: "test", status: "completed" });
      expect(receiver.requests).toHaveLength(0);
    } finally {
      fs.writeFileSync(csv, original);
    }
  });

  it("sync_all_records sends every record on every run; skip_initial_backfill skips the first", async () => {
    const all = await sync(await webhook(), {}, { sync_all_records: true });
    await run(all);
    await run(all);
    expect(receiver.records()).toHaveLength(68);

    receiver.requests.length = 0;
    const skip = await sync(await webhook(), {}, { skip_initial_backfill: true });
    expect((await run(skip)).execution.counts.total).toBe(0);
    expect((await run(skip)).execution.counts.total).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe("failures", () => {
  it("a webhook answering 5xx fails the run: the batch's records count as errors, later batches are not sent", async () => {
    receiver.setRespond((_r, i) => (i === 1 ? 503 : 200));
    const syncId = await sync(await webhook());
    const { execution } = await run(syncId);
    expect(execution).toMatchObject({ status: "failed", counts: { upserts: 10, error: 10, total: 20 } });
    expect(execution.errors).toEqual([
      expect.stringMatching(
        /^batch 2 of 4 \(10 records\): POST http:\/\/127\.0\.0\.1:\d+\/hook answered 503/,
      ),
    ]);
    expect(receiver.requests).toHaveLength(2);

    // The next run sends what was not delivered.
    receiver.requests.length = 0;
    receiver.setRespond(() => 200);
    expect((await run(syncId)).execution.counts.total).toBe(24);
  });

  it("a webhook that never answers fails the run after the delivery timeout", async () => {
    receiver.setRespond(() => "hang");
    const { execution } = await run(await sync(await webhook()));
    expect(execution.status).toBe("failed");
    expect(execution.errors[0]).toMatch(/batch 1 of 4 .*no answer within 300 ms/);
  });

  it("a webhook that refuses connections fails the run", async () => {
    const closed = await startWebhookReceiver();
    const url = closed.url;
    await closed.close();
    const r = await api.post("/api/connections", {
      name: "gone",
      type: "webhook",
      configuration: { url: `${url}/hook`, auth_method: "polytomic_secret" },
    });
    const { execution } = await run(await sync(r.body.data.id));
    expect(execution.status).toBe("failed");
    expect(execution.errors[0]).toMatch(/ECONNREFUSED/);
  });

  it("delivers only to loopback addresses unless started with --allow-remote-delivery", async () => {
    const r = await api.post("/api/connections", {
      name: "remote",
      type: "webhook",
      configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
    });
    const { execution } = await run(await sync(r.body.data.id));
    expect(execution).toMatchObject({ status: "failed", counts: { total: 0 } });
    expect(execution.errors[0]).toMatch(/only to loopback addresses .*--allow-remote-delivery/);
    expect(["localhost", "127.0.0.1", "127.9.9.9", "[::1]"].every(isLoopbackHost)).toBe(true);
    expect(
      ["example.com", "10.0.0.1", "[::2]", "localhost.example.com", "0.0.0.0"].some(isLoopbackHost),
    ).toBe(false);
  });
});

describe("status, history and cancel", () => {
  it("reports the running execution in status, refuses a second start with 409, and cancels mid-run", async () => {
    const slow = await startEmulator({ schemaReadyDelayMs: 0, executionDelayMs: 150, bucketsDir });
    try {
      const slowApi = apiClient(slow);
      const source = await readyGcsConnection(slowApi, slow, {
        configuration: {
          service_account: SERVICE_ACCOUNT,
          bucket: "runs",
        },
      });
      const model = (await slowApi.post("/api/models", sampleModelBody(source))).body.data.id;
      const hook = (
        await slowApi.post("/api/connections", {
          name: "receiver",
          type: "webhook",
          configuration: { url: `${receiver.url}/slow`, auth_method: "polytomic_secret" },
        })
      ).body.data.id;
      const syncId = (
        await slowApi.post("/api/syncs", {
          name: "slow",
          mode: "updateOrCreate",
          fields: FIELDS.map((field) => ({ source: { model_id: model, field }, target: "record" })),
          schedule: { frequency: "manual" },
          target: { connection_id: hook, object: "http", configuration: { batch_size: 5 } },
        })
      ).body.data.id;

      const started = (await slowApi.post(`/api/syncs/${syncId}/executions`, {})).body.data;
      const second = await slowApi.post(`/api/syncs/${syncId}/executions`, {});
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({
        key: "execution_in_progress",
        metadata: { execution_id: started.id },
      });

      while (receiver.requests.length < 1) await sleep(10);
      const status = (await slowApi.get(`/api/syncs/${syncId}/status`)).body.data;
      expect(status.current_execution).toMatchObject({ id: started.id, status: "running" });
      expect(status.last_execution).toBeNull();

      const cancel = await slowApi.post(`/api/syncs/${syncId}/executions/${started.id}/cancel`);
      expect(cancel.body.data.message).toMatch(/canceling/);
      let e = (await slowApi.get(`/api/syncs/${syncId}/executions/${started.id}`)).body.data;
      expect(["canceling", "canceled"]).toContain(e.status);
      while (e.status !== "canceled") {
        await sleep(10);
        e = (await slowApi.get(`/api/syncs/${syncId}/executions/${started.id}`)).body.data;
      }
      expect(e.counts.upserts).toBeLessThan(34);
      const delivered = receiver.requests.length;
      await sleep(400);
      expect(receiver.requests.length).toBe(delivered);
      expect((await slowApi.post(`/api/syncs/${syncId}/cancel`)).body.data.message).toBe(
        "no execution in progress",
      );
      const after = (await slowApi.get(`/api/syncs/${syncId}/status`)).body.data;
      expect(after).toMatchObject({
        current_execution: null,
        last_execution: { id: started.id, status: "canceled" },
      });

      // History: newest first unless ascending; only_completed leaves out running ones.
      const next = (await slowApi.post(`/api/syncs/${syncId}/executions`, {})).body.data;
      const history = (await slowApi.get(`/api/syncs/${syncId}/executions`)).body.data;
      expect(history.map((x: { id: string }) => x.id)).toEqual([next.id, started.id]);
      const ascending = (await slowApi.get(`/api/syncs/${syncId}/executions?ascending=true`)).body.data;
      expect(ascending.map((x: { id: string }) => x.id)).toEqual([started.id, next.id]);
      const done = (await slowApi.get(`/api/syncs/${syncId}/executions?only_completed=true`)).body.data;
      expect(done.map((x: { id: string }) => x.id)).toEqual([started.id]);
      expect((await slowApi.post(`/api/syncs/${syncId}/cancel`)).body.data.message).toMatch(/canceling/);
    } finally {
      await slow.close();
    }
  });
});

describe("state across restarts", () => {
  it("keeps what was delivered (the next run sends only changes) and ends a run cut short as interrupted", async () => {
    const stateFile = path.join(bucketsDir, "state.json");
    const first = await startEmulator({ stateFile, schemaReadyDelayMs: 0, executionDelayMs: 0, bucketsDir });
    const firstApi = apiClient(first);
    const source = await readyGcsConnection(firstApi, first, {
      configuration: { service_account: SERVICE_ACCOUNT, bucket: "runs" },
    });
    const model = (await firstApi.post("/api/models", sampleModelBody(source))).body.data.id;
    const hook = (
      await firstApi.post("/api/connections", {
        name: "receiver",
        type: "webhook",
        configuration: { url: `${receiver.url}/restart`, auth_method: "polytomic_secret" },
      })
    ).body.data.id;
    const syncId = (
      await firstApi.post("/api/syncs", {
        name: "restart",
        mode: "updateOrCreate",
        fields: FIELDS.map((field) => ({ source: { model_id: model, field }, target: "record" })),
        schedule: { frequency: "manual" },
        target: { connection_id: hook, object: "http", configuration: { batch_size: 50 } },
      })
    ).body.data.id;
    const done = (await firstApi.post(`/api/syncs/${syncId}/executions`, {})).body.data.id;
    while (first.state.executions.get(done)?.status !== "completed") await sleep(5);
    receiver.setRespond(() => "hang");
    const cut = (await firstApi.post(`/api/syncs/${syncId}/executions`, { resync: true })).body.data.id;
    while (receiver.requests.length < 2) await sleep(5);
    await first.close();

    receiver.setRespond(() => 200);
    receiver.requests.length = 0;
    const second = await startEmulator({ stateFile, schemaReadyDelayMs: 0, executionDelayMs: 0, bucketsDir });
    try {
      const secondApi = apiClient(second);
      const interrupted = (await secondApi.get(`/api/syncs/${syncId}/executions/${cut}`)).body.data;
      expect(interrupted).toMatchObject({
        status: "interrupted",
        errors: ["the emulator stopped during the run"],
      });
      const next = (await secondApi.post(`/api/syncs/${syncId}/executions`, {})).body.data.id;
      while (second.state.executions.get(next)?.status !== "completed") await sleep(5);
      expect(second.state.executions.get(next)?.counts.total).toBe(0);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await second.close();
    }
  });
});
