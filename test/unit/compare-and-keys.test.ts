import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changedKeys, matchesDesired } from "../../src/providers/compare";
import { mapKeysDeep, toCamel, toSnake } from "../../src/providers/keys";
import { UNKNOWN } from "../../src/providers/unknown";

/** The pure diff and key-mapping functions: tables for the rules, properties for the invariants. */

const json = fc.jsonValue().filter((v) => !JSON.stringify(v).includes(UNKNOWN));

describe("matchesDesired", () => {
  it("holds for any value against itself (no perpetual diff from the comparison itself)", () => {
    fc.assert(
      fc.property(json, (v) => matchesDesired(v, v)),
      { seed: 7, numRuns: 500 },
    );
  });

  it("treats an unknown (preview) anywhere in the desired value as a change", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), json),
        fc.string({ minLength: 1 }),
        (obj, key) => matchesDesired(obj, { ...obj, [key]: UNKNOWN }) === false,
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it.each([
    ["absent vs empty string", { a: "" }, {}, {}, true],
    ["absent vs false", { a: false }, {}, {}, true],
    ["absent vs []", { a: [] }, {}, {}, true],
    ["absent vs a value", { a: "x" }, {}, {}, false],
    ["absent vs the known default", { a: 5432 }, {}, { defaults: { a: 5432 } }, true],
    ["absent vs another value than the default", { a: 1 }, {}, { defaults: { a: 5432 } }, false],
    ["absent vs a server-assigned value", { a: "org" }, {}, { computedWhenAbsent: ["a"] }, true],
    [
      "array item default",
      { f: [{ m: "updateOrCreate" }] },
      { f: [{}] },
      { defaults: { "f[].m": "updateOrCreate" } },
      true,
    ],
    ["unordered list", { p: ["b", "a"] }, { p: ["a", "b"] }, { unordered: ["p"] }, true],
    ["ordered list", { p: ["b", "a"] }, { p: ["a", "b"] }, {}, false],
    ["a changed leaf", { a: { b: 1 } }, { a: { b: 2 } }, {}, false],
  ])("%s", (_, current, desired, options, expected) => {
    expect(matchesDesired(current, desired, options)).toBe(expected);
  });

  it("changedKeys names only the top-level keys that differ", () => {
    expect(changedKeys({ a: 1, b: 2, c: 3 }, { a: 1, b: 5 }, ["a", "b", "c"])).toEqual(["b", "c"]);
  });
});

describe("mapKeysDeep", () => {
  const camelKey = fc.stringMatching(/^[a-z][a-z0-9]{0,5}([A-Z][a-z0-9]{1,5}){0,3}$/);
  const camelObject = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.string(),
      fc.integer(),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(camelKey, tie("value"), { maxKeys: 4 }),
    ),
  })).value;

  it("camelCase → snake_case → camelCase gives back the same value", () => {
    fc.assert(
      fc.property(camelObject, (v) => {
        const back = mapKeysDeep(mapKeysDeep(v, toSnake, []), toCamel, []);
        expect(back).toEqual(v);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("leaves opaque subtrees alone, whichever way the input is spelled", () => {
    const value = { target: { connectionId: "c", configuration: { batch_size: 1, recordRequests: true } } };
    expect(mapKeysDeep(value, toSnake, ["target.configuration"])).toEqual({
      target: { connection_id: "c", configuration: { batch_size: 1, recordRequests: true } },
    });
    expect(
      mapKeysDeep({ filters: [{ fieldId: "x", value: { someKey: 1 } }] }, toSnake, ["filters[].value"]),
    ).toEqual({
      filters: [{ field_id: "x", value: { someKey: 1 } }],
    });
  });
});
