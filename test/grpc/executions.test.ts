import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { PROGRAM_DIR } from "../helpers/packed-package";
import {
  type GrpcFailure,
  type ProviderServer,
  secretWire,
  startProviderServer,
} from "../helpers/provider-server";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import { serializedProvider } from "../helpers/serialize";
import { createWebhookPipeline } from "../helpers/webhook-pipeline";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

/**
 * SyncExecution through the real dynamic-provider server, from the packed tarball installed in a program folder
 * (the forwarder serialized from it), against the emulator running the sync for real: the records reach a webhook
 * receiver on loopback. `triggers` decide when a new run starts; nothing else does.
 */

const urn = (kind: string, name: string) =>
  `urn:pulumi:dev::runs::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

let emulator: RunningEmulator;
let server: ProviderServer;
let receiver: WebhookReceiver;
let client: PolytomicClient;
const providers: Record<string, string> = {};
let syncId: string;
let bulkSyncId: string;

const runs = () => [...emulator.state.executions.values()];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, executionDelayMs: 10 });
  client = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  for (const kind of ["SyncExecution", "BulkSyncExecution"]) providers[kind] = await serializedProvider(kind);
  server = await startProviderServer(PROGRAM_DIR, "runs", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
  syncId = await createWebhookPipeline({
    client,
    emulator,
    serviceAccount: FAKE_SERVICE_ACCOUNT,
    hookUrl: `${receiver.url}/hook`,
    batchSize: 20,
  });
});

/** A bulk sync from the sample bucket (GCS) to an S3 bucket; the emulator records what it would write. */
async function createBulkSync(): Promise<string> {
  const source = await client.connections.create({
    name: "bucket",
    type: "gcs",
    configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
  });
  const lake = await client.connections.create({
    name: "lake",
    type: "s3",
    configuration: {
      auth_mode: "access_key_and_secret",
      aws_access_key_id: "AKIA",
      aws_secret_access_key: "secret",
      s3_bucket_region: "us-east-1",
      s3_bucket_name: "lake",
    },
  });
  emulator.setSchemaReady(source.id);
  emulator.setSchemaReady(lake.id);
  const bulk = await client.bulkSyncs.create({
    name: "bucket to lake",
    source_connection_id: source.id,
    destination_connection_id: lake.id,
    destination_configuration: { format: "csv" },
    mode: "replicate",
    default_schedule: { frequency: "manual" },
  });
  return bulk.id;
}

afterAll(async () => {
  server?.close();
  await emulator?.close();
  await receiver?.close();
});

beforeEach(() => {
  emulator.clearFaults();
  receiver.setRespond(() => 200);
  receiver.requests.length = 0;
});

const news = (over: Record<string, unknown> = {}) => ({
  syncId,
  triggers: ["v1"],
  __provider: providers.SyncExecution,
  ...over,
});

describe("__provider", () => {
  it.each(["SyncExecution", "BulkSyncExecution"])(
    "%s: small, no credential, loads the installed package",
    (kind) => {
      const text = providers[kind] as string;
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
      expect(text).not.toContain(API_KEY);
      expect(text).toContain('require("pulumi-polytomic/provider")');
      expect(text).toContain(`"${kind}"`);
    },
  );
});

describe("SyncExecution through the provider server", () => {
  it("create runs the sync once and waits for it; the same triggers start no run, new triggers replace", async () => {
    const u = urn("SyncExecution", "run");
    const checked = await server.check(u, {}, news());
    expect(checked.failures).toEqual([]);
    const before = runs().length;
    const created = await server.create(u, checked.inputs);
    expect(runs()).toHaveLength(before + 1);
    const run = runs().at(-1);
    expect(created.id).toBe(`${syncId}/${run?.id}`);
    expect(created.props).toMatchObject({
      syncId,
      triggers: ["v1"],
      executionId: run?.id,
      status: "completed",
      counts: { upserts: 34, total: 34, error: 0 },
      errors: [],
      __provider: providers.SyncExecution,
    });
    expect(receiver.records()).toHaveLength(34);

    // No change: Diff says none and nothing runs.
    const same = await server.diff(
      u,
      created.id,
      created.props,
      (await server.check(u, checked.inputs, news())).inputs,
    );
    expect(same).toMatchObject({ changes: 1, replaces: [] });
    // A local setting alone: no change either (it only steers the provider).
    const local = await server.diff(
      u,
      created.id,
      created.props,
      news({ timeoutSeconds: 60, failOnErrors: false }),
    );
    expect(local.changes).toBe(1);
    expect(runs()).toHaveLength(before + 1);

    // New triggers: a replacement, i.e. a new Create (a new run), then the old one's Delete (nothing to do).
    const changed = await server.diff(u, created.id, created.props, news({ triggers: ["v2"] }));
    expect(changed).toMatchObject({ changes: 2, replaces: ["triggers"], deleteBeforeReplace: false });
    const replacement = await server.create(u, news({ triggers: ["v2"] }));
    expect(runs()).toHaveLength(before + 2);
    expect(replacement.props).toMatchObject({ status: "completed", counts: { total: 0 } });
    emulator.requests.length = 0;
    await server.delete(u, created.id, created.props);
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/syncs/${syncId}/executions/${run?.id}`,
    ]);
    expect(emulator.state.executions.get(run?.id ?? "")?.status).toBe("completed");

    // Read reports the run as Polytomic holds it; Resource.get works from the id alone.
    const read = await server.read(u, replacement.id, replacement.props, news({ triggers: ["v2"] }));
    expect(read.props).toMatchObject({ status: "completed", executionId: replacement.props.executionId });
    expect(read.inputs).toMatchObject({ syncId, triggers: ["v2"], __provider: providers.SyncExecution });
    const got = await server.read(u, replacement.id, { __provider: providers.SyncExecution });
    expect(got.props).toMatchObject({ syncId, status: "completed" });
    await server.delete(u, replacement.id, replacement.props);
  });

  it("a failed run becomes ErrorResourceInitFailed naming the execution; Update reads it again and starts none", async () => {
    receiver.setRespond(() => 503);
    const u = urn("SyncExecution", "failing");
    const error = (await server.create(u, news({ resync: true })).catch((e) => e)) as GrpcFailure;
    const run = runs().at(-1);
    expect(run?.status).toBe("failed");
    expect(error.initFailed).toMatchObject({
      id: `${syncId}/${run?.id}`,
      properties: { status: "failed", executionId: run?.id, __provider: providers.SyncExecution },
    });
    expect(error.initFailed?.reasons[0]).toContain(
      `sync execution ${run?.id} of sync ${syncId} ended failed`,
    );
    expect(error.details).toContain(run?.id);

    const count = runs().length;
    const again = (await server
      .update(u, error.initFailed!.id, error.initFailed!.properties, news({ resync: true }))
      .catch((e) => e)) as GrpcFailure;
    expect(again.initFailed?.id).toBe(error.initFailed?.id);
    expect(runs()).toHaveLength(count);
    const accepted = await server.update(
      u,
      error.initFailed!.id,
      error.initFailed!.properties,
      news({ resync: true, failOnErrors: false }),
    );
    expect(accepted.props).toMatchObject({ status: "failed", failOnErrors: false });
    expect(runs()).toHaveLength(count);
  });

  it("a start whose answer is dropped after Polytomic committed it starts one run", async () => {
    emulator.addFault({ method: "POST", path: /\/executions$/, kind: "drop-after-commit", times: 1 });
    const before = runs().length;
    const created = await server.create(urn("SyncExecution", "dropped"), news({ triggers: ["dropped"] }));
    expect(runs()).toHaveLength(before + 1);
    expect(created.props.status).toBe("completed");
  });

  it("Check names broken properties", async () => {
    const { failures } = await server.check(
      urn("SyncExecution", "bad"),
      {},
      news({ syncId: "", timeoutSeconds: -5 }),
    );
    expect(failures.map((f) => f.property).sort()).toEqual(["syncId", "timeoutSeconds"]);
  });
});

