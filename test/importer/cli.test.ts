import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { main, parseCliArgs, summaryText, USAGE, UsageError } from "../../src/importer/cli";
import { OBJECT_SOURCES } from "../../src/importer/sources";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/sa";

let emulator: RunningEmulator;
let notPolytomic: Server;
let notPolytomicUrl: string;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-import-cli-"));
const PARTNER_KEY = "import-partner-key-5e0c";
const ENV = [
  "POLYTOMIC_API_KEY",
  "POLYTOMIC_DEPLOYMENT_URL",
  "POLYTOMIC_PARTNER_KEY",
  "POLYTOMIC_DEPLOYMENT_KEY",
  "POLYTOMIC_ORGANIZATION_ID",
];

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], partnerKeys: [PARTNER_KEY], schemaReadyDelayMs: 0 });
  const client = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  await client.connections.create({
    name: "Hook",
    type: "webhook",
    configuration: {
      url: "https://example.com/hook",
      auth_method: "basic",
      basic: { username: "u", password: "pw-7d1e9c" },
    },
  });
  // A web server that is not Polytomic: every path answers 404 with HTML.
  notPolytomic = createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<html>not here</html>");
  });
  await new Promise<void>((resolve) => notPolytomic.listen(0, "127.0.0.1", resolve));
  notPolytomicUrl = `http://127.0.0.1:${(notPolytomic.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await emulator?.close();
  notPolytomic?.close();
  fs.rmSync(TMP, { recursive: true, force: true });
});

beforeEach(() => {
  for (const name of ENV) delete process.env[name];
});

/** Runs the CLI in-process with the given environment; returns its exit status and what it printed. */
async function cli(argv: string[], env: Record<string, string> = {}) {
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { status, out: out.join("\n"), err: err.join("\n") };
}

describe("parseCliArgs", () => {
  it.each([
    [["--out", "x"], { outDir: "x", protect: true, force: false, quiet: false, help: false }],
    [
      [
        "--out",
        "x",
        "--no-protect",
        "--force",
        "--quiet",
        "--concurrency",
        "4",
        "--project",
        "p",
        "--package-spec",
        "file:..",
      ],
      {
        outDir: "x",
        protect: false,
        force: true,
        quiet: true,
        concurrency: 4,
        project: "p",
        packageSpec: "file:..",
      },
    ],
    [["--help"], { help: true }],
    [["-h"], { help: true }],
  ])("%j", (argv, expected) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [[], "--out DIR is required"],
    [["--out", ""], "--out DIR is required"],
    [["--out", "x", "--concurrency", "0"], "--concurrency must be a whole number from 1 to 64"],
    [["--out", "x", "--concurrency", "two"], "--concurrency must be a whole number from 1 to 64"],
    [["--out", "x", "--project", "has space"], "--project may hold only"],
    [["--out", "x", "--bogus"], "Unknown option '--bogus'"],
    [["--out", "x", "extra"], "Unexpected argument 'extra'"],
  ])("%j is refused: %s", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe("polytomic-import", () => {
  it("--help documents the options, the environment, the kinds read and the exit statuses", async () => {
    const { status, out } = await cli(["--help"]);
    expect(status).toBe(0);
    expect(out).toBe(USAGE);
    for (const option of [
      "--out",
      "--project",
      "--concurrency",
      "--no-protect",
      "--package-spec",
      "--force",
      "--quiet",
    ]) {
      expect(USAGE).toContain(option);
    }
    for (const variable of ["POLYTOMIC_API_KEY", "POLYTOMIC_DEPLOYMENT_URL", "POLYTOMIC_ORGANIZATION_ID"]) {
      expect(USAGE).toContain(variable);
    }
    for (const source of OBJECT_SOURCES) expect(USAGE).toContain(source.group);
    expect(USAGE).toMatch(/Exit status: 0 .* 1 .* 2 for bad usage/s);
  });

  it("bad usage: status 2 and the usage", async () => {
    const { status, err } = await cli([]);
    expect(status).toBe(2);
    expect(err).toContain("polytomic-import: --out DIR is required");
    expect(err).toContain("Usage: polytomic-import --out DIR");
  });

  it("no key at all: status 1, naming the variable, and nothing written", async () => {
    const out = path.join(TMP, "no-key");
    const { status, err } = await cli(["--out", out], { POLYTOMIC_DEPLOYMENT_URL: emulator.url });
    expect(status).toBe(1);
    expect(err).toContain("POLYTOMIC_API_KEY");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("a wrong key: status 1, the key named (never shown), after one request", async () => {
    const before = emulator.requests.length;
    const { status, err } = await cli(["--out", path.join(TMP, "bad-key")], {
      POLYTOMIC_API_KEY: "wrong-key-e81f",
      POLYTOMIC_DEPLOYMENT_URL: emulator.url,
    });
    expect(status).toBe(1);
    expect(err).toContain(`Polytomic at ${emulator.url} rejected the API key (401)`);
    expect(err).toContain("Check POLYTOMIC_API_KEY");
    expect(err).not.toContain("wrong-key-e81f");
    expect(emulator.requests.length - before).toBe(1);
  });

  it("a deployment URL nothing listens on: status 1 within seconds, the URL named", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    const { status, err } = await cli(["--out", path.join(TMP, "bad-url")], {
      POLYTOMIC_API_KEY: API_KEY,
      POLYTOMIC_DEPLOYMENT_URL: url,
    });
    expect(status).toBe(1);
    expect(err).toContain(`cannot reach Polytomic at ${url}`);
    expect(err).toContain("POLYTOMIC_DEPLOYMENT_URL");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("a deployment URL that is not Polytomic: status 1, saying so", async () => {
    const { status, err } = await cli(["--out", path.join(TMP, "not-polytomic")], {
      POLYTOMIC_API_KEY: API_KEY,
      POLYTOMIC_DEPLOYMENT_URL: notPolytomicUrl,
    });
    expect(status).toBe(1);
    expect(err).toContain(`${notPolytomicUrl} does not answer like a Polytomic deployment`);
  });

  it("an invalid deployment URL: status 1, the setting named", async () => {
    const { status, err } = await cli(["--out", path.join(TMP, "invalid-url")], {
      POLYTOMIC_API_KEY: API_KEY,
      POLYTOMIC_DEPLOYMENT_URL: "ftp://example.com",
    });
    expect(status).toBe(1);
    expect(err).toContain("deploymentUrl must use http or https");
  });

  it("a kind the deployment does not offer (its list answers 404): a remark, not a failure", async () => {
    emulator.addFault({ method: "GET", path: "/api/syncs", kind: "status", status: 404 });
    try {
      const { status, out, err } = await cli(["--out", path.join(TMP, "no-syncs"), "--quiet"], {
        POLYTOMIC_API_KEY: API_KEY,
        POLYTOMIC_DEPLOYMENT_URL: emulator.url,
      });
      expect(err).toBe("");
      expect(status).toBe(0);
      expect(out).toMatch(
        /\n {2}- model syncs: the deployment does not list them \(GET \/api\/syncs failed \(404\)/,
      );
    } finally {
      emulator.clearFaults();
    }
  });

  it("writes the project, progress on stderr, the summary on stdout; a second run needs --force", async () => {
    const out = path.join(TMP, "org");
    const env = { POLYTOMIC_API_KEY: API_KEY, POLYTOMIC_DEPLOYMENT_URL: emulator.url };
    const first = await cli(["--out", out], env);
    expect(first.status).toBe(0);
    expect(first.err).toContain("polytomic-import: connections: 1 found");
    expect(first.err).toContain("polytomic-import: connections: 1/1 read");
    // The connection, and the key's own user.
    expect(first.out).toMatch(/objects\s+2\n/);
    expect(first.out).toMatch(/\n\s+connections\s+1\n/);
    expect(first.out).toMatch(/\n\s+users\s+1\n/);
    expect(first.out).toMatch(/secrets\s+1 {2}to set/);
    // Nothing needs attention (but a kind this emulator may not offer yet: its list answers 404).
    const attention = first.out.split("\n").filter((l) => l.startsWith("  - "));
    expect(attention.filter((l) => !/^ {2}- [a-z ]+: the deployment does not list them/.test(l))).toEqual([]);
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
    for (const file of files)
      expect(fs.readFileSync(path.join(out, file), "utf8")).not.toContain("pw-7d1e9c");
    expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toContain(
      'password: config.requireSecret("hookBasicPassword")',
    );

    const again = await cli(["--out", out], env);
    expect(again.status).toBe(1);
    expect(again.err).toContain("is not empty");
    const forced = await cli(["--out", out, "--force", "--quiet", "--no-protect"], env);
    expect(forced.status).toBe(0);
    expect(forced.err).toBe("");
    expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).not.toContain("protect: true");
  });
});

describe("against a rate limit", () => {
  it("reads concurrently and waits out 429 Retry-After: every object read, none lost", async () => {
    const limited = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, rateLimitPerSecond: 4 });
    try {
      const client = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: limited.url });
      const gcs = await client.connections.create({
        name: "Bucket",
        type: "gcs",
        configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
      });
      for (let i = 1; i <= 12; i++) {
        await client.models.create({
          name: `Model ${i}`,
          connection_id: gcs.id,
          configuration: { model_from: "single_file", key: "high_paying_users.csv" },
        });
      }
      const before = limited.requests.length;
      const { status, out, err } = await cli(
        ["--out", path.join(TMP, "limited"), "--quiet", "--concurrency", "8"],
        {
          POLYTOMIC_API_KEY: API_KEY,
          POLYTOMIC_DEPLOYMENT_URL: limited.url,
        },
      );
      expect(err).toBe("");
      expect(status).toBe(0);
      expect(out).toMatch(/\n {2}models\s+12\n/);
      const answers = limited.requests.slice(before).map((r) => r.status);
      expect(answers.filter((s) => s === 429).length).toBeGreaterThan(0);
      const index = fs.readFileSync(path.join(TMP, "limited", "index.ts"), "utf8");
      expect(index.match(/new polytomic\.Model\(/g)).toHaveLength(12);
    } finally {
      await limited.close();
    }
  }, 90_000);
});

describe("with a partner key and an organization", () => {
  it("imports that organization (the Organization resource too); the README names the partner key's settings", async () => {
    const partner = new PolytomicClient({ apiKey: PARTNER_KEY, deploymentUrl: emulator.url });
    const acme = await partner.admin.organizations.create({ name: "Acme" });
    const inAcme = new PolytomicClient({
      apiKey: PARTNER_KEY,
      organizationId: acme.id,
      deploymentUrl: emulator.url,
    });
    await inAcme.connections.create({
      name: "Acme hook",
      type: "webhook",
      configuration: { url: "https://acme.example.com/hook", auth_method: "polytomic_secret" },
    });
    const out = path.join(TMP, "acme");
    const {
      status,
      out: summary,
      err,
    } = await cli(["--out", out, "--quiet"], {
      POLYTOMIC_PARTNER_KEY: PARTNER_KEY,
      POLYTOMIC_ORGANIZATION_ID: acme.id,
      POLYTOMIC_DEPLOYMENT_URL: emulator.url,
    });
    expect(err).toBe("");
    expect(status).toBe(0);
    expect(summary).toMatch(/\n {2}organizations\s+1\n/);
    expect(summary).toMatch(/\n {2}connections\s+1\n/);
    const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(index).toContain(
      `const acme = new polytomic.Organization("acme", { name: "Acme", importId: "${acme.id}" }`,
    );
    expect(index).toContain('name: "Acme hook"');
    expect(index).not.toContain('"Hook"');
    expect(index).not.toContain("organizationId");
    const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
    expect(readme).toContain("pulumi config set --secret polytomic:partnerKey <your Polytomic partner key>");
    expect(readme).toContain(`pulumi config set polytomic:organizationId '${acme.id}'`);
    expect(readme).not.toContain("polytomic:apiKey");
    for (const file of fs.readdirSync(out)) {
      expect(fs.readFileSync(path.join(out, file), "utf8")).not.toContain(PARTNER_KEY);
    }
  });
});

describe("summaryText", () => {
  it("counts per group, secrets, attention and the next step", () => {
    const text = summaryText({
      outDir: "/x",
      files: ["index.ts"],
      objects: 3,
      groups: [
        { group: "connections", count: 2, detail: "1 typed, 1 generic Connection" },
        { group: "models", count: 1 },
      ],
      secrets: [],
      attention: ['Connection "A" (1): a note'],
      leftOut: ["roles: 2 (built in: they never change)"],
      commentedOut: 0,
      elapsedMs: 1234,
    });
    expect(text).toBe(
      [
        "polytomic-import: wrote index.ts to /x in 1.2 s",
        "  objects         3",
        "  connections     2  (1 typed, 1 generic Connection)",
        "  models          1",
        "  secrets         0  to set with `pulumi config set --secret` (README.md lists them)",
        "Left out: roles: 2 (built in: they never change).",
        "Needs attention (1):",
        '  - Connection "A" (1): a note',
        "Next: cd /x, npm install, then the steps in README.md.",
      ].join("\n"),
    );
  });
});
