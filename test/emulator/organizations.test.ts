/**
 * The emulator's organization-administration routes: organizations (partner keys), users and their keys, roles,
 * policies (and the policies other objects name), the event webhook, global error subscribers, schema overrides;
 * and who may call what (user, partner and deployment keys, Bearer and Basic).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import {
  type ApiClient,
  apiClient,
  readyGcsConnection,
  sampleModelBody,
  webhookConnectionBody,
} from "../helpers/emulator";

const API_KEY = "orgs-api-key-1a";
const PARTNER_KEY = "orgs-partner-key-2b";
const DEPLOYMENT_KEY = "orgs-deployment-key-3c";

let emu: RunningEmulator;
/** The default organization's user key. */
let user: ApiClient;
/** The partner key, as Bearer. */
let partner: ApiClient;

/** A client sending `key` as HTTP Basic for `organizationId`. */
const basic = (organizationId: string, key = PARTNER_KEY) => {
  const client = apiClient(emu, "unused");
  const headers = { Authorization: `Basic ${Buffer.from(`${organizationId}:${key}`).toString("base64")}` };
  return {
    get: (path: string) => client.get(path, { headers }),
    post: (path: string, body?: unknown) => client.post(path, body, { headers }),
    put: (path: string, body?: unknown) => client.put(path, body, { headers }),
    del: (path: string) => client.del(path, { headers }),
  };
};

beforeAll(async () => {
  emu = await startEmulator({
    apiKeys: [API_KEY],
    partnerKeys: [PARTNER_KEY],
    deploymentKeys: [DEPLOYMENT_KEY],
    schemaReadyDelayMs: 0,
  });
  user = apiClient(emu, API_KEY);
  partner = apiClient(emu, PARTNER_KEY);
});
afterAll(() => emu?.close());

async function newOrganization(name: string): Promise<string> {
  const created = await partner.post("/api/organizations", { name });
  expect(created.status, created.text).toBe(200);
  return created.body.data.id;
}

describe("organizations", () => {
  it("a partner creates, reads, lists (owner first), updates and deletes organizations", async () => {
    const id = await newOrganization("Acme");
    expect((await partner.get(`/api/organizations/${id}`)).body.data).toEqual({
      id,
      name: "Acme",
      sso_domain: null,
      sso_org_id: null,
      issuer: null,
    });
    const listed = (await partner.get("/api/organizations")).body.data.map((o: any) => o.name);
    expect(listed[0]).toBe("Emulated Organization");
    expect(listed).toContain("Acme");

    const updated = await partner.put(`/api/organizations/${id}`, {
      name: "Acme Corp",
      sso_domain: "acme.example",
      client_id: "cid",
      client_secret: "shh-orgs-secret",
    });
    expect(updated.body.data).toMatchObject({ name: "Acme Corp", sso_domain: "acme.example" });
    expect(updated.text).not.toContain("shh-orgs-secret");
    expect(updated.body.data).not.toHaveProperty("client_id");

    expect((await partner.del(`/api/organizations/${id}`)).status).toBe(200);
    expect((await partner.get(`/api/organizations/${id}`)).status).toBe(404);
  });

  it("a duplicate name is 409; the owner organization cannot be deleted; a user key cannot manage organizations", async () => {
    await newOrganization("Twice");
    const again = await partner.post("/api/organizations", { name: "twice" });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already exists under this partner/);
    const owner = (await partner.get("/api/organizations")).body.data[0].id;
    expect((await partner.del(`/api/organizations/${owner}`)).status).toBe(403);
    expect((await user.get("/api/organizations")).status).toBe(403);
    expect((await partner.post("/api/organizations", {})).body.metadata.errors).toEqual([
      { path: "name", message: "is required" },
    ]);
  });

  it("deleting an organization deletes everything in it", async () => {
    const id = await newOrganization("Doomed");
    const inside = basic(id);
    const hook = await inside.post("/api/connections", webhookConnectionBody());
    expect(hook.status, hook.text).toBe(200);
    expect(emu.state.connections.has(hook.body.data.id)).toBe(true);
    await partner.del(`/api/organizations/${id}`);
    expect(emu.state.connections.has(hook.body.data.id)).toBe(false);
    expect([...emu.state.admin.roles.values()].some((r) => r.organization_id === id)).toBe(false);
  });
});

