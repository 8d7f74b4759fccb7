import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { type ApiClient, apiClient, webhookConnectionBody } from "../helpers/emulator";

let emu: RunningEmulator;
let api: ApiClient;
let n = 0;
const newKey = () => `idem-key-${++n}-${Date.now()}`;

beforeAll(async () => {
  emu = await startEmulator();
  api = apiClient(emu);
});
afterAll(() => emu.close());

describe("Idempotency-Key", () => {
  it("same key twice: one object, same body, replay marked", async () => {
    const key = newKey();
    const headers = { "Idempotency-Key": key };
    const before = emu.state.connections.size;
    const first = await api.post("/api/connections", webhookConnectionBody({ name: "once" }), { headers });
    const second = await api.post("/api/connections", webhookConnectionBody({ name: "once" }), { headers });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(emu.state.connections.size).toBe(before + 1);
  });

  it("the recorded outcome wins even when the retry's body differs", async () => {
    const headers = { "Idempotency-Key": newKey() };
    const first = await api.post("/api/connections", webhookConnectionBody({ name: "first" }), { headers });
    const second = await api.post("/api/connections", webhookConnectionBody({ name: "second" }), { headers });
    expect(second.body.data.name).toBe("first");
    expect(second.body.data.id).toBe(first.body.data.id);
  });

  it("error outcomes are recorded too", async () => {
    const headers = { "Idempotency-Key": newKey() };
    const first = await api.post(
      "/api/connections",
      { name: "bad", type: "nope", configuration: {} },
      { headers },
    );
    expect(first.status).toBe(422);
    const second = await api.post("/api/connections", webhookConnectionBody(), { headers });
    expect(second.status).toBe(422);
    expect(second.text).toBe(first.text);
  });

  it("202 with Location is replayed with its headers", async () => {
    const gcs = await api.post("/api/connections", {
      name: "g",
      type: "gcs",
      configuration: { service_account: "{}", bucket: "b" },
      validate: false,
    });
    const headers = { "Idempotency-Key": newKey() };
    const path = `/api/connections/${gcs.body.data.id}/schemas/refresh`;
    const first = await api.post(path, undefined, { headers });
    const second = await api.post(path, undefined, { headers });
    expect(second.status).toBe(202);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
  });

  it("409 idempotency_conflict while the first request is in flight", async () => {
    emu.addFault({ method: "POST", path: "/api/connections", kind: "latency", latencyMs: 400, times: 1 });
    const headers = { "Idempotency-Key": newKey() };
    const before = emu.state.connections.size;
    const slow = api.post("/api/connections", webhookConnectionBody({ name: "slow" }), { headers });
    await new Promise((r) => setTimeout(r, 100));
    const conflict = await api.post("/api/connections", webhookConnectionBody({ name: "slow" }), { headers });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ key: "idempotency_conflict", status: 409 });
    const first = await slow;
    expect(first.status).toBe(200);
    const replay = await api.post("/api/connections", webhookConnectionBody({ name: "slow" }), { headers });
    expect(replay.text).toBe(first.text);
    expect(emu.state.connections.size).toBe(before + 1);
  });

  it("400 for a malformed key, nothing created", async () => {
    const before = emu.state.connections.size;
    for (const key of ["short", "has spaces here", "x".repeat(256)]) {
      const r = await api.post("/api/connections", webhookConnectionBody(), {
        headers: { "Idempotency-Key": key },
      });
      expect(r.status).toBe(400);
      expect(r.body.key).toBe("invalid_idempotency_key");
    }
    expect(emu.state.connections.size).toBe(before);
  });

  it("is ignored on PUT (documented for POST only)", async () => {
    const id = (await api.post("/api/connections", webhookConnectionBody())).body.data.id;
    const headers = { "Idempotency-Key": newKey() };
    const a = await api.put(
      `/api/connections/${id}`,
      { name: "a", configuration: { url: "u", auth_method: "polytomic_secret" } },
      { headers },
    );
    const b = await api.put(
      `/api/connections/${id}`,
      { name: "b", configuration: { url: "u", auth_method: "polytomic_secret" } },
      { headers },
    );
    expect(a.body.data.name).toBe("a");
    expect(b.body.data.name).toBe("b");
  });
});
