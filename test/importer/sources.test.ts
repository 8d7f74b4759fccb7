import { describe, expect, it } from "vitest";
import type { PolytomicClient } from "../../src/client";
import {
  completeBulkSync,
  listIds,
  NOT_IMPORTED,
  OBJECT_SOURCES,
  schemaSelection,
} from "../../src/importer/sources";
import { OBJECT_KINDS } from "../../src/kinds";

describe("the importer's table of object kinds", () => {
  it("covers every object kind of src/kinds.ts: a source each, or a reason to leave it out", () => {
    const covered = new Set([...OBJECT_SOURCES.map((s) => s.kind), ...Object.keys(NOT_IMPORTED)]);
    const missing = OBJECT_KINDS.map((k) => k.kind).filter((k) => !covered.has(k));
    expect(missing, "add a line to OBJECT_SOURCES in src/importer/sources.ts").toEqual([]);
  });

  it("names only kinds of the table, each once, with a group", () => {
    const kinds = new Set(OBJECT_KINDS.map((k) => k.kind));
    for (const source of OBJECT_SOURCES) {
      expect(kinds.has(source.kind), source.kind).toBe(true);
      expect(source.group).toMatch(/^[a-z ]+$/);
    }
    expect(new Set(OBJECT_SOURCES.map((s) => s.kind)).size).toBe(OBJECT_SOURCES.length);
  });
});

describe("listIds", () => {
  /** A client whose transport answers pages from a table, recording the page tokens asked for. */
  const paged = (pages: Record<string, { data: { id: string }[] | null; pagination?: unknown }>) => {
    const asked: (string | undefined)[] = [];
    const client = {
      transport: {
        call: async (_method: string, _path: string, options: { query: { page_token?: string } }) => {
          asked.push(options.query.page_token);
          const page = pages[options.query.page_token ?? ""];
          if (page === undefined) throw new Error("no such page");
          return { data: page.data ?? [], pagination: page.pagination };
        },
      },
    } as unknown as PolytomicClient;
    return { client, asked };
  };

  it.each([
    ["one page, no pagination", { "": { data: [{ id: "a" }, { id: "b" }] } }, ["a", "b"], [undefined]],
    [
      "three pages",
      {
        "": { data: [{ id: "a" }], pagination: { next_page_token: "1" } },
        "1": { data: [{ id: "b" }], pagination: { next_page_token: "2" } },
        "2": { data: [{ id: "c" }], pagination: { next_page_token: null } },
      },
      ["a", "b", "c"],
      [undefined, "1", "2"],
    ],
    [
      "a server that repeats a token stops, and ids are not doubled",
      {
        "": { data: [{ id: "a" }], pagination: { next_page_token: "1" } },
        "1": { data: [{ id: "a" }], pagination: { next_page_token: "1" } },
      },
      ["a"],
      [undefined, "1"],
    ],
    ["null data", { "": { data: null } }, [], [undefined]],
  ])("%s", async (_, pages, ids, asked) => {
    const fake = paged(pages);
    expect(await listIds("/api/things")(fake.client)).toEqual(ids);
    expect(fake.asked).toEqual(asked);
  });
});

describe("bulk sync schemas as Polytomic holds them", () => {
  it.each([
    [
      "every field synced as is: the id",
      { id: "users", enabled: true, fields: [{ id: "a" }, { id: "b", enabled: true }] },
      "users",
    ],
    ["not read one by one: the id", { id: "users" }, "users"],
    [
      "disabled: listed disabled",
      { id: "old", enabled: false, fields: [{ id: "a" }] },
      { id: "old", enabled: false },
    ],
    [
      "a disabled field: every field listed",
      { id: "users", fields: [{ id: "a" }, { id: "b", enabled: false }] },
      { id: "users", fields: ["a", { id: "b", enabled: false }] },
    ],
    [
      "field settings",
      {
        id: "users",
        fields: [
          { id: "ssn", obfuscate: true },
          { id: "n", userOutputName: "name" },
          { id: "x", obfuscate: false },
        ],
      },
      { id: "users", fields: [{ id: "ssn", obfuscate: true }, { id: "n", userOutputName: "name" }, "x"] },
    ],
    [
      "schema settings",
      {
        id: "events",
        fields: [{ id: "a" }],
        filters: [{ function: "GreaterThan", fieldId: "a", value: 1 }],
        partitionKey: "a",
        trackingField: "updated",
        userOutputName: "evts",
        dataCutoffTimestamp: "2024-01-01T00:00:00.000Z",
        disableDataCutoff: false,
      },
      {
        id: "events",
        filters: [{ function: "GreaterThan", fieldId: "a", value: 1 }],
        partitionKey: "a",
        trackingField: "updated",
        userOutputName: "evts",
        dataCutoffTimestamp: "2024-01-01T00:00:00.000Z",
      },
    ],
  ])("%s", (_, held, selection) => {
    expect(schemaSelection(held)).toEqual(selection);
  });

  it("completeBulkSync names every schema Polytomic holds (none when it holds none)", () => {
    expect(
      completeBulkSync({ name: "b" }, { heldSchemas: [{ id: "a" }, { id: "b", enabled: false }] }),
    ).toEqual({
      name: "b",
      schemas: ["a", { id: "b", enabled: false }],
    });
    expect(completeBulkSync({ name: "b" }, {})).toEqual({ name: "b", schemas: undefined });
  });
});
