import { describe, expect, it } from "vitest";
import { loadConnectionSchema } from "../../src/connection-types/registry";
import { deletePaths, keepStoredSecrets, MASK, maskPaths } from "../../src/emulator/config-paths";
import { fillDefaults } from "../../src/emulator/connection-config";
import { inferType, parseCsv, typedExample } from "../../src/emulator/csv";
import { FaultInjector, seededRandom } from "../../src/emulator/faults";
import { isValidIdempotencyKey } from "../../src/emulator/idempotency";
import { bucketName } from "../../src/emulator/model-source";
import { RateLimiter } from "../../src/emulator/rate-limit";

describe("config paths", () => {
  const config = () => ({
    url: "u",
    basic: { username: "me", password: "pw" },
    query: [
      { name: "a", value: "1" },
      { name: "b", value: "" },
    ],
    secret: null as string | null,
  });

  it("masks set values only", () => {
    const masked = maskPaths(config(), ["basic.password", "query[].value", "secret", "missing.path"]);
    expect(masked).toEqual({
      url: "u",
      basic: { username: "me", password: MASK },
      query: [
        { name: "a", value: MASK },
        { name: "b", value: "" },
      ],
      secret: null,
    });
  });

  it("deletes values at patterns", () => {
    const c = config();
    deletePaths(c, ["basic.password", "query[].name"]);
    expect(c.basic).toEqual({ username: "me" });
    expect(c.query).toEqual([{ value: "1" }, { value: "" }]);
  });

  it.each([
    ["mask keeps", { password: MASK }, "pw"],
    ["omitted keeps", {}, "pw"],
    ["new value replaces", { password: "new" }, "new"],
    ["empty string clears", { password: "" }, ""],
    ["null stays null (then dropped)", { password: null }, null],
  ])("keepStoredSecrets: %s", (_name, basic, expected) => {
    const next: Record<string, unknown> = { basic: { username: "me", ...basic } };
    keepStoredSecrets(next, { basic: { username: "me", password: "pw" } }, ["basic.password"]);
    expect((next.basic as Record<string, unknown>).password).toEqual(expected);
  });

  it("keepStoredSecrets: parent object absent stays absent; array items match by index; mask with nothing stored is dropped", () => {
    const next: Record<string, unknown> = {
      query: [
        { name: "a", value: MASK },
        { name: "c", value: MASK },
      ],
    };
    keepStoredSecrets(next, { basic: { password: "pw" }, query: [{ name: "a", value: "1" }] }, [
      "basic.password",
      "query[].value",
    ]);
    expect(next).toEqual({ query: [{ name: "a", value: "1" }, { name: "c" }] });
  });

  it("fills scalar defaults only", () => {
    const c: Record<string, unknown> = { bucket: "b" };
    fillDefaults(loadConnectionSchema("gcs")!, c);
    expect(c).toEqual({
      bucket: "b",
      csv_has_headers: true,
      is_single_table: false,
      is_directory_snapshot: false,
      single_table_file_format: "csv",
      skip_lines: 0,
    });
  });
});

describe("csv", () => {
  it("parses quotes, doubled quotes, CRLF, BOM and blank lines", () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n\n1,\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["1", ""],
    ]);
    expect(parseCsv("a,b")).toEqual([["a", "b"]]);
  });

  it.each([
    [["1", "2.5", "-3", ""], "number"],
    [["true", "FALSE"], "boolean"],
    [["2024-01-02", "2024-03-04T05:06:07Z"], "datetime"],
    [["2024-13-45"], "string"],
    [["a@example.com"], "string"],
    [[], "string"],
    [["1", "x"], "string"],
  ])("inferType(%j) = %s", (values, type) => {
    expect(inferType(values)).toBe(type);
  });

  it("types examples", () => {
    expect(typedExample("12", "number")).toBe(12);
    expect(typedExample("True", "boolean")).toBe(true);
    expect(typedExample("", "string")).toBeNull();
    expect(typedExample("2024-01-01", "datetime")).toBe("2024-01-01");
  });
});

describe("bucket names", () => {
  it.each([
    ["my-bucket", "my-bucket"],
    ["gcs://my-bucket/some/path", "my-bucket"],
    ["gs://other", "other"],
    ["  spaced  ", "spaced"],
    [undefined, ""],
  ])("%s -> %s", (input, expected) => {
    expect(bucketName(input)).toBe(expected);
  });
});

describe("idempotency keys", () => {
  it.each([
    ["abcdefgh", true],
    ["0f8fad5b-d9cb-469f-a165-70867728950e", true],
    ["under_score-dash", true],
    ["short", false],
    ["has space in it", false],
    ["x".repeat(255), true],
    ["x".repeat(256), false],
    ["ünïcode-key", false],
  ])("%s -> %s", (key, valid) => {
    expect(isValidIdempotencyKey(key)).toBe(valid);
  });
});

describe("faults and rate limit", () => {
  it("seeded PRNG repeats", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("plans latency plus the first terminal rule, consuming times", () => {
    const f = new FaultInjector([
      { kind: "latency", latencyMs: 10 },
      { kind: "latency", latencyMs: 5, method: "POST" },
      { kind: "status", status: 503, path: /^\/api\/connections$/, times: 1 },
      { kind: "hang", path: "/api/connections" },
    ]);
    expect(f.plan("POST", "/api/connections")).toMatchObject({ latencyMs: 15, terminal: { kind: "status" } });
    expect(f.plan("POST", "/api/connections")).toMatchObject({ latencyMs: 15, terminal: { kind: "hang" } });
    expect(f.plan("GET", "/api/me")).toEqual({ latencyMs: 10, kinds: ["latency"] });
  });

  it("applies probability with the seed, repeatably", () => {
    const run = () => {
      const f = new FaultInjector([{ kind: "status", status: 500, probability: 0.3 }], 7);
      return Array.from({ length: 200 }, () => f.plan("GET", "/x").terminal !== undefined);
    };
    const first = run();
    expect(run()).toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it("rate limiter: sliding one-second window", () => {
    const r = new RateLimiter(2);
    expect(r.check(1000)).toEqual({ ok: true });
    expect(r.check(1100)).toEqual({ ok: true });
    expect(r.check(1200)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(r.check(2000)).toEqual({ ok: true });
    expect(r.check(2050)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});
