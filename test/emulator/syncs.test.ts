import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import {
  type ApiClient,
  apiClient,
  readyGcsConnection,
  sampleModelBody,
  webhookConnectionBody,
} from "../helpers/emulator";

let emu: RunningEmulator;
let api: ApiClient;
let modelId: string;
let targetId: string;

beforeAll(async () => {
  emu = await startEmulator({ schemaReadyDelayMs: 60_000, executionDelayMs: 0 });
  api = apiClient(emu);
  const source = await readyGcsConnection(api, emu);
  modelId = (await api.post("/api/models", sampleModelBody(source))).body.data.id;
  targetId = (await api.post("/api/connections", webhookConnectionBody())).body.data.id;
});
afterAll(() => emu.close());

function syncBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "Sync GCS to Webhook",
    mode: "updateOrCreate",
    fields: ["email_address", "first_name", "last_name"].map((field) => ({
      source: { model_id: modelId, field },
      target: "record",
    })),
    identity: {
      source: { model_id: modelId, field: "email_address" },
      target: "email",
      function: "Equality",
    },
    schedule: { frequency: "manual" },
    target: {
      connection_id: targetId,
      object: "http",
      configuration: { batch_size: 100, record_requests: true },
    },
    ...overrides,
  };
}

const paths = (body: { metadata: { errors: { path: string }[] } }) => body.metadata.errors.map((e) => e.path);

