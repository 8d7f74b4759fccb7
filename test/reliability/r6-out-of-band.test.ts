import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { PROGRAM_DIR } from "../helpers/packed-package";
import {
  type GrpcFailure,
  type ProviderServer,
  secretWire,
  startProviderServer,
} from "../helpers/provider-server";
import { serializedProvider } from "../helpers/serialize";
import { API_KEY, inputs, type Json } from "./support";

/**
 * R6 Out-of-band changes, through the real dynamic-provider server: an object deleted outside Pulumi reads as gone
 * (refresh drops it from state); deleting an object that is already gone succeeds; deleting a connection that
 * models or syncs use fails with an error naming them, and cascades when `forceDestroy` is set.
 */

const KINDS = ["Connection", "GcsConnection", "WebhookConnection", "Model", "Sync"] as const;
const urn = (kind: string, name: string) =>
  `urn:pulumi:dev::r6::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

let emulator: RunningEmulator;
let server: ProviderServer;
let api: PolytomicClient;
const providers: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0 });
  api = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  for (const kind of KINDS) providers[kind] = await serializedProvider(kind);
  server = await startProviderServer(PROGRAM_DIR, "r6", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
});
afterAll(async () => {
  server?.close();
  await emulator?.close();
});

/** Creates a resource through the server; returns what the engine would record. */
async function create(kind: (typeof KINDS)[number], name: string, news: Json) {
  const u = urn(kind, name);
  const props = { ...news, __provider: providers[kind] };
  const created = await server.create(u, props);
  return { urn: u, id: created.id, props: created.props, inputs: props };
}

describe("R6: objects changed outside Pulumi", () => {
  it("deleted outside Pulumi: each kind reads as gone, and deleting it again succeeds", async () => {
    const gcs = await create("GcsConnection", "gcs", inputs.gcs("r6 gcs"));
    const hook = await create("WebhookConnection", "hook", inputs.webhook("r6 hook"));
    const generic = await create("Connection", "generic", inputs.generic("r6 generic"));
    const model = await create("Model", "model", inputs.model("r6 model", gcs.id));
    const sync = await create("Sync", "sync", inputs.sync("r6 sync", model.id, hook.id));
    const outside: [typeof gcs, () => Promise<unknown>][] = [
      [sync, () => api.syncs.delete(sync.id)],
      [model, () => api.models.delete(model.id)],
      [generic, () => api.connections.delete(generic.id)],
      [hook, () => api.connections.delete(hook.id)],
      [gcs, () => api.connections.delete(gcs.id)],
    ];
    for (const [r, remove] of outside) {
      await remove();
      // Refresh: the engine drops a resource whose read returns no id.
      const read = await server.read(r.urn, r.id, r.props, r.inputs);
      expect(read.id, r.urn).toBe("");
      // (The provider server puts __provider back in whatever read returns; nothing else is left.)
      expect(
        Object.keys(read.props).filter((k) => k !== "__provider"),
        r.urn,
      ).toEqual([]);
      // Destroy of something already gone: success, and one request only (the DELETE answered 404).
      const before = emulator.requests.length;
      await server.delete(r.urn, r.id, r.props);
      expect(
        emulator.requests.slice(before).map((q) => [q.method, q.status]),
        r.urn,
      ).toEqual([["DELETE", 404]]);
    }
    expect(emulator.state.connections.size + emulator.state.models.size + emulator.state.syncs.size).toBe(0);
  });

  it("a connection in use: a clear error naming its models and syncs; forceDestroy cascades", async () => {
    const gcs = await create("GcsConnection", "gcs2", inputs.gcs("r6 source"));
    const hook = await create("WebhookConnection", "hook2", inputs.webhook("r6 target"));
    const model = await create("Model", "model2", inputs.model("r6 users", gcs.id));
    const sync = await create("Sync", "sync2", inputs.sync("r6 users to hook", model.id, hook.id));

    const source = (await server.delete(gcs.urn, gcs.id, gcs.props).catch((e: unknown) => e)) as GrpcFailure;
    expect(source.details).toContain(`cannot delete connection "r6 source" (${gcs.id}): it is in use by`);
    expect(source.details).toContain(`model "r6 users" (${model.id})`);
    expect(source.details).toContain("forceDestroy: true");
    const target = (await server
      .delete(hook.urn, hook.id, hook.props)
      .catch((e: unknown) => e)) as GrpcFailure;
    expect(target.details).toContain(`it is in use by sync "r6 users to hook" (${sync.id})`);
    // Nothing was deleted.
    expect([gcs.id, hook.id].every((id) => emulator.state.connections.has(id))).toBe(true);
    expect(emulator.state.models.has(model.id) && emulator.state.syncs.has(sync.id)).toBe(true);

    // With forceDestroy (an update the engine records before destroying), the source goes with its dependents.
    const beforeUpdate = emulator.requests.length;
    const forced = await server.update(gcs.urn, gcs.id, gcs.props, { ...gcs.inputs, forceDestroy: true });
    // A provider-only setting: no PUT (only the schema-cache status is looked at again).
    expect(emulator.requests.slice(beforeUpdate).filter((r) => r.method !== "GET")).toEqual([]);
    await server.delete(gcs.urn, gcs.id, forced.props);
    expect(emulator.state.connections.has(gcs.id)).toBe(false);
    expect(emulator.state.models.has(model.id)).toBe(false);
    expect(emulator.state.syncs.has(sync.id)).toBe(false);
    // The target is free now: a plain delete works, and Pulumi's own deletes of the cascaded objects succeed.
    await server.delete(hook.urn, hook.id, hook.props);
    await server.delete(sync.urn, sync.id, sync.props);
    await server.delete(model.urn, model.id, model.props);
    expect(emulator.state.connections.size + emulator.state.models.size + emulator.state.syncs.size).toBe(0);
  });
});
