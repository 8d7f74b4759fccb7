import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { PROGRAM_DIR } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";
import { serializedProvider } from "../helpers/serialize";
import { API_KEY, bodies, FAKE_SERVICE_ACCOUNT, inputs, type Json } from "./support";

/**
 * R5 No perpetual diffs, for each resource kind, through the real dynamic-provider server: after create, the same
 * inputs diff as no change, and still after refreshes; a change made outside Pulumi (a PUT with the API client)
 * shows up on refresh, diffs as an in-place update, and converges after `update` (no change again, and Polytomic
 * holds the program's values).
 */

const DIFF_NONE = 1;
const DIFF_SOME = 2;
const KINDS = ["Connection", "GcsConnection", "WebhookConnection", "Model", "Sync"] as const;
const urn = (kind: string, name: string) =>
  `urn:pulumi:dev::r5::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

let emulator: RunningEmulator;
let server: ProviderServer;
let api: PolytomicClient;
const providers: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 100 });
  api = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  for (const kind of KINDS) providers[kind] = await serializedProvider(kind);
  server = await startProviderServer(PROGRAM_DIR, "r5", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
});
afterAll(async () => {
  server?.close();
  await emulator?.close();
});

interface Case {
  kind: (typeof KINDS)[number];
  news(): Json;
  /** A change made outside Pulumi: the PUT, and what a refresh must then show. */
  outside(id: string): Promise<unknown>;
  shows: Json;
  stored(id: string): Json | undefined;
}

const CASES: Case[] = [
  {
    kind: "WebhookConnection",
    news: () => ({
      ...inputs.webhook("r5 hook"),
      configuration: {
        url: "https://example.com/r5",
        authMethod: "header",
        header: { name: "X-Token", value: "r5-header-secret" },
        headers: [{ name: "X-Team", value: "data" }],
      },
    }),
    outside: (id) =>
      api.connections.update(id, {
        name: "renamed outside",
        type: "webhook",
        configuration: {
          url: "https://changed.example.com",
          auth_method: "header",
          header: { name: "X-Token", value: "r5-header-secret" },
        },
      }),
    shows: { name: "renamed outside", configuration: { url: "https://changed.example.com" } },
    stored: (id) => emulator.state.connections.get(id),
  },
  {
    kind: "GcsConnection",
    news: () => ({ ...inputs.gcs("r5 gcs"), schemaTimeoutSeconds: 30 }),
    outside: (id) =>
      api.connections.update(id, {
        name: "gcs renamed outside",
        type: "gcs",
        configuration: {
          bucket: "other-bucket",
          service_account: FAKE_SERVICE_ACCOUNT,
          csv_has_headers: false,
        },
      }),
    shows: { name: "gcs renamed outside", configuration: { bucket: "other-bucket", csvHasHeaders: false } },
    stored: (id) => emulator.state.connections.get(id),
  },
  {
    kind: "Connection",
    news: () => inputs.generic("r5 generic"),
    outside: (id) =>
      api.connections.update(id, {
        name: "generic renamed outside",
        type: "webhook",
        configuration: {
          url: "https://changed.example.com/generic",
          auth_method: "basic",
          basic: { username: "someone-else", password: "generic-basic-password-41" },
        },
      }),
    shows: {
      name: "generic renamed outside",
      configuration: { url: "https://changed.example.com/generic", basic: { username: "someone-else" } },
    },
    stored: (id) => emulator.state.connections.get(id),
  },
  {
    kind: "Model",
    news: () => ({ ...inputs.model("r5 model", ids.GcsConnection as string), labels: ["r5"] }),
    outside: (id) =>
      api.models.update(id, {
        ...bodies.model("model renamed outside", ids.GcsConnection as string),
        labels: ["changed"],
      }),
    shows: { name: "model renamed outside", labels: ["changed"] },
    stored: (id) => emulator.state.models.get(id),
  },
  {
    kind: "Sync",
    news: () =>
      inputs.sync("r5 sync", ids.Model as string, ids.WebhookConnection as string, {
        schedule: { frequency: "daily", hour: 6, minute: 30 },
        encryptionPassphrase: "r5-passphrase",
      }),
    outside: (id) =>
      api.syncs.update(id, {
        ...bodies.sync("sync renamed outside", ids.Model as string, ids.WebhookConnection as string),
        schedule: { frequency: "hourly" },
      }),
    shows: { name: "sync renamed outside", schedule: { frequency: "hourly" } },
    stored: (id) => emulator.state.syncs.get(id),
  },
];

describe("R5: no perpetual diffs; drift shows on refresh and converges", () => {
  it.each(CASES.map((c) => [c.kind, c] as const))("%s", async (kind, c) => {
    const u = urn(kind, "r5");
    const news: Json = { ...c.news(), __provider: providers[kind] };
    const checked = await server.check(u, {}, news);
    expect(checked.failures).toEqual([]);
    const created = await server.create(u, checked.inputs);
    ids[kind] = created.id;
    let props = created.props;

    // Same inputs: no change, after create and after two refreshes.
    expect((await server.diff(u, created.id, props, checked.inputs)).changes, "after create").toBe(DIFF_NONE);
    for (let i = 0; i < 2; i++) {
      const read = await server.read(u, created.id, props, checked.inputs);
      expect(read.id).toBe(created.id);
      props = read.props;
      expect(
        (await server.diff(u, created.id, props, checked.inputs)).changes,
        `after refresh ${i + 1}`,
      ).toBe(DIFF_NONE);
    }

    // Changed outside Pulumi: refresh shows it, diff wants an in-place update.
    await c.outside(created.id);
    const drifted = await server.read(u, created.id, props, checked.inputs);
    expect(drifted.props).toMatchObject(c.shows);
    const diff = await server.diff(u, created.id, drifted.props, checked.inputs);
    expect(diff.changes).toBe(DIFF_SOME);
    expect(diff.replaces).toEqual([]);

    // `pulumi up` puts the program's values back, and then there is nothing left to do.
    const updated = await server.update(u, created.id, drifted.props, checked.inputs);
    expect((await server.diff(u, created.id, updated.props, checked.inputs)).changes, "after update").toBe(
      DIFF_NONE,
    );
    const converged = await server.read(u, created.id, updated.props, checked.inputs);
    expect((await server.diff(u, created.id, converged.props, checked.inputs)).changes, "after refresh").toBe(
      DIFF_NONE,
    );
    expect(c.stored(created.id)?.name).toBe(news.name);
    expect(converged.props).not.toMatchObject(c.shows);
  });
});
