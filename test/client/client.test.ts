import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PolytomicApiError, PolytomicClient, type RequestLogEntry } from "../../src/client";
import { IDEMPOTENCY_KEY_PATTERN } from "../../src/client/idempotency";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { PACKAGE_VERSION } from "../../src/version";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 50 });
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
});

/** A client with instant waits and a recorded log, so retry tests assert what was sent without sleeping. */
function client(overrides: Partial<ConstructorParameters<typeof PolytomicClient>[0]> = {}) {
  const log: RequestLogEntry[] = [];
  const waits: number[] = [];
  const c = new PolytomicClient({
    apiKey: API_KEY,
    deploymentUrl: emulator.url,
    onRequest: (e) => log.push(e),
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { c, log, waits };
}

const gcsBody = (name = "gcs") => ({
  name,
  type: "gcs",
  configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
});

describe("headers", () => {
  it("sends the bearer key, API version, user agent, accept and a JSON body", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { id: "u1", email: "me@example.com" } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const c = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: url });
    await c.me();
    await c.transport.call("POST", "/api/connections/x/schemas/refresh");
    server.close();
    expect(seen[0]).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      "x-polytomic-version": "2025-09-18",
      "user-agent": `pulumi-polytomic/${PACKAGE_VERSION}`,
      accept: "application/json",
    });
    expect(seen[0]?.["idempotency-key"]).toBeUndefined();
    expect(seen[1]?.["idempotency-key"]).toMatch(IDEMPOTENCY_KEY_PATTERN);
  });
});

