import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main, parseCliArgs } from "../../src/emulator/cli";

const root = path.join(__dirname, "../..");
const built = fs.existsSync(path.join(root, "dist/emulator/cli.js"));

describe("parseCliArgs", () => {
  it("defaults: port 8080, key from env or test-api-key", () => {
    expect(parseCliArgs([], {})).toMatchObject({ port: 8080, apiKeys: ["test-api-key"], faults: [] });
    expect(parseCliArgs([], { POLYTOMIC_API_KEY: "from-env" }).apiKeys).toEqual(["from-env"]);
  });

  it("reads every option", () => {
    const o = parseCliArgs(
      [
        "--port",
        "0",
        "--api-key",
        "a",
        "--api-key",
        "b",
        "--state",
        "s.json",
        "--schema-ready-delay-ms",
        "10",
        "--buckets-dir",
        "/tmp/b",
        "--latency-ms",
        "5",
        "--fail-rate",
        "0.3",
        "--rate-limit",
        "20",
        "--seed",
        "9",
        "--execution-delay-ms",
        "250",
        "--delivery-timeout-ms",
        "900",
        "--allow-remote-delivery",
      ],
      {},
    );
    expect(o).toMatchObject({
      port: 0,
      apiKeys: ["a", "b"],
      stateFile: "s.json",
      schemaReadyDelayMs: 10,
      bucketsDir: "/tmp/b",
      rateLimitPerSecond: 20,
      seed: 9,
      executionDelayMs: 250,
      deliveryTimeoutMs: 900,
      allowRemoteDelivery: true,
      faults: [
        { kind: "latency", latencyMs: 5 },
        { kind: "status", status: 503, probability: 0.3 },
      ],
    });
  });

  it("rejects bad values and unknown options", () => {
    expect(() => parseCliArgs(["--fail-rate", "2"], {})).toThrow(/fail-rate/);
    expect(() => parseCliArgs(["--port", "x"], {})).toThrow(/port/);
    expect(() => parseCliArgs(["--bogus"], {})).toThrow();
    expect(() => parseCliArgs(["--execution-delay-ms", "-1"], {})).toThrow(/execution-delay-ms/);
    expect(parseCliArgs([], {}).allowRemoteDelivery).toBeUndefined();
  });
});

describe("main", () => {
  it("starts an emulator and prints the listening line", async () => {
    const lines: string[] = [];
    const emu = await main(["--port", "0", "--api-key", "cli-key"], { env: {}, out: (l) => lines.push(l) });
    expect(emu).toBeDefined();
    try {
      expect(lines[0]).toBe(`polytomic-emulator listening on ${emu!.url}`);
      const r = await fetch(`${emu!.url}/api/me`, { headers: { Authorization: "Bearer cli-key" } });
      expect(r.status).toBe(200);
      expect(lines.some((l) => l.startsWith("GET /api/me 200"))).toBe(true);
    } finally {
      await emu!.close();
    }
  });

  it("--help prints usage and starts nothing", async () => {
    const lines: string[] = [];
    expect(await main(["--help"], { out: (l) => lines.push(l) })).toBeUndefined();
    expect(lines.join("\n")).toContain("--schema-ready-delay-ms");
  });
});

describe.skipIf(!built)("bin/polytomic-emulator.js (needs dist/)", () => {
  it("starts, answers and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [path.join(root, "bin/polytomic-emulator.js"), "--port", "0", "--quiet"],
      {
        env: { ...process.env, POLYTOMIC_API_KEY: "bin-key" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error("no listening line")), 10_000);
      });
      const r = await fetch(`${url}/api/me`, { headers: { Authorization: "Bearer bin-key" } });
      expect(r.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
