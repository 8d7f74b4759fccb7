import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BulkFieldSelection,
  type BulkSchemaSelection,
  type BulkSchemaSettings,
  canonicalTimestamp,
  type HeldField,
  type HeldSchema,
  heldSchema,
  normalizeSchemas,
  renderHeld,
  schemaPatches,
  schemasBody,
  schemasMatch,
} from "../../src/providers/bulk-schemas";
import { UNKNOWN } from "../../src/providers/unknown";

/**
 * The bulk-sync schema rule (README, "Bulk syncs"): only the schemas and fields the program names are compared,
 * in any order; what the program leaves out is Polytomic's default; a named schema disabled or gone, a named
 * field disabled or gone, or a differing setting is a change.
 */

const held = (id: string, over: Partial<HeldSchema> = {}): HeldSchema => ({ id, enabled: true, ...over });
const field = (id: string, over: Partial<HeldField> = {}): HeldField => ({ id, enabled: true, ...over });

describe("schemasMatch and renderHeld (table)", () => {
  const cases: [string, BulkSchemaSelection[], HeldSchema[], boolean][] = [
    ["ids only, all held", ["Account", "Contact"], [held("Contact"), held("Account")], true],
    [
      "Polytomic added a schema and fields by itself",
      ["Account"],
      [held("Account", { outputName: "account" }), held("Lead", { outputName: "lead" })],
      true,
    ],
    ["a named schema disabled outside Pulumi", ["Account"], [held("Account", { enabled: false })], false],
    ["a named schema gone", ["Account", "Contact"], [held("Account")], false],
    [
      "named fields held, plus a field Polytomic added",
      [{ id: "Account", fields: ["Id", "Name"] }],
      [held("Account", { fields: [field("Name"), field("Industry"), field("Id")], filters: [] })],
      true,
    ],
    [
      "a named field disabled",
      [{ id: "Account", fields: ["Id", "Name"] }],
      [held("Account", { fields: [field("Id"), field("Name", { enabled: false })], filters: [] })],
      false,
    ],
    [
      "a named field gone",
      [{ id: "Account", fields: ["Id", "Name"] }],
      [held("Account", { fields: [field("Id")], filters: [] })],
      false,
    ],
    [
      "a field obfuscated outside Pulumi",
      [{ id: "Account", fields: ["Id"] }],
      [held("Account", { fields: [field("Id", { obfuscate: true })], filters: [] })],
      false,
    ],
    [
      "obfuscation and user output names as asked",
      [
        {
          id: "Contact",
          fields: [{ id: "Email", obfuscate: true, userOutputName: "email" }],
          userOutputName: "people",
        },
      ],
      [
        held("Contact", {
          userOutputName: "people",
          fields: [field("Email", { obfuscate: true, userOutputName: "email", outputName: "email" })],
          filters: [],
        }),
      ],
      true,
    ],
    [
      "filters in another order, values of any JSON type",
      [
        {
          id: "Opportunity",
          filters: [
            { function: "StringOneOf", fieldId: "Stage", value: ["Won", "Lost"] },
            { function: "GreaterThan", fieldId: "Amount", value: 1000 },
          ],
        },
      ],
      [
        held("Opportunity", {
          filters: [
            { function: "GreaterThan", fieldId: "Amount", value: 1000 },
            { function: "StringOneOf", fieldId: "Stage", value: ["Won", "Lost"] },
          ],
        }),
      ],
      true,
    ],
    [
      "a filter value changed",
      [
        {
          id: "Opportunity",
          filters: [{ function: "RelativeOnOrAfter", fieldId: "CreatedDate", value: "48 hours ago" }],
        },
      ],
      [
        held("Opportunity", {
          filters: [{ function: "RelativeOnOrAfter", fieldId: "CreatedDate", value: "2 days ago" }],
        }),
      ],
      false,
    ],
    [
      "a filter added outside Pulumi to a schema with settings",
      [{ id: "Account", fields: ["Id"] }],
      [held("Account", { fields: [field("Id")], filters: [{ function: "IsNotNull", fieldId: "Id" }] })],
      false,
    ],
    [
      "a derived partition key the program does not set",
      [{ id: "Account", fields: ["Id"] }],
      [
        held("Account", {
          partitionKey: "Id",
          trackingField: "SystemModstamp",
          fields: [field("Id")],
          filters: [],
        }),
      ],
      true,
    ],
    [
      "a partition key the program sets, changed",
      [{ id: "Account", partitionKey: "Id" }],
      [held("Account", { partitionKey: "Name", filters: [] })],
      false,
    ],
    [
      "the same cutoff in two spellings",
      [{ id: "Account", dataCutoffTimestamp: "2024-01-01" }],
      [held("Account", { dataCutoffTimestamp: "2024-01-01T00:00:00.000Z", filters: [] })],
      true,
    ],
    [
      "a schema the program disables, held disabled",
      [{ id: "Lead", enabled: false }],
      [held("Lead", { enabled: false, filters: [] })],
      true,
    ],
  ];

  it.each(cases)("%s", (_, desired, polytomic, expected) => {
    const current = renderHeld(
      normalizeSchemas(desired),
      polytomic.map((h) => ({ ...h })),
    );
    expect(schemasMatch(current, normalizeSchemas(desired))).toBe(expected);
  });

  it("renders a disabled schema named by id as { id, enabled: false }, a gone one not at all", () => {
    expect(renderHeld(["A", "B", "C"], [held("A"), held("B", { enabled: false })])).toEqual([
      "A",
      { id: "B", enabled: false },
    ]);
  });

  it("no schemas in the program asks for every schema: anything matches; an unknown never does", () => {
    expect(schemasMatch(["A"], undefined)).toBe(true);
    expect(schemasMatch(undefined, undefined)).toBe(true);
    expect(schemasMatch(["A"], UNKNOWN)).toBe(false);
    expect(schemasMatch(["A"], ["A", UNKNOWN])).toBe(false);
    expect(schemasMatch(["A"], [{ id: "A", fields: [UNKNOWN] }])).toBe(false);
  });

  it("a schema removed from the program is a change (so the update deselects it)", () => {
    expect(schemasMatch(["A", "B"], ["A"])).toBe(false);
    expect(schemasMatch(["A"], ["A", "B"])).toBe(false);
  });
});

