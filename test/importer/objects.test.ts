import { describe, expect, it } from "vitest";
import { ConnectionResponse } from "../../src/api";
import { loadConnectionSchema } from "../../src/connection-types/registry";
import {
  connectionObject,
  copySecretSlots,
  dropDefaults,
  inFieldOrder,
  markMasks,
  markSecrets,
  nounOf,
  SecretSlot,
  schemaAt,
  slotTypeOfSchema,
  specObject,
  withoutEmpty,
  withPlaceholders,
} from "../../src/importer/objects";
import { completeModel } from "../../src/importer/sources";
import { KINDS } from "../../src/kinds";
import { MASK } from "../../src/wire";

const ORG = "org-1";
const connection = (
  type: string,
  configuration: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  ConnectionResponse.parse({
    id: `id-${type}`,
    name: `My ${type}`,
    type: { id: type, name: type },
    configuration,
    organization_id: ORG,
    policies: [],
    status: "healthy",
    ...extra,
  });
const slot = (valueType: SecretSlot["valueType"] = "string") => new SecretSlot(valueType);

describe("connectionObject", () => {
  it("a GCS connection: its typed class, camelCase, the secret a slot, defaults and read-only values left out", () => {
    const object = connectionObject(
      connection("gcs", {
        bucket: "my-bucket",
        service_account: MASK,
        csv_has_headers: true,
        is_single_table: false,
        skip_lines: 2,
        client_email: "x@example.com",
        project_id: "p",
      }),
      { organizationId: ORG },
    );
    expect(object).toMatchObject({
      kind: "GcsConnection",
      group: "connections",
      noun: "connection",
      notes: [],
    });
    expect(object.args).toEqual({
      name: "My gcs",
      configuration: { bucket: "my-bucket", serviceAccount: slot(), skipLines: 2 },
    });
  });

  it("keeps organizationId, policies and the health-check interval when they say something", () => {
    const object = connectionObject(
      connection(
        "webhook",
        { url: "https://x", auth_method: "polytomic_secret" },
        {
          policies: ["p1"],
          healthcheck_interval: "1h",
        },
      ),
      { organizationId: "another" },
    );
    expect(object.args).toEqual({
      name: "My webhook",
      configuration: { url: "https://x" },
      policies: ["p1"],
      healthcheckInterval: "1h",
      organizationId: ORG,
    });
  });

  it("secrets in arrays and nested objects; a credential returned in plain text is still a slot", () => {
    const object = connectionObject(
      connection("webhook", {
        url: "https://x",
        auth_method: "query",
        query: [
          { name: "key", value: MASK },
          { name: "other", value: "returned-in-plain-text" },
        ],
        basic: { username: "u", password: "" },
        oauth: { client_id: "id", client_secret: MASK, token_endpoint: "https://t" },
      }),
    );
    expect(object.args.configuration).toEqual({
      url: "https://x",
      authMethod: "query",
      query: [
        { name: "key", value: slot() },
        { name: "other", value: slot() },
      ],
      basic: { username: "u", password: "" },
      oauth: { clientId: "id", clientSecret: slot(), tokenEndpoint: "https://t" },
    });
  });

  it("a masked integer secret is a number slot (read with requireSecretNumber)", () => {
    const object = connectionObject(
      connection("strackr", { api_id: MASK, api_key: MASK, currency_type: "EUR" }),
    );
    expect(object.args.configuration).toEqual({ apiId: slot("number"), apiKey: slot(), currencyType: "EUR" });
  });

  it("a type this package does not know: the generic Connection, API spelling, every masked value a slot", () => {
    const object = connectionObject(
      connection("brand_new_type", { some_key: "v", nested: { api_token: MASK }, list: [MASK, "x"] }),
      { organizationId: ORG },
    );
    expect(object.kind).toBe("Connection");
    expect(object.notes[0]).toMatch(/type "brand_new_type" is not known to this version of pulumi-polytomic/);
    expect(object.args).toEqual({
      name: "My brand_new_type",
      type: "brand_new_type",
      configuration: { some_key: "v", nested: { api_token: slot() }, list: [slot(), "x"] },
    });
  });

  it("an empty configuration stays (it is required)", () => {
    expect(connectionObject(connection("hubspot", {}), { organizationId: ORG }).args).toEqual({
      name: "My hubspot",
      configuration: {},
    });
  });
});

describe("specObject", () => {
  const syncKind = KINDS.get("Sync");
  const modelKind = KINDS.get("Model");
  if (syncKind === undefined || modelKind === undefined) throw new Error("Model and Sync are kinds");

  it("a sync: the spec's read, the masked passphrase a slot, `false` flags left out, in the Args order", () => {
    const object = specObject(
      syncKind,
      "model syncs",
      {
        id: "s1",
        name: "S",
        mode: "updateOrCreate",
        active: false,
        fields: [{ source: { model_id: "m1", field: "email" }, target: "record" }],
        target: { connection_id: "c1", object: "http", configuration: { batch_size: 10 } },
        schedule: { frequency: "daily", hour: "05", minute: "00" },
        filters: [],
        filter_logic: "",
        policies: [],
        organization_id: ORG,
        sync_all_records: false,
        skip_initial_backfill: true,
        encryption_passphrase: MASK,
        model_ids: ["m1"],
        created_at: "2024-01-01T00:00:00Z",
      },
      { organizationId: ORG },
    );
    expect(object).toMatchObject({ kind: "Sync", group: "model syncs", noun: "sync", id: "s1", name: "S" });
    expect(object.args).toEqual({
      name: "S",
      active: false,
      mode: "updateOrCreate",
      fields: [{ source: { modelId: "m1", field: "email" }, target: "record" }],
      target: { connectionId: "c1", object: "http", configuration: { batch_size: 10 } },
      schedule: { frequency: "daily", hour: "05", minute: "00" },
      skipInitialBackfill: true,
      encryptionPassphrase: slot(),
    });
    expect(Object.keys(object.args)).toEqual([
      "name",
      "active",
      "mode",
      "fields",
      "target",
      "schedule",
      "skipInitialBackfill",
      "encryptionPassphrase",
    ]);
  });

  it("a model: its fields named as Polytomic holds them, added fields with their examples", () => {
    const object = specObject(
      modelKind,
      "models",
      {
        id: "m1",
        name: "Users",
        connection_id: "c1",
        configuration: { table: "public.users" },
        identifier: "",
        fields: [
          { id: "f1", name: "email", type: "string", user_added: false },
          { id: "f2", name: "plan", type: "string" },
          { id: "f3", name: "tier", label: "Tier", type: "string", example: "gold", user_added: true },
          { id: "f4", name: "score", type: "number", example: null, user_added: true },
        ],
        tracking_columns: [],
        labels: [{ id: "l1" }],
        policies: [],
        organization_id: ORG,
        version: 3,
      },
      { organizationId: ORG },
      { complete: completeModel },
    );
    expect(object.args).toEqual({
      name: "Users",
      connectionId: "c1",
      configuration: { table: "public.users" },
      fields: ["email", "plan"],
      additionalFields: [
        { name: "tier", label: "Tier", type: "string", example: "gold" },
        { name: "score", label: "score", type: "number" },
      ],
      labels: ["l1"],
    });
  });
});

describe("helpers", () => {
  it.each([
    [{ a: null, b: "", c: [], d: {}, e: 0, f: false, g: "x" }, [], { e: 0, f: false, g: "x" }],
    [{ configuration: {}, fields: [] }, ["configuration", "fields"], { configuration: {}, fields: [] }],
    [{ configuration: null }, ["configuration"], {}],
  ])("withoutEmpty(%j, %j) → %j", (args, keep, expected) => {
    expect(withoutEmpty(args, keep)).toEqual(expected);
  });

  it.each([
    [{ csvHasHeaders: true, skipLines: 0 }, { csvHasHeaders: true, skipLines: 0 }, {}],
    [{ csvHasHeaders: false }, { csvHasHeaders: true }, { csvHasHeaders: false }],
    [{ ssh: { port: 22, host: "h" } }, { "ssh.port": 22 }, { ssh: { host: "h" } }],
    [{ ssh: { port: 2222 } }, { "ssh.port": 22 }, { ssh: { port: 2222 } }],
    [{ formats: ["csv"] }, { formats: ["csv"] }, {}],
    [{}, { "missing.deep": 1 }, {}],
  ])("dropDefaults(%j, %j) → %j", (configuration, defaults, expected) => {
    const copy = structuredClone(configuration);
    dropDefaults(copy, defaults);
    expect(copy).toEqual(expected);
  });

  it.each([
    [{ password: "p" }, ["password"], { password: slot() }],
    [{ password: "" }, ["password"], { password: "" }],
    [{ password: null }, ["password"], { password: null }],
    [{ other: MASK }, [], { other: slot() }],
    [{ list: [{ v: MASK }, { v: "x" }] }, ["list[].v"], { list: [{ v: slot() }, { v: slot() }] }],
    [{ n: 5 }, ["n"], { n: slot("number") }],
    [{ o: { a: 1 } }, ["o"], { o: slot("object") }],
  ])("markSecrets(%j, %j) → %j", (tree, patterns, expected) => {
    const copy = structuredClone(tree) as Record<string, unknown>;
    markSecrets(copy, patterns);
    expect(copy).toEqual(expected);
  });

  it("markMasks finds masks at any depth, in arrays too", () => {
    const tree = { a: [MASK, { b: MASK }], c: "x" };
    markMasks(tree);
    expect(tree).toEqual({ a: [slot(), { b: slot() }], c: "x" });
  });

  it.each([
    [{ encryption_passphrase: MASK }, "encryptionPassphrase", { encryptionPassphrase: slot() }],
    [{ encryption_passphrase: "" }, "encryptionPassphrase", {}],
    [{}, "encryptionPassphrase", {}],
    [
      { auth: { list: [{ client_secret: MASK }, {}, { client_secret: 7 }] } },
      "auth.list[].clientSecret",
      { auth: { list: [{ clientSecret: slot() }, undefined, { clientSecret: slot("number") }] } },
    ],
  ])("copySecretSlots(%j, %s) → %j", (response, pattern, expected) => {
    const args: Record<string, unknown> = {};
    copySecretSlots(response, args, pattern);
    expect(args).toEqual(expected);
  });

  it.each([
    ["gcs", "service_account", "string"],
    ["gcs", "skip_lines", "number"],
    ["gcs", "csv_has_headers", "boolean"],
    ["gcs", "single_table_file_formats", "object"],
    ["strackr", "api_id", "number"],
    ["webhook", "query[].value", "string"],
    ["webhook", "basic", "object"],
    ["webhook", "nope.nothing", "string"],
  ])("%s %s: a masked value is a %s slot", (type, pattern, valueType) => {
    const schema = loadConnectionSchema(type);
    if (schema === undefined) throw new Error(type);
    expect(slotTypeOfSchema(schemaAt(schema, pattern))).toBe(valueType);
  });

  it("withPlaceholders gives check a value of each slot's type", () => {
    expect(withPlaceholders({ a: slot(), b: [slot("number")], c: { d: slot("boolean") }, e: "x" })).toEqual({
      a: "secret-placeholder",
      b: [1],
      c: { d: true },
      e: "x",
    });
  });

  it.each([
    ["Model", "model"],
    ["Sync", "sync"],
    ["BulkSync", "bulk sync"],
    ["EventWebhook", "event webhook"],
    ["GlobalErrorSubscribers", "global error subscribers"],
  ])("nounOf(%s) → %s", (kind, noun) => {
    expect(nounOf(kind)).toBe(noun);
  });

  it("inFieldOrder sorts by the field list, unknown keys last", () => {
    expect(Object.keys(inFieldOrder({ z: 1, b: 2, a: 3, y: 4 }, ["a", "b"]))).toEqual(["a", "b", "z", "y"]);
  });
});
