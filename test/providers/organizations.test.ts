/**
 * The organization-administration kinds through their providers, against the emulator: Organization (partner key),
 * Role, Policy, User (API key and partner key), UserApiKey, GlobalErrorSubscribers, EventWebhook,
 * ConnectionSchemaPrimaryKeys and ConnectionSchemaField; the look-ups getRole and getCallerIdentity; the messages
 * for what Polytomic refuses (a duplicate name, a second webhook, a key the user has, a built-in role).
 */
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { ORGANIZATION_ID } from "../../src/emulator/identity";
import { getCallerIdentity, getRole } from "../../src/functions";
import { providerFor } from "../../src/providers/entry";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";

const API_KEY = "orgs-provider-api-key";
const PARTNER_KEY = "orgs-provider-partner-key";

type Json = Record<string, any>;
let emulator: RunningEmulator;
let partnerConfig: { partnerKey: string; deploymentUrl: string };
let apiConfig: { apiKey: string; deploymentUrl: string };
/** An organization made by the partner for these tests. */
let org: string;

const provider = (kind: string, config: object = partnerConfig) => providerFor(kind, config as never);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );

/** Create, then diff the same inputs, read, and diff again: nothing to change after create or refresh. */
async function createSteady(kind: string, inputs: Json, config?: object) {
  const p = provider(kind, config);
  const checked = await p.check({} as never, inputs as never);
  expect(checked.failures ?? []).toEqual([]);
  const created = await p.create(inputs as never);
  expect(
    (await p.diff(created.id, created.outs as never, inputs as never)).changes,
    `${kind} after create`,
  ).toBe(false);
  const read = await p.read(created.id, created.outs as never);
  expect(read.id).toBe(created.id);
  expect((await p.diff(created.id, read.props as never, inputs as never)).changes, `${kind} after read`).toBe(
    false,
  );
  return { p, id: created.id, outs: created.outs as Json, read: read.props as Json };
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], partnerKeys: [PARTNER_KEY], schemaReadyDelayMs: 0 });
  partnerConfig = { partnerKey: PARTNER_KEY, deploymentUrl: emulator.url };
  apiConfig = { apiKey: API_KEY, deploymentUrl: emulator.url };
  org = (await provider("Organization").create({ name: "Provider tests" } as never)).id;
});
afterAll(() => emulator?.close());

describe("Organization", () => {
  it("lifecycle: the client secret and id are written, kept, never compared; renames in place; delete", async () => {
    const inputs = {
      name: "Globex",
      ssoDomain: "globex.example",
      clientId: "cid",
      clientSecret: "globex-secret",
    };
    const { p, id, read } = await createSteady("Organization", inputs);
    expect(read).toMatchObject({
      name: "Globex",
      ssoDomain: "globex.example",
      clientId: "cid",
      clientSecret: "globex-secret",
    });
    expect(emulator.state.admin.organizations.get(id)?.client_secret).toBe("globex-secret");
    // A `get` (no previous state) has no secret to keep.
    expect((await p.read(id)).props).not.toHaveProperty("clientSecret");
    const renamed = { ...inputs, name: "Globex Corp" };
    expect(await p.diff(id, read as never, renamed as never)).toMatchObject({ changes: true, replaces: [] });
    const updated = await p.update(id, read as never, renamed as never);
    expect(updated.outs).toMatchObject({ name: "Globex Corp" });
    await p.delete(id, updated.outs as never);
    expect(await p.read(id, updated.outs as never)).toEqual({});
  });

  it("a duplicate name is explained; an API key alone cannot manage organizations (no request made)", async () => {
    await provider("Organization").create({ name: "Initech" } as never);
    const duplicate = await failure(provider("Organization").create({ name: "Initech" } as never));
    expect(duplicate.message).toMatch(/failed \(409\)/);
    expect(duplicate.message).toContain("unique among the partner's organizations");

    const before = emulator.requests.length;
    const refused = await failure(provider("Organization", apiConfig).create({ name: "Nope" } as never));
    expect(refused.message).toMatch(/needs a partner key/);
    expect(refused.message).toContain("polytomic:partnerKey");
    expect(refused.message).not.toContain(API_KEY);
    expect(emulator.requests.length).toBe(before);
  });
});

