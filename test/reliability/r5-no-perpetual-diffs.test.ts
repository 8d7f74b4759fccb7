import { afterAll, beforeAll, describe, it } from "vitest";
import { serializedProviders } from "../helpers/serialized-providers";
import { type Lanes, startLanes } from "../helpers/server-lanes";
import { KIND_NAMES, sampleFor } from "../kinds/samples";
import type { Json } from "./support";

/**
 * R5 No perpetual diffs, for every kind of the kinds table (src/kinds.ts), every typed connection class included,
 * through the real dynamic-provider server, with each kind's samples (test/kinds/samples.ts):
 * - after create, the same inputs diff as no change, and still after two refreshes (one for the typed connection
 *   classes whose samples are generated: they share one provider, whose second refresh the others exercise);
 * - the program changes (an in-place update): diff wants an update without replacement, and after it there is no
 *   change, and still none after the same refreshes;
 * - a change to configuration alone made outside Pulumi (a PUT with the API client; the name stays) shows up on
 *   refresh, diffs as an in-place update, and converges after `update`: no change again, the program's values are
 *   back, and Polytomic holds them;
 * - for the kinds whose samples are written by hand, the same with the object also renamed outside Pulumi.
 *
 * Four emulator + provider-server lanes run four kinds at once.
 */

const DIFF_NONE = 1;
const DIFF_SOME = 2;
const LANES = 4;
const urn = (kind: string) => `urn:pulumi:dev::r5::pulumi-nodejs:dynamic/polytomic:${kind}::r5`;

let lanes: Lanes;
let providers: Record<string, string>;

beforeAll(async () => {
  providers = await serializedProviders(KIND_NAMES);
  lanes = await startLanes(LANES, { project: "r5", emulator: { schemaReadyDelayMs: 0 } });
}, 120_000);
afterAll(async () => {
  await lanes?.close();
});

/** The value at a dotted path. */
const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

/** The paths of every leaf of a plain object (arrays are leaves). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

describe("R5: no perpetual diffs; drift shows on refresh and converges", () => {
  it.concurrent.for(KIND_NAMES)("%s", async (kind, { expect }) => {
    const sample = sampleFor(kind);
    await lanes.use(async ({ server, api, dependencies }) => {
      const deps = await dependencies(kind);
      const u = urn(kind);
      const name = `r5 ${kind}`;
      const withProvider = (inputs: Json): Json => ({ ...inputs, __provider: providers[kind] });
      const refreshes = sample.handWritten ? 2 : 1;

      const checked = await server.check(u, {}, withProvider(sample.inputs(name, deps)));
      expect(checked.failures).toEqual([]);
      const { id, props: createdProps } = await server.create(u, checked.inputs);
      let props = createdProps;
      const expectNoChange = async (inputs: Json, label: string) =>
        expect((await server.diff(u, id, props, inputs)).changes, label).toBe(DIFF_NONE);
      const refresh = async (inputs: Json) => {
        const read = await server.read(u, id, props, inputs);
        expect(read.id).toBe(id);
        props = read.props;
        return read.props;
      };

      // Same inputs: no change, after create and after refreshes.
      await expectNoChange(checked.inputs, "after create");
      for (let i = 1; i <= refreshes; i++) {
        await refresh(checked.inputs);
        await expectNoChange(checked.inputs, `after refresh ${i}`);
      }

      // The program changes: an in-place update, and then no change, after refreshes too.
      const update = sample.update?.(name, deps);
      const desired = update === undefined ? checked.inputs : withProvider(update);
      if (update !== undefined) {
        const planned = await server.diff(u, id, props, desired);
        expect(planned.changes, "update planned").toBe(DIFF_SOME);
        expect(planned.replaces).toEqual([]);
        props = (await server.update(u, id, props, desired)).props;
        await expectNoChange(desired, "after update");
        for (let i = 1; i <= refreshes; i++) {
          await refresh(desired);
          await expectNoChange(desired, `after update and refresh ${i}`);
        }
      }

      const drift = sample.drift?.(name, deps);
      const put = sample.api(api).update;
      if (drift === undefined || put === undefined) return;

      /** Outside Pulumi: the PUT; then refresh shows `shows`, diff wants an in-place update, and `up` converges. */
      const driftAndConverge = async (body: Json, shows: Json, label: string) => {
        await put(id, body);
        const drifted = await refresh(desired);
        expect(drifted, label).toMatchObject(shows);
        const diff = await server.diff(u, id, drifted, desired);
        expect(diff.changes, label).toBe(DIFF_SOME);
        expect(diff.replaces, label).toEqual([]);
        // `pulumi up` puts the program's values back, and then there is nothing left to do.
        props = (await server.update(u, id, drifted, desired)).props;
        await expectNoChange(desired, `${label}: after up`);
        const converged = await refresh(desired);
        await expectNoChange(desired, `${label}: after up and refresh`);
        expect(converged, label).not.toMatchObject(shows);
        for (const path of leafPaths(shows)) {
          expect(at(converged, path), `${label}: ${path.join(".")} back`).toEqual(
            path[0] === "name" ? name : at(desired, path),
          );
        }
        expect((await sample.api(api).get(id)).name, label).toBe(name);
      };

      // Changed outside Pulumi, configuration alone: the name stays.
      expect(drift.body.name).toBe(name);
      await driftAndConverge(drift.body, drift.shows, "configuration changed outside");

      // Renamed outside Pulumi as well (the kinds written by hand).
      if (sample.handWritten) {
        const renamed = `${name} renamed outside`;
        await driftAndConverge(
          { ...drift.body, name: renamed },
          { ...drift.shows, name: renamed },
          "renamed outside",
        );
      }
    });
  });
});
