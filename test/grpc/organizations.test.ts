/**
 * The lifecycle of every organization-administration kind through the real dynamic-provider gRPC server, with the
 * package installed from its `npm pack` tarball: Check, Create, Diff (nothing to change), Read (refresh; nothing to
 * change), Update (in place), Read of a bare id (`Resource.get`, where the kind has it), Delete, and Read after it
 * (gone). The server is configured the way a partner's stack is: `polytomic:partnerKey` (secret) and
 * `polytomic:organizationId`, no API key, so every call inside the organization goes as HTTP Basic.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { PROGRAM_DIR } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import { serializedProviders } from "../helpers/serialized-providers";

type Json = Record<string, unknown>;

const PARTNER_KEY = "grpc-orgs-partner-key-5e7a";
const DIFF_NONE = 1;
const DIFF_SOME = 2;
const KINDS = [
  "Organization",
  "Role",
  "Policy",
  "User",
  "UserApiKey",
  "GlobalErrorSubscribers",
  "EventWebhook",
  "ConnectionSchemaPrimaryKeys",
  "ConnectionSchemaField",
] as const;
type Kind = (typeof KINDS)[number];
const urn = (kind: string, name = "x") =>
  `urn:pulumi:dev::orgs::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

let emulator: RunningEmulator;
let server: ProviderServer;
const providers: Record<string, string> = {};
/** The organization the stack config names, and objects in it the samples refer to. */
let org: string;
let gcs: string;
let role: string;
let user: string;

/** Valid inputs, and an in-place update of them, per kind. */
const SAMPLES: Record<Kind, { inputs(): Json; update(): Json; get: boolean }> = {
  Organization: {
    inputs: () => ({
      name: "gRPC organization",
      ssoDomain: "grpc.example",
      clientSecret: "grpc-oidc-secret",
    }),
    update: () => ({
      name: "gRPC organization",
      ssoDomain: "grpc2.example",
      clientSecret: "grpc-oidc-secret",
    }),
    get: true,
  },
  Role: { inputs: () => ({ name: "gRPC role" }), update: () => ({ name: "gRPC role renamed" }), get: true },
  Policy: {
    inputs: () => ({ name: "gRPC policy", policyActions: [{ action: "read", roleIds: [role] }] }),
    update: () => ({
      name: "gRPC policy",
      policyActions: [
        { action: "read", roleIds: [role] },
        { action: "edit", roleIds: [role] },
      ],
    }),
    get: true,
  },
  User: {
    inputs: () => ({ email: "grpc.user@example.com" }),
    update: () => ({ email: "grpc.user@example.com", roleIds: [role] }),
    get: true,
  },
  UserApiKey: {
    inputs: () => ({ userId: user }),
    // Every argument of a key replaces it: its "update" is the same inputs (nothing to change).
    update: () => ({ userId: user }),
    get: false,
  },
  GlobalErrorSubscribers: {
    inputs: () => ({ emails: ["grpc@example.com"] }),
    update: () => ({ emails: ["grpc@example.com", "oncall@example.com"] }),
    get: true,
  },
  EventWebhook: {
    inputs: () => ({ endpoint: "https://example.com/grpc-events", secret: "grpc-event-secret" }),
    update: () => ({
      endpoint: "https://example.com/grpc-events",
      secret: "grpc-event-secret",
      enabled: false,
    }),
    get: true,
  },
  ConnectionSchemaPrimaryKeys: {
    inputs: () => ({
      connectionId: gcs,
      schemaId: "high_paying_users.csv",
      fields: [{ fieldId: "email_address", isPrimaryKey: true }],
    }),
    update: () => ({
      connectionId: gcs,
      schemaId: "high_paying_users.csv",
      fields: [
        { fieldId: "email_address", isPrimaryKey: true },
        { fieldId: "company", isPrimaryKey: true },
      ],
    }),
    get: true,
  },
  ConnectionSchemaField: {
    inputs: () => ({
      connectionId: gcs,
      schemaId: "high_paying_users.csv",
      fieldId: "domain",
      label: "Domain",
      type: "string",
    }),
    update: () => ({
      connectionId: gcs,
      schemaId: "high_paying_users.csv",
      fieldId: "domain",
      label: "Email domain",
      type: "string",
      path: "$.domain",
    }),
    get: true,
  },
};

