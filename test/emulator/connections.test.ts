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

beforeAll(async () => {
  emu = await startEmulator({ schemaReadyDelayMs: 60_000 });
  api = apiClient(emu);
});
afterAll(() => emu.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("POST /api/connections", () => {
  it("creates a GCS connection: masked secret, derived read-only values, defaults", async () => {
    const r = await api.post("/api/connections", {
      ...gcsConnectionBody(),
      configuration: {
        service_account: SERVICE_ACCOUNT,
        bucket: "gcs://my-bucket/path",
        project_id: "client-sent-project",
        client_email: "client@sent.example.com",
      },
      validate: true,
    });
    expect(r.status).toBe(200);
    const data = r.body.data;
    expect(data).toMatchObject({
      id: expect.stringMatching(UUID),
      name: "GCS source",
      type: { id: "gcs", name: "Google Cloud Storage", logo_url: expect.any(String), operations: [] },
      organization_id: expect.stringMatching(UUID),
      policies: [],
      saved: true,
      status: "healthy",
      status_error: "",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(data.configuration).toEqual({
      service_account: "********",
      bucket: "gcs://my-bucket/path",
      project_id: "demo-project",
      client_email: JSON.parse(SERVICE_ACCOUNT).client_email,
      csv_has_headers: true,
      is_single_table: false,
      is_directory_snapshot: false,
      single_table_file_format: "csv",
      skip_lines: 0,
    });
    // stored unmasked
    expect(emu.state.connections.get(data.id)?.configuration.service_account).toBe(SERVICE_ACCOUNT);
  });

  it.each([
    [{ type: "gcs", configuration: {} }, "name"],
    [{ name: "x", configuration: {} }, "type"],
    [{ name: "x", type: "gcs" }, "configuration"],
    [{ name: "x", type: "gcs", configuration: "nope" }, "configuration"],
  ])("400 naming the missing field (%j)", async (body, field) => {
    const r = await api.post("/api/connections", body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 400, key: "bad_request" });
    expect(r.body.message).toContain(field);
  });

  it("names an auth_url for OAuth types only", async () => {
    const hubspot = await api.post("/api/connections", { name: "h", type: "hubspot", configuration: {} });
    expect(hubspot.status).toBe(200);
    expect(hubspot.body.data.auth_url).toContain(hubspot.body.data.id);
    const hook = await api.post("/api/connections", webhookConnectionBody());
    expect(hook.body.data.auth_url).toBeUndefined();
  });

  it("422 for an unknown type", async () => {
    const r = await api.post("/api/connections", { name: "x", type: "no_such_type", configuration: {} });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain("no_such_type");
  });

  it("422 listing every configuration problem with its path", async () => {
    const r = await api.post("/api/connections", {
      name: "bad webhook",
      type: "webhook",
      configuration: {
        auth_method: "basic",
        basic: { username: 1, password: "x", nope: true },
        query: [{ name: 3 }],
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.key).toBe("validation_error");
    const paths = r.body.metadata.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual([
      "configuration.basic.nope",
      "configuration.basic.username",
      "configuration.query[0].name",
      "configuration.url",
    ]);
    for (const p of paths) expect(r.body.message).toContain(p);
  });

  it("422 when service_account is not a JSON key (validate on), accepted with validate: false", async () => {
    const bad = { service_account: "not json", bucket: "b" };
    const r = await api.post("/api/connections", { name: "g", type: "gcs", configuration: bad });
    expect(r.status).toBe(422);
    expect(r.body.metadata.errors[0].path).toBe("configuration.service_account");
    const noEmail = { service_account: JSON.stringify({ project_id: "p" }), bucket: "b" };
    expect(
      (await api.post("/api/connections", { name: "g", type: "gcs", configuration: noEmail })).status,
    ).toBe(422);
    const ok = await api.post("/api/connections", {
      name: "g",
      type: "gcs",
      configuration: bad,
      validate: false,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.configuration.client_email).toBeUndefined();
  });

  it("webhook: generates a secret for polytomic_secret, masks it and the unmarked credentials", async () => {
    const r = await api.post(
      "/api/connections",
      webhookConnectionBody({
        configuration: { url: "https://e.example.com", auth_method: "polytomic_secret", secret: "mine" },
      }),
    );
    expect(r.status).toBe(200);
    expect(r.body.data.configuration).toEqual({
      url: "https://e.example.com",
      auth_method: "polytomic_secret",
      secret: "********",
    });
    const stored = emu.state.connections.get(r.body.data.id)!.configuration.secret as string;
    expect(stored).toMatch(/^[0-9a-f]{48}$/);
    expect(stored).not.toBe("mine");

    const basic = await api.post("/api/connections", {
      name: "basic",
      type: "webhook",
      configuration: {
        url: "u",
        auth_method: "basic",
        basic: { username: "me", password: "pw" },
        header: { name: "X-Key", value: "hv" },
        query: [{ name: "k", value: "qv" }],
        oauth: { client_id: "id", client_secret: "cs" },
      },
    });
    expect(basic.body.data.configuration).toEqual({
      url: "u",
      auth_method: "basic",
      basic: { username: "me", password: "********" },
      header: { name: "X-Key", value: "********" },
      query: [{ name: "k", value: "********" }],
      oauth: { client_id: "id", client_secret: "********" },
    });
    expect(basic.text).not.toContain("pw");
    expect(basic.text).not.toContain("qv");
  });

  it("auth_method is required although the schema gives it a default", async () => {
    const r = await api.post("/api/connections", { name: "w", type: "webhook", configuration: { url: "u" } });
    expect(r.status).toBe(422); // auth_method is required
    expect(r.body.metadata.errors).toEqual([{ path: "configuration.auth_method", message: "is required" }]);
  });
});

describe("GET, list, PUT", () => {
  it("gets and lists connections, 404 for unknown ids", async () => {
    const created = await api.post("/api/connections", webhookConnectionBody({ name: "listed" }));
    const id = created.body.data.id;
    const got = await api.get(`/api/connections/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({ id, name: "listed", type: { id: "webhook" } });
    expect(got.body.data.configuration.secret).toBe("********");
    const list = await api.get("/api/connections");
    expect(list.body.data.some((c: { id: string }) => c.id === id)).toBe(true);
    const missing = await api.get("/api/connections/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ key: "not_found", status: 404 });
    expect((await api.put("/api/connections/nope", { name: "x", configuration: {} })).status).toBe(404);
    expect((await api.del("/api/connections/nope")).status).toBe(404);
  });

  it("PUT is a full replacement; masked or omitted secrets keep their value", async () => {
    const created = await api.post("/api/connections", {
      name: "hook",
      type: "webhook",
      configuration: {
        url: "https://a.example.com",
        auth_method: "basic",
        basic: { username: "me", password: "pw" },
        headers: [{ name: "X-A", value: "1" }],
      },
    });
    const id = created.body.data.id;
    const conn = () => emu.state.connections.get(id)!.configuration;

    // send back what GET shows (mask): secret kept, headers cleared because omitted
    let r = await api.put(`/api/connections/${id}`, {
      name: "hook 2",
      configuration: {
        url: "https://b.example.com",
        auth_method: "basic",
        basic: { username: "me", password: "********" },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.name).toBe("hook 2");
    expect(r.body.data.configuration).toEqual({
      url: "https://b.example.com",
      auth_method: "basic",
      basic: { username: "me", password: "********" },
    });
    expect(conn().basic).toEqual({ username: "me", password: "pw" });
    expect(conn().headers).toBeUndefined();

    // omitted secret key: kept
    r = await api.put(`/api/connections/${id}`, {
      name: "hook 2",
      configuration: { url: "u", auth_method: "basic", basic: { username: "you" } },
    });
    expect(conn().basic).toEqual({ username: "you", password: "pw" });

    // a new value replaces
    await api.put(`/api/connections/${id}`, {
      name: "hook 2",
      configuration: { url: "u", auth_method: "basic", basic: { username: "you", password: "new" } },
    });
    expect(conn().basic).toEqual({ username: "you", password: "new" });

    // switching auth method drops the old credentials and generates a secret
    r = await api.put(`/api/connections/${id}`, {
      name: "hook 2",
      configuration: { url: "u", auth_method: "polytomic_secret" },
    });
    expect(r.body.data.configuration).toEqual({
      url: "u",
      auth_method: "polytomic_secret",
      secret: "********",
    });
    const secret = conn().secret;
    expect(typeof secret).toBe("string");
    // the generated secret survives later updates
    await api.put(`/api/connections/${id}`, {
      name: "hook 3",
      configuration: { url: "u2", auth_method: "polytomic_secret" },
    });
    expect(conn().secret).toBe(secret);
  });

  it("PUT of GCS without service_account keeps it and re-derives; read-only values sent are ignored", async () => {
    const created = await api.post("/api/connections", gcsConnectionBody());
    const id = created.body.data.id;
    const r = await api.put(`/api/connections/${id}`, {
      name: "renamed",
      configuration: { bucket: "other", project_id: "hijack" },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.configuration).toMatchObject({
      bucket: "other",
      service_account: "********",
      project_id: "demo-project",
    });
  });

  it("PUT cannot change the type, validates, requires name and configuration", async () => {
    const created = await api.post("/api/connections", gcsConnectionBody());
    const id = created.body.data.id;
    const changed = await api.put(`/api/connections/${id}`, {
      name: "x",
      type: "webhook",
      configuration: {},
    });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toMatch(/type/);
    const same = await api.put(`/api/connections/${id}`, {
      name: "x",
      type: "gcs",
      configuration: { bucket: "b" },
    });
    expect(same.status).toBe(200);
    const invalid = await api.put(`/api/connections/${id}`, { name: "x", configuration: { bucket: 5 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.metadata.errors).toEqual([
      { path: "configuration.bucket", message: expect.stringMatching(/string/) },
    ]);
    expect((await api.put(`/api/connections/${id}`, { configuration: {} })).status).toBe(400);
  });
});

describe("DELETE /api/connections/{id}", () => {
  it("deletes an unused connection (200), then 404", async () => {
    const id = (await api.post("/api/connections", webhookConnectionBody())).body.data.id;
    const r = await api.del(`/api/connections/${id}`);
    expect(r.status).toBe(200);
    expect(r.body ?? {}).toEqual({});
    expect((await api.get(`/api/connections/${id}`)).status).toBe(404);
  });

  it("422 connection_in_use with used_by while models or syncs use it; force cascades", async () => {
    const source = await readyGcsConnection(api, emu);
    const target = (await api.post("/api/connections", webhookConnectionBody())).body.data.id;
    const model = (await api.post("/api/models", sampleModelBody(source))).body.data;
    const sync = await api.post("/api/syncs", {
      name: "to hook",
      mode: "create",
      fields: [{ source: { model_id: model.id, field: "email_address" }, target: "email" }],
      schedule: { frequency: "manual" },
      target: { connection_id: target, object: "http" },
    });
    expect(sync.status).toBe(200);
    const syncId = sync.body.data.id;

    const blocked = await api.del(`/api/connections/${source}`);
    expect(blocked.status).toBe(422);
    expect(blocked.body).toEqual({
      key: "connection_in_use",
      message: "connection in use",
      status: 422,
      metadata: {
        used_by: [
          { type: "model", name: "High paying users", id: model.id },
          { type: "sync", name: "to hook", id: syncId },
        ],
      },
    });
    const targetBlocked = await api.del(`/api/connections/${target}`);
    expect(targetBlocked.status).toBe(422);
    expect(targetBlocked.body.metadata.used_by).toEqual([{ type: "sync", name: "to hook", id: syncId }]);

    const forced = await api.del(`/api/connections/${source}?force=true`);
    expect(forced.status).toBe(200);
    expect((await api.get(`/api/models/${model.id}`)).status).toBe(404);
    expect((await api.get(`/api/syncs/${syncId}`)).status).toBe(404);
    expect((await api.del(`/api/connections/${target}`)).status).toBe(200);
  });
});