describe("Role and Policy", () => {
  it("a role in the partner's organization: create, rename, delete; built-in roles are found by name", async () => {
    const { p, id, read } = await createSteady("Role", { name: "Analysts", organizationId: org });
    expect(read).toMatchObject({ name: "Analysts", organizationId: org, system: false });
    // The call went as HTTP Basic for the organization.
    expect(emulator.requests.at(-1)?.caller).toMatchObject({ kind: "partner", organizationId: org });
    const renamed = await p.update(id, read as never, { name: "Analytics", organizationId: org } as never);
    expect(renamed.outs).toMatchObject({ name: "Analytics" });
    await p.delete(id, renamed.outs as never);
    expect(await p.read(id, renamed.outs as never)).toEqual({});
  });

  it("a built-in role cannot be adopted: the error says to use getRole", async () => {
    const admin = [...emulator.state.admin.roles.values()].find(
      (r) => r.organization_id === org && r.name === "Admin",
    );
    const error = await failure(
      provider("Role").create({ name: "Boss", organizationId: org, importId: admin?.id } as never),
    );
    expect(error.message).toMatch(/403/);
    expect(error.message).toContain("getRole()");
  });

  it("a policy: actions sorted, roles compared as sets; drift on refresh; attached to a connection", async () => {
    const role = (await provider("Role").create({ name: "Editors", organizationId: org } as never)).id;
    const admin = [...emulator.state.admin.roles.values()].find(
      (r) => r.organization_id === org && r.name === "Admin",
    );
    const inputs = {
      name: "Edit models",
      organizationId: org,
      policyActions: [
        { roleIds: [role, admin?.id as string], action: "edit" },
        { action: "read", roleIds: [role] },
      ],
    };
    const { p, id, read } = await createSteady("Policy", inputs);
    expect(read.policyActions).toEqual([
      { action: "edit", roleIds: [admin?.id, role].sort() },
      { action: "read", roleIds: [role] },
    ]);

    // Changed outside Pulumi: refresh shows it, diff wants an update, update converges.
    const api = new PolytomicClient({
      apiKey: PARTNER_KEY,
      deploymentUrl: emulator.url,
      organizationId: org,
    });
    await api.admin.policies.update(id, {
      name: "Edit models",
      policy_actions: [
        { action: "edit", role_ids: [role] },
        { action: "delete", role_ids: [role] },
        { action: "trigger", role_ids: [] },
      ],
    });
    const drifted = await p.read(id, read as never);
    expect(drifted.props).toMatchObject({
      policyActions: [
        { action: "delete", roleIds: [role] },
        { action: "edit", roleIds: [role] },
      ],
    });
    expect((await p.diff(id, drifted.props as never, inputs as never)).changes).toBe(true);
    const updated = await p.update(id, drifted.props as never, inputs as never);
    expect((await p.diff(id, updated.outs as never, inputs as never)).changes).toBe(false);

    // A connection of the organization takes the policy's id.
    const hook = await provider("WebhookConnection").create({
      name: "Guarded hook",
      organizationId: org,
      configuration: { url: "https://example.com/guarded" },
      policies: [id],
    } as never);
    expect(emulator.state.connections.get(hook.id)?.policies).toEqual([id]);
  });

  it("check names the broken property: an undocumented action, an action listed twice", async () => {
    const { failures } = await provider("Policy").check(
      {} as never,
      {
        name: "x",
        policyActions: [{ action: "fly" }, { action: "read" }, { action: "read" }],
      } as never,
    );
    expect(failures?.map((f) => f.property)).toEqual(["policyActions[0].action", "policyActions[2].action"]);
  });
});

