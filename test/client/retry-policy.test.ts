import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  isRecordedFailure,
  isRetryable,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelayMs,
} from "../../src/client/retry-policy";

const P = DEFAULT_RETRY_POLICY;

describe("isRetryable", () => {
  const cases: [string, boolean, number | "net", boolean][] = [
    ["GET", false, "net", true],
    ["POST", true, "net", true],
    ["POST", false, "net", false],
    ["PUT", false, "net", true],
    ["GET", false, 408, true],
    ["GET", false, 429, true],
    ["POST", false, 429, true],
    ["GET", false, 502, true],
    ["POST", true, 503, true],
    ["DELETE", false, 504, true],
    ["GET", false, 500, true],
    ["DELETE", false, 500, true],
    // Polytomic replays a keyed POST's 500 to every retry with the key: retrying cannot help.
    ["POST", true, 500, false],
    ["POST", false, 500, false],
    ["POST", true, 409, true],
    ["POST", false, 409, false],
    ["PUT", false, 409, false],
    ["GET", false, 400, false],
    ["POST", true, 401, false],
    ["POST", true, 403, false],
    ["GET", false, 404, false],
    ["POST", true, 422, false],
    ["GET", false, 501, false],
  ];
  it.each(cases)("%s keyed=%s %s -> %s", (method, keyed, status, expected) => {
    const outcome =
      status === "net" ? { kind: "network-error" as const } : { kind: "response" as const, status };
    expect(isRetryable(P, { method, keyed }, outcome)).toBe(expected);
  });

  it("never retries a status on the do-not-retry list, whatever else the policy says", () => {
    const policy = resolveRetryPolicy({ retryStatuses: [400, 401, 403, 404, 422, 503] });
    for (const status of [400, 401, 403, 404, 422]) {
      expect(isRetryable(policy, { method: "GET", keyed: false }, { kind: "response", status })).toBe(false);
    }
  });
});

describe("isRecordedFailure", () => {
  it("is a keyed POST's 500 only", () => {
    const answer = (status: number) => ({ kind: "response" as const, status });
    expect(isRecordedFailure({ method: "POST", keyed: true }, answer(500))).toBe(true);
    expect(isRecordedFailure({ method: "POST", keyed: false }, answer(500))).toBe(false);
    expect(isRecordedFailure({ method: "PUT", keyed: false }, answer(500))).toBe(false);
    expect(isRecordedFailure({ method: "POST", keyed: true }, answer(503))).toBe(false);
    expect(isRecordedFailure({ method: "POST", keyed: true }, { kind: "network-error" })).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    [undefined, undefined],
    ["3", 3000],
    [" 0 ", 0],
    ["1.5", 1500],
    ["Thu, 01 Jan 2026 00:00:05 GMT", 5000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["soon", undefined],
  ])("%s -> %s", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("retryDelayMs", () => {
  it("honours Retry-After (capped at maxDelayMs) and spreads callers with jitter on top", () => {
    expect(retryDelayMs(P, 1, 1234, () => 0)).toBe(1234);
    expect(retryDelayMs(P, 1, 1234, () => 0.5)).toBe(1484);
    expect(retryDelayMs(P, 3, 1000, () => 0.5)).toBe(1500); // the spread never exceeds the wait itself
    expect(retryDelayMs(P, 1, 10 * 60_000, () => 0)).toBe(P.maxDelayMs);
  });

  it("uses full jitter under a doubling ceiling capped at maxDelayMs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (retry, r) => {
          const d = retryDelayMs(P, retry, undefined, () => r);
          const ceiling = Math.min(P.maxDelayMs, P.baseDelayMs * 2 ** (retry - 1));
          return d >= 0 && d <= ceiling;
        },
      ),
    );
    expect(retryDelayMs(P, 1, undefined, () => 0.999)).toBe(499);
    expect(retryDelayMs(P, 3, undefined, () => 0.5)).toBe(1000);
  });
});

describe("resolveRetryPolicy", () => {
  it("names the bad setting", () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/retry.maxAttempts/);
    expect(() => resolveRetryPolicy({ maxElapsedMs: -1 })).toThrow(/retry.maxElapsedMs/);
  });
});
