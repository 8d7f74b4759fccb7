/**
 * examples/postgres-to-salesforce under mocks as `pulumi preview` runs it for a new stack: unknown ids where the
 * resources reference each other, secrets still secret, and `check` accepting the engine's unknown sentinel.
 */
import * as path from "node:path";
import { isUnknown } from "@pulumi/pulumi/output";
import { beforeAll, describe, expect, it } from "vitest";
import { checkAll, expectCleanForwarder, type ProgramRun, runProgram, secretValue } from "./harness";

const P = "polytomic-postgres-to-salesforce";
const PG_PASSWORD = "pg-pass-9d2e7b";
const SF_CLIENT_SECRET = "sf-secret-c07f55";

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/postgres-to-salesforce/index.ts"),
    project: P,
    preview: true,
    config: {
      [`${P}:pgHost`]: "db.example.com",
      [`${P}:pgPort`]: "6432",
      [`${P}:pgUser`]: "polytomic_reader",
      [`${P}:pgDatabase`]: "app",
      [`${P}:pgPassword`]: PG_PASSWORD,
      [`${P}:salesforceDomain`]: "https://example.my.salesforce.com",
      [`${P}:salesforceClientId`]: "client-id",
      [`${P}:salesforceClientSecret`]: SF_CLIENT_SECRET,
    },
    secretKeys: [`${P}:pgPassword`, `${P}:salesforceClientId`, `${P}:salesforceClientSecret`],
  });
});

describe("postgres-to-salesforce under mocks (preview)", () => {
  it("registers the four resources without ids", () => {
    expect(run.registrations.map((r) => [r.kind, r.name, r.id]).sort()).toEqual([
      ["Connection", "postgres", undefined],
      ["Connection", "salesforce", undefined],
      ["Model", "users", undefined],
      ["Sync", "users-to-contacts", undefined],
    ]);
  });

  it("reads the port from config as a number and keeps the configurations secret", () => {
    expect(secretValue(run.byName("postgres").inputs.configuration)).toMatchObject({
      port: 6432,
      password: PG_PASSWORD,
    });
    expect(secretValue(run.byName("salesforce").inputs.configuration).client_secret).toBe(SF_CLIENT_SECRET);
    for (const r of run.registrations) expectCleanForwarder(r, [PG_PASSWORD, SF_CLIENT_SECRET]);
  });

  it("passes unknown ids where the model and the sync reference other resources", () => {
    const model = run.byName("users").inputs;
    expect(isUnknown(model.connectionId)).toBe(true);
    expect(model.configuration).toEqual({ table: "public.users" });
    const sync = run.byName("users-to-contacts").inputs;
    expect(isUnknown(sync.target.connectionId)).toBe(true);
    expect(sync.target.object).toBe("Contact");
    expect(isUnknown(sync.identity.source.modelId)).toBe(true);
    for (const f of sync.fields) expect(isUnknown(f.source.modelId)).toBe(true);
    expect(sync.schedule).toEqual({ frequency: "daily", hour: "05", minute: "00" });
  });

  it("leaves ids and the OAuth URL unknown", async () => {
    for (const name of [
      "postgresConnectionId",
      "salesforceConnectionId",
      "salesforceAuthUrl",
      "modelId",
      "syncId",
    ]) {
      expect(await (run.exports[name] as { isKnown: Promise<boolean> }).isKnown, name).toBe(false);
    }
  });

  it("passes check with unknowns in place of the ids", async () => {
    expect(await checkAll(run)).toEqual({ postgres: [], salesforce: [], users: [], "users-to-contacts": [] });
  });
});
