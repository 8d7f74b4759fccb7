import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { type ApiClient, apiClient } from "../helpers/emulator";

let emu: RunningEmulator;
let api: ApiClient;

beforeAll(async () => {
  emu = await startEmulator({ apiKeys: ["test-api-key", "second-key"] });
  api = apiClient(emu);
});
afterAll(() => emu.close());

describe("auth, versioning, errors", () => {
  it("listens on 127.0.0.1 with an ephemeral port", () => {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.port).toBeGreaterThan(0);
  });

  it("401 without a key", async () => {
    const r = await api.get("/api/me", { noAuth: true });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ key: "unauthorized", message: expect.any(String), status: 401 });
  });

  it("401 with a wrong key, never echoing it", async () => {
    const r = await api.get("/api/connections", { headers: { Authorization: "Bearer wrong-secret-key" } });
    expect(r.status).toBe(401);
    expect(r.body.key).toBe("unauthorized");
    expect(r.text).not.toContain("wrong-secret-key");
  });

  it("401 for Basic auth and an empty bearer", async () => {
    expect((await api.get("/api/me", { headers: { Authorization: "Basic dGVzdDp0ZXN0" } })).status).toBe(401);
    expect((await api.get("/api/me", { headers: { Authorization: "Bearer " } })).status).toBe(401);
  });

  it("accepts every configured key", async () => {
    expect((await apiClient(emu, "second-key").get("/api/me")).status).toBe(200);
  });

  it("GET /api/me returns the identity", async () => {
    const r = await api.get("/api/me");
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      email: expect.any(String),
      id: expect.any(String),
      is_organization: false,
      is_partner: false,
      is_system: false,
      is_user: true,
      organization_id: expect.any(String),
      organization_name: expect.any(String),
      role: expect.any(String),
    });
  });

  it("echoes X-Polytomic-Version, default 2025-09-18, also on errors", async () => {
    expect((await api.get("/api/me")).headers.get("x-polytomic-version")).toBe("2025-09-18");
    const r = await api.get("/api/me", { headers: { "X-Polytomic-Version": "2024-02-08" } });
    expect(r.headers.get("x-polytomic-version")).toBe("2024-02-08");
    const e = await api.get("/api/me", { noAuth: true, headers: { "X-Polytomic-Version": "2024-02-08" } });
    expect(e.headers.get("x-polytomic-version")).toBe("2024-02-08");
  });

  it("unknown route -> 404 ApiError", async () => {
    const r = await api.get("/api/nothing-here");
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ key: "not_found", status: 404, message: expect.any(String) });
  });

  it("wrong method -> 405 with Allow", async () => {
    const r = await api.call("PATCH", "/api/connections");
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toContain("GET");
  });

  it("bad JSON -> 400", async () => {
    const r = await api.post("/api/connections", undefined, { rawBody: "{not json" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ key: "bad_request", status: 400 });
    expect(r.body.message).toMatch(/JSON/);
  });

  it("non-object body -> 400", async () => {
    const r = await api.post("/api/connections", [1, 2]);
    expect(r.status).toBe(400);
  });

  it("trailing slash is tolerated", async () => {
    expect((await api.get("/api/me/")).status).toBe(200);
  });

  it("lists connection types and serves their schemas", async () => {
    const list = await api.get("/api/connection_types");
    expect(list.body.data.length).toBe(226);
    expect(list.body.data.find((t: { id: string }) => t.id === "gcs")).toMatchObject({
      name: "Google Cloud Storage",
    });
    const schema = await api.get("/api/connection_types/webhook");
    expect(schema.body.required).toEqual(["url", "auth_method"]);
    expect((await api.get("/api/connection_types/unknown")).status).toBe(404);
  });

  it("records requests in arrival order and can be cleared", async () => {
    emu.requests.length = 0;
    await api.get("/api/me?x=1");
    await api.post("/api/connections", { name: "n" }, { headers: { "Idempotency-Key": "record-me-123" } });
    expect(emu.requests).toEqual([
      { method: "GET", path: "/api/me", query: "x=1", status: 200 },
      {
        method: "POST",
        path: "/api/connections",
        query: "",
        status: 400,
        idempotencyKey: "record-me-123",
        body: { name: "n" },
      },
    ]);
  });

  it("logs one line per request when asked", async () => {
    const lines: string[] = [];
    const logged = await startEmulator({ log: (l) => lines.push(l) });
    try {
      await apiClient(logged).get("/api/me");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^GET \/api\/me 200 \d+ms$/);
    } finally {
      await logged.close();
    }
  });
});