describe("BulkSyncExecution through the provider server", () => {
  const bulkNews = (over: Record<string, unknown> = {}) => ({
    bulkSyncId,
    triggers: ["b1"],
    __provider: providers.BulkSyncExecution,
    ...over,
  });
  const bulkRuns = () => emulator.state.bulkSyncs.get(bulkSyncId)?.executions ?? [];

  beforeAll(async () => {
    bulkSyncId = await createBulkSync();
  });

  it("create runs the bulk sync and waits; per-schema statuses are summarised; triggers decide new runs", async () => {
    const u = urn("BulkSyncExecution", "bulk");
    const checked = await server.check(u, {}, bulkNews());
    expect(checked.failures).toEqual([]);
    const created = await server.create(u, checked.inputs);
    const [run] = bulkRuns();
    expect(created.id).toBe(`${bulkSyncId}/${run?.id}`);
    expect(created.props).toMatchObject({
      bulkSyncId,
      executionId: run?.id,
      status: "completed",
      recordCount: 34,
      errorCount: 0,
      schemaStatuses: [{ schema: "high_paying_users.csv", status: "completed", recordCount: 34 }],
      errors: [],
    });
    expect(await server.diff(u, created.id, created.props, bulkNews())).toMatchObject({ changes: 1 });
    expect(await server.diff(u, created.id, created.props, bulkNews({ triggers: ["b2"] }))).toMatchObject({
      changes: 2,
      replaces: ["triggers"],
    });
    expect(
      await server.diff(u, created.id, created.props, bulkNews({ schemas: ["high_paying_users.csv"] })),
    ).toMatchObject({ changes: 2, replaces: ["schemas"] });
    expect(bulkRuns()).toHaveLength(1);

    const test = await server.create(u, bulkNews({ triggers: ["b2"], test: true }));
    expect(test.props).toMatchObject({ status: "completed", recordCount: 0, test: true });
    expect(bulkRuns()).toHaveLength(2);
    expect(bulkRuns()[1]?.is_test).toBe(true);

    const read = await server.read(u, created.id, created.props, bulkNews());
    expect(read.props).toMatchObject({ status: "completed", recordCount: 34 });
    emulator.requests.length = 0;
    await server.delete(u, created.id, created.props);
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/bulk/syncs/${bulkSyncId}/executions/${run?.id}`,
    ]);
  });

  it("Check refuses resyncMode on a test run", async () => {
    const { failures } = await server.check(
      urn("BulkSyncExecution", "bad"),
      {},
      bulkNews({ test: true, resyncMode: "rebuild" }),
    );
    expect(failures).toEqual([
      { property: "resyncMode", reason: "resyncMode cannot be set on a test run (test: true)" },
    ]);
  });
});
