import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrpcFailure } from "../helpers/provider-server";
import { serializedProviders } from "../helpers/serialized-providers";
import { type Lane, type Lanes, startLanes } from "../helpers/server-lanes";
import { KIND_NAMES, sampleFor } from "../kinds/samples";
import { inputs, type Json } from "./support";

/**
 * R6 Out-of-band changes, through the real dynamic-provider server: an object deleted outside Pulumi reads as gone
 * (refresh drops it from state), for every kind of the kinds table (src/kinds.ts) with its samples
 * (test/kinds/samples.ts); deleting an object that is already gone succeeds after one request; deleting a
 * connection that models or syncs use fails with an error naming them, and cascades when `forceDestroy` is set.
 *
 * Four emulator + provider-server lanes run four kinds at once; each kind has its lane to itself, so its lane's
 * request log holds only its requests.
 */

const LANES = 4;
const urn = (kind: string, name: string) =>
  `urn:pulumi:dev::r6::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

let lanes: Lanes;
let providers: Record<string, string>;

beforeAll(async () => {
  providers = await serializedProviders(KIND_NAMES);
  lanes = await startLanes(LANES, { project: "r6", emulator: { schemaReadyDelayMs: 0 } });
}, 120_000);
afterAll(async () => {
  await lanes?.close();
});

/** Creates a resource through the lane's server; returns what the engine would record. */
async function create(lane: Lane, kind: string, name: string, news: Json) {
  const u = urn(kind, name);
  const props = { ...news, __provider: providers[kind] };
  const created = await lane.server.create(u, props);
  return { urn: u, id: created.id, props: created.props, inputs: props };
}

describe("R6: objects changed outside Pulumi", () => {
  it.concurrent.for(KIND_NAMES)(
    "%s deleted outside Pulumi: reads as gone, and deleting it again succeeds",
    async (kind, { expect }) => {
      const sample = sampleFor(kind);
      await lanes.use(async (lane) => {
        // (A kind the API cannot delete cannot be deleted outside Pulumi either.)
        const remove = sample.api(lane.api).delete;
        if (remove === undefined) return;
        const deps = await lane.dependencies(kind);
        const r = await create(lane, kind, "gone", sample.inputs(`r6 ${kind}`, deps));
        await remove(r.id);
        // Refresh: the engine drops a resource whose read returns no id.
        const read = await lane.server.read(r.urn, r.id, r.props, r.inputs);
        expect(read.id).toBe("");
        // (The provider server puts __provider back in whatever read returns; nothing else is left.)
        expect(Object.keys(read.props).filter((k) => k !== "__provider")).toEqual([]);
        // Destroy of something already gone: success, and one request only (the DELETE answered 404).
        const before = lane.emulator.requests.length;
        await lane.server.delete(r.urn, r.id, r.props);
        expect(lane.emulator.requests.slice(before).map((q) => [q.method, q.status])).toEqual([
          ["DELETE", 404],
        ]);
        await expect(sample.api(lane.api).get(r.id)).rejects.toMatchObject({ status: 404 });
      });
    },
  );

  it("a connection in use: a clear error naming its models and syncs; forceDestroy cascades", async () => {
    await lanes.use(async (lane) => {
      const { server, emulator } = lane;
      const objects = () =>
        emulator.state.connections.size + emulator.state.models.size + emulator.state.syncs.size;
      const before = objects();
      const gcs = await create(lane, "GcsConnection", "gcs2", inputs.gcs("r6 source"));
      const hook = await create(lane, "WebhookConnection", "hook2", inputs.webhook("r6 target"));
      const model = await create(lane, "Model", "model2", inputs.model("r6 users", gcs.id));
      const sync = await create(lane, "Sync", "sync2", inputs.sync("r6 users to hook", model.id, hook.id));

      const source = (await server
        .delete(gcs.urn, gcs.id, gcs.props)
        .catch((e: unknown) => e)) as GrpcFailure;
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
      expect(objects()).toBe(before);
    });
  });
});