describe("who may call what", () => {
  it("/api/me names the caller: a user, a partner (Bearer and Basic), a deployment key", async () => {
    expect((await user.get("/api/me")).body.data).toMatchObject({ is_user: true, is_partner: false });
    expect((await partner.get("/api/me")).body.data).toMatchObject({
      is_partner: true,
      is_user: false,
      is_organization: false,
    });
    const id = await newOrganization("Who");
    expect((await basic(id).get("/api/me")).body.data).toMatchObject({
      is_partner: true,
      is_organization: true,
      organization_id: id,
      organization_name: "Who",
    });
    expect((await basic(id, DEPLOYMENT_KEY).get("/api/me")).body.data).toMatchObject({
      is_system: true,
      organization_id: id,
    });
    expect((await basic(id).get("/api/organization")).body.data).toMatchObject({ id, name: "Who" });
  });

  it("a partner key as Bearer cannot act inside an organization; Basic needs an organization of the partner", async () => {
    const refused = await partner.get("/api/connections");
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/HTTP Basic/);
    expect((await basic("not-an-org").get("/api/connections")).status).toBe(403);
    expect((await basic("not-an-org", API_KEY).get("/api/connections")).status).toBe(401);
  });

  it("the request log records who called, never the key", async () => {
    const before = emu.requests.length;
    await user.get("/api/me");
    await partner.get("/api/organizations");
    const [a, b] = emu.requests.slice(before);
    expect(a?.caller).toEqual({
      keyId: "api-key-1",
      kind: "user",
      organizationId: expect.any(String),
      userId: expect.any(String),
    });
    expect(b?.caller).toMatchObject({ keyId: "partner-key-1", kind: "partner" });
    const text = JSON.stringify(emu.requests.map((r) => ({ ...r, caller: r.caller })));
    for (const key of [API_KEY, PARTNER_KEY, DEPLOYMENT_KEY]) expect(text).not.toContain(key);
  });
});

