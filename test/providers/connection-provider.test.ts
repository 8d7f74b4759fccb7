import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { ConnectionProvider } from "../../src/providers/connection-provider";
import type {
  ConnectionInputs,
  ConnectionKind,
  ConnectionOutputs,
} from "../../src/providers/connection-spec";
import { ResourceInitError } from "../../src/providers/errors";
import { MODEL_SPEC } from "../../src/providers/model-spec";
import { ObjectProvider } from "../../src/providers/object-provider";
import { UNKNOWN } from "../../src/providers/unknown";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/fixtures";

const GCS: ConnectionKind = { className: "GcsConnection", fixedType: "gcs", casing: "camel" };
const WEBHOOK: ConnectionKind = { className: "WebhookConnection", fixedType: "webhook", casing: "camel" };
const GENERIC: ConnectionKind = { className: "Connection", casing: "api" };

let emulator: RunningEmulator;
let config: { apiKey: string; deploymentUrl: string };
let api: PolytomicClient;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 300 });
  config = { apiKey: API_KEY, deploymentUrl: emulator.url };
  api = new PolytomicClient(config);
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.requests.length = 0;
  emulator.clearFaults();
});

const provider = (kind = GCS) =>
  new ConnectionProvider(kind, config, { schemaPollInitialMs: 50, schemaPollMaxMs: 100 });
const gcsInputs = (over: Partial<ConnectionInputs> = {}): ConnectionInputs => ({
  name: "gcs source",
  configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT },
  __provider: "forwarder-text",
  ...over,
});

function assertNoUndefined(value: unknown, path = "result"): void {
  expect(value, path).not.toBeUndefined();
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertNoUndefined(v, `${path}.${k}`);
  }
}