describe("User and UserApiKey", () => {
  it("with a partner key: the partner endpoints; email in lower case; roles in place; email replaces", async () => {
    const member = [...emulator.state.admin.roles.values()].find(
      (r) => r.organization_id === org && r.name === "Member",
    );
    const inputs = { email: "Ada@Example.com", organizationId: org, roleIds: [member?.id] };
    const { p, id, read } = await createSteady("User", inputs);
    expect(read).toMatchObject({ email: "ada@example.com", roleIds: [member?.id], role: "user" });
    expect(emulator.requests.some((r) => r.path === `/api/organizations/${org}/users`)).toBe(true);
    const admin = [...emulator.state.admin.roles.values()].find(
      (r) => r.organization_id === org && r.name === "Admin",
    );
    const promoted = { ...inputs, roleIds: [admin?.id] };
    expect(await p.diff(id, read as never, promoted as never)).toMatchObject({ changes: true, replaces: [] });
    expect((await p.update(id, read as never, promoted as never)).outs).toMatchObject({ role: "admin" });
    expect(
      (await p.diff(id, read as never, { ...inputs, email: "bob@example.com" } as never)).replaces,
    ).toEqual(["email"]);
  });

  it("with an API key: the current organization's endpoints", async () => {
    const { p, id, outs } = await createSteady("User", { email: "carol@example.com" }, apiConfig);
    expect(emulator.state.admin.users.get(id)?.organization_id).toBe(ORGANIZATION_ID);
    expect(emulator.requests.some((r) => r.path === `/api/organization/users/${id}`)).toBe(true);
    await p.delete(id, outs as never);
    expect(emulator.state.admin.users.has(id)).toBe(false);
  });

  it("an API key names the organization of its own only: another one is refused before anything is written", async () => {
    const error = await failure(
      provider("User", apiConfig).create({ email: "dan@example.com", organizationId: org } as never),
    );
    expect(error.message).toContain(`belongs to organization ${ORGANIZATION_ID}, not ${org}`);
    expect([...emulator.state.admin.users.values()].some((u) => u.email === "dan@example.com")).toBe(false);
  });

  it("an API key: created once (secret value kept, never read back), force rotates, the user's deletion ends it", async () => {
    const user = await provider("User").create({ email: "eve@example.com", organizationId: org } as never);
    const keys = provider("UserApiKey");
    const first = await keys.create({ userId: user.id, organizationId: org } as never);
    const value = (first.outs as Json).value as string;
    expect(value).toMatch(/^pk_emulated_/);
    expect((await new PolytomicClient({ apiKey: value, deploymentUrl: emulator.url }).me()).email).toBe(
      "eve@example.com",
    );
    expect(first.id).toBe(`${org}/${user.id}`);
    const read = await keys.read(first.id, first.outs as never);
    expect(read.props).toMatchObject({ userId: user.id, value });
    expect(emulator.requests.at(-1)?.caller?.keyId).not.toBe("partner-key-1");
    // A read of the bare id (`get`) knows the organization from it: no value, so only the user is checked.
    expect((await keys.read(first.id)).props).toMatchObject({ userId: user.id, organizationId: org });

    const again = await failure(keys.create({ userId: user.id, organizationId: org } as never));
    expect(again.message).toContain("set `force: true`");
    expect(again.message).not.toContain(value);
    expect(
      (
        await keys.diff(
          first.id,
          first.outs as never,
          { userId: user.id, organizationId: org, force: true } as never,
        )
      ).replaces,
    ).toEqual(["force"]);
    const rotated = await keys.create({ userId: user.id, organizationId: org, force: true } as never);
    expect((rotated.outs as Json).value).not.toBe(value);
    const stale = await failure(
      new PolytomicClient({ apiKey: value, deploymentUrl: emulator.url, retry: { maxAttempts: 1 } }).me(),
    );
    expect(stale.message).toMatch(/401/);

    // The first key was replaced: it reads as gone, and deleting it leaves the key that replaced it alone.
    expect(await keys.read(first.id, first.outs as never)).toEqual({});
    await keys.delete(first.id, first.outs as never);
    const rotatedValue = (rotated.outs as Json).value as string;
    const asRotated = new PolytomicClient({ apiKey: rotatedValue, deploymentUrl: emulator.url });
    expect((await asRotated.me()).email).toBe("eve@example.com");
    // Deleting a key that works replaces it with one nobody holds: it stops working.
    await keys.delete(rotated.id, rotated.outs as never);
    expect(await keys.read(rotated.id, rotated.outs as never)).toEqual({});
    const revoked = await failure(
      new PolytomicClient({
        apiKey: rotatedValue,
        deploymentUrl: emulator.url,
        retry: { maxAttempts: 1 },
      }).me(),
    );
    expect(revoked.message).toMatch(/401/);
    // A deleted user takes its key along.
    const third = await keys.create({ userId: user.id, organizationId: org, force: true } as never);
    await provider("User").delete(user.id, { email: "eve@example.com", organizationId: org } as never);
    expect(await keys.read(third.id, third.outs as never)).toEqual({});
  });

  it("an API key alone cannot create users' keys", async () => {
    const error = await failure(provider("UserApiKey", apiConfig).create({ userId: "u" } as never));
    expect(error.message).toMatch(/needs a partner key/);
  });
});

