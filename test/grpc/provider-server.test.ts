import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RecordedRequest, type RunningEmulator, startEmulator } from "../../src/emulator";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";
import { PROGRAM_DIR } from "../helpers/packed-package";
import {
  type GrpcFailure,
  type ProviderServer,
  secretWire,
  startProviderServer,
} from "../helpers/provider-server";
import { serializedProviders } from "../helpers/serialized-providers";
import { type Lanes, startLanes } from "../helpers/server-lanes";
import { type CountedCall, findSample, type Json, KIND_NAMES, sampleFor } from "../kinds/samples";

const urn = (kind: string, name: string) =>
  `urn:pulumi:dev::seed::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

/**
 * How long the emulator takes to make a schema cache ready. The provider polls a cache's status at once, then
 * after 1 s: with the cache ready 0.9 s after the POST, the first poll finds it refreshing and the second ready.
 */
const SCHEMA_READY_DELAY_MS = 900;

let emulator: RunningEmulator;
let server: ProviderServer;
let providers: Record<string, string>;
/** When the emulator answered each request (its log line), in arrival order of the answers. */
const answered: { at: number; line: string }[] = [];

/** The requests `run` made, as `METHOD path status` with the object's id written `{id}`. */
async function requestsOf<T>(run: () => Promise<T>, id?: string): Promise<{ result: T; requests: string[] }> {
  const before = emulator.requests.length;
  const result = await run();
  const made = id ?? (result as { id?: string }).id ?? "";
  return { result, requests: emulator.requests.slice(before).map((r) => describeRequest(r, made)) };
}

function describeRequest(r: RecordedRequest, id: string): string {
  return `${r.method} ${id === "" ? r.path : r.path.split(id).join("{id}")} ${r.status}`;
}

beforeAll(async () => {
  emulator = await startEmulator({
    apiKeys: [API_KEY],
    schemaReadyDelayMs: SCHEMA_READY_DELAY_MS,
    log: (line) => answered.push({ at: Date.now(), line }),
  });
  providers = await serializedProviders(KIND_NAMES);
  server = await startProviderServer(PROGRAM_DIR, "seed", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
    "seed:gcsBucket": "sample",
  });
}, 120_000);

afterAll(async () => {
  server?.close();
  await emulator?.close();
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
  it.each(KIND_NAMES)(
    "%s: small, holds no credential, no version, and loads the installed package",
    (kind) => {
      const text = providers[kind] as string;
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/\d+\.\d+\.\d+/);
      expect(text).toContain('require("pulumi-polytomic/provider")');
      expect(text).toContain(`"${kind}"`);
    },
  );

  it("sizes", () => {
    const sizes = KIND_NAMES.map((kind) => Buffer.byteLength(providers[kind] as string));
    console.log(
      `[provider-size] ${KIND_NAMES.length} kinds: ${Math.min(...sizes)}-${Math.max(...sizes)} bytes`,
    );
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
    // create: the POST, then the cache's status until it is ready: refreshing at once, ready 1 s later.
    const { result: created, requests: createRequests } = await requestsOf(() => server.create(u, gcsNews()));
    const returnedAt = Date.now();
    expect(createRequests).toEqual([
      "POST /api/connections 200",
      "GET /api/connections/{id}/schemas/status 200",
      "GET /api/connections/{id}/schemas/status 200",
    ]);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.props).toMatchObject({
      name: "gcs via grpc",
      type: "gcs",
      status: "healthy",
      computedConfiguration: { clientEmail: expect.stringContaining("@") },
      __provider: providers.GcsConnection,
    });
    // The create returned only once the cache was ready, so a model can be created right away: the first status
    // answer came before the cache was ready (it said "refreshing"), the second (the last request the create made:
    // the provider polls until one says ready) after, and the create returned after that.
    const readyAt = emulator.state.connections.get(created.id)?.schemaCache?.readyAt as number;
    const polls = answered.filter((a) =>
      a.line.startsWith(`GET /api/connections/${created.id}/schemas/status `),
    );
    expect(polls).toHaveLength(2);
    expect(polls[0]?.at).toBeLessThan(readyAt);
    expect(polls[1]?.at).toBeGreaterThanOrEqual(readyAt);
    expect(polls[1]?.at).toBeLessThanOrEqual(returnedAt);
    expect(readyAt).toBeLessThanOrEqual(returnedAt);

    // diff: offline.
    const { result: none, requests: diffRequests } = await requestsOf(
      () => server.diff(u, created.id, created.props, gcsNews()),
      created.id,
    );
    expect(none).toMatchObject({ changes: 1, replaces: [] });
    expect(diffRequests).toEqual([]);
    const some = await server.diff(u, created.id, created.props, gcsNews({ name: "renamed" }));
    expect(some).toMatchObject({ changes: 2, replaces: [] });

    // update: the PUT (a full replacement), which starts a new cache refresh, and the same wait.
    const { result: updated, requests: updateRequests } = await requestsOf(
      () => server.update(u, created.id, created.props, gcsNews({ name: "renamed" })),
      created.id,
    );
    expect(updateRequests).toEqual([
      "PUT /api/connections/{id} 200",
      "GET /api/connections/{id}/schemas/status 200",
      "GET /api/connections/{id}/schemas/status 200",
    ]);
    expect(updated.props).toMatchObject({ name: "renamed", __provider: providers.GcsConnection });
    expect(emulator.state.connections.get(created.id)?.configuration.service_account).toBe(
      FAKE_SERVICE_ACCOUNT,
    );

    // read: one GET.
    const { result: refreshed, requests: readRequests } = await requestsOf(
      () => server.read(u, created.id, updated.props, gcsNews({ name: "renamed" })),
      created.id,
    );
    expect(readRequests).toEqual(["GET /api/connections/{id} 200"]);
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

    // delete: one DELETE.
    const { requests: deleteRequests } = await requestsOf(
      () => server.delete(u, created.id, updated.props),
      created.id,
    );
    expect(deleteRequests).toEqual(["DELETE /api/connections/{id} 200"]);
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
    const { result: created, requests } = await requestsOf(() => server.create(u, news));
    expect(requests).toEqual(["POST /api/connections 200"]);
    const diff = await server.diff(u, created.id, created.props, { ...news, type: "gcs" });
    expect(diff).toMatchObject({ changes: 2, replaces: ["type"], deleteBeforeReplace: false });
    await server.delete(u, created.id, created.props);
  });

  it("models and syncs: create, diff, read, update, delete through the server", async () => {
    const gcs = await server.create(urn("GcsConnection", "src"), gcsNews({ name: "src" }));
    // A webhook is no model source: its create is the POST alone, no schema wait.
    const { result: hook, requests: hookRequests } = await requestsOf(() =>
      server.create(urn("WebhookConnection", "hook"), {
        name: "hook",
        configuration: { url: "https://example.com/hook" },
        __provider: providers.WebhookConnection,
      }),
    );
    expect(hookRequests).toEqual(["POST /api/connections 200"]);
    const modelNews = {
      name: "users",
      connectionId: gcs.id,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
      __provider: providers.Model,
    };
    const { result: model, requests: modelCreate } = await requestsOf(() =>
      server.create(urn("Model", "users"), modelNews),
    );
    expect(modelCreate).toEqual(["POST /api/models 200"]);
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
    const { result: sync, requests: syncCreate } = await requestsOf(() =>
      server.create(urn("Sync", "sync"), syncNews),
    );
    expect(syncCreate).toEqual(["POST /api/syncs 200"]);
    expect(sync.props).toMatchObject({ modelIds: [model.id], encryptionPassphrase: "correct-horse-battery" });
    const syncDiff = await requestsOf(
      () => server.diff(urn("Sync", "sync"), sync.id, sync.props, syncNews),
      sync.id,
    );
    expect(syncDiff.result.changes).toBe(1);
    expect(syncDiff.requests).toEqual([]);
    const { result: read, requests: syncRead } = await requestsOf(
      () => server.read(urn("Sync", "sync"), sync.id, sync.props, syncNews),
      sync.id,
    );
    expect(syncRead).toEqual(["GET /api/syncs/{id} 200"]);
    expect(read.props.encryptionPassphrase).toBe("correct-horse-battery");
    expect((await server.diff(urn("Sync", "sync"), sync.id, read.props, syncNews)).changes).toBe(1);
    const renamed = { ...syncNews, schedule: { frequency: "daily", hour: 5, minute: 0 } };
    const { result: upd, requests: syncUpdate } = await requestsOf(
      () => server.update(urn("Sync", "sync"), sync.id, sync.props, renamed),
      sync.id,
    );
    expect(syncUpdate).toEqual(["PUT /api/syncs/{id} 200"]);
    expect(upd.props.schedule).toEqual({ frequency: "daily", hour: "05", minute: "00" });
    expect((await server.diff(urn("Sync", "sync"), sync.id, upd.props, renamed)).changes).toBe(1);
    const modelDiff = await requestsOf(
      () => server.diff(urn("Model", "users"), model.id, model.props, modelNews),
      model.id,
    );
    expect(modelDiff.result.changes).toBe(1);
    expect(modelDiff.requests).toEqual([]);
    const modelRead = await requestsOf(
      () => server.read(urn("Model", "users"), model.id, model.props, modelNews),
      model.id,
    );
    expect(modelRead.requests).toEqual(["GET /api/models/{id} 200"]);
    const modelUpdate = await requestsOf(
      () => server.update(urn("Model", "users"), model.id, model.props, { ...modelNews, name: "users 2" }),
      model.id,
    );
    expect(modelUpdate.requests).toEqual(["PUT /api/models/{id} 200"]);
    // Delete in reverse dependency order, as the engine does.
    const syncDelete = await requestsOf(
      () => server.delete(urn("Sync", "sync"), sync.id, upd.props),
      sync.id,
    );
    expect(syncDelete.requests).toEqual(["DELETE /api/syncs/{id} 200"]);
    const modelDelete = await requestsOf(
      () => server.delete(urn("Model", "users"), model.id, model.props),
      model.id,
    );
    expect(modelDelete.requests).toEqual(["DELETE /api/models/{id} 200"]);
    await server.delete(urn("WebhookConnection", "hook"), hook.id, hook.props);
    await server.delete(urn("GcsConnection", "src"), gcs.id, gcs.props);
    expect(emulator.state.syncs.size + emulator.state.models.size).toBe(0);
  });
});

/**
 * The same lifecycle for every kind of the kinds table (src/kinds.ts) with its samples (test/kinds/samples.ts),
 * each call's requests counted exactly. What each provider method must send, written from what it does:
 * - check and diff: nothing (offline);
 * - create: one POST to the kind's collection; a kind that waits for the schema cache then polls the cache's
 *   status until it is ready (ready at once here: one poll);
 * - update (a change Polytomic holds): one PUT of the object, a full replacement; then the same wait;
 * - read (refresh), and `get` (Resource.get: only the __provider as state): one GET of the object;
 * - delete: one DELETE; read and delete of an object already gone: one request each, answered 404.
 * A kind whose calls do something else (a run, not an object) writes its own list in its sample, by hand too.
 * Four emulator + provider-server lanes run four kinds at once; each kind has its lane to itself.
 */
describe("every kind, through the server: each method's requests", () => {
  const LANES = 4;
  let lanes: Lanes;
  beforeAll(async () => {
    lanes = await startLanes(LANES, { project: "seed", emulator: { schemaReadyDelayMs: 0 } });
  }, 120_000);
  afterAll(async () => {
    await lanes?.close();
  });

  // (A run, not an object, goes through the server in test/grpc/executions.test.ts.)
  const objectKinds = KIND_NAMES.filter((kind) => findSample(kind)?.isRun !== true);
  it.concurrent.for(objectKinds)("%s", async (kind, { expect }) => {
    const sample = sampleFor(kind);
    await lanes.use(async ({ server, emulator, dependencies }) => {
      const deps = await dependencies(kind);
      const u = urn(kind, "every");
      const name = `grpc ${kind}`;
      const news: Json = { ...sample.inputs(name, deps), __provider: providers[kind] };
      let id = "";
      /** The kind's collection (`/api/models`): the path of its create's POST. */
      let collection = "";
      /** Runs a call; its requests as `METHOD path status`, paths written `{collection}` and `{object}...`. */
      const traced = async <T>(run: () => Promise<T>) => {
        const before = emulator.requests.length;
        const result = await run();
        const made = emulator.requests.slice(before);
        if (collection === "") collection = made[0]?.path ?? "";
        // Elsewhere, the object's id is written `{id}` and the ids of the objects it depends on `{<Kind>}`.
        const others = (path: string) =>
          Object.entries(deps).reduce(
            (p, [dependency, dependencyId]) => p.split(dependencyId).join(`{${dependency}}`),
            id === "" ? path : path.split(id).join("{id}"),
          );
        const shape = (path: string) =>
          path === collection
            ? "{collection}"
            : path.startsWith(`${collection}/${id}`)
              ? `{object}${path.slice(`${collection}/${id}`.length)}`
              : others(path);
        return { result, requests: made.map((r) => `${r.method} ${shape(r.path)} ${r.status}`) };
      };
      const wait = sample.waitsForSchema ? ["GET {object}/schemas/status 200"] : [];
      const rule: Record<CountedCall, readonly string[]> = {
        create: ["POST {collection} 200", ...wait],
        update: ["PUT {object} 200", ...wait],
        read: ["GET {object} 200"],
        get: ["GET {object} 200"],
        delete: ["DELETE {object} 200"],
        readGone: ["GET {object} 404"],
        deleteGone: ["DELETE {object} 404"],
      };
      const expected = (call: CountedCall) => sample.requests?.[call] ?? rule[call];

      const checked = await traced(() => server.check(u, {}, news));
      expect(checked.result.failures).toEqual([]);
      expect(checked.requests, "check").toEqual([]);

      const created = await traced(async () => {
        const result = await server.create(u, checked.result.inputs);
        id = result.id;
        return result;
      });
      expect(created.requests, "create").toEqual(expected("create"));
      expect(collection).toMatch(/^\/api\/[a-z0-9/_.-]+$/);

      const same = await traced(() => server.diff(u, id, created.result.props, news));
      expect(same.result.changes, "diff, same inputs").toBe(1);
      expect(same.requests, "diff").toEqual([]);

      let desired: Json = news;
      let props = created.result.props;
      const update = sample.update?.(name, deps);
      if (update !== undefined) {
        desired = { ...update, __provider: providers[kind] };
        const planned = await traced(() => server.diff(u, id, props, desired));
        expect(planned.result, "diff, changed inputs").toMatchObject({ changes: 2, replaces: [] });
        expect(planned.requests, "diff").toEqual([]);
        const updated = await traced(() => server.update(u, id, props, desired));
        expect(updated.requests, "update").toEqual(expected("update"));
        props = updated.result.props;
      }

      const refreshed = await traced(() => server.read(u, id, props, desired));
      expect(refreshed.requests, "read").toEqual(expected("read"));
      expect(refreshed.result.id).toBe(id);
      expect((await server.diff(u, id, refreshed.result.props, desired)).changes, "diff after refresh").toBe(
        1,
      );
      const got = await traced(() => server.read(u, id, { __provider: providers[kind] }));
      expect(got.requests, "get").toEqual(expected("get"));
      expect(got.result.id).toBe(id);
      expect(got.result.props.name).toBe(news.name);

      const deleted = await traced(() => server.delete(u, id, refreshed.result.props));
      expect(deleted.requests, "delete").toEqual(expected("delete"));
      const gone = await traced(() => server.read(u, id, refreshed.result.props));
      expect(gone.result.id).toBe("");
      expect(gone.requests, "read when gone").toEqual(expected("readGone"));
      const again = await traced(() => server.delete(u, id, refreshed.result.props));
      expect(again.requests, "delete when gone").toEqual(expected("deleteGone"));
    });
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