describe("request bodies", () => {
  it("writes the sync body's SchemaConfiguration (obfuscate), without user output names", () => {
    expect(
      schemasBody([
        "Account",
        {
          id: "Contact",
          enabled: true,
          fields: ["Id", { id: "Email", obfuscate: true, userOutputName: "email" }],
          filters: [{ function: "IsNotNull", fieldId: "Email" }],
          partitionKey: "Id",
          userOutputName: "people",
          dataCutoffTimestamp: "2024-01-01T00:00:00.000Z",
        },
      ]),
    ).toEqual([
      "Account",
      {
        id: "Contact",
        enabled: true,
        fields: ["Id", { id: "Email", obfuscate: true }],
        filters: [{ function: "IsNotNull", field_id: "Email" }],
        partition_key: "Id",
        data_cutoff_timestamp: "2024-01-01T00:00:00.000Z",
      },
    ]);
  });

  it("patches the schemas that set a user output name, or did (to clear it), each whole (obfuscated)", () => {
    const now: BulkSchemaSelection[] = [
      "Account",
      { id: "Contact", fields: ["Id", { id: "Email", obfuscate: true, userOutputName: "email" }] },
      { id: "Lead", fields: ["Id"] },
    ];
    expect(schemaPatches(now, [{ id: "Lead", userOutputName: "prospects" }])).toEqual([
      {
        id: "Contact",
        enabled: true,
        fields: [
          { id: "Id", enabled: true },
          { id: "Email", enabled: true, obfuscated: true, user_output_name: "email" },
        ],
        user_output_name: "",
      },
      { id: "Lead", enabled: true, fields: [{ id: "Id", enabled: true }], user_output_name: "" },
    ]);
    expect(schemaPatches(["Account"], undefined)).toEqual([]);
  });

  it("reads the schema endpoints' spelling back (obfuscated → obfuscate, empty strings dropped)", () => {
    expect(
      heldSchema({
        id: "Contact",
        enabled: true,
        output_name: "contact",
        user_output_name: "",
        partition_key: "",
        data_cutoff_timestamp: "2024-01-01T00:00:00Z",
        fields: [
          { id: "Email", enabled: true, obfuscated: true, output_name: "email", user_output_name: "" },
        ],
        filters: [{ function: "StringOneOf", field_id: "Stage", value: ["a", "b"] }],
      }),
    ).toEqual({
      id: "Contact",
      enabled: true,
      outputName: "contact",
      dataCutoffTimestamp: "2024-01-01T00:00:00.000Z",
      fields: [{ id: "Email", enabled: true, obfuscate: true, outputName: "email" }],
      filters: [{ function: "StringOneOf", fieldId: "Stage", value: ["a", "b"] }],
    });
    expect(canonicalTimestamp("not a date")).toBe("not a date");
  });
});

// ---- Properties ----

