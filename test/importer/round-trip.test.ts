import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionResponse } from "../../src/api";
import { PolytomicClient } from "../../src/client";
import { fromApiConfiguration } from "../../src/connection-types/configuration-shape";
import { loadConnectionSchema } from "../../src/connection-types/registry";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { connectionObject, type ImportedObject } from "../../src/importer/objects";
import { planProgram, programSource } from "../../src/importer/program";
import { tsconfigJson } from "../../src/importer/project";
import { MASK, toSnake } from "../../src/wire";
import { deployThroughServer, type RecordedResource } from "../helpers/engine";
import { PROGRAM_DIR, ROOT } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";
import { API_KEY } from "../helpers/sa";
import { type Fixture, populate } from "./organization-fixture";

/**
 * The importer's round trip, as a user runs it: an organization made outside Pulumi (./organization-fixture.ts)
 * → `polytomic-import` (the packed package's bin) → the generated program type-checks against the packed package
 * → it runs through Pulumi's runtime and the real dynamic-provider server, every resource adopting its object
 * (`importId`) → nothing was created, deleted or changed in Polytomic, and a refresh and a second diff of every
 * resource show no changes. No secret reaches the generated files. Exclusions: none (every connection type,
 * model and sync round-trips).
 */

const run = promisify(execFile);
const OUT = path.join(PROGRAM_DIR, "imported-org");
const PROJECT = "imported-org";
const INSTALLED_BIN = path.join(
  PROGRAM_DIR,
  "node_modules",
  "pulumi-polytomic",
  "bin",
  "polytomic-import.js",
);

let emulator: RunningEmulator;
let server: ProviderServer;
let fixture: Fixture;
let cli: { stdout: string; stderr: string; ms: number };
/** The organization before the import, normalized (see {@link snapshot}). */
let before: string;
let requestsBeforeImport: number;
const figures: Record<string, unknown> = {};

/** Emulator collections that are not configuration (idempotency records, runs, deliveries). */
const NOT_OBJECTS = new Set(["idempotency", "jobs", "executions", "deliveries", "cursors"]);
/** Values an adoption may change without changing the object: stamps, counters and the schema cache. */
const STAMPS = new Set(["updated_at", "updatedAt", "version", "schemaCache", "rowCount"]);

/** Every object collection of the emulator (and of its admin state), as JSON without stamps. */
function snapshot(): string {
  const collect = (holder: object): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(holder)) {
      if (value instanceof Map && !NOT_OBJECTS.has(key)) out[key] = Object.fromEntries(value);
      else if (key === "admin" && value !== null && typeof value === "object") out[key] = collect(value);
    }
    return out;
  };
  return JSON.stringify(canonical(collect(emulator.state)), null, 1);
}

/**
 * A JSON value with its keys sorted and the stamps left out, so equal objects print the same. A bulk sync's
 * additional schedules lose their ids too: a bulk sync's update is a full replacement whose schedules carry no
 * ids, so Polytomic (and the emulator) records them anew, the same schedules under new ids, on every update a
 * BulkSync resource makes, adoption included.
 */
function canonical(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => {
      if (key !== "additional_schedules" || v === null || typeof v !== "object") return canonical(v);
      const { id: _id, created_at: _created, ...schedule } = v as Record<string, unknown>;
      return canonical(schedule);
    });
  }
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([k, v]) => !STAMPS.has(k) && v !== undefined);
  return Object.fromEntries(
    entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v, k)]),
  );
}

/** The README's secret commands: `# Kind "name" (id): path` followed by `pulumi config set --secret key ...`. */
function readmeSecrets(readme: string) {
  const out: { kind: string; id: string; path: string; key: string }[] = [];
  const re = /^# (\w+) ".*" \(([^)]+)\): (\S+)\npulumi config set --secret (\S+) /gm;
  for (const m of readme.matchAll(re)) {
    out.push({ kind: m[1] as string, id: m[2] as string, path: m[3] as string, key: m[4] as string });
  }
  return out;
}

/** The value at `a.b[0].c`. */
function valueAt(root: unknown, at: string): unknown {
  return at
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], root);
}

/**
 * The value a user would set for a secret: what the object holds now (the test can read the emulator's state).
 * OAuth tokens, which a user cannot know, are set to the mask instead: Polytomic keeps a secret sent masked.
 */
