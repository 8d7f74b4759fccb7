import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { parseCsv } from "../../src/emulator/csv";
import {
  destroyThroughServer,
  type EngineEvent,
  type RecordedResource,
  upThroughServer,
} from "../helpers/engine";
import { PROGRAM_DIR, ROOT } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

/**
 * The seed program with `runSync: true`, end to end below the engine: `up` runs the program under the real SDK
 * and sends each resource through the real dynamic-provider server (scripts/lib/local-engine.js); the emulator
 * runs the sync and POSTs the CSV's rows to a webhook receiver on loopback. A temporary copy of the sample bucket
 * lets the test change the CSV between runs (data/ is never modified).
 */

const PROJECT = "polytomic-seed";
const SAMPLE_CSV = path.join(ROOT, "data/buckets/sample/high_paying_users.csv");
let emulator: RunningEmulator;
let server: ProviderServer;
let receiver: WebhookReceiver;
let bucketsDir: string;
let csvFile: string;
let programFile: string;
let state: RecordedResource[] = [];

function compileSeed(): string {
  const source = fs.readFileSync(path.join(ROOT, "seed", "index.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const file = path.join(PROGRAM_DIR, "seed-run", "index.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, outputText);
  return file;
}

function csvRecords(): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(fs.readFileSync(csvFile, "utf8"));
  return rows.map((r) => {
    const row = Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""]));
    return { email_address: row.email_address!, first_name: row.first_name!, last_name: row.last_name! };
  });
}