describe("roles and policies", () => {
  it("every organization has the built-in Admin and Member roles, which cannot change", async () => {
    const id = await newOrganization("Roles");
    const roles = (await basic(id).get("/api/permissions/roles")).body.data;
    expect(roles.map((r: any) => [r.name, r.system, r.organization_id])).toEqual([
      ["Admin", true, id],
      ["Member", true, id],
    ]);
    expect((await basic(id).put(`/api/permissions/roles/${roles[0].id}`, { name: "Boss" })).status).toBe(403);
    expect((await basic(id).del(`/api/permissions/roles/${roles[1].id}`)).status).toBe(403);
  });

  it("custom roles: create, rename, unique names, delete", async () => {
    const role = await user.post("/api/permissions/roles", { name: "Analyst" });
    expect(role.body.data).toMatchObject({ name: "Analyst", system: false });
    expect((await user.post("/api/permissions/roles", { name: "analyst" })).status).toBe(400);
    const renamed = await user.put(`/api/permissions/roles/${role.body.data.id}`, { name: "Analysts" });
    expect(renamed.body.data.name).toBe("Analysts");
    expect((await user.del(`/api/permissions/roles/${role.body.data.id}`)).status).toBe(200);
  });

  it("policies: documented actions, roles of the organization; objects name only policies of their organization", async () => {
    const role = (await user.post("/api/permissions/roles", { name: "Editors" })).body.data;
    const created = await user.post("/api/permissions/policies", {
      name: "Edit",
      policy_actions: [{ action: "edit", role_ids: [role.id] }, { action: "read" }],
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.policy_actions).toEqual([
      { action: "edit", role_ids: [role.id] },
      { action: "read", role_ids: [] },
    ]);
    const bad = await user.post("/api/permissions/policies", {
      name: "Bad",
      policy_actions: [
        { action: "fly", role_ids: [] },
        { action: "edit", role_ids: ["nope"] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.metadata.errors.map((e: any) => e.path)).toEqual([
      "policy_actions[0].action",
      "policy_actions[1].role_ids[0]",
    ]);

    const policy = created.body.data.id;
    const hook = await user.post("/api/connections", webhookConnectionBody({ policies: [policy] }));
    expect(hook.body.data.policies).toEqual([policy]);
    const unknown = await user.post("/api/connections", webhookConnectionBody({ policies: ["nope"] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.metadata.errors).toEqual([{ path: "policies[0]", message: "policy nope not found" }]);

    // Another organization's policy is not found either.
    const other = await newOrganization("Other policies");
    const foreign = (
      await basic(other).post("/api/permissions/policies", { name: "Theirs", policy_actions: [] })
    ).body.data.id;
    expect((await user.post("/api/connections", webhookConnectionBody({ policies: [foreign] }))).status).toBe(
      422,
    );
    const gcs = await readyGcsConnection(user, emu, { bucket: "sample" });
    const model = await user.post("/api/models", sampleModelBody(gcs, { policies: [foreign] }));
    expect(model.status).toBe(400);
    expect(model.body.metadata.errors).toEqual([
      { path: "policies[0]", message: `policy ${foreign} not found` },
    ]);

    // A bulk sync too.
    const bulk = await user.post("/api/bulk/syncs", {
      name: "Copies",
      source_connection_id: gcs,
      destination_connection_id: gcs,
      destination_configuration: { format: "csv", subfolder: "copies" },
      mode: "snapshot",
      schemas: ["high_paying_users.csv"],
      default_schedule: { frequency: "manual" },
      policies: [foreign],
    });
    expect(bulk.status).toBe(422);
    expect(bulk.body.metadata.errors).toContainEqual({
      path: "policies[0]",
      message: `policy ${foreign} not found`,
    });

    // Deleting the policy detaches it.
    expect((await user.del(`/api/permissions/policies/${policy}`)).status).toBe(200);
    expect((await user.get(`/api/connections/${hook.body.data.id}`)).body.data.policies).toEqual([]);
  });
});

describe("users and their API keys", () => {
  it("a partner manages an organization's users; a created key acts as that user in that organization", async () => {
    const org = await newOrganization("People");
    const created = await partner.post(`/api/organizations/${org}/users`, { email: "Ada@Example.com" });
    expect(created.status, created.text).toBe(200);
    const ada = created.body.data;
    expect(ada).toMatchObject({ email: "ada@example.com", organization_id: org, role: "user" });
    expect((await partner.post(`/api/organizations/${org}/users`, { email: "ada@example.com" })).status).toBe(
      422,
    );

    const admin = (await basic(org).get("/api/permissions/roles")).body.data[0].id;
    const promoted = await partner.put(`/api/organizations/${org}/users/${ada.id}`, {
      email: "ada@example.com",
      role_ids: [admin],
    });
    expect(promoted.body.data).toMatchObject({ role: "admin", role_ids: [admin] });
    expect(
      (await partner.put(`/api/organizations/${org}/users/${ada.id}`, { email: "bob@example.com" })).status,
    ).toBe(422);

    const key = (await partner.post(`/api/organizations/${org}/users/${ada.id}/keys`)).body.data.value;
    expect((await partner.post(`/api/organizations/${org}/users/${ada.id}/keys`)).body).toMatchObject({
      status: 422,
      key: "api_key_exists",
    });
    const asAda = apiClient(emu, key);
    expect((await asAda.get("/api/me")).body.data).toMatchObject({
      id: ada.id,
      email: "ada@example.com",
      organization_id: org,
      organization_name: "People",
      role: "admin",
    });
    const rotated = (await partner.post(`/api/organizations/${org}/users/${ada.id}/keys?force=true`)).body
      .data.value;
    expect((await asAda.get("/api/me")).status).toBe(401);
    expect((await apiClient(emu, rotated).get("/api/me")).status).toBe(200);
    expect(JSON.stringify([...emu.state.admin.apiKeys.values()])).not.toContain(rotated);

    const removed = await partner.del(`/api/organizations/${org}/users/${ada.id}`);
    expect(removed.body.data.id).toBe(ada.id);
    expect((await apiClient(emu, rotated).get("/api/me")).status).toBe(401);
    expect((await partner.get(`/api/organizations/${org}/users/${ada.id}`)).status).toBe(404);
  });

  it("an API key manages its own organization's users (role_ids at least one, roles of the organization)", async () => {
    const created = await user.post("/api/organization/users", { email: "carol@example.com" });
    expect(created.body.data.role).toBe("user");
    const id = created.body.data.id;
    expect((await user.put(`/api/organization/users/${id}`, { role_ids: [] })).status).toBe(422);
    expect((await user.put(`/api/organization/users/${id}`, { role_ids: ["nope"] })).status).toBe(422);
    expect((await user.put(`/api/organization/users/${id}`, { role: "admin", role_ids: [] })).status).toBe(
      422,
    );
    expect((await user.put(`/api/organization/users/${id}`, { role: "admin" })).body.data.role).toBe("admin");
    expect((await user.get("/api/organization/users")).body.data.map((u: any) => u.email)).toContain(
      "carol@example.com",
    );
    expect((await user.del(`/api/organization/users/${id}`)).status).toBe(200);
  });
});

describe("notifications", () => {
  it("one event webhook per organization: secret masked, enable and disable, update, delete", async () => {
    const created = await user.post("/api/webhooks", {
      endpoint: "https://example.com/events",
      secret: "ev-secret-1",
    });
    expect(created.status, created.text).toBe(200);
    const hook = created.body.data;
    expect(hook).toMatchObject({
      endpoint: "https://example.com/events",
      secret: "********",
      disabled: false,
    });
    const second = await user.post("/api/webhooks", { endpoint: "https://example.com/2", secret: "x" });
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({ key: "webhook_exists", metadata: { webhook_id: hook.id } });
    expect((await user.post(`/api/webhooks/${hook.id}/disable`)).body.data.disabled).toBe(true);
    expect((await user.put(`/api/webhooks/${hook.id}`, { endpoint: "https://example.com/e2" })).status).toBe(
      422,
    );
    const updated = await user.put(`/api/webhooks/${hook.id}`, {
      endpoint: "https://example.com/e2",
      secret: "s2",
    });
    expect(updated.body.data).toMatchObject({ endpoint: "https://example.com/e2", disabled: true });
    expect((await user.post(`/api/webhooks/${hook.id}/enable`)).body.data.disabled).toBe(false);
    expect((await user.del(`/api/webhooks/${hook.id}`)).status).toBe(200);
  });

  it("global error subscribers: one list, no data envelope, a full replacement", async () => {
    expect((await user.get("/api/notifications/global-error-subscribers")).body).toEqual({ emails: [] });
    const set = await user.put("/api/notifications/global-error-subscribers", { emails: ["a@example.com"] });
    expect(set.body).toEqual({ emails: ["a@example.com"] });
    expect((await user.put("/api/notifications/global-error-subscribers", { emails: ["nope"] })).status).toBe(
      400,
    );
    const org = await newOrganization("Subscribers");
    expect((await basic(org).get("/api/notifications/global-error-subscribers")).body).toEqual({
      emails: [],
    });
    await user.put("/api/notifications/global-error-subscribers", { emails: [] });
  });
});

describe("schema overrides", () => {
  it("primary keys and user-defined fields of a GCS file's schema", async () => {
    const gcs = await readyGcsConnection(user, emu, { bucket: "sample" });
    const at = `/api/connections/${gcs}/schemas/high_paying_users.csv`;
    const schema = (await user.get(at)).body.data;
    expect(schema.fields.map((f: any) => f.id)).toContain("email_address");
    expect(schema.fields.every((f: any) => f.is_primary_key === false)).toBe(true);

    const set = await user.put(`${at}/primary_keys`, {
      fields: [{ field_id: "email_address", is_primary_key: true }],
    });
    expect([set.status, set.body]).toEqual([202, {}]);
    const keyed = (await user.get(at)).body.data.fields
      .filter((f: any) => f.is_primary_key)
      .map((f: any) => f.id);
    expect(keyed).toEqual(["email_address"]);
    const wrong = await user.put(`${at}/primary_keys`, {
      fields: [{ field_id: "nope", is_primary_key: true }],
    });
    expect(wrong.status).toBe(400);

    const added = await user.post(`${at}/fields`, {
      fields: [{ field_id: "domain", label: "Domain", type: "string", path: "$.domain", example: "x.com" }],
    });
    expect(added.status, added.text).toBe(202);
    const domain = (await user.get(at)).body.data.fields.find((f: any) => f.id === "domain");
    expect(domain).toMatchObject({ name: "Domain", type: "string", path: "$.domain", user_managed: true });
    expect(
      (await user.post(`${at}/fields`, { fields: [{ field_id: "plan", label: "P", type: "string" }] }))
        .status,
    ).toBe(400);
    expect(
      (await user.post(`${at}/fields`, { fields: [{ field_id: "x", label: "X", type: "integer" }] })).status,
    ).toBe(400);
    expect((await user.del(`${at}/fields/domain`)).status).toBe(202);
    expect((await user.del(`${at}/fields/domain`)).status).toBe(404);
    expect((await user.del(`${at}/primary_keys`)).status).toBe(202);
    expect((await user.get(`/api/connections/${gcs}/schemas/missing.csv`)).status).toBe(404);
  });
});

describe("the CLI", () => {
  it("--partner-key and --deployment-key (repeatable) set up partner and deployment keys", async () => {
    const { parseCliArgs } = await import("../../src/emulator/cli");
    const options = parseCliArgs(
      ["--api-key", "a", "--partner-key", "p1", "--partner-key", "p2", "--deployment-key", "d"],
      {},
    );
    expect(options).toMatchObject({ apiKeys: ["a"], partnerKeys: ["p1", "p2"], deploymentKeys: ["d"] });
    expect(parseCliArgs([], {})).not.toHaveProperty("partnerKeys");
  });
});
