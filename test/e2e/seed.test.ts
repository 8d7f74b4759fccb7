import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { deployThroughServer, plaintextLeaves, type RecordedResource } from "../helpers/engine";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";
import { PROGRAM_DIR, ROOT } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";

/**
 * The seed program end to end, below the engine: the program runs under the real SDK (mocks only stand in for
 * the engine's resource monitor); each dynamic resource is checked and created by the real dynamic-provider
 * server, in dependency order, against the emulator; then an unchanged diff, then deletes in reverse order.
 */

const PROJECT = "polytomic-seed";
const SCHEMA_DELAY_MS = 800;
let emulator: RunningEmulator;
let server: ProviderServer;
let deployed: { resources: RecordedResource[]; outputs: Record<string, unknown> };
/** The GCS connection's schema cache (its ready time). */
let cacheAtModelCreate: { readyAt: number } | undefined;

function compileSeed(): string {
  const source = fs.readFileSync(path.join(ROOT, "seed", "index.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const file = path.join(PROGRAM_DIR, "seed", "index.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, outputText);
  return file;
}

const byName = (name: string) => {
  const r = deployed.resources.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no resource ${name}`);
  return r;
};

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: SCHEMA_DELAY_MS });
  server = await startProviderServer(PROGRAM_DIR, PROJECT, { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
  deployed = await deployThroughServer({
    programFile: compileSeed(),
    programDir: PROGRAM_DIR,
    project: PROJECT,
    stack: "dev",
    config: {
      "polytomic:apiKey": API_KEY,
      "polytomic:deploymentUrl": emulator.url,
      [`${PROJECT}:webhookUrl`]: "https://example.com/polytomic-webhook",
      [`${PROJECT}:gcsBucket`]: "sample",
      [`${PROJECT}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
    },
    secretKeys: ["polytomic:apiKey", `${PROJECT}:gcsServiceAccount`],
    server,
  });
  cacheAtModelCreate = emulator.state.connections.get(byName("gcs").id)?.schemaCache ?? undefined;
}, 120_000);

afterAll(async () => {
  server?.close();
  await emulator?.close();
});

describe("the seed deployment", () => {
  it("creates the four resources, each once, in dependency order", () => {
    expect(deployed.resources.map((r) => r.type.split(":").at(-1))).toEqual([
      "WebhookConnection",
      "GcsConnection",
      "Model",
      "Sync",
    ]);
    expect(emulator.state.connections.size).toBe(2);
    expect(emulator.state.models.size).toBe(1);
    expect(emulator.state.syncs.size).toBe(1);
  });

  it("created the model only after the GCS schema cache was ready", () => {
    const model = emulator.state.models.get(byName("high-paying-users").id);
    expect(cacheAtModelCreate).toBeDefined();
    expect(Date.parse(model?.created_at ?? "")).toBeGreaterThanOrEqual(
      cacheAtModelCreate?.readyAt ?? Infinity,
    );
    // The GCS create returned only after the wait: at least the configured delay after the webhook's.
    expect(byName("gcs").createdAt - byName("webhook").createdAt).toBeGreaterThanOrEqual(
      SCHEMA_DELAY_MS - 50,
    );
  });

  it("maps the walkthrough's fields to the webhook's records", () => {
    const sync = [...emulator.state.syncs.values()][0] as unknown as Record<string, any>;
    const modelId = byName("high-paying-users").id;
    expect(sync.name).toBe("Sync GCS to Webhook");
    expect(sync.active).toBe(true);
    expect(sync.mode).toBe("updateOrCreate");
    expect(sync.fields.map((f: any) => [f.source.model_id, f.source.field, f.target])).toEqual([
      [modelId, "email_address", "record"],
      [modelId, "first_name", "record"],
      [modelId, "last_name", "record"],
    ]);
    expect(sync.target).toMatchObject({
      connection_id: byName("webhook").id,
      object: "http",
      configuration: { batch_size: 100, record_requests: true },
    });
    expect(sync.schedule).toMatchObject({ frequency: "manual" });
  });

  it("exports the four ids and the model's field names", () => {
    expect(deployed.outputs).toMatchObject({
      webhookConnectionId: byName("webhook").id,
      gcsConnectionId: byName("gcs").id,
      modelId: byName("high-paying-users").id,
      syncId: byName("gcs-to-webhook").id,
    });
    expect(deployed.outputs.modelFieldNames).toEqual(
      expect.arrayContaining(["email_address", "first_name", "last_name"]),
    );
  });

  it("keeps every secret out of plaintext: inputs, outputs and __provider", () => {
    const secrets = [API_KEY, FAKE_SERVICE_ACCOUNT, "THIS-IS-NOT-A-REAL-KEY"];
    const gcs = byName("gcs");
    // The mock monitor lifts a nested secret to its containing object; the engine keeps it on the leaf.
    expect(
      gcs.secretInputPaths.some((p) => p === "configuration" || p === "configuration.serviceAccount"),
    ).toBe(true);
    expect(gcs.additionalSecretOutputs).toContain("configuration");
    for (const r of deployed.resources) {
      const leaks = [
        ...plaintextLeaves(r.registeredInputs, r.secretInputPaths, []),
        ...plaintextLeaves(r.outputs, r.secretInputPaths, r.additionalSecretOutputs),
      ].filter(([, v]) => typeof v === "string" && secrets.some((s) => v.includes(s)));
      expect(leaks, r.name).toEqual([]);
    }
  });

  it("shows no change when diffed with the same inputs", async () => {
    for (const r of deployed.resources) {
      const checked = await server.check(r.urn, r.inputs, r.inputs);
      const diff = await server.diff(r.urn, r.id, r.outputs, checked.inputs);
      expect(diff.changes, r.name).toBe(1);
    }
  });

  it("deletes in reverse order, leaving nothing behind", async () => {
    const expected = [
      ["gcs-to-webhook", { syncs: 0, models: 1, connections: 2 }],
      ["high-paying-users", { syncs: 0, models: 0, connections: 2 }],
      ["gcs", { syncs: 0, models: 0, connections: 1 }],
      ["webhook", { syncs: 0, models: 0, connections: 0 }],
    ] as const;
    for (const [name, counts] of expected) {
      const r = byName(name);
      await server.delete(r.urn, r.id, r.outputs);
      expect({
        syncs: emulator.state.syncs.size,
        models: emulator.state.models.size,
        connections: emulator.state.connections.size,
      }).toEqual(counts);
    }
  });
});