const name = fc.stringMatching(/^[A-Z][a-z]{0,6}$/);
const json = fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes(UNKNOWN));
const filter = fc.record(
  {
    function: fc.constantFrom("Equality", "StringOneOf", "RelativeOnOrAfter", "IsNotNull"),
    fieldId: name,
    value: json,
  },
  { requiredKeys: ["function"] },
);
const fieldSel: fc.Arbitrary<BulkFieldSelection> = fc.oneof(
  name,
  fc.record(
    { id: name, enabled: fc.boolean(), obfuscate: fc.boolean(), userOutputName: name },
    { requiredKeys: ["id"] },
  ),
);
const uniqueBy = <T>(items: T[], key: (t: T) => string) => {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(key(i)) && seen.add(key(i)));
};
const fieldId = (f: BulkFieldSelection) => (typeof f === "string" ? f : f.id);
const schemaSel: fc.Arbitrary<BulkSchemaSelection> = fc.oneof(
  name,
  fc.record(
    {
      id: name,
      enabled: fc.boolean(),
      fields: fc.array(fieldSel, { minLength: 1, maxLength: 4 }).map((fs) => uniqueBy(fs, fieldId)),
      filters: fc.array(filter, { maxLength: 3 }),
      partitionKey: name,
      trackingField: name,
      userOutputName: name,
      dataCutoffTimestamp: fc
        .date({ min: new Date("2000-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString()),
      disableDataCutoff: fc.boolean(),
    },
    { requiredKeys: ["id"] },
  ),
);
const schemaId = (s: BulkSchemaSelection) => (typeof s === "string" ? s : s.id);
const selection = fc.array(schemaSel, { minLength: 1, maxLength: 5 }).map((s) => uniqueBy(s, schemaId));

/** What Polytomic holds after applying `desired`, with what it adds on its own (extra schemas and fields, names). */
function polytomicHolds(desired: BulkSchemaSelection[], extra: string[], serverKey: string): HeldSchema[] {
  const out: HeldSchema[] = desired.map((item) => {
    const s: BulkSchemaSettings = typeof item === "string" ? { id: item } : item;
    const fields = (s.fields ?? []).map((f) =>
      typeof f === "string"
        ? field(f, { outputName: f.toLowerCase() })
        : field(f.id, {
            enabled: f.enabled ?? true,
            obfuscate: f.obfuscate ?? false,
            userOutputName: f.userOutputName,
          }),
    );
    return {
      id: s.id,
      enabled: s.enabled ?? true,
      outputName: s.id.toLowerCase(),
      userOutputName: s.userOutputName,
      partitionKey: s.partitionKey ?? serverKey,
      trackingField: s.trackingField ?? serverKey,
      dataCutoffTimestamp: s.dataCutoffTimestamp,
      disableDataCutoff: s.disableDataCutoff ?? false,
      fields: [...fields, field(`${serverKey}Extra`)].reverse(),
      filters: [...(s.filters ?? [])].reverse(),
    };
  });
  const known = new Set(out.map((h) => h.id));
  for (const id of extra) if (!known.has(id)) out.push(held(id, { outputName: id.toLowerCase() }));
  return out.reverse();
}

describe("schemasMatch and renderHeld (properties)", () => {
  it("no change when Polytomic holds what was asked, whatever it adds and whatever the order", () => {
    fc.assert(
      fc.property(selection, fc.array(name, { maxLength: 3 }), name, (desired, extra, serverKey) => {
        const polytomic = polytomicHolds(desired, extra, serverKey);
        expect(schemasMatch(renderHeld(desired, polytomic), desired)).toBe(true);
        expect(schemasMatch(desired, [...desired].reverse())).toBe(true);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it("a change when a named schema is disabled or gone, or a named field is disabled or gone", () => {
    fc.assert(
      fc.property(
        selection,
        fc.nat(),
        fc.constantFrom("disable", "remove", "disable-field", "remove-field"),
        (desired, pick, mutation) => {
          const polytomic = polytomicHolds(desired, [], "Server");
          const target = desired[pick % desired.length] as BulkSchemaSelection;
          const h = polytomic.find((p) => p.id === schemaId(target)) as HeldSchema;
          const wantsEnabled = typeof target === "string" || target.enabled !== false;
          const namedField = typeof target === "string" ? undefined : target.fields?.[0];
          if (mutation === "disable" && wantsEnabled) h.enabled = false;
          else if (mutation === "remove") polytomic.splice(polytomic.indexOf(h), 1);
          else if (mutation === "disable-field" && namedField !== undefined) {
            const f = h.fields?.find((x) => x.id === fieldId(namedField)) as HeldField;
            if (f.enabled === false) return;
            f.enabled = false;
          } else if (mutation === "remove-field" && namedField !== undefined) {
            h.fields = h.fields?.filter((x) => x.id !== fieldId(namedField));
          } else return;
          expect(schemasMatch(renderHeld(desired, polytomic), desired)).toBe(false);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });
});
