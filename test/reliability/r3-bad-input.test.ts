import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerFor } from "../../src/providers/entry";
import { API_KEY } from "../helpers/fixtures";
import { type BadInputs, conflicts, type Json } from "../kinds/mutations";
import { findSample, KIND_NAMES, sampleFor } from "../kinds/samples";

/**
 * R3 Bad input: for every kind of the kinds table (src/kinds.ts), fast-check builds invalid inputs (a random valid
 * input, then one to three mutations that each break one property in a known way): at least 1000 for each kind
 * whose samples are written by hand (every API object kind, the generic Connection, GcsConnection and
 * WebhookConnection), and 20 for each other typed connection class, whose valid input is its schema's sample
 * and whose mutations come from its schema (test/kinds/samples.ts, test/kinds/mutations.ts). `check` must reject
 * every one of them, naming the property each mutation broke, with every failure's `reason` starting with its
 * `property` (never empty); and nothing may throw or leave an unhandled rejection.
 */

interface Failure {
  property: string;
  reason: string;
}

/** Invalid inputs per kind written by hand, and per typed connection class generated from its schema. */
const NUM_RUNS = 1000;
const GENERATED_RUNS = 20;
const SEED = 42;
const provider = (kind: string) =>
  providerFor(kind, { apiKey: API_KEY, deploymentUrl: "http://127.0.0.1:9" });

// ---- The property -------------------------------------------------------------------------------------------

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const tally: Record<string, { inputs: number; failures: number; mutations: number }> = {};

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  const generated = Object.entries(tally).filter(([kind]) => !sampleFor(kind).handWritten);
  const sum = (key: "inputs" | "failures" | "mutations") => generated.reduce((n, [, t]) => n + t[key], 0);
  const written = Object.fromEntries(Object.entries(tally).filter(([kind]) => sampleFor(kind).handWritten));
  console.log(
    `[r3] ${JSON.stringify(written)}; ${generated.length} typed connection classes from their schemas: ` +
      `${sum("inputs")} inputs, ${sum("mutations")} mutations, ${sum("failures")} failures`,
  );
});

function invalidInputs(c: BadInputs) {
  return c.valid
    .chain((valid) =>
      fc
        .uniqueArray(fc.oneof(...c.mutations(valid)), {
          minLength: 1,
          maxLength: 3,
          selector: (m) => m.label,
        })
        .map((ms) => ms.filter((m, i) => !ms.slice(0, i).some((earlier) => conflicts(earlier, m))))
        .map((mutations) => [valid, mutations] as const),
    )
    .map(([valid, mutations]) => {
      const input = structuredClone(valid);
      for (const m of mutations) m.apply(input);
      return { input, mutations };
    });
}

describe("R3: check rejects invalid inputs, naming each property", () => {
  it.each(KIND_NAMES)(
    "%s: generated invalid inputs",
    async (kind) => {
      const sample = sampleFor(kind);
      const c = sample.badInputs;
      const runs = sample.handWritten ? NUM_RUNS : GENERATED_RUNS;
      const impl = provider(kind);
      // The generators' valid inputs really are valid (otherwise a failure could come from the base).
      await fc.assert(
        fc.asyncProperty(c.valid, async (valid) => {
          const r = await impl.check({}, valid as never);
          expect(r.failures ?? [], JSON.stringify(valid)).toEqual([]);
        }),
        { seed: SEED, numRuns: sample.handWritten ? 200 : 5 },
      );
      const counts = { inputs: 0, failures: 0, mutations: 0 };
      await fc.assert(
        fc.asyncProperty(invalidInputs(c), async ({ input, mutations }) => {
          counts.inputs++;
          counts.mutations += mutations.length;
          const result = await impl.check({}, input as never);
          const failures = (result.failures ?? []) as Failure[];
          counts.failures += failures.length;
          const context = `${mutations.map((m) => m.label).join("; ")} → ${JSON.stringify(failures)}`;
          expect(failures.length, context).toBeGreaterThan(0);
          for (const f of failures) {
            expect(f.property, context).not.toBe("");
            expect(f.reason.startsWith(`${f.property} `), context).toBe(true);
          }
          for (const m of mutations) {
            const named = failures.some(
              (f) => f.property === m.property || f.property.startsWith(`${m.property}.`),
            );
            expect(named, `${m.label} not named: ${context}`).toBe(true);
          }
        }),
        { seed: SEED, numRuns: runs },
      );
      tally[kind] = counts;
      expect(counts.inputs).toBeGreaterThanOrEqual(runs);
    },
    60_000,
  );

  it("no check threw, and no promise rejection went unhandled", async () => {
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });

  it("an unknown top-level property is named by its own key", async () => {
    // (A kind without samples fails its own test above.)
    for (const kind of KIND_NAMES.filter((k) => findSample(k) !== undefined)) {
      const valid = fc.sample(sampleFor(kind).badInputs.valid, { seed: SEED, numRuns: 1 })[0] as Json;
      const { failures } = await provider(kind).check({}, { ...valid, bogusSetting: 1 } as never);
      expect(failures, kind).toEqual([
        { property: "bogusSetting", reason: "bogusSetting is not a known property" },
      ]);
    }
  });
});