describe("envelopes and validation", () => {
  it("unwraps {data} and validates it", async () => {
    const { c } = client();
    const me = await c.me();
    expect(me.organization_id).toBeTypeOf("string");
    const created = await c.connections.create(gcsBody());
    expect(created.type.id).toBe("gcs");
    expect(created.configuration.service_account).toBe("********");
    const got = await c.connections.get(created.id);
    expect(got.id).toBe(created.id);
  });

  it("names a missing required field of the response", async () => {
    const server = createServer((_req, res) =>
      res.end(JSON.stringify({ data: { name: "no id", type: { id: "x" } } })),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const c = new PolytomicClient({
      apiKey: API_KEY,
      deploymentUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    const error = await c.connections.get("c1").catch((e) => e);
    server.close();
    expect(error).toBeInstanceOf(PolytomicApiError);
    expect(error.message).toMatch(
      /^GET \/api\/connections\/c1 failed \(200\): unexpected response body: data\.id/,
    );
  });
});

describe("errors", () => {
  it("maps the API's error body and never shows the key or secret values", async () => {
    const { c, log } = client();
    const body = { ...gcsBody(), configuration: { service_account: FAKE_SERVICE_ACCOUNT } };
    const error = (await c.connections
      .create(body, { secrets: [FAKE_SERVICE_ACCOUNT] })
      .catch((e) => e)) as PolytomicApiError;
    expect(error).toBeInstanceOf(PolytomicApiError);
    expect(error.status).toBe(422);
    expect(error.method).toBe("POST");
    expect(error.path).toBe("/api/connections");
    expect(error.message).toMatch(/^POST \/api\/connections failed \(422\): .*bucket/);
    expect(log).toHaveLength(1); // 422 is never retried
    const text = JSON.stringify({ m: error.message, e: error, meta: error.metadata, c: String(error.cause) });
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain("THIS-IS-NOT-A-REAL-KEY");
  });

  it("401 with a wrong key: not retried, and the key is not in the error", async () => {
    const { c, log } = client({ apiKey: "wrong-key-123456" });
    const error = (await c.me().catch((e) => e)) as PolytomicApiError;
    expect(error.status).toBe(401);
    expect(log.map((l) => l.status)).toEqual([401]);
    expect(error.message).not.toContain("wrong-key-123456");
  });

  it("404 for an unknown id", async () => {
    const { c } = client();
    const error = (await c.models
      .get("00000000-0000-0000-0000-000000000000")
      .catch((e) => e)) as PolytomicApiError;
    expect(error.status).toBe(404);
  });
});

describe("retries", () => {
  it("retries 503 and 502 with backoff, then succeeds: the exact request log", async () => {
    emulator.addFault({ method: "GET", path: "/api/me", kind: "status", status: 503, times: 1 });
    emulator.addFault({ method: "GET", path: "/api/me", kind: "status", status: 502, times: 1 });
    const { c, log, waits } = client();
    await c.me();
    expect(log.map((l) => [l.method, l.path, l.attempt, l.status])).toEqual([
      ["GET", "/api/me", 1, 503],
      ["GET", "/api/me", 2, 502],
      ["GET", "/api/me", 3, 200],
    ]);
    // Full jitter with random()=0.5 over ceilings 500 ms and 1000 ms.
    expect(waits).toEqual([250, 500]);
    expect(emulator.requests.map((r) => r.status)).toEqual([503, 502, 200]);
  });

  it("honours Retry-After on 429 (seconds)", async () => {
    emulator.addFault({ path: "/api/me", kind: "status", status: 429, retryAfter: "2", times: 1 });
    const { c, waits } = client();
    await c.me();
    // The server's 2 s, plus jitter (random()=0.5 over the first 500 ms ceiling) so callers told alike spread out.
    expect(waits).toEqual([2250]);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    emulator.addFault({
      path: "/api/me",
      kind: "status",
      status: 503,
      retryAfter: "Thu, 01 Jan 2026 00:00:03 GMT",
      times: 1,
    });
    const { c, waits } = client({ now: () => now });
    await c.me();
    expect(waits).toEqual([3250]);
  });

  it("retries 500 on GET but not on PUT, and never 400/404/422", async () => {
    emulator.addFault({ method: "GET", path: "/api/me", kind: "status", status: 500, times: 1 });
    const { c, log } = client();
    await c.me();
    expect(log.map((l) => l.status)).toEqual([500, 200]);
    const created = await c.connections.create(gcsBody("put-500"));
    log.length = 0;
    emulator.addFault({ method: "PUT", kind: "status", status: 500, times: 1 });
    // PUT is a full replacement, so replaying it is safe: 500 is retried for PUT too.
    await c.connections.update(created.id, gcsBody("put-500b"));
    expect(log.map((l) => [l.method, l.status])).toEqual([
      ["PUT", 500],
      ["PUT", 200],
    ]);
  });

  it("gives up after maxAttempts with the last error", async () => {
    emulator.addFault({ path: "/api/me", kind: "status", status: 503 });
    const { c, log } = client({ retry: { maxAttempts: 3 } });
    const error = (await c.me().catch((e) => e)) as PolytomicApiError;
    expect(error.status).toBe(503);
    expect(error.request.attempts).toBe(3);
    expect(log).toHaveLength(3);
  });

  it("stops when the next wait would pass maxElapsedMs", async () => {
    emulator.addFault({ path: "/api/me", kind: "status", status: 429, retryAfter: "10" });
    const { c, log } = client({ retry: { maxElapsedMs: 5000 } });
    await expect(c.me()).rejects.toThrow(/failed \(429\)/);
    expect(log).toHaveLength(1);
  });

  it("times out a hung request and retries it", async () => {
    emulator.addFault({ path: "/api/me", kind: "hang", times: 1 });
    const { c, log } = client({ timeoutMs: 300 });
    await c.me();
    expect(log.map((l) => [l.status, l.error])).toEqual([
      [0, "request timed out"],
      [200, undefined],
    ]);
  });
});

describe("idempotency", () => {
  it("keeps one key across retries of a POST and sends the same body", async () => {
    emulator.addFault({ method: "POST", path: "/api/connections", kind: "status", status: 503, times: 2 });
    const { c } = client();
    await c.connections.create(gcsBody("same-key"));
    const posts = emulator.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
    expect(posts.map((p) => JSON.stringify(p.body))).toEqual(
      Array(3).fill(JSON.stringify(gcsBody("same-key"))),
    );
  });

  it("commit-then-drop: every create succeeds once, no duplicates", async () => {
    emulator.state.clear();
    emulator.addFault({
      method: "POST",
      path: "/api/connections",
      kind: "drop-after-commit",
      probability: 0.5,
    });
    // Replays are dropped at the same rate, so allow enough attempts (the emulator's PRNG is seeded: no flakes).
    const { c } = client({ retry: { maxAttempts: 12 } });
    const names = Array.from({ length: 20 }, (_, i) => `drop-${i}`);
    const created = await Promise.all(names.map((n) => c.connections.create(gcsBody(n))));
    expect(new Set(created.map((x) => x.id)).size).toBe(20);
    const stored = [...emulator.state.connections.values()].map((x) => x.name).sort();
    expect(stored).toEqual([...names].sort());
    const dropped = emulator.requests.filter((r) => r.fault === "drop-after-commit");
    expect(dropped.length).toBeGreaterThan(0);
  });
});

describe("calls", () => {
  it("covers connections, schema status and refresh, models, syncs, executions", async () => {
    const { c } = client();
    const gcs = await c.connections.create(gcsBody("calls-gcs"));
    expect((await c.connections.list()).some((x) => x.id === gcs.id)).toBe(true);
    let status = await c.connections.schemaStatus(gcs.id);
    while (status.cache_status !== "fresh") {
      await new Promise((r) => setTimeout(r, 20));
      status = await c.connections.schemaStatus(gcs.id);
    }
    await c.connections.refreshSchema(gcs.id);
    expect((await c.connections.schemaStatus(gcs.id)).cache_status).toBe("refreshing");
    emulator.setSchemaReady(gcs.id);
    const model = await c.models.create({
      name: "users",
      connection_id: gcs.id,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    });
    expect(model.fields.map((f) => f.name)).toContain("email_address");
    const hook = await c.connections.create({
      name: "hook",
      type: "webhook",
      configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
    });
    const sync = await c.syncs.create({
      name: "s",
      mode: "create",
      fields: [{ source: { field: "email_address", model_id: model.id }, target: "record" }],
      schedule: { frequency: "manual" },
      target: { connection_id: hook.id, object: "http" },
    });
    expect((await c.syncs.get(sync.id)).name).toBe("s");
    const execution = await c.syncs.startExecution(sync.id);
    expect(execution.id).toBeTypeOf("string");
    await c.syncs.status(sync.id);
    await c.syncs.update(sync.id, {
      name: "s2",
      mode: "create",
      fields: [{ source: { field: "email_address", model_id: model.id }, target: "record" }],
      schedule: { frequency: "manual" },
      target: { connection_id: hook.id, object: "http" },
    });
    await c.syncs.delete(sync.id);
    await c.models.update(model.id, {
      name: "users2",
      connection_id: gcs.id,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    });
    await c.models.delete(model.id);
    await c.connections.delete(gcs.id);
    await c.connections.delete(hook.id, { force: true });
    await expect(c.connections.get(gcs.id)).rejects.toMatchObject({ status: 404 });
  });
});
