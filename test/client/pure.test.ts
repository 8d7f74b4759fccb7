import { describe, expect, it } from "vitest";
import { normalizeDeploymentUrl } from "../../src/client/deployment-url";
import { PolytomicApiError, parseApiErrorBody } from "../../src/client/errors";
import { IDEMPOTENCY_KEY_PATTERN, newIdempotencyKey } from "../../src/client/idempotency";
import { redactText, redactValue } from "../../src/client/redact";
import { isSchemaCacheReady, waitForSchemaCache } from "../../src/client/schema-wait";

describe("normalizeDeploymentUrl", () => {
  it.each([
    [undefined, "https://app.polytomic.com"],
    ["", "https://app.polytomic.com"],
    ["app.polytomic.com", "https://app.polytomic.com"],
    ["https://polytomic.example.com/", "https://polytomic.example.com"],
    ["https://polytomic.example.com/api/", "https://polytomic.example.com"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["https://example.com/polytomic", "https://example.com/polytomic"],
  ])("%s -> %s", (raw, expected) => {
    expect(normalizeDeploymentUrl(raw)).toBe(expected);
  });

  it("names the setting when the URL is bad", () => {
    expect(() => normalizeDeploymentUrl("ftp://x")).toThrow(/deploymentUrl/);
    expect(() => normalizeDeploymentUrl("http://[::1")).toThrow(/deploymentUrl/);
  });
});

describe("idempotency keys", () => {
  it("match Polytomic's format and differ per call", () => {
    const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
    expect(keys.size).toBe(100);
    for (const k of keys) expect(k).toMatch(IDEMPOTENCY_KEY_PATTERN);
  });
});

describe("redaction", () => {
  it("replaces every occurrence, in strings and nested values", () => {
    expect(redactText("key sk-123456 and sk-123456", ["sk-123456"])).toBe("key [redacted] and [redacted]");
    expect(redactValue({ a: ["x hunter22 y"], hunter22: 1 }, ["hunter22"])).toEqual({
      a: ["x [redacted] y"],
      "[redacted]": 1,
    });
  });
});

describe("PolytomicApiError", () => {
  it("reads like 'METHOD path failed (status): message' and never holds a secret", () => {
    const e = new PolytomicApiError({
      status: 422,
      request: { method: "POST", path: "/api/connections", attempts: 1 },
      body: { message: "bad key s3cr3t-value", key: "invalid", metadata: { echoed: "s3cr3t-value" } },
      secrets: ["s3cr3t-value"],
    });
    expect(e.message).toBe("POST /api/connections failed (422): bad key [redacted]");
    expect(e.status).toBe(422);
    expect(e.key).toBe("invalid");
    expect(e.metadata).toEqual({ echoed: "[redacted]" });
    expect(JSON.stringify(e)).not.toContain("s3cr3t-value");
  });

  it("parses the current and the older error shapes", () => {
    expect(parseApiErrorBody({ message: "m", key: "k", status: 400, metadata: { a: 1 } })).toEqual({
      message: "m",
      key: "k",
      status: 400,
      metadata: { a: 1 },
    });
    expect(parseApiErrorBody({ error: "old", code: 401, status: "Unauthorized" })?.message).toBe("old");
    expect(parseApiErrorBody({ error: { message: "legacy" } })?.message).toBe("legacy");
    expect(parseApiErrorBody("nope")).toBeUndefined();
  });
});

describe("schema cache readiness", () => {
  it.each([
    [{ cache_status: "refreshing", last_refresh_started: "2026-01-01T00:00:00Z" }, false],
    [
      {
        cache_status: "refreshing",
        last_refresh_started: "2026-01-01T00:00:05Z",
        last_refresh_finished: "2026-01-01T00:00:01Z",
      },
      false,
    ],
    [
      {
        cache_status: "fresh",
        last_refresh_started: "2026-01-01T00:00:00Z",
        last_refresh_finished: "2026-01-01T00:00:03Z",
      },
      true,
    ],
    [{ cache_status: "cached", last_refresh_finished: "2026-01-01T00:00:03Z" }, true],
    [{ cache_status: "true" }, true],
    [{ cache_status: "fresh" }, true],
    [{}, false],
    [
      {
        cache_status: "fresh",
        last_refresh_started: "2026-01-01T00:00:09Z",
        last_refresh_finished: "2026-01-01T00:00:03Z",
      },
      false,
    ],
  ])("%j -> %s", (status, ready) => {
    expect(isSchemaCacheReady(status)).toBe(ready);
  });

  it("polls with growing, capped intervals until ready, on a virtual clock", async () => {
    let t = 0;
    const sleeps: number[] = [];
    const readyAt = 600_000 - 1;
    const result = await waitForSchemaCache(
      async () => (t >= readyAt ? { cache_status: "fresh" } : { cache_status: "refreshing" }),
      {
        timeoutMs: 600_000,
        now: () => t,
        sleep: async (ms) => {
          sleeps.push(ms);
          t += ms;
        },
      },
    );
    expect(result.ready).toBe(true);
    expect(sleeps[0]).toBe(1000);
    for (let i = 1; i < sleeps.length; i++) expect(sleeps[i]).toBeLessThanOrEqual(30_000);
    // Noticed within the interval bound: initial + 10% of the time waited.
    expect(result.waitedMs - readyAt).toBeLessThanOrEqual(1000 + 0.1 * result.waitedMs);
  });

  it("reports a timeout with the last status", async () => {
    let t = 0;
    const result = await waitForSchemaCache(async () => ({ cache_status: "refreshing" }), {
      timeoutMs: 10_000,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    });
    expect(result.ready).toBe(false);
    if (!result.ready) expect(result.reason).toMatch(/not ready after 10 s \(cache_status: refreshing\)/);
  });
});

describe("expandSecrets", () => {
  it("adds the string values inside a JSON secret and the long lines of a multi-line one", async () => {
    const { expandSecrets } = await import("../../src/client/redact");
    const sa = JSON.stringify({
      private_key: "-----BEGIN-----\nAAAABBBBCCCCDDDDEEEE\n-----END-----",
      id: "short",
    });
    const parts = expandSecrets([sa]);
    expect(parts).toContain(sa);
    expect(parts).toContain("AAAABBBBCCCCDDDDEEEE");
    expect(parts).toContain("-----BEGIN-----\nAAAABBBBCCCCDDDDEEEE\n-----END-----");
    expect(parts).not.toContain("short");
    expect(redactText("bad key AAAABBBBCCCCDDDDEEEE", parts)).toBe("bad key [redacted]");
  });
});