describe("POST /api/syncs", () => {
  it("creates a sync: request fields plus id, model_ids, timestamps, defaults", async () => {
    const r = await api.post("/api/syncs", syncBody({ active: true }));
    expect(r.status).toBe(200);
    const s = r.body.data;
    expect(s).toMatchObject({
      ...syncBody({ active: true }),
      id: expect.any(String),
      model_ids: [modelId],
      created_at: expect.any(String),
      updated_at: expect.any(String),
      filters: [],
      overrides: [],
      override_fields: [],
      filter_logic: "",
      policies: [],
      sync_all_records: false,
      skip_initial_backfill: false,
      only_enrich_updates: false,
      organization_id: expect.any(String),
    });
    expect(s.encryption_passphrase).toBeUndefined();
  });

  it("400 naming missing required fields", async () => {
    const r = await api.post("/api/syncs", { name: "x" });
    expect(r.status).toBe(400);
    for (const f of ["mode", "fields", "schedule", "target"]) expect(r.body.message).toContain(f);
  });

  it("422 with a path for every problem", async () => {
    const r = await api.post(
      "/api/syncs",
      syncBody({
        mode: "upsert",
        schedule: { frequency: "sometimes" },
        target: { connection_id: "00000000-0000-4000-8000-000000000000" },
        fields: [
          { source: { model_id: modelId, field: "email_address" }, target: "record" },
          { source: { model_id: modelId, field: "no_such_field" }, target: "record" },
          { source: { model_id: "missing-model", field: "x" }, target: "record" },
          { target: "record" },
          { source: { model_id: modelId, field: "plan" } },
          { override_value: "constant", target: "fixed" },
        ],
        filters: [
          { function: "Sometimes", field: { model_id: modelId, field: "plan" } },
          { function: "IsNull" },
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.key).toBe("validation_error");
    expect(paths(r.body)).toEqual([
      "mode",
      "schedule.frequency",
      "target.connection_id",
      "fields[1].source.field",
      "fields[2].source.model_id",
      "fields[3].source",
      "fields[4].target",
      "filters[0].function",
      "filters[1]",
    ]);
    expect(r.body.message).toContain("fields[1].source.field");
  });

  it.each(["update", "updateOrCreate", "remove"])("identity is required for mode %s", async (mode) => {
    const target = { connection_id: targetId, object: "contacts" };
    const r = await api.post("/api/syncs", syncBody({ mode, identity: undefined, target }));
    expect(r.status).toBe(422);
    expect(paths(r.body)).toEqual(["identity"]);
  });

  it("webhook deliveries (object http) are updateOrCreate without an identity, as Polytomic documents", async () => {
    expect((await api.post("/api/syncs", syncBody({ identity: undefined }))).status).toBe(200);
  });

  it.each(["create", "replace", "append", "snapshot"])("identity is optional for mode %s", async (mode) => {
    expect((await api.post("/api/syncs", syncBody({ mode, identity: undefined }))).status).toBe(200);
  });

  it("identity source must be a field of a model; target and function are required", async () => {
    const r = await api.post(
      "/api/syncs",
      syncBody({ identity: { source: { model_id: modelId, field: "nope" }, function: "Fuzzy" } }),
    );
    expect(r.status).toBe(422);
    expect(paths(r.body)).toEqual(["identity.source.field", "identity.target", "identity.function"]);
  });

  it("masks encryption_passphrase", async () => {
    const r = await api.post("/api/syncs", syncBody({ encryption_passphrase: "hunter2" }));
    expect(r.body.data.encryption_passphrase).toBe("********");
    expect(r.text).not.toContain("hunter2");
    expect(emu.state.syncs.get(r.body.data.id)?.encryption_passphrase).toBe("hunter2");
  });
});

describe("GET/PUT/DELETE, list, executions", () => {
  it("gets, lists (ListSyncItem + pagination), replaces, deletes", async () => {
    const created = (await api.post("/api/syncs", syncBody({ encryption_passphrase: "p1" }))).body.data;
    expect((await api.get(`/api/syncs/${created.id}`)).body.data).toEqual(created);

    const list = await api.get("/api/syncs");
    expect(list.body.pagination).toEqual({ next_page_token: null });
    const item = list.body.data.find((s: { id: string }) => s.id === created.id);
    expect(item).toMatchObject({
      id: created.id,
      name: "Sync GCS to Webhook",
      mode: "updateOrCreate",
      active: false,
      model_ids: [modelId],
      target_connection_id: targetId,
      target_object: "http",
    });
    expect(item.fields).toBeUndefined();
    const filtered = await api.get(`/api/syncs?mode=create&target_connection_id=${targetId}`);
    expect(filtered.body.data.every((s: { mode: string }) => s.mode === "create")).toBe(true);
    const page = await api.get("/api/syncs?limit=1");
    expect(page.body.data).toHaveLength(1);
    expect(page.body.pagination.next_page_token).toBe("1");

    const put = await api.put(
      `/api/syncs/${created.id}`,
      syncBody({ name: "Renamed", mode: "create", identity: null, encryption_passphrase: "********" }),
    );
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      name: "Renamed",
      mode: "create",
      identity: null,
      created_at: created.created_at,
    });
    expect(emu.state.syncs.get(created.id)?.encryption_passphrase).toBe("p1");
    const invalid = await api.put(`/api/syncs/${created.id}`, syncBody({ mode: "update", identity: null }));
    expect(invalid.status).toBe(422);

    expect((await api.del(`/api/syncs/${created.id}`)).status).toBe(200);
    expect((await api.get(`/api/syncs/${created.id}`)).status).toBe(404);
    expect((await api.del(`/api/syncs/${created.id}`)).status).toBe(404);
    expect((await api.put(`/api/syncs/${created.id}`, syncBody())).status).toBe(404);
  });

  it("starts an execution and reports it in status and history", async () => {
    const sync = (await api.post("/api/syncs", syncBody())).body.data;
    const before = await api.get(`/api/syncs/${sync.id}/status`);
    expect(before.body.data).toEqual({
      current_execution: null,
      last_execution: null,
      next_execution_time: null,
    });

    const started = await api.post(`/api/syncs/${sync.id}/executions`, {});
    expect(started.status).toBe(200);
    expect(started.body.data).toEqual({
      id: expect.any(String),
      status: "created",
      created_at: expect.any(String),
    });

    // The run goes on in the background (test/emulator/sync-runs.test.ts): this webhook is not on loopback.
    let status = await api.get(`/api/syncs/${sync.id}/status`);
    while (status.body.data.last_execution === null) {
      expect(status.body.data.current_execution).toMatchObject({ id: started.body.data.id });
      await new Promise((r) => setTimeout(r, 5));
      status = await api.get(`/api/syncs/${sync.id}/status`);
    }
    expect(status.body.data.current_execution).toBeNull();
    expect(status.body.data.last_execution).toMatchObject({
      id: started.body.data.id,
      status: "failed",
      counts: { total: 0 },
      errors: [expect.stringContaining("--allow-remote-delivery")],
    });
    const history = await api.get(`/api/syncs/${sync.id}/executions`);
    expect(history.body.data.map((e: { id: string }) => e.id)).toEqual([started.body.data.id]);
    const one = await api.get(`/api/syncs/${sync.id}/executions/${started.body.data.id}`);
    expect(one.body.data.id).toBe(started.body.data.id);
    expect((await api.post("/api/syncs/nope/executions")).status).toBe(404);
    expect((await api.get("/api/syncs/nope/status")).status).toBe(404);
  });

  it("activates and deactivates", async () => {
    const sync = (await api.post("/api/syncs", syncBody())).body.data;
    const on = await api.post(`/api/syncs/${sync.id}/activate`, { active: true });
    expect(on.body.data).toEqual({ id: sync.id, active: true });
    expect((await api.get(`/api/syncs/${sync.id}`)).body.data.active).toBe(true);
    expect((await api.post(`/api/syncs/${sync.id}/activate`, {})).status).toBe(400);
  });

  it("lists schedule options", async () => {
    const r = await api.get("/api/syncs/schedules");
    expect(r.body.data.schedule_options.map((o: { frequency: string }) => o.frequency)).toContain("manual");
  });
});