describe("check", () => {
  it("accepts a valid typed configuration", async () => {
    expect((await provider().check(gcsInputs(), gcsInputs())).failures).toBeUndefined();
  });

  it("returns every failure at once, each naming the property", async () => {
    const news = {
      name: "",
      configuration: { serviceAccount: 42, projectId: "x", singleTableFileFormat: "xml", bukket: "b" },
      schemaTimeoutSeconds: -1,
    } as unknown as ConnectionInputs;
    const { failures } = await provider().check(gcsInputs(), news);
    const byProperty = Object.fromEntries((failures ?? []).map((f) => [f.property, f.reason]));
    expect(byProperty).toMatchObject({
      name: "name must not be empty",
      "configuration.bucket": "configuration.bucket is required",
      "configuration.serviceAccount": "configuration.serviceAccount must be a string, got number 42",
      "configuration.projectId":
        "configuration.projectId is read-only: Polytomic derives it, so it cannot be set",
      "configuration.singleTableFileFormat":
        'configuration.singleTableFileFormat must be one of: "csv", "json", "parquet"',
      "configuration.bukket": "configuration.bukket is not a known property",
      schemaTimeoutSeconds: "schemaTimeoutSeconds must be greater than 0",
    });
  });

  it("applies cross-field rules", async () => {
    const news = gcsInputs({
      configuration: { bucket: "b", serviceAccount: "{}", isSingleTable: true, isDirectorySnapshot: true },
    });
    const { failures } = await provider().check(news, news);
    expect(failures).toEqual([
      {
        property: "configuration.directoryGlobPattern",
        reason: "configuration.directoryGlobPattern is required when is_directory_snapshot is true",
      },
    ]);
    const hook = {
      name: "h",
      configuration: { url: "https://x", authMethod: "basic", basic: { username: "u" } },
    };
    const r = await provider(WEBHOOK).check(hook as never, hook as never);
    expect(r.failures?.map((f) => f.property)).toEqual(["configuration.basic.password"]);
  });

  it("tolerates unknown values during preview", async () => {
    const news = gcsInputs({ name: UNKNOWN, configuration: { bucket: UNKNOWN, serviceAccount: UNKNOWN } });
    expect((await provider().check(news, news)).failures).toBeUndefined();
    const whole = gcsInputs({ configuration: UNKNOWN as never });
    expect((await provider().check(whole, whole)).failures).toBeUndefined();
  });

  it("the generic class validates against the type named in its inputs, in the API's keys", async () => {
    const news = { name: "pg", type: "postgresql", configuration: { hostname: "db", port: "5432" } };
    const { failures } = await provider(GENERIC).check(news as never, news as never);
    expect(failures?.map((f) => f.property).sort()).toEqual([
      "configuration.database",
      "configuration.password",
      "configuration.port",
      "configuration.username",
    ]);
  });

  it("makes no network call", async () => {
    await provider().check(gcsInputs(), gcsInputs());
    await provider().diff("id", { ...gcsInputs(), type: "gcs", computedConfiguration: {} }, gcsInputs());
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("lifecycle", () => {
  it("create waits for the schema cache, then a model can be created at once", async () => {
    const started = Date.now();
    const { id, outs } = await provider().create(gcsInputs());
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    assertNoUndefined(outs);
    expect(outs).toMatchObject({
      name: "gcs source",
      type: "gcs",
      status: "healthy",
      configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT },
      computedConfiguration: { projectId: "demo-project", clientEmail: expect.stringContaining("@") },
      __provider: "forwarder-text",
    });
    const polls = emulator.requests.filter((r) => r.path.endsWith("/schemas/status"));
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.at(-1)?.status).toBe(200);
    const model = await api.models.create({
      name: "m",
      connection_id: id,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    });
    expect(model.fields.length).toBeGreaterThan(3);
  });

  it("diff shows no change for the same inputs, after create and after a refresh", async () => {
    const p = provider();
    const { id, outs } = await p.create(gcsInputs({ waitForSchema: false }));
    expect(await p.diff(id, outs, gcsInputs({ waitForSchema: false }))).toMatchObject({ changes: false });
    const read = await p.read(id, outs);
    expect(read.id).toBe(id);
    assertNoUndefined(read);
    // The server fills defaults (csv_has_headers, skip_lines, ...) and masks the key: neither is drift.
    expect(
      await p.diff(id, read.props as ConnectionOutputs, gcsInputs({ waitForSchema: false })),
    ).toMatchObject({
      changes: false,
    });
    expect((read.props as ConnectionOutputs).configuration.serviceAccount).toBe(FAKE_SERVICE_ACCOUNT);
  });

  it("refresh shows a change made outside Pulumi, and update converges", async () => {
    const p = provider();
    const inputs = gcsInputs({ waitForSchema: false });
    const { id, outs } = await p.create(inputs);
    await api.connections.update(id, {
      name: "renamed outside",
      type: "gcs",
      configuration: { bucket: "other-bucket", service_account: FAKE_SERVICE_ACCOUNT },
    });
    const read = await p.read(id, outs);
    expect(read.props).toMatchObject({ name: "renamed outside", configuration: { bucket: "other-bucket" } });
    expect(read.inputs).toMatchObject({ name: "renamed outside" });
    const diff = await p.diff(id, read.props as ConnectionOutputs, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await p.update(id, read.props as ConnectionOutputs, inputs);
    expect(updated.outs).toMatchObject({ name: "gcs source", configuration: { bucket: "sample" } });
    const again = await p.read(id, updated.outs);
    expect(await p.diff(id, again.props as ConnectionOutputs, inputs)).toMatchObject({ changes: false });
  });

  it("update re-sends secrets from the inputs (full replacement keeps the key)", async () => {
    const p = provider();
    const { id, outs } = await p.create(gcsInputs({ waitForSchema: false }));
    emulator.requests.length = 0;
    await p.update(id, outs, gcsInputs({ name: "renamed", waitForSchema: false }));
    const put = emulator.requests.find((r) => r.method === "PUT");
    expect((put!.body as { configuration: Record<string, unknown> }).configuration.service_account).toBe(
      FAKE_SERVICE_ACCOUNT,
    );
    expect(emulator.state.connections.get(id)?.configuration.service_account).toBe(FAKE_SERVICE_ACCOUNT);
  });

  it("changing the generic class's type replaces; a local setting changes without a PUT", async () => {
    const p = provider(GENERIC);
    const news = { name: "hook", type: "webhook", configuration: { url: "https://example.com/h" } };
    const { id, outs } = await p.create(news);
    expect(await p.diff(id, outs, { ...news, type: "gcs" })).toMatchObject({
      changes: true,
      replaces: ["type"],
    });
    emulator.requests.length = 0;
    const diff = await p.diff(id, outs, { ...news, forceDestroy: true });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const { outs: after } = await p.update(id, outs, { ...news, forceDestroy: true });
    expect(after?.forceDestroy).toBe(true);
    expect(emulator.requests.filter((r) => r.method === "PUT")).toHaveLength(0);
  });

  it("read of a deleted connection says it is gone; delete of a gone one succeeds", async () => {
    const p = provider();
    const { id, outs } = await p.create(gcsInputs({ waitForSchema: false }));
    await api.connections.delete(id);
    expect(await p.read(id, outs)).toEqual({});
    await expect(p.delete(id, outs)).resolves.toBeUndefined();
  });

  it("a connection in use: a clear error listing its dependents, or a cascade with forceDestroy", async () => {
    const p = provider();
    const { id, outs } = await p.create(gcsInputs());
    const model = await api.models.create({
      name: "dependent model",
      connection_id: id,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
    });
    const error = await p.delete(id, outs).catch((e: Error) => e);
    expect(String(error)).toContain(`model "dependent model" (${model.id})`);
    expect(String(error)).toContain("forceDestroy");
    expect(emulator.state.connections.has(id)).toBe(true);
    await p.delete(id, { ...outs, forceDestroy: true });
    expect(emulator.state.connections.has(id)).toBe(false);
    expect(emulator.state.models.has(model.id)).toBe(false);
  });

  it("a schema wait that times out keeps the object (partial failure) and update resumes it", async () => {
    const p = provider();
    emulator.addFault({ path: /schemas\/status$/, kind: "status", status: 200, times: 0 });
    const inputs = gcsInputs({ schemaTimeoutSeconds: 1 });
    // Keep the cache refreshing by refreshing it in the background.
    const slow = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 60_000 });
    try {
      const slowProvider = new ConnectionProvider(
        GCS,
        { apiKey: API_KEY, deploymentUrl: slow.url },
        {
          schemaPollInitialMs: 100,
          schemaPollMaxMs: 200,
        },
      );
      const error = (await slowProvider.create(inputs).catch((e) => e)) as ResourceInitError;
      expect(error).toBeInstanceOf(ResourceInitError);
      expect(error.id).toMatch(/[0-9a-f-]{36}/);
      expect(error.reasons[0]).toMatch(/schema cache not ready after 1 s \(cache_status: refreshing\)/);
      expect(error.properties).toMatchObject({
        name: "gcs source",
        type: "gcs",
        __provider: "forwarder-text",
      });
      assertNoUndefined(error.properties);
      expect(slow.state.connections.has(error.id)).toBe(true);
      slow.setSchemaReady(error.id);
      const { outs } = await slowProvider.update(
        error.id,
        error.properties as unknown as ConnectionOutputs,
        inputs,
      );
      expect(outs?.name).toBe("gcs source");
      expect(slow.state.connections.size).toBe(1);
    } finally {
      await slow.close();
    }
    void p;
  });

  it("importId adopts an existing connection: GET then PUT, no POST", async () => {
    const existing = await api.connections.create({
      name: "made by hand",
      type: "webhook",
      configuration: { url: "https://old.example.com", auth_method: "polytomic_secret" },
    });
    emulator.requests.length = 0;
    const p = provider(WEBHOOK);
    const { id, outs } = await p.create({
      name: "adopted",
      configuration: { url: "https://new.example.com" },
      importId: existing.id,
    });
    expect(id).toBe(existing.id);
    expect(outs.name).toBe("adopted");
    expect(emulator.requests.map((r) => r.method)).toEqual(["GET", "PUT"]);
    const wrong = await provider(GCS)
      .create(gcsInputs({ importId: existing.id }))
      .catch((e: Error) => e);
    expect(String(wrong)).toMatch(/is a "webhook" connection, not "gcs"/);
  });
});

describe("settings and credentials", () => {
  it("a missing API key fails every call with both ways to set it", async () => {
    const saved = process.env.POLYTOMIC_API_KEY;
    delete process.env.POLYTOMIC_API_KEY;
    try {
      const p = new ConnectionProvider(GCS, {});
      for (let i = 0; i < 2; i++) {
        const error = await p.create(gcsInputs()).catch((e: Error) => e);
        expect(String(error)).toContain("pulumi config set --secret polytomic:apiKey");
        expect(String(error)).toContain("POLYTOMIC_API_KEY");
      }
    } finally {
      if (saved !== undefined) process.env.POLYTOMIC_API_KEY = saved;
    }
  });

  it("falls back to POLYTOMIC_API_KEY and POLYTOMIC_DEPLOYMENT_URL at call time", async () => {
    process.env.POLYTOMIC_API_KEY = API_KEY;
    process.env.POLYTOMIC_DEPLOYMENT_URL = emulator.url;
    try {
      const p = new ConnectionProvider(WEBHOOK, undefined);
      const { id } = await p.create({ name: "env", configuration: { url: "https://e.example.com" } });
      expect(emulator.state.connections.has(id)).toBe(true);
    } finally {
      delete process.env.POLYTOMIC_API_KEY;
      delete process.env.POLYTOMIC_DEPLOYMENT_URL;
    }
  });

  it("401: one clear error naming the settings, no retries, no key in it", async () => {
    const p = new ConnectionProvider(WEBHOOK, { apiKey: "bad-key-0123456789", deploymentUrl: emulator.url });
    const error = await p
      .create({ name: "x", configuration: { url: "https://x.example.com" } })
      .catch((e: Error) => e);
    expect(String(error)).toMatch(/Polytomic rejected the API key \(401/);
    expect(String(error)).toContain("polytomic:apiKey");
    expect(String(error)).not.toContain("bad-key-0123456789");
    expect(emulator.requests).toHaveLength(1);
  });
});

describe("model provider", () => {
  it("creates, reports fields, shows no diff, replaces on a new connection, selects fields", async () => {
    const { id: connectionId } = await provider().create(gcsInputs());
    const models = new ObjectProvider(MODEL_SPEC, config);
    const inputs = {
      name: "users",
      connectionId,
      configuration: { model_from: "single_file", key: "high_paying_users.csv" },
      __provider: "x",
    };
    expect((await models.check(inputs, inputs)).failures).toBeUndefined();
    const { id, outs } = await models.create(inputs);
    assertNoUndefined(outs);
    expect(outs.fieldNames).toEqual(expect.arrayContaining(["email_address", "first_name", "last_name"]));
    expect(outs.fields[0]).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      type: expect.any(String),
    });
    expect(await models.diff(id, outs, inputs)).toMatchObject({ changes: false });
    const read = await models.read(id, outs);
    expect(await models.diff(id, read.props as never, inputs)).toMatchObject({ changes: false });
    expect(await models.diff(id, outs, { ...inputs, connectionId: "other" })).toMatchObject({
      changes: true,
      replaces: ["connectionId"],
    });
    const selected = { ...inputs, fields: ["email_address", "first_name"] };
    expect(await models.diff(id, outs, selected)).toMatchObject({ changes: true, replaces: [] });
    const { outs: narrowed } = await models.update(id, outs, selected);
    expect(narrowed?.fieldNames).toEqual(["email_address", "first_name"]);
    expect(await models.diff(id, narrowed as never, selected)).toMatchObject({ changes: false });
    await models.delete(id, narrowed as never);
    expect(await models.read(id, narrowed as never)).toEqual({});
  });
});

describe("provider-only settings", () => {
  it("a setting removed from the program is gone from the outputs after update", async () => {
    const p = provider(WEBHOOK);
    const news = { name: "local", configuration: { url: "https://l.example.com" }, forceDestroy: true };
    const { id, outs } = await p.create(news);
    const { forceDestroy, ...without } = news;
    expect(await p.diff(id, outs, without)).toMatchObject({ changes: true });
    const { outs: after } = await p.update(id, outs, without);
    expect(after.forceDestroy).toBeUndefined();
    expect(after.status).toBe("healthy");
    void forceDestroy;
  });
});
