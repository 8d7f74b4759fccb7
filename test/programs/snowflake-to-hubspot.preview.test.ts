/**
 * examples/snowflake-to-hubspot under mocks as `pulumi preview` runs it for a new stack: unknown ids in the
 * model, the sync's fields, identity, filters and target; `check` accepts them.
 */
import * as path from "node:path";
import { isUnknown } from "@pulumi/pulumi/output";
import { beforeAll, describe, expect, it } from "vitest";
import { checkAll, expectCleanForwarder, type ProgramRun, runProgram, secretValue } from "./harness";

const P = "polytomic-snowflake-to-hubspot";
const SF_PASSWORD = "snow-pass-71be0c";

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/snowflake-to-hubspot/index.ts"),
    project: P,
    preview: true,
    config: {
      [`${P}:snowflakeAccount`]: "xy12345.us-east-1",
      [`${P}:snowflakeUser`]: "POLYTOMIC",
      [`${P}:snowflakePassword`]: SF_PASSWORD,
      [`${P}:snowflakeDatabase`]: "ANALYTICS",
      [`${P}:snowflakeWarehouse`]: "REVERSE_ETL_WH",
    },
    secretKeys: [`${P}:snowflakePassword`],
  });
});

describe("snowflake-to-hubspot under mocks (preview)", () => {
  it("registers the four resources without ids", () => {
    expect(run.registrations.map((r) => [r.kind, r.name, r.id]).sort()).toEqual([
      ["Connection", "hubspot", undefined],
      ["Connection", "snowflake", undefined],
      ["Model", "customers", undefined],
      ["Sync", "customers-to-hubspot", undefined],
    ]);
  });

  it("keeps the Snowflake configuration secret, with the configured warehouse", () => {
    expect(secretValue(run.byName("snowflake").inputs.configuration)).toMatchObject({
      password: SF_PASSWORD,
      warehouse: "REVERSE_ETL_WH",
    });
    for (const r of run.registrations) expectCleanForwarder(r, [SF_PASSWORD]);
  });

  it("passes unknown ids wherever the model or a connection is referenced", () => {
    expect(isUnknown(run.byName("customers").inputs.connectionId)).toBe(true);
    const sync = run.byName("customers-to-hubspot").inputs;
    expect(isUnknown(sync.target.connectionId)).toBe(true);
    expect(isUnknown(sync.identity.source.modelId)).toBe(true);
    for (const f of sync.fields) expect(isUnknown(f.source.modelId)).toBe(true);
    for (const f of sync.filters) expect(isUnknown(f.field.modelId)).toBe(true);
    expect(sync.filters.map((f: any) => [f.function, f.field.field, f.value])).toEqual([
      ["IsNotNull", "email", undefined],
      ["GreaterThan", "lifetime_value", 1000],
    ]);
    expect(sync.filterLogic).toBe("1 AND 2");
  });

  it("leaves ids, the OAuth URL and the field names unknown", async () => {
    for (const name of ["hubspotConnectionId", "hubspotAuthUrl", "modelId", "modelFieldNames", "syncId"]) {
      expect(await (run.exports[name] as { isKnown: Promise<boolean> }).isKnown, name).toBe(false);
    }
  });

  it("passes check with unknowns in place of the ids", async () => {
    expect(await checkAll(run)).toEqual({
      snowflake: [],
      hubspot: [],
      customers: [],
      "customers-to-hubspot": [],
    });
  });
});
