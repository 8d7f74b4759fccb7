import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PolytomicApiError, PolytomicClient, type RequestLogEntry } from "../../src/client";
import { unknownOutcomeDetail } from "../../src/client/unknown-outcome";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { API_KEY } from "../helpers/sa";

/**
 * Polytomic records a POST's outcome under its Idempotency-Key, "including error responses such as 500", and
 * answers every retry with the key the same. So a keyed POST answered 500 fails at once, with an error saying the
 * object may exist and how to look for it; other methods still retry a 500.
 */

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY] });
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
});

function client() {
  const log: RequestLogEntry[] = [];
  const c = new PolytomicClient({
    apiKey: API_KEY,
    deploymentUrl: emulator.url,
    onRequest: (e) => log.push(e),
    sleep: async () => {},
  });
  return { c, log };
}

const webhook = (name: string) => ({
  name,
  type: "webhook",
  configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
});

describe("a keyed POST answered 500", () => {
  it("fails after one request, naming the key and how to look for the object", async () => {
    emulator.addFault({ method: "POST", path: "/api/connections", kind: "status", status: 500, times: 1 });
    const { c, log } = client();
    const error = (await c.connections
      .create(webhook("hook 500"))
      .catch((e: unknown) => e)) as PolytomicApiError;

    expect(log).toHaveLength(1);
    const key = log[0]?.idempotencyKey as string;
    expect(log).toEqual([
      {
        method: "POST",
        path: "/api/connections",
        attempt: 1,
        status: 500,
        durationMs: expect.any(Number),
        idempotencyKey: key,
      },
    ]);
    expect(emulator.requests.map((r) => [r.method, r.path, r.status, r.idempotencyKey])).toEqual([
      ["POST", "/api/connections", 500, key],
    ]);

    expect(error).toBeInstanceOf(PolytomicApiError);
    expect(error.status).toBe(500);
    expect(error.request).toMatchObject({ attempts: 1, idempotencyKey: key });
    expect(error.message).toBe(
      `POST /api/connections failed (500): injected fault: status 500. Polytomic answers every retry with ` +
        `Idempotency-Key ${key} the same 500, so it was not retried; the connection "hook 500" may have been ` +
        `created: look for it by name in Polytomic or with GET /api/connections before trying again`,
    );
    expect(emulator.state.connections.size).toBe(0);
  });

  it("a 503 before it is still retried with the same key, and the 500 then ends the call", async () => {
    emulator.addFault({ method: "POST", path: "/api/models", kind: "status", status: 503, times: 1 });
    emulator.addFault({ method: "POST", path: "/api/models", kind: "status", status: 500, times: 1 });
    const { c, log } = client();
    const error = (await c.models
      .create({ name: "m", connection_id: "none", configuration: {} })
      .catch((e: unknown) => e)) as PolytomicApiError;
    expect(log.map((l) => [l.attempt, l.status])).toEqual([
      [1, 503],
      [2, 500],
    ]);
    expect(new Set(log.map((l) => l.idempotencyKey)).size).toBe(1);
    expect(error.message).toMatch(/the model "m" may have been created: look for it by name/);
  });

  it("GET, PUT and DELETE still retry a 500", async () => {
    const { c, log } = client();
    const created = await c.connections.create(webhook("retried"));
    log.length = 0;
    for (const method of ["GET", "PUT", "DELETE"])
      emulator.addFault({ method, kind: "status", status: 500, times: 1 });
    await c.connections.get(created.id);
    await c.connections.update(created.id, webhook("retried v2"));
    await c.connections.delete(created.id);
    expect(log.map((l) => [l.method, l.status])).toEqual([
      ["GET", 500],
      ["GET", 200],
      ["PUT", 500],
      ["PUT", 200],
      ["DELETE", 500],
      ["DELETE", 200],
    ]);
  });
});

describe("unknownOutcomeDetail", () => {
  const base = { idempotencyKey: "k-12345678", sent: undefined, answered: undefined };
  it("names the object by the id the answer gave, else by the name sent, else by its kind", () => {
    expect(
      unknownOutcomeDetail("boom", { ...base, path: "/api/syncs", answered: { metadata: { id: "s1" } } }),
    ).toBe(
      "boom. Polytomic answers every retry with Idempotency-Key k-12345678 the same 500, so it was not retried; " +
        "the sync s1 may have been created: check with GET /api/syncs/s1 before trying again",
    );
    expect(unknownOutcomeDetail(undefined, { ...base, path: "/api/syncs/s1/executions?x=1" })).toMatch(
      /^HTTP 500\. .*; an execution may have been created: look for it with GET \/api\/syncs\/s1\/executions before trying again$/,
    );
    expect(unknownOutcomeDetail("boom", { ...base, path: "/api/syncs/s1/activate" })).toMatch(
      /; it may have taken effect: check before trying again$/,
    );
  });
});
