import { describe, expect, it } from "vitest";
import {
  enumValues,
  type JsonSchema,
  readOnlyPaths,
  secretPathsForType,
  sensitivePaths,
  validateConfiguration,
} from "../../src/connection-types/json-schema";
import {
  getConnectionType,
  isModelSourceType,
  listConnectionTypes,
  loadConnectionSchema,
  MODEL_SOURCE_TYPES,
} from "../../src/connection-types/registry";

const gcs = loadConnectionSchema("gcs")!;
const webhook = loadConnectionSchema("webhook")!;

describe("validateConfiguration", () => {
  const cases: {
    name: string;
    schema: JsonSchema;
    value: unknown;
    problems: { path: string; message: RegExp }[];
  }[] = [
    {
      name: "valid gcs",
      schema: gcs,
      value: { service_account: "{}", bucket: "b", skip_lines: 2, csv_has_headers: false },
      problems: [],
    },
    {
      name: "missing required keys",
      schema: gcs,
      value: {},
      problems: [
        { path: "bucket", message: /is required/ },
        { path: "service_account", message: /is required/ },
      ],
    },
    {
      name: "null counts as absent",
      schema: gcs,
      value: { bucket: null, service_account: "x" },
      problems: [{ path: "bucket", message: /is required/ }],
    },
    {
      name: "wrong types at once",
      schema: gcs,
      value: { service_account: 3, bucket: "b", skip_lines: 1.5, csv_has_headers: "yes" },
      problems: [
        { path: "service_account", message: /expected string, got integer/ },
        { path: "csv_has_headers", message: /expected boolean, got string/ },
        { path: "skip_lines", message: /expected integer, got number/ },
      ],
    },
    {
      name: "enum of {value,label} objects",
      schema: gcs,
      value: { service_account: "x", bucket: "b", single_table_file_format: "xml" },
      problems: [{ path: "single_table_file_format", message: /must be one of "csv", "json", "parquet"/ }],
    },
    {
      name: "array items with enum",
      schema: gcs,
      value: { service_account: "x", bucket: "b", single_table_file_formats: ["csv", "txt"] },
      problems: [{ path: "single_table_file_formats[1]", message: /must be one of/ }],
    },
    {
      name: "nested additionalProperties false",
      schema: webhook,
      value: { url: "u", auth_method: "basic", basic: { username: "a", password: 1, extra: true } },
      problems: [
        { path: "basic.password", message: /expected string/ },
        { path: "basic.extra", message: /not an allowed property/ },
      ],
    },
    {
      name: "array of objects",
      schema: webhook,
      value: { url: "u", auth_method: "query", query: [{ name: "a", value: "b" }, { name: 2 }] },
      problems: [{ path: "query[1].name", message: /expected string/ }],
    },
    {
      name: "bad enum value for auth_method",
      schema: webhook,
      value: { url: "u", auth_method: "magic" },
      problems: [{ path: "auth_method", message: /polytomic_secret/ }],
    },
    {
      name: "not an object",
      schema: webhook,
      value: ["x"],
      problems: [{ path: "", message: /expected object, got array/ }],
    },
    {
      name: "bare enum values and additionalProperties schema",
      schema: {
        type: "object",
        properties: {
          mode: { type: "string", enum: ["a", "b"] },
          tags: { type: "object", additionalProperties: { type: "string" } },
        },
      },
      value: { mode: "c", tags: { x: "1", y: 2 } },
      problems: [
        { path: "mode", message: /must be one of "a", "b"/ },
        { path: "tags.y", message: /expected string/ },
      ],
    },
    {
      name: "required read-only keys are not demanded",
      schema: {
        type: "object",
        properties: { derived: { type: "string", readOnly: true } },
        required: ["derived"],
      },
      value: {},
      problems: [],
    },
  ];

  it.each(cases)("$name", ({ schema, value, problems }) => {
    const found = validateConfiguration(schema, value);
    expect(found.map((p) => p.path).sort()).toEqual(problems.map((p) => p.path).sort());
    for (const expected of problems) {
      const match = found.find((p) => p.path === expected.path);
      expect(match?.message).toMatch(expected.message);
    }
  });
});

describe("schema paths", () => {
  it.each([
    ["gcs", ["service_account"], ["project_id", "client_email"]],
    ["webhook", ["secret"], ["secret"]],
  ])("%s", (type, sensitive, readOnly) => {
    const schema = loadConnectionSchema(type)!;
    expect(sensitivePaths(schema)).toEqual(sensitive);
    expect(readOnlyPaths(schema)).toEqual(readOnly);
  });

  it("finds nested and array paths", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        oauth: { type: "object", properties: { client_secret: { type: "string", sensitive: true } } },
        query: {
          type: "array",
          items: {
            type: "object",
            properties: { value: { type: "string", sensitive: true, readonly: true } },
          },
        },
        token: { type: "string", sensitive: true },
      },
    };
    expect(sensitivePaths(schema)).toEqual(["oauth.client_secret", "query[].value", "token"]);
    expect(readOnlyPaths(schema)).toEqual(["query[].value"]);
  });

  it("adds the webhook credentials the schema does not mark", () => {
    expect(secretPathsForType("webhook", webhook).sort()).toEqual(
      ["basic.password", "header.value", "oauth.client_secret", "query[].value", "secret"].sort(),
    );
    expect(secretPathsForType("gcs", gcs)).toEqual(["service_account"]);
  });

  it("reads enum values from {value,label} objects and bare values", () => {
    expect(enumValues({ enum: [{ value: "a", label: "A" }, "b"] })).toEqual(["a", "b"]);
    expect(enumValues({})).toBeUndefined();
  });
});

describe("registry", () => {
  it("lists every type of _index.json", () => {
    const types = listConnectionTypes();
    expect(types.length).toBe(226);
    expect(getConnectionType("gcs")).toEqual({ id: "gcs", name: "Google Cloud Storage", use_oauth: false });
    expect(getConnectionType("nope")).toBeUndefined();
  });

  it("loads and caches schemas, refuses unknown ids", () => {
    expect(loadConnectionSchema("gcs")).toBe(gcs);
    expect(loadConnectionSchema("nope")).toBeUndefined();
    expect(loadConnectionSchema("../package")).toBeUndefined();
  });

  it("model source types exist in the index", () => {
    for (const id of MODEL_SOURCE_TYPES) expect(getConnectionType(id), id).toBeDefined();
    expect(isModelSourceType("gcs")).toBe(true);
    expect(isModelSourceType("postgresql")).toBe(true);
    expect(isModelSourceType("webhook")).toBe(false);
  });

  it("every shipped schema validates its own examples-free empty config without throwing", () => {
    for (const { id } of listConnectionTypes()) {
      const schema = loadConnectionSchema(id);
      expect(schema, id).toBeDefined();
      expect(() => validateConfiguration(schema!, {})).not.toThrow();
    }
  });
});
