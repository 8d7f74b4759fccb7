import { describe, expect, it } from "vitest";
import { DEFAULT_API_KEY } from "../../src/emulator";
import { KINDS, OBJECT_KINDS } from "../../src/kinds";
import { providerFor } from "../../src/providers/entry";
import { API_KEY } from "../helpers/fixtures";
import {
  creationOrder,
  type Deps,
  findSample,
  HAND_WRITTEN,
  HAND_WRITTEN_KINDS,
  KIND_NAMES,
  kindsWithoutSamples,
  sampleFor,
} from "./samples";

/**
 * The sample registry covers the kinds table: the reliability suites and the gRPC tests iterate over the table and
 * take each kind's inputs from the registry, so a kind without samples would go untested. This file fails first,
 * naming every such kind.
 */

const fakeDeps: Deps = Object.fromEntries(KIND_NAMES.map((kind) => [kind, `${kind}-id`]));

describe("the sample registry", () => {
  it("has sample inputs for every kind of the kinds table", () => {
    const missing = kindsWithoutSamples();
    expect(
      missing,
      `kinds without sample inputs (add them to test/kinds/samples.ts): ${missing.join(", ")}`,
    ).toEqual([]);
    expect(KIND_NAMES.length).toBe(KINDS.size);
  });

  it("writes every API object kind by hand, and the generic and two typed connection classes", () => {
    for (const { kind } of OBJECT_KINDS) expect(HAND_WRITTEN.has(kind), kind).toBe(true);
    expect(HAND_WRITTEN_KINDS).toEqual(
      expect.arrayContaining(["Connection", "GcsConnection", "WebhookConnection"]),
    );
    // Nothing hand-written for a kind the table does not have.
    for (const kind of HAND_WRITTEN.keys()) expect(KINDS.has(kind), kind).toBe(true);
  });

  it("orders every kind after the kinds it depends on", () => {
    const order = creationOrder();
    expect(new Set(order)).toEqual(new Set(KIND_NAMES));
    for (const kind of KIND_NAMES) {
      for (const dependency of findSample(kind)?.dependsOn ?? []) {
        expect(KINDS.has(dependency), `${kind} depends on ${dependency}`).toBe(true);
        expect(order.indexOf(dependency), `${dependency} before ${kind}`).toBeLessThan(order.indexOf(kind));
      }
    }
  });

  it.each(KIND_NAMES)(
    "%s: inputs and update pass check, the update is in place, the drift keeps the name",
    async (kind) => {
      const sample = sampleFor(kind);
      const provider = providerFor(kind, { apiKey: API_KEY, deploymentUrl: "http://127.0.0.1:9" });
      const inputs = sample.inputs(`sample ${kind}`, fakeDeps);
      expect((await provider.check({}, inputs as never)).failures ?? []).toEqual([]);
      if (sample.update !== undefined) {
        const update = sample.update(`sample ${kind}`, fakeDeps);
        expect((await provider.check({}, update as never)).failures ?? []).toEqual([]);
        expect(update.name).toBe(inputs.name);
        expect(update).not.toEqual(inputs);
        // (A connection's outputs also hold its type.)
        const connectionType = KINDS.get(kind)?.connectionType;
        const olds = connectionType === undefined ? inputs : { ...inputs, type: connectionType };
        const diff = await provider.diff("id", olds as never, update as never);
        expect(diff.changes).toBe(true);
        expect(diff.replaces).toEqual([]);
      }
      if (sample.drift !== undefined) {
        const drift = sample.drift(`sample ${kind}`, fakeDeps);
        expect(drift.body.name).toBe(inputs.name);
        expect(drift.shows).not.toHaveProperty("name");
        expect(Object.keys(drift.shows).length).toBeGreaterThan(0);
      }
    },
  );

  it("the fixtures' API key is the emulator's default key", () => {
    expect(API_KEY).toBe(DEFAULT_API_KEY);
  });
});