function currentSecret(entry: { kind: string; id: string; path: string }): string {
  if (/(Access|Refresh)Token$/.test(entry.path)) return MASK;
  const connection = emulator.state.connections.get(entry.id);
  let value: unknown;
  if (connection !== undefined) {
    const schema = loadConnectionSchema(connection.type);
    const config =
      entry.kind === "Connection" || schema === undefined
        ? connection.configuration
        : fromApiConfiguration(schema, connection.configuration);
    value = valueAt({ configuration: config }, entry.path);
  } else {
    // Any other object: where the emulator keeps it, the property spelled as the API spells it.
    const stored = storedObjects().find((o) => o.id === entry.id);
    value = valueAt(stored, entry.path.split(".").map(toSnake).join("."));
  }
  if (value === undefined) throw new Error(`no value at ${entry.path} of ${entry.kind} ${entry.id}`);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Every object the emulator stores (its collections and its admin state's). */
function storedObjects(): { id?: unknown }[] {
  const holders = [emulator.state, emulator.state.admin] as unknown as Record<string, unknown>[];
  return holders.flatMap((holder) =>
    Object.values(holder).flatMap((v) => (v instanceof Map ? ([...v.values()] as { id?: unknown }[]) : [])),
  );
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0 });
  const client = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  fixture = await populate(client);
  before = snapshot();
  requestsBeforeImport = emulator.requests.length;
  fs.rmSync(OUT, { recursive: true, force: true });
  const started = Date.now();
  const { stdout, stderr } = await run(process.execPath, [INSTALLED_BIN, "--out", OUT], {
    cwd: PROGRAM_DIR,
    env: { ...process.env, POLYTOMIC_API_KEY: API_KEY, POLYTOMIC_DEPLOYMENT_URL: emulator.url },
  });
  cli = { stdout, stderr, ms: Date.now() - started };
  server = await startProviderServer(PROGRAM_DIR, PROJECT, { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
}, 240_000);

afterAll(async () => {
  server?.close();
  await emulator?.close();
  console.log(`[import-round-trip] ${JSON.stringify(figures)}`);
});

/** The summary's groups and how many objects of each the fixture made. */
function groupCounts(): Record<string, number> {
  return {
    roles: fixture.roles,
    policies: fixture.policies,
    users: fixture.users,
    connections: fixture.connections,
    models: fixture.models,
    "model syncs": fixture.syncs,
    "bulk syncs": fixture.bulkSyncs,
    "event webhooks": fixture.eventWebhooks,
    "global error subscribers": fixture.errorSubscribers,
  };
}
const fixtureTotal = () => Object.values(groupCounts()).reduce((a, b) => a + b, 0);

const generated = (name: string) => fs.readFileSync(path.join(OUT, name), "utf8");

/** `tsc --noEmit` of a generated project folder inside the program folder (the packed package resolves there). */
async function typeCheck(dir: string): Promise<string> {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = await run(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json"), "--noEmit"], {
    cwd: dir,
  }).catch((e: { stdout: string; stderr: string }) => e);
  return `${result.stdout}${result.stderr}`;
}

