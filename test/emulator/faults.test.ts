import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { type ApiClient, apiClient, sleep, webhookConnectionBody } from "../helpers/emulator";

let emu: RunningEmulator;
let api: ApiClient;

beforeAll(async () => {
  emu = await startEmulator();
  api = apiClient(emu);
});
afterEach(() => emu.clearFaults());
afterAll(() => emu.close());

describe("fault kinds", () => {
  it("latency delays, then answers normally", async () => {
    emu.addFault({ kind: "latency", latencyMs: 250, path: "/api/me" });
    const t0 = Date.now();
    const r = await api.get("/api/me");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(r.status).toBe(200);
    expect(emu.requests.at(-1)).toMatchObject({ path: "/api/me", status: 200, fault: "latency" });
  });

  it("status answers with an ApiError and Retry-After, without touching state", async () => {
    emu.addFault({
      kind: "status",
      status: 503,
      retryAfter: "2",
      method: "POST",
      path: /^\/api\/connections$/,
      times: 1,
    });
    const before = emu.state.connections.size;
    const r = await api.post("/api/connections", webhookConnectionBody());
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 503, key: expect.any(String), message: expect.any(String) });
    expect(r.headers.get("retry-after")).toBe("2");
    expect(emu.state.connections.size).toBe(before);
    // times: 1 -> the next request goes through
    expect((await api.post("/api/connections", webhookConnectionBody())).status).toBe(200);
  });

  it("gateway status faults (503) are not recorded as idempotent outcomes", async () => {
    emu.addFault({ kind: "status", status: 503, method: "POST", times: 1 });
    const headers = { "Idempotency-Key": "status-fault-key-1" };
    expect((await api.post("/api/connections", webhookConnectionBody(), { headers })).status).toBe(503);
    const retry = await api.post("/api/connections", webhookConnectionBody(), { headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a 500 is the application's outcome: recorded under the key and replayed, and nothing is created", async () => {
    emu.addFault({ kind: "status", status: 500, method: "POST", path: "/api/connections", times: 1 });
    const before = emu.state.connections.size;
    const headers = { "Idempotency-Key": "application-500-key" };
    const first = await api.post("/api/connections", webhookConnectionBody(), { headers });
    expect(first.status).toBe(500);
    expect(first.body).toMatchObject({ status: 500, key: "injected_fault" });
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    // The rule is used up: the replay is Polytomic's idempotency, not a second fault.
    const replay = await api.post("/api/connections", webhookConnectionBody(), { headers });
    expect(replay.status).toBe(500);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(emu.state.connections.size).toBe(before);
    expect(emu.requests.slice(-2)).toMatchObject([
      { method: "POST", status: 500, fault: "status", idempotencyKey: "application-500-key" },
      { method: "POST", status: 500, idempotencyKey: "application-500-key" },
    ]);
    expect(emu.requests.at(-1)?.fault).toBeUndefined();
    // A new key is a new request.
    const fresh = await api.post("/api/connections", webhookConnectionBody(), {
      headers: { "Idempotency-Key": "application-500-key-2" },
    });
    expect(fresh.status).toBe(200);
    expect(emu.state.connections.size).toBe(before + 1);
  });

  it("an application 500 comes after authentication, and a key's recorded outcome wins over it", async () => {
    const headers = { "Idempotency-Key": "recorded-before-500" };
    const created = await api.post("/api/connections", webhookConnectionBody(), { headers });
    emu.addFault({ kind: "status", status: 500, method: "POST", times: 2 });
    const unauthenticated = await api.post("/api/connections", webhookConnectionBody(), {
      headers: { ...headers, Authorization: "Bearer wrong-key" },
    });
    expect(unauthenticated.status).toBe(401);
    const replay = await api.post("/api/connections", webhookConnectionBody(), { headers });
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(created.text);
  });

  it("reachesApplication overrides the default: a 503 from the application is replayed, a 500 in front is not", async () => {
    emu.addFault({ kind: "status", status: 503, reachesApplication: true, method: "POST", times: 1 });
    const applicationKey = { "Idempotency-Key": "application-503-key" };
    expect(
      (await api.post("/api/connections", webhookConnectionBody(), { headers: applicationKey })).status,
    ).toBe(503);
    const replayed = await api.post("/api/connections", webhookConnectionBody(), { headers: applicationKey });
    expect(replayed.status).toBe(503);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");

    emu.addFault({ kind: "status", status: 500, reachesApplication: false, method: "POST", times: 1 });
    const gatewayKey = { "Idempotency-Key": "gateway-500-key" };
    expect(
      (await api.post("/api/connections", webhookConnectionBody(), { headers: gatewayKey })).status,
    ).toBe(500);
    expect(
      (await api.post("/api/connections", webhookConnectionBody(), { headers: gatewayKey })).status,
    ).toBe(200);
  });

  it("drop-before-commit: socket closed, nothing done", async () => {
    emu.addFault({ kind: "drop-before-commit", method: "POST", path: "/api/connections", times: 1 });
    const before = emu.state.connections.size;
    await expect(api.post("/api/connections", webhookConnectionBody())).rejects.toThrow();
    expect(emu.state.connections.size).toBe(before);
    expect(emu.requests.at(-1)).toMatchObject({ status: 0, fault: "drop-before-commit" });
  });

  it("drop-after-commit: done and recorded, then dropped; a retry with the key replays", async () => {
    emu.addFault({ kind: "drop-after-commit", method: "POST", path: "/api/connections", times: 1 });
    const before = emu.state.connections.size;
    const headers = { "Idempotency-Key": "drop-after-commit-key" };
    await expect(
      api.post("/api/connections", webhookConnectionBody({ name: "dropped" }), { headers }),
    ).rejects.toThrow();
    expect(emu.state.connections.size).toBe(before + 1);
    expect(emu.requests.at(-1)).toMatchObject({ status: 200, fault: "drop-after-commit" });
    const retry = await api.post("/api/connections", webhookConnectionBody({ name: "dropped" }), { headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(emu.state.connections.has(retry.body.data.id)).toBe(true);
    expect(emu.state.connections.size).toBe(before + 1);
  });

  it("hang never answers; the client's timeout fires", async () => {
    emu.addFault({ kind: "hang", path: "/api/me", times: 1 });
    await expect(api.get("/api/me", { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(emu.requests.at(-1)).toMatchObject({ path: "/api/me", status: 0, fault: "hang" });
    expect((await api.get("/api/me")).status).toBe(200);
  });

  it("close() ends hanging requests", async () => {
    const other = await startEmulator({ faults: [{ kind: "hang" }] });
    const pending = fetch(`${other.url}/api/me`).catch((e: unknown) => e);
    await sleep(50);
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("probability with a seed repeats across runs", async () => {
    const outcomes = async () => {
      const e = await startEmulator({ seed: 3, faults: [{ kind: "status", status: 500, probability: 0.5 }] });
      try {
        const c = apiClient(e);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await c.get("/api/me")).status);
        return statuses;
      } finally {
        await e.close();
      }
    };
    const a = await outcomes();
    expect(await outcomes()).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });
});

describe("rate limit", () => {
  it("429 with Retry-After beyond N requests per second, then recovers", async () => {
    const limited = await startEmulator({ rateLimitPerSecond: 3 });
    try {
      const c = apiClient(limited);
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const r = await c.get("/api/me");
        statuses.push(r.status);
        if (r.status === 429) {
          retryAfter = r.headers.get("retry-after");
          expect(r.body).toMatchObject({ status: 429, key: "rate_limited" });
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(Number(retryAfter))).toBe(true);
      await sleep(1050);
      expect((await c.get("/api/me")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
