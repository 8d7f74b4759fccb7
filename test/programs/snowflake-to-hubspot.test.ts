/**
 * examples/snowflake-to-hubspot under mocks as `pulumi up` runs it, then through the provider's `check` and
 * against the local emulator.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import {
  checkAll,
  expectCleanForwarder,
  mockId,
  outputValue,
  type ProgramRun,
  replayInEmulator,
  runProgram,
  secretValue,
  TYPE_PREFIX,
} from "./harness";

const P = "polytomic-snowflake-to-hubspot";
const SF_PASSWORD = "snow-pass-71be0c";
const FIELDS = ["email", "first_name", "last_name", "company", "lifetime_value"];

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/snowflake-to-hubspot/index.ts"),
    project: P,
    preview: false,
    config: {
      [`${P}:snowflakeAccount`]: "xy12345.us-east-1",
      [`${P}:snowflakeUser`]: "POLYTOMIC",
      [`${P}:snowflakePassword`]: SF_PASSWORD,
      [`${P}:snowflakeDatabase`]: "ANALYTICS",
    },
    secretKeys: [`${P}:snowflakePassword`],
    computed: (r) => (r.kind === "Model" ? { fieldNames: FIELDS } : {}),
  });
});

describe("snowflake-to-hubspot under mocks (deploy)", () => {
  it("registers the Snowflake and HubSpot connections, the query model and the sync", () => {
    expect(run.registrations).toHaveLength(4);
    expect(run.types()).toEqual({
      snowflake: `${TYPE_PREFIX}Connection`,
      hubspot: `${TYPE_PREFIX}Connection`,
      customers: `${TYPE_PREFIX}Model`,
      "customers-to-hubspot": `${TYPE_PREFIX}Sync`,
    });
  });

  it("configures Snowflake with the required keys, the password secret, the warehouse defaulted", () => {
    const sf = run.byName("snowflake").inputs;
    expect(sf).toMatchObject({ name: "Snowflake analytics", type: "snowflake" });
    expect(secretValue(sf.configuration)).toEqual({
      account: "xy12345.us-east-1",
      username: "POLYTOMIC",
      password: SF_PASSWORD,
      dbname: "ANALYTICS",
      warehouse: "COMPUTE_WH",
    });
  });

  it("creates HubSpot with an empty configuration (OAuth), nothing secret in it", () => {
    expect(run.byName("hubspot").inputs).toMatchObject({
      name: "HubSpot",
      type: "hubspot",
      configuration: {},
    });
  });

  it("models a query on the Snowflake connection", () => {
    const model = run.byName("customers").inputs;
    expect(model).toMatchObject({ connectionId: mockId("snowflake"), fields: FIELDS });
    expect(Object.keys(model.configuration)).toEqual(["query"]);
    expect(model.configuration.query).toMatch(/^select email, first_name, .*\sfrom analytics\.customers\s/s);
  });

  it("upserts HubSpot contacts daily, filtered on email and lifetime value", () => {
    const sync = run.byName("customers-to-hubspot").inputs;
    const modelId = mockId("customers");
    expect(sync).toMatchObject({
      mode: "updateOrCreate",
      active: true,
      identity: { source: { modelId, field: "email" }, target: "email", function: "Equality" },
      target: { connectionId: mockId("hubspot"), object: "contacts" },
      schedule: { frequency: "daily", hour: "06", minute: "30" },
      filterLogic: "1 AND 2",
    });
    expect(sync.filters).toEqual([
      { function: "IsNotNull", field: { modelId, field: "email" } },
      { function: "GreaterThan", field: { modelId, field: "lifetime_value" }, value: 1000 },
    ]);
    expect(sync.fields.map((f: any) => [f.source.modelId, f.source.field, f.target])).toEqual([
      [modelId, "first_name", "firstname"],
      [modelId, "last_name", "lastname"],
      [modelId, "company", "company"],
    ]);
  });

  it("keeps the Snowflake password out of __provider", () => {
    for (const r of run.registrations) expectCleanForwarder(r, [SF_PASSWORD]);
  });

  it("exports the ids and the model's field names", async () => {
    expect(await outputValue(run.exports.snowflakeConnectionId)).toBe(mockId("snowflake"));
    expect(await outputValue(run.exports.hubspotConnectionId)).toBe(mockId("hubspot"));
    expect(await outputValue(run.exports.syncId)).toBe(mockId("customers-to-hubspot"));
    expect(await outputValue(run.exports.modelFieldNames)).toEqual(FIELDS);
  });
});

describe("snowflake-to-hubspot through the provider", () => {
  it("passes check for every resource", async () => {
    expect(await checkAll(run)).toEqual({
      snowflake: [],
      hubspot: [],
      customers: [],
      "customers-to-hubspot": [],
    });
  });

  describe("against the emulator", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ apiKeys: ["k"], schemaReadyDelayMs: 50 });
    });
    afterAll(() => emulator?.close());

    it("creates the connections, the query model and the filtered sync", async () => {
      const { ids, outputs } = await replayInEmulator(run, emulator, "k");
      expect(emulator.state.connections.get(ids.get("snowflake")!)!.type).toBe("snowflake");
      expect(emulator.state.connections.get(ids.get("hubspot")!)!.type).toBe("hubspot");
      const model = emulator.state.models.get(ids.get("customers")!)!;
      expect(model.connection_id).toBe(ids.get("snowflake"));
      expect(model.fields.map((f) => f.name)).toEqual(FIELDS);
      expect(outputs.get("customers")!.fieldNames).toEqual(FIELDS);

      const modelId = ids.get("customers");
      const sync = emulator.state.syncs.get(ids.get("customers-to-hubspot")!)!;
      expect(sync).toMatchObject({
        mode: "updateOrCreate",
        target: { connection_id: ids.get("hubspot"), object: "contacts" },
        filter_logic: "1 AND 2",
        filters: [
          { function: "IsNotNull", field: { model_id: modelId, field: "email" } },
          { function: "GreaterThan", field: { model_id: modelId, field: "lifetime_value" }, value: 1000 },
        ],
        model_ids: [modelId],
      });
    });
  });
});