describe("GlobalErrorSubscribers and EventWebhook", () => {
  it("the organization's one list: written whole, its id the organization's, emptied on delete", async () => {
    const inputs = { emails: ["ops@example.com", "data@example.com"], organizationId: org };
    const { p, id, read } = await createSteady("GlobalErrorSubscribers", inputs);
    expect(id).toBe(org);
    expect(read).toMatchObject({ emails: ["ops@example.com", "data@example.com"], organizationId: org });
    // `get` by the organization's id reads the same list.
    expect((await p.read(id)).props).toMatchObject({ emails: inputs.emails, organizationId: org });
    await p.delete(id, read as never);
    expect(emulator.state.admin.errorSubscribers.get(org)?.emails).toEqual([]);
    // An empty list reads as gone.
    expect(await p.read(id, read as never)).toEqual({});
  });

  it("with an API key and no organization id: the key's own list, id global-error-subscribers", async () => {
    const { p, id, read } = await createSteady(
      "GlobalErrorSubscribers",
      { emails: ["a@example.com"] },
      apiConfig,
    );
    expect(id).toBe("global-error-subscribers");
    expect(emulator.state.admin.errorSubscribers.get(ORGANIZATION_ID)?.emails).toEqual(["a@example.com"]);
    await p.delete(id, read as never);
  });

  it("an event webhook: disabled on create, the secret kept and never compared, enabled in place", async () => {
    const inputs = {
      endpoint: "https://example.com/events",
      secret: "events-secret-1",
      enabled: false,
      organizationId: org,
    };
    const { p, id, read } = await createSteady("EventWebhook", inputs);
    expect(emulator.state.admin.eventWebhooks.get(id)).toMatchObject({
      disabled: true,
      secret: "events-secret-1",
    });
    expect(read).toMatchObject({ enabled: false, secret: "events-secret-1" });
    const enabled = { ...inputs, enabled: true };
    expect(await p.diff(id, read as never, enabled as never)).toMatchObject({ changes: true, replaces: [] });
    await p.update(id, read as never, enabled as never);
    expect(emulator.state.admin.eventWebhooks.get(id)?.disabled).toBe(false);

    const second = await failure(
      provider("EventWebhook").create({
        endpoint: "https://example.com/2",
        secret: "s2",
        organizationId: org,
      } as never),
    );
    expect(second.message).toContain("An organization has one event webhook");
    expect(second.message).toContain(id);
    expect(second.message).not.toContain('s2"');
    await p.delete(id, read as never);
    expect(emulator.state.admin.eventWebhooks.has(id)).toBe(false);
  });
});