describe("polytomic-import on an organization made outside Pulumi", () => {
  it("only reads, and writes the five files with a summary and progress per kind", () => {
    const imported = emulator.requests.slice(requestsBeforeImport);
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((r) => r.method !== "GET")).toEqual([]);
    expect(fs.readdirSync(OUT).sort()).toEqual([
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
    const total = fixtureTotal();
    expect(cli.stdout).toMatch(new RegExp(`objects\\s+${total}\\n`));
    for (const [group, count] of Object.entries(groupCounts())) {
      expect(cli.stdout).toMatch(new RegExp(`\\n {2}${group}\\s+${count}\\n`));
      expect(cli.stderr).toMatch(new RegExp(`polytomic-import: ${group}: (\\d+)/\\1 read`));
    }
    // The emulator's built-in roles are Polytomic's own: left out, and said so.
    expect(cli.stdout).toContain("Left out: roles: 2 (built in: they never change).");
    // Nothing needs attention, but a kind an older emulator does not offer yet (its list answers 404).
    const attention = cli.stdout.split("\n").filter((l) => l.startsWith("  - "));
    expect(attention.filter((l) => !/^ {2}- [a-z ]+: the deployment does not list them/.test(l))).toEqual([]);
    expect(cli.stderr).toContain(
      `polytomic-import: connections: ${fixture.connections}/${fixture.connections} read`,
    );
    expect(cli.stderr).toContain(`polytomic-import: models: ${fixture.models}/${fixture.models} read`);
    Object.assign(figures, { objects: total, importMs: cli.ms, requests: imported.length });
  });

  it("writes no secret: no key, password, token or passphrase is in any generated file", () => {
    const files = fs.readdirSync(OUT).map((f) => [f, generated(f)] as const);
    const secrets = [API_KEY, ...fixture.secrets].filter((s) => s.length >= 8);
    expect(secrets.length).toBeGreaterThan(300);
    const leaks = files.flatMap(([file, text]) =>
      secrets.filter((s) => text.includes(s)).map((s) => `${file}: ${s}`),
    );
    expect(leaks).toEqual([]);
    // Every secret is read from the stack config, and the README says how to set each one.
    const index = generated("index.ts");
    const reads = [...index.matchAll(/config\.requireSecret(?:Number|Boolean)?\("([^"]+)"\)/g)].map(
      (m) => m[1],
    );
    const listed = readmeSecrets(generated("README.md")).map((s) => s.key);
    expect(reads.length).toBeGreaterThan(300);
    expect(new Set(reads).size).toBe(reads.length);
    expect(listed.sort()).toEqual([...reads].sort());
    expect(index).not.toContain(MASK);
    figures.secrets = reads.length;
  });

  it("declares one resource per object, in dependency order, with references between them", () => {
    const index = generated("index.ts");
    const declarations = [...index.matchAll(/^const (\w+) = new polytomic\.(\w+)\(/gm)];
    expect(declarations).toHaveLength(fixtureTotal());
    const kinds = new Set(declarations.map((d) => d[2]));
    figures.kinds = kinds.size;
    expect(kinds.has("Connection")).toBe(false); // every type has its typed class
    expect(index).toMatch(/connectionId: contactsBucket\.id/);
    expect(index).toMatch(/modelId: highPayingUsers\.id/);
    expect(index).toMatch(/policies: \[restrictedData\.id\]/);
    expect(index).toMatch(/roleIds: \[dataEngineers\.id, analysts\.id\]/);
    expect(index).toMatch(/sourceConnectionId: salesforce\.id/);
    expect(index).toMatch(
      /runAfter: \{ syncIds: \[enrichedUsersToPostgres\.id, snowflakeCustomersToHubspotContacts\.id\] \}/,
    );
    // Each variable is declared before it is used.
    const declaredAt = new Map(declarations.map((d) => [d[1] as string, d.index as number]));
    for (const m of index.matchAll(/\b(\w+)\.id\b/g)) {
      const at = declaredAt.get(m[1] as string);
      expect(at, m[1]).toBeDefined();
      expect(at as number).toBeLessThan(m.index as number);
    }
  });

  it("type-checks against the packed package", async () => {
    expect(await typeCheck(OUT)).toBe("");
  }, 180_000);

  it("what it cannot express still type-checks: a generic Connection, a commented-out object, ids in a cycle", async () => {
    // Not part of the round trip: the emulator knows only this package's own connection types.
    const unknownType = connectionObject(
      ConnectionResponse.parse({
        id: "c-new",
        name: "From a newer Polytomic",
        type: { id: "brand_new_type" },
        configuration: { endpoint: "https://x", token: MASK, port: 1 },
      }),
    );
    const strackr = connectionObject(
      ConnectionResponse.parse({
        id: "c-num",
        name: "Numbers",
        type: { id: "strackr" },
        configuration: { api_id: MASK, api_key: MASK },
      }),
    );
    const cycleA = {
      ...unknownType,
      id: "c-a",
      name: "A",
      args: { ...unknownType.args, name: "A", configuration: { other: "c-b" } },
    };
    const cycleB = {
      ...unknownType,
      id: "c-b",
      name: "B",
      args: { ...unknownType.args, name: "B", configuration: { other: "c-a" } },
    };
    const broken: ImportedObject = {
      ...strackr,
      id: "c-broken",
      name: "Broken",
      problems: ["configuration.apiId must be a number"],
      args: { name: "Broken", configuration: { apiId: "x" } },
    };
    const subscribers: ImportedObject = {
      kind: "GlobalErrorSubscribers",
      group: "global error subscribers",
      noun: "global error subscribers",
      id: "global-error-subscribers",
      name: "global error subscribers",
      adoptable: false,
      args: { emails: ["a@example.com"] },
      notes: [],
      problems: [],
    };
    const program = planProgram([unknownType, strackr, cycleA, cycleB, broken, subscribers]);
    const dir = path.join(PROGRAM_DIR, "edge-cases");
    fs.mkdirSync(dir, { recursive: true });
    const source = programSource(
      program,
      { deploymentUrl: "https://app.polytomic.com", packageVersion: "0", counts: "6 objects" },
      { protect: true },
    );
    fs.writeFileSync(path.join(dir, "index.ts"), source);
    fs.writeFileSync(path.join(dir, "tsconfig.json"), tsconfigJson());
    expect(source).toContain('new polytomic.Connection("from-a-newer-polytomic", {');
    expect(source).toContain('config.requireSecretNumber("numbersApiId")');
    expect(source).toContain('other: "c-b"');
    expect(source).toContain("// const broken = new polytomic.StrackrConnection(");
    expect(source).toContain(
      'new polytomic.GlobalErrorSubscribers("global-error-subscribers", { emails: ["a@example.com"] }',
    );
    expect(await typeCheck(dir)).toBe("");
  }, 180_000);

  it("adopts every object through the provider server: nothing created, deleted or changed; no diff after", async () => {
    const source = generated("index.ts");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    // The driver ends when the program's exports resolve: wait for every resource (the program exports nothing).
    const variables = [...source.matchAll(/^const (\w+) = new polytomic\./gm)].map((m) => m[1]);
    const programFile = path.join(OUT, "index.js");
    fs.writeFileSync(
      programFile,
      `${outputText}\nexports.ids = pulumi.all([${variables.map((v) => `${v}.id`).join(", ")}]);\n`,
    );
    const secrets = readmeSecrets(generated("README.md"));
    const config: Record<string, unknown> = {
      "polytomic:apiKey": API_KEY,
      "polytomic:deploymentUrl": emulator.url,
    };
    for (const s of secrets) config[`${PROJECT}:${s.key}`] = currentSecret(s);
    const masked = secrets.filter((s) => config[`${PROJECT}:${s.key}`] === MASK).length;
    expect(masked).toBeGreaterThan(0);

    const requestsBefore = emulator.requests.length;
    const started = Date.now();
    const deployed = await deployThroughServer({
      programFile,
      programDir: OUT,
      project: PROJECT,
      stack: "dev",
      config,
      secretKeys: ["polytomic:apiKey", ...secrets.map((s) => `${PROJECT}:${s.key}`)],
      server,
    });
    const adoptMs = Date.now() - started;
    const resources: RecordedResource[] = deployed.resources;
    expect(resources).toHaveLength(fixtureTotal());

    // Every create adopted its object: same ids, no POST or DELETE, and the organization is as it was.
    const adoption = emulator.requests.slice(requestsBefore);
    expect(adoption.filter((r) => r.method === "POST" || r.method === "DELETE")).toEqual([]);
    // (The error subscribers' list, a singleton without importId, is adopted by writing it as it is.)
    for (const r of resources.filter((r) => !r.type.endsWith(":GlobalErrorSubscribers"))) {
      expect(r.inputs.importId, r.name).toBe(r.id);
    }
    expect(snapshot()).toBe(before);

    // A second diff of every resource, after create and after a refresh: no changes.
    let diffs = 0;
    const changed: string[] = [];
    for (const r of resources) {
      const checked = await server.check(r.urn, r.inputs, r.inputs);
      const afterCreate = await server.diff(r.urn, r.id, r.outputs, checked.inputs);
      const refreshed = await server.read(r.urn, r.id, r.outputs, r.inputs);
      const afterRefresh = await server.diff(r.urn, r.id, refreshed.props, checked.inputs);
      for (const d of [afterCreate, afterRefresh]) {
        diffs++;
        if (d.changes !== 1) changed.push(`${r.name}: ${JSON.stringify(d)}`);
      }
    }
    expect(changed).toEqual([]);
    expect(snapshot()).toBe(before);
    Object.assign(figures, {
      adopted: resources.length,
      adoptMs,
      maskedSecrets: masked,
      diffs,
      withChanges: changed.length,
    });
  }, 600_000);
});