/** `pulumi up` with the seed's settings and `syncRunTrigger` set to `trigger`. */
async function up(trigger: string) {
  const events: EngineEvent[] = [];
  const result = await upThroughServer({
    programFile,
    programDir: PROGRAM_DIR,
    project: PROJECT,
    stack: "dev",
    config: {
      "polytomic:apiKey": API_KEY,
      "polytomic:deploymentUrl": emulator.url,
      [`${PROJECT}:webhookUrl`]: `${receiver.url}/contacts`,
      [`${PROJECT}:gcsBucket`]: "seed-run",
      [`${PROJECT}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
      [`${PROJECT}:runSync`]: "true",
      [`${PROJECT}:syncRunTrigger`]: trigger,
    },
    secretKeys: ["polytomic:apiKey", `${PROJECT}:gcsServiceAccount`],
    server,
    state,
    onEvent: (e) => events.push(e),
    quiet: true,
  });
  state = result.resources;
  const op = (name: string) => events.find((e) => e.name === name)?.op;
  return { ...result, events, op };
}

const executionsOfSeed = () => [...emulator.state.executions.values()];

beforeAll(async () => {
  bucketsDir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-seed-run-"));
  fs.mkdirSync(path.join(bucketsDir, "seed-run"));
  csvFile = path.join(bucketsDir, "seed-run", "high_paying_users.csv");
  fs.copyFileSync(SAMPLE_CSV, csvFile);
  emulator = await startEmulator({
    apiKeys: [API_KEY],
    schemaReadyDelayMs: 200,
    executionDelayMs: 20,
    deliveryTimeoutMs: 2000,
    bucketsDir,
  });
  receiver = await startWebhookReceiver();
  server = await startProviderServer(PROGRAM_DIR, PROJECT, { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
  programFile = compileSeed();
}, 120_000);

afterAll(async () => {
  server?.close();
  await emulator?.close();
  await receiver?.close();
  fs.rmSync(bucketsDir, { recursive: true, force: true });
});

describe("the seed program with a SyncExecution", () => {
  it("delivers exactly the CSV's rows, in batches of at most batch_size, authorised as the connection says", async () => {
    const first = await up("1");
    expect(first.error).toBeUndefined();
    expect(first.resources.map((r) => r.type.split(":").at(-1))).toEqual([
      "WebhookConnection",
      "GcsConnection",
      "Model",
      "Sync",
      "SyncExecution",
    ]);
    const [execution] = executionsOfSeed();
    expect(first.outputs).toMatchObject({
      syncExecutionId: execution?.id,
      syncRunStatus: "completed",
      syncRunCounts: { upserts: 34, total: 34, error: 0 },
    });

    const records = receiver.records();
    expect(records.map((r) => r.fields)).toEqual(csvRecords());
    for (const r of records)
      expect(Object.keys(r.fields)).toEqual(["email_address", "first_name", "last_name"]);
    const secret = emulator.state.connections.get(first.outputs.webhookConnectionId as string)?.configuration
      .secret;
    expect(typeof secret).toBe("string");
    for (const request of receiver.requests) {
      expect(request.url).toBe("/contacts");
      expect(request.body.object.records.length).toBeLessThanOrEqual(100);
      expect(request.headers.authorization).toBe(`Bearer ${secret}`);
    }
  });

  it("starts no run when nothing changed, and after a CSV change and a new trigger sends only the changed rows", async () => {
    receiver.requests.length = 0;
    const same = await up("1");
    expect(same.error).toBeUndefined();
    expect(same.op("sync-run")).toBe("same");
    expect(executionsOfSeed()).toHaveLength(1);

    const original = fs.readFileSync(csvFile, "utf8");
    const lines = original.trimEnd().split("\n");
    lines[2] = lines[2]!.replace(",Ben,", ",Benjamin,");
    lines.push("nina.new@example.com,Nina,New,Newco,610000,business,2024-11-20");
    fs.writeFileSync(csvFile, `${lines.join("\n")}\n`);

    const again = await up("2");
    expect(again.error).toBeUndefined();
    expect(again.op("sync-run")).toBe("replace");
    expect(executionsOfSeed()).toHaveLength(2);
    // Only the records changed since the last payload (reference part 2 §13): the edited row and the new one.
    expect(receiver.records().map((r) => r.fields)).toEqual([
      { email_address: "ben.stone@example.com", first_name: "Benjamin", last_name: "Stone" },
      { email_address: "nina.new@example.com", first_name: "Nina", last_name: "New" },
    ]);
    expect(again.outputs).toMatchObject({ syncRunStatus: "completed", syncRunCounts: { total: 2 } });
  });

  it("a receiver that fails makes the execution fail, the update report it with the execution id, and the next up start no other", async () => {
    receiver.requests.length = 0;
    receiver.setRespond(() => 503);
    fs.appendFileSync(csvFile, "omar.late@example.com,Omar,Late,Lateco,720000,business,2024-11-21\n");
    const failed = await up("3");
    const run = executionsOfSeed().at(-1);
    expect(run?.status).toBe("failed");
    expect(failed.error?.message).toContain(run?.id);
    expect(failed.error?.message).toMatch(/ended failed: batch 1 of 1 \(1 records\): POST .* answered 503/);
    const kept = failed.resources.find((r) => r.name === "sync-run");
    expect(kept?.id).toBe(`${failed.resources.find((r) => r.name === "gcs-to-webhook")?.id}/${run?.id}`);
    expect(kept?.initErrors?.[0]).toContain(run?.id);
    expect(kept?.outputs).toMatchObject({ status: "failed", executionId: run?.id });

    // The next up with the same trigger updates the failed run (it reads it again) instead of starting another.
    receiver.setRespond(() => 200);
    const count = executionsOfSeed().length;
    const retried = await up("3");
    expect(retried.error?.message).toContain(run?.id);
    expect(executionsOfSeed()).toHaveLength(count);
    expect(receiver.requests).toHaveLength(1);

    // A new trigger runs it again, and it delivers what the failed run could not.
    const fixed = await up("4");
    expect(fixed.error).toBeUndefined();
    expect(receiver.records().at(-1)?.fields).toMatchObject({ email_address: "omar.late@example.com" });
  });

  it("destroys everything (a finished run needs no call to Polytomic beyond reading it)", async () => {
    await destroyThroughServer(server, state);
    expect(emulator.state.syncs.size).toBe(0);
    expect(emulator.state.models.size).toBe(0);
    expect(emulator.state.connections.size).toBe(0);
  });
});
