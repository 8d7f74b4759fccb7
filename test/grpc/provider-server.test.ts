import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

const KINDS = ["Connection", "GcsConnection", "WebhookConnection", "Model", "Sync"] as const;
const urn = (kind: string, name: string) =>
  `urn:pulumi:dev::seed::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

let emulator: RunningEmulator;
let server: ProviderServer;
const providers: Record<string, string> = {};
/** HTTP requests per provider method, measured on the emulator's request log. */
const requestCounts: Record<string, number> = {};

function countRequests<T>(label: string, run: () => Promise<T>): Promise<T> {
  const before = emulator.requests.length;
  return run().finally(() => {
    requestCounts[label] = emulator.requests.length - before;
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 400 });
  for (const kind of KINDS) providers[kind] = await serializedProvider(kind);
  server = await startProviderServer(PROGRAM_DIR, "seed", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
    "seed:gcsBucket": "sample",
  });
});

afterAll(async () => {
  server?.close();
  await emulator?.close();
  console.log(`[lifecycle-requests] ${JSON.stringify(requestCounts)}`);
});

beforeEach(() => emulator.clearFaults());

const gcsNews = (over: Record<string, unknown> = {}) => ({
  name: "gcs via grpc",
  configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT },
  schemaTimeoutSeconds: 30,
  __provider: providers.GcsConnection,
  ...over,
});

describe("__provider", () => {
  it.each(KINDS)("%s: small, holds no credential, no version, and loads the installed package", (kind) => {
    const text = providers[kind] as string;
    console.log(`[provider-size] ${kind} ${Buffer.byteLength(text)} bytes`);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toMatch(/\d+\.\d+\.\d+/);
    expect(text).toContain('require("pulumi-polytomic/provider")');
    expect(text).toContain(`"${kind}"`);
  });
});

describe("the real dynamic-provider server", () => {
  it("Check returns failures by property, and the inputs with __provider", async () => {
    const bad = gcsNews({ configuration: { serviceAccount: FAKE_SERVICE_ACCOUNT, projectId: "nope" } });
    const { failures } = await server.check(urn("GcsConnection", "bad"), {}, bad);
    expect(failures.map((f) => f.property).sort()).toEqual([
      "configuration.bucket",
      "configuration.projectId",
    ]);
    const ok = await server.check(urn("GcsConnection", "ok"), {}, gcsNews());
    expect(ok.failures).toEqual([]);
    expect(ok.inputs.__provider).toBe(providers.GcsConnection);
  });

  it("the full lifecycle: create (schema wait), diff, update, read, get, delete", async () => {
    const u = urn("GcsConnection", "gcs");
    const created = await countRequests("GcsConnection.create", () => server.create(u, gcsNews()));
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.props).toMatchObject({
      name: "gcs via grpc",
      type: "gcs",
      status: "healthy",
      computedConfiguration: { clientEmail: expect.stringContaining("@") },
      __provider: providers.GcsConnection,
    });
    // The create returned only once the cache was ready: a model can be created right away.
    const cache = emulator.state.connections.get(created.id);
    expect(cache).toBeDefined();

    const none = await countRequests("GcsConnection.diff", () =>
      server.diff(u, created.id, created.props, gcsNews()),
    );
    expect(none).toMatchObject({ changes: 1, replaces: [] });
    const some = await server.diff(u, created.id, created.props, gcsNews({ name: "renamed" }));
    expect(some).toMatchObject({ changes: 2, replaces: [] });

    const updated = await countRequests("GcsConnection.update", () =>
      server.update(u, created.id, created.props, gcsNews({ name: "renamed" })),
    );
    expect(updated.props).toMatchObject({ name: "renamed", __provider: providers.GcsConnection });
    expect(emulator.state.connections.get(created.id)?.configuration.service_account).toBe(
      FAKE_SERVICE_ACCOUNT,
    );

    const refreshed = await countRequests("GcsConnection.read", () =>
      server.read(u, created.id, updated.props, gcsNews({ name: "renamed" })),
    );
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.props).toMatchObject({
      name: "renamed",
      configuration: { serviceAccount: FAKE_SERVICE_ACCOUNT },
    });
    expect(refreshed.inputs).toMatchObject({ name: "renamed", __provider: providers.GcsConnection });
    expect(refreshed.inputs).not.toHaveProperty("status");
    const afterRefresh = await server.diff(u, created.id, refreshed.props, gcsNews({ name: "renamed" }));
    expect(afterRefresh.changes).toBe(1);

    // Resource.get: the engine sends only the program's props (the __provider) as inputs and state.
    const got = await server.read(u, created.id, { __provider: providers.GcsConnection });
    expect(got.props).toMatchObject({ name: "renamed", type: "gcs", configuration: { bucket: "sample" } });
    expect((got.props.configuration as Record<string, unknown>).serviceAccount).toBe("********");

    await countRequests("GcsConnection.delete", () => server.delete(u, created.id, updated.props));
    expect(emulator.state.connections.has(created.id)).toBe(false);
    const gone = await server.read(u, created.id, updated.props);
    expect(gone.id).toBe("");
    await server.delete(u, created.id, updated.props);
  });

  it("a schema wait that fails becomes ErrorResourceInitFailed, and Update resumes it", async () => {
    emulator.addFault({ method: "GET", path: /\/schemas\/status$/, kind: "status", status: 400, times: 1 });
    const u = urn("GcsConnection", "partial");
    const error = (await server.create(u, gcsNews({ name: "partial" })).catch((e) => e)) as GrpcFailure;
    expect(error.initFailed).toBeDefined();
    const detail = error.initFailed!;
    expect(detail.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(detail.properties).toMatchObject({
      name: "partial",
      type: "gcs",
      __provider: providers.GcsConnection,
    });
    expect(detail.reasons[0]).toMatch(/schema cache/);
    expect(emulator.state.connections.has(detail.id)).toBe(true);
    const resumed = await server.update(u, detail.id, detail.properties, gcsNews({ name: "partial" }));
    expect(resumed.props).toMatchObject({ name: "partial", status: "healthy" });
    expect([...emulator.state.connections.values()].filter((c) => c.name === "partial")).toHaveLength(1);
    await server.delete(u, detail.id, resumed.props);
  });

  it("Diff reports a replacement when the generic connection's type changes", async () => {
    const u = urn("Connection", "generic");
    const news = {
      name: "generic hook",
      type: "webhook",
      configuration: { url: "https://example.com/hook", auth_method: "polytomic_secret" },
      __provider: providers.Connection,
    };
    const created = await countRequests("Connection.create", () => server.create(u, news));
    const diff = await server.diff(u, created.id, created.props, { ...news, type: "gcs" });
    expect(diff).toMatchObject({ changes: 2, replaces: ["type"], deleteBeforeReplace: false });
    await server.delete(u, created.id, created.props);
  });

  it("models and syncs: create, diff, read, update, delete through the server", async () => {
    const gcs = await server.create(urn("GcsConnection", "src"), gcsNews({ name: "src" }));
    const hook = await countRequests("WebhookConnection.create", () =>
      server.create(urn("WebhookConnection", "hook"), {
        name: "hook",
        configuration: { url: "https://example.com/hook" },
        __provider: providers.WebhookConnection,
      }),
    );
    const modelNews = {
      name: "users",
      connectionId: gcs.id,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
      __provider: providers.Model,
    };
    const model = await countRequests("Model.create", () => server.create(urn("Model", "users"), modelNews));
    expect(model.props.fieldNames).toEqual(
      expect.arrayContaining(["email_address", "first_name", "last_name"]),
    );
    const syncNews = {
      name: "Sync GCS to Webhook",
      active: true,
      mode: "updateOrCreate",
      fields: ["email_address", "first_name", "last_name"].map((field) => ({
        source: { field, modelId: model.id },
        target: "record",
      })),
      identity: {
        source: { field: "email_address", modelId: model.id },
        target: "email",
        function: "Equality",
      },
      target: {
        connectionId: hook.id,
        object: "http",
        configuration: { batch_size: 100, record_requests: true },
      },
      schedule: { frequency: "manual" },
      encryptionPassphrase: "correct-horse-battery",
      __provider: providers.Sync,
    };
    const { identity, ...withoutIdentity } = syncNews;
    const check = await server.check(urn("Sync", "sync"), {}, { ...withoutIdentity, mode: "update" });
    expect(check.failures.map((f) => f.property)).toEqual(["identity"]);
    const sync = await countRequests("Sync.create", () => server.create(urn("Sync", "sync"), syncNews));
    expect(sync.props).toMatchObject({ modelIds: [model.id], encryptionPassphrase: "correct-horse-battery" });
    expect(
      (
        await countRequests("Sync.diff", () =>
          server.diff(urn("Sync", "sync"), sync.id, sync.props, syncNews),
        )
      ).changes,
    ).toBe(1);
    const read = await countRequests("Sync.read", () =>
      server.read(urn("Sync", "sync"), sync.id, sync.props, syncNews),
    );
    expect(read.props.encryptionPassphrase).toBe("correct-horse-battery");
    expect((await server.diff(urn("Sync", "sync"), sync.id, read.props, syncNews)).changes).toBe(1);
    const renamed = { ...syncNews, schedule: { frequency: "daily", hour: 5, minute: 0 } };
    const upd = await countRequests("Sync.update", () =>
      server.update(urn("Sync", "sync"), sync.id, sync.props, renamed),
    );
    expect(upd.props.schedule).toEqual({ frequency: "daily", hour: "05", minute: "00" });
    expect((await server.diff(urn("Sync", "sync"), sync.id, upd.props, renamed)).changes).toBe(1);
    expect(
      (
        await countRequests("Model.diff", () =>
          server.diff(urn("Model", "users"), model.id, model.props, modelNews),
        )
      ).changes,
    ).toBe(1);
    await countRequests("Model.read", () =>
      server.read(urn("Model", "users"), model.id, model.props, modelNews),
    );
    await countRequests("Model.update", () =>
      server.update(urn("Model", "users"), model.id, model.props, { ...modelNews, name: "users 2" }),
    );
    // Delete in reverse dependency order, as the engine does.
    await countRequests("Sync.delete", () => server.delete(urn("Sync", "sync"), sync.id, upd.props));
    await countRequests("Model.delete", () => server.delete(urn("Model", "users"), model.id, model.props));
    await server.delete(urn("WebhookConnection", "hook"), hook.id, hook.props);
    await server.delete(urn("GcsConnection", "src"), gcs.id, gcs.props);
    expect(emulator.state.syncs.size + emulator.state.models.size).toBe(0);
  });
});

describe("configuration", () => {
  it("without a key, every call fails naming both ways to set it (configure does not fail only once)", async () => {
    const unconfigured = await startProviderServer(PROGRAM_DIR, "seed", { POLYTOMIC_API_KEY: "" });
    try {
      await unconfigured.configure({ "polytomic:deploymentUrl": emulator.url });
      for (let i = 0; i < 2; i++) {
        const error = (await unconfigured
          .create(urn("GcsConnection", "x"), gcsNews())
          .catch((e) => e)) as GrpcFailure;
        expect(error.details).toContain("pulumi config set --secret polytomic:apiKey");
        expect(error.details).toContain("POLYTOMIC_API_KEY");
      }
    } finally {
      unconfigured.close();
    }
  });
});
