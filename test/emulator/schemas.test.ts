import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import {
  type ApiClient,
  apiClient,
  gcsConnectionBody,
  sleep,
  webhookConnectionBody,
} from "../helpers/emulator";

const DELAY = 300;
let emu: RunningEmulator;
let api: ApiClient;

beforeAll(async () => {
  emu = await startEmulator({ schemaReadyDelayMs: DELAY });
  api = apiClient(emu);
});
afterAll(() => emu.close());

async function createGcs(): Promise<string> {
  return (await api.post("/api/connections", gcsConnectionBody())).body.data.id;
}

describe("schema cache", () => {
  it("a new source connection is refreshing, then fresh after the delay", async () => {
    const id = await createGcs();
    const first = await api.get(`/api/connections/${id}/schemas/status`);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({
      cache_status: "refreshing",
      last_refresh_started: expect.any(String),
      last_refresh_finished: null,
    });
    await sleep(DELAY + 50);
    const later = (await api.get(`/api/connections/${id}/schemas/status`)).body.data;
    expect(later.cache_status).toBe("fresh");
    expect(later.last_refresh_started).toBe(first.body.data.last_refresh_started);
    expect(Date.parse(later.last_refresh_finished)).toBeGreaterThanOrEqual(
      Date.parse(later.last_refresh_started),
    );
    expect(new Date(later.last_refresh_finished).toISOString()).toBe(later.last_refresh_finished);
  });

  it("refresh answers 202, {} and Location, and restarts refreshing", async () => {
    const id = await createGcs();
    emu.setSchemaReady(id);
    const before = (await api.get(`/api/connections/${id}/schemas/status`)).body.data;
    expect(before.cache_status).toBe("fresh");
    await sleep(5);
    const r = await api.post(`/api/connections/${id}/schemas/refresh`);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({});
    expect(r.headers.get("location")).toBe(`/api/connections/${id}/schemas/status`);
    const after = (await api.get(`/api/connections/${id}/schemas/status`)).body.data;
    expect(after.cache_status).toBe("refreshing");
    expect(after.last_refresh_finished).toBeNull();
    expect(Date.parse(after.last_refresh_started)).toBeGreaterThan(Date.parse(before.last_refresh_started));
  });

  it("PUT of a source connection restarts the refresh", async () => {
    const id = await createGcs();
    emu.setSchemaReady(id);
    await api.put(`/api/connections/${id}`, { name: "again", configuration: { bucket: "b2" } });
    expect((await api.get(`/api/connections/${id}/schemas/status`)).body.data.cache_status).toBe(
      "refreshing",
    );
  });

  it("setSchemaReady makes the cache fresh at once", async () => {
    const id = await createGcs();
    emu.setSchemaReady(id);
    expect((await api.get(`/api/connections/${id}/schemas/status`)).body.data.cache_status).toBe("fresh");
    expect(() => emu.setSchemaReady("nope")).toThrow();
  });

  it("400 for types without a schema cache, 404 for unknown connections", async () => {
    const hook = (await api.post("/api/connections", webhookConnectionBody())).body.data.id;
    const status = await api.get(`/api/connections/${hook}/schemas/status`);
    expect(status.status).toBe(400);
    expect(status.body.message).toBe("connection type webhook has no schema cache");
    expect((await api.post(`/api/connections/${hook}/schemas/refresh`)).status).toBe(400);
    expect((await api.get("/api/connections/nope/schemas/status")).status).toBe(404);
    expect((await api.post("/api/connections/nope/schemas/refresh")).status).toBe(404);
  });
});