describe("ConnectionSchemaPrimaryKeys and ConnectionSchemaField", () => {
  let gcs: string;
  beforeAll(async () => {
    gcs = (
      await provider("GcsConnection", apiConfig).create({
        name: "Schemas source",
        configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT },
      } as never)
    ).id;
  });

  it("primary keys: override written whole, read back, drift seen, reset on delete", async () => {
    const inputs = {
      connectionId: gcs,
      schemaId: "high_paying_users.csv",
      fields: [
        { fieldId: "email_address", isPrimaryKey: true },
        { fieldId: "company", isPrimaryKey: false },
      ],
    };
    const { p, id, read } = await createSteady("ConnectionSchemaPrimaryKeys", inputs, apiConfig);
    expect(id).toBe(`default/${gcs}/high_paying_users.csv`);
    expect(read.fields).toEqual(inputs.fields);
    const api = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
    await api.admin.schemas.setPrimaryKeys(gcs, "high_paying_users.csv", [
      { field_id: "plan", is_primary_key: true },
    ]);
    const drifted = await p.read(id, read as never);
    expect(drifted.props).toMatchObject({ fields: [{ fieldId: "plan", isPrimaryKey: true }] });
    expect((await p.diff(id, drifted.props as never, inputs as never)).changes).toBe(true);
    // `get` by id alone.
    expect((await p.read(id)).props).toMatchObject({ connectionId: gcs, schemaId: "high_paying_users.csv" });
    await p.delete(id, read as never);
    expect(emulator.state.admin.schemaOverrides.get(`${gcs}/high_paying_users.csv`)?.primary_keys).toBeNull();
  });

  it("a user-defined field: created, read back (example kept), relabelled in place, deleted", async () => {
    const inputs = {
      connectionId: gcs,
      schemaId: "high_paying_users.csv",
      fieldId: "domain",
      label: "Domain",
      type: "string",
      path: "$.domain",
      example: "example.com",
    };
    const { p, id, read } = await createSteady("ConnectionSchemaField", inputs, apiConfig);
    expect(read).toMatchObject(inputs);
    const relabelled = { ...inputs, label: "Email domain" };
    expect(await p.diff(id, read as never, relabelled as never)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const updated = await p.update(id, read as never, relabelled as never);
    expect((await p.read(id, updated.outs as never)).props).toMatchObject({ label: "Email domain" });
    expect((await p.diff(id, read as never, { ...inputs, fieldId: "d2" } as never)).replaces).toEqual([
      "fieldId",
    ]);
    await p.delete(id, updated.outs as never);
    expect(await p.read(id, updated.outs as never)).toEqual({});
  });
});

describe("getRole and getCallerIdentity (from the program, with the stack's settings)", () => {
  const settings = (config: Record<string, string>) => {
    pulumi.runtime.setAllConfig(
      Object.fromEntries(Object.entries(config).map(([k, v]) => [`polytomic:${k}`, v])),
      ["polytomic:apiKey", "polytomic:partnerKey"],
    );
  };

  it("getRole finds a built-in role by name, without case, in the organization named", async () => {
    settings({ partnerKey: PARTNER_KEY, deploymentUrl: emulator.url });
    const admin = await getRole({ name: "admin", organizationId: org });
    expect(admin).toMatchObject({ name: "Admin", organizationId: org, system: true });
    const missing = await failure(getRole({ name: "Janitor", organizationId: org }));
    expect(missing.message).toContain('no role named "Janitor"');
    expect(missing.message).toContain('"Admin"');
  });

  it("getCallerIdentity says who the key is", async () => {
    settings({ apiKey: API_KEY, deploymentUrl: emulator.url });
    expect(await getCallerIdentity()).toMatchObject({
      isUser: true,
      isPartner: false,
      organizationId: ORGANIZATION_ID,
    });
    settings({ partnerKey: PARTNER_KEY, deploymentUrl: emulator.url, organizationId: org });
    expect(await getCallerIdentity()).toMatchObject({
      isPartner: true,
      isOrganization: true,
      organizationId: org,
    });
    settings({ partnerKey: "wrong-partner-key-x1", deploymentUrl: emulator.url });
    const error = await failure(getCallerIdentity());
    expect(error.message).toContain("rejected the partner key (401");
    expect(error.message).toContain("polytomic:partnerKey");
    expect(error.message).not.toContain("wrong-partner-key-x1");
  });
});
