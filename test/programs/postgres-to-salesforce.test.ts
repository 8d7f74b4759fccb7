/**
 * examples/postgres-to-salesforce under mocks as `pulumi up` runs it, then through the provider's `check` and
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

const P = "polytomic-postgres-to-salesforce";
const PG_PASSWORD = "pg-pass-9d2e7b";
const SF_CLIENT_ID = "3MVG9-client-id-41a8";
const SF_CLIENT_SECRET = "sf-secret-c07f55";
const FIELDS = ["email", "first_name", "last_name", "title", "phone"];

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/postgres-to-salesforce/index.ts"),
    project: P,
    preview: false,
    config: {
      [`${P}:pgHost`]: "db.example.com",
      [`${P}:pgUser`]: "polytomic_reader",
      [`${P}:pgDatabase`]: "app",
      [`${P}:pgPassword`]: PG_PASSWORD,
      [`${P}:salesforceDomain`]: "https://example.my.salesforce.com",
      [`${P}:salesforceClientId`]: SF_CLIENT_ID,
      [`${P}:salesforceClientSecret`]: SF_CLIENT_SECRET,
    },
    secretKeys: [`${P}:pgPassword`, `${P}:salesforceClientId`, `${P}:salesforceClientSecret`],
    computed: (r) => (r.kind === "Model" ? { fieldNames: FIELDS } : {}),
  });
});

describe("postgres-to-salesforce under mocks (deploy)", () => {
  it("registers two generic connections, a model and a sync", () => {
    expect(run.registrations).toHaveLength(4);
    expect(run.types()).toEqual({
      postgres: `${TYPE_PREFIX}Connection`,
      salesforce: `${TYPE_PREFIX}Connection`,
      users: `${TYPE_PREFIX}Model`,
      "users-to-contacts": `${TYPE_PREFIX}Sync`,
    });
  });

  it("configures PostgreSQL with every required key, the password secret and the port defaulted", () => {
    const pg = run.byName("postgres").inputs;
    expect(pg).toMatchObject({ name: "App database", type: "postgresql" });
    expect(secretValue(pg.configuration)).toEqual({
      hostname: "db.example.com",
      port: 5432,
      username: "polytomic_reader",
      password: PG_PASSWORD,
      database: "app",
    });
  });

  it("configures Salesforce with domain and the connected app's credentials, secret", () => {
    const sf = run.byName("salesforce").inputs;
    expect(sf).toMatchObject({ name: "Salesforce", type: "salesforce" });
    expect(secretValue(sf.configuration)).toEqual({
      domain: "https://example.my.salesforce.com",
      client_id: SF_CLIENT_ID,
      client_secret: SF_CLIENT_SECRET,
    });
  });

  it("models public.users on the PostgreSQL connection", () => {
    expect(run.byName("users").inputs).toMatchObject({
      name: "Users",
      connectionId: mockId("postgres"),
      configuration: { table: "public.users" },
      fields: FIELDS,
      identifier: "email",
    });
  });

  it("updates Salesforce Contacts daily at 05:00, matched on Email", () => {
    const sync = run.byName("users-to-contacts").inputs;
    const modelId = mockId("users");
    expect(sync).toMatchObject({
      name: "Users to Salesforce Contacts",
      active: true,
      mode: "update",
      identity: { source: { modelId, field: "email" }, target: "Email", function: "Equality" },
      target: { connectionId: mockId("salesforce"), object: "Contact" },
      schedule: { frequency: "daily", hour: "05", minute: "00" },
    });
    expect(sync.fields).toEqual([
      { source: { modelId, field: "first_name" }, target: "FirstName" },
      { source: { modelId, field: "last_name" }, target: "LastName" },
      { source: { modelId, field: "title" }, target: "Title" },
      { source: { modelId, field: "phone" }, target: "Phone" },
    ]);
  });

  it("keeps every credential out of __provider", () => {
    for (const r of run.registrations) expectCleanForwarder(r, [PG_PASSWORD, SF_CLIENT_ID, SF_CLIENT_SECRET]);
  });

  it("exports the ids", async () => {
    expect(await outputValue(run.exports.postgresConnectionId)).toBe(mockId("postgres"));
    expect(await outputValue(run.exports.salesforceConnectionId)).toBe(mockId("salesforce"));
    expect(await outputValue(run.exports.modelId)).toBe(mockId("users"));
    expect(await outputValue(run.exports.syncId)).toBe(mockId("users-to-contacts"));
    expect(run.exports).toHaveProperty("salesforceAuthUrl");
  });
});

describe("postgres-to-salesforce through the provider", () => {
  it("passes check for every resource", async () => {
    expect(await checkAll(run)).toEqual({ postgres: [], salesforce: [], users: [], "users-to-contacts": [] });
  });

  describe("against the emulator", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulator({ apiKeys: ["k"], schemaReadyDelayMs: 50 });
    });
    afterAll(() => emulator?.close());

    it("creates the connections, the model with its fields and the sync", async () => {
      const { ids, outputs } = await replayInEmulator(run, emulator, "k");
      const pg = emulator.state.connections.get(ids.get("postgres")!)!;
      expect(pg.type).toBe("postgresql");
      expect(pg.configuration).toMatchObject({
        hostname: "db.example.com",
        password: PG_PASSWORD,
        port: 5432,
      });
      const sf = emulator.state.connections.get(ids.get("salesforce")!)!;
      expect(sf.type).toBe("salesforce");
      expect(sf.configuration).toMatchObject({ domain: "https://example.my.salesforce.com" });

      const model = emulator.state.models.get(ids.get("users")!)!;
      expect(model.connection_id).toBe(ids.get("postgres"));
      expect(model.fields.map((f) => f.name)).toEqual(FIELDS);
      expect(outputs.get("users")!.fieldNames).toEqual(FIELDS);

      const sync = emulator.state.syncs.get(ids.get("users-to-contacts")!)!;
      expect(sync).toMatchObject({
        mode: "update",
        target: { connection_id: ids.get("salesforce"), object: "Contact" },
        identity: { source: { model_id: ids.get("users"), field: "email" }, target: "Email" },
        schedule: { frequency: "daily", hour: "05", minute: "00" },
        model_ids: [ids.get("users")],
      });
    });
  });
});