beforeAll(async () => {
  emulator = await startEmulator({
    apiKeys: ["grpc-orgs-unused"],
    partnerKeys: [PARTNER_KEY],
    schemaReadyDelayMs: 0,
  });
  const partner = new PolytomicClient({ apiKey: PARTNER_KEY, deploymentUrl: emulator.url });
  org = (await partner.admin.organizations.create({ name: "gRPC stack organization" })).id;
  const inOrg = new PolytomicClient({
    apiKey: PARTNER_KEY,
    deploymentUrl: emulator.url,
    organizationId: org,
  });
  gcs = (
    await inOrg.connections.create({
      name: "gRPC source",
      type: "gcs",
      configuration: { bucket: "sample", service_account: FAKE_SERVICE_ACCOUNT },
    })
  ).id;
  role = (await inOrg.admin.roles.create({ name: "gRPC fixtures role" })).id;
  user = (await partner.admin.partnerUsers(org).create({ email: "grpc.key.owner@example.com" })).id;
  Object.assign(providers, await serializedProviders(KINDS));
  server = await startProviderServer(PROGRAM_DIR, "orgs", {
    POLYTOMIC_API_KEY: "",
    POLYTOMIC_PARTNER_KEY: "",
  });
  await server.configure({
    "polytomic:partnerKey": secretWire(PARTNER_KEY),
    "polytomic:organizationId": org,
    "polytomic:deploymentUrl": emulator.url,
  });
}, 120_000);

afterAll(async () => {
  server?.close();
  await emulator?.close();
});

describe("the packed package's look-ups", () => {
  it("exports getRole and getCallerIdentity, and requiring the package still loads no HTTP client, undici or zod", () => {
    const script =
      'const p = require("pulumi-polytomic"); const loaded = Object.keys(require.cache).filter((k) => /[\\/](undici|zod)[\\/]|[\\/]dist[\\/]client[\\/]|[\\/]dist[\\/]providers[\\/](settings|credentials)\\.js$/.test(k)); console.log(JSON.stringify({ getRole: typeof p.getRole, getCallerIdentity: typeof p.getCallerIdentity, Organization: typeof p.Organization, loaded }))';
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: PROGRAM_DIR, encoding: "utf8" }),
    );
    expect(out).toEqual({
      getRole: "function",
      getCallerIdentity: "function",
      Organization: "function",
      loaded: [],
    });
  });
});

describe("__provider of the organization-administration kinds", () => {
  it.each(KINDS)("%s: small, no credential, loads the installed package", (kind) => {
    const text = providers[kind] as string;
    expect(Buffer.byteLength(text), kind).toBeLessThanOrEqual(4096);
    expect(text).not.toContain(PARTNER_KEY);
    expect(text).toContain(`"${kind}"`);
    expect(text).toContain('require("pulumi-polytomic/provider")');
  });
});

describe("the lifecycle through the provider server (partner key, HTTP Basic for the organization)", () => {
  it.each(KINDS)("%s", async (kind) => {
    const sample = SAMPLES[kind];
    const u = urn(kind);
    const withProvider = (inputs: Json): Json => ({ ...inputs, __provider: providers[kind] });
    const news = withProvider(sample.inputs());

    const checked = await server.check(u, {}, news);
    expect(checked.failures).toEqual([]);
    const created = await server.create(u, checked.inputs);
    expect(created.id).not.toBe("");
    expect((await server.diff(u, created.id, created.props, news)).changes, "after create").toBe(DIFF_NONE);

    const read = await server.read(u, created.id, created.props, news);
    expect(read.id).toBe(created.id);
    expect((await server.diff(u, created.id, read.props, news)).changes, "after refresh").toBe(DIFF_NONE);

    const updatedNews = withProvider(sample.update());
    const planned = await server.diff(u, created.id, read.props, updatedNews);
    if (kind === "UserApiKey") {
      expect(planned.changes).toBe(DIFF_NONE);
    } else {
      expect(planned).toMatchObject({ changes: DIFF_SOME, replaces: [] });
      const updated = await server.update(u, created.id, read.props, updatedNews);
      expect((await server.diff(u, created.id, updated.props, updatedNews)).changes, "after update").toBe(
        DIFF_NONE,
      );
      const reread = await server.read(u, created.id, updated.props, updatedNews);
      expect(
        (await server.diff(u, created.id, reread.props, updatedNews)).changes,
        "after update, refresh",
      ).toBe(DIFF_NONE);
    }

    if (sample.get) {
      // Resource.get: the engine sends only the __provider.
      const got = await server.read(u, created.id, { __provider: providers[kind] });
      expect(got.id).toBe(created.id);
    }

    await server.delete(u, created.id, read.props);
    // Gone after delete: an emptied list of subscribers reads as gone, and so does a key replaced away.
    const gone = await server.read(u, created.id, read.props);
    expect(gone.id, "read after delete").toBe("");
    // Every call was the partner's (but a user's key asking `GET /api/me` whether it still works).
    const callers = emulator.requests
      .filter((r) => r.path !== "/api/me")
      .map((r) => r.caller)
      .filter((c) => c !== undefined);
    expect(callers.every((c) => c.keyId === "partner-key-1")).toBe(true);
  });

  it("no partner key in the server's output", () => {
    expect(server.stdout.join("") + server.stderr.join("")).not.toContain(PARTNER_KEY);
  });
});
