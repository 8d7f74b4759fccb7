/**
 * Tenancy: with organization A's key, no operation of any kind reads, changes or deletes organization B's
 * objects. Organization B gets one object of every kind that lives in an organization (made with B's own key);
 * then, with A's API key and with the partner key acting for A (HTTP Basic), every provider operation is tried on
 * them (refresh, `get`, update, delete, an adoption with `importId`, a create naming B), and every API call on
 * their paths. Nothing of B's is seen or changed (B's objects compare equal before and after), and the emulator's
 * request log proves which key made each call (the key's identity, never the key).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";

type Json = Record<string, any>;

const KEY_A = "tenancy-org-a-key-1f";
const KEY_B = "tenancy-org-b-key-2e";
const PARTNER_KEY = "tenancy-partner-key-3d";
const ORG_A = "aaaaaaaa-0000-4000-8000-00000000000a";
const ORG_B = "bbbbbbbb-0000-4000-8000-00000000000b";

/** Kinds whose id names the organization (`<organization>/…`, or the organization's id itself). */
const ORGANIZATION_IN_ID = ["GlobalErrorSubscribers", "ConnectionSchemaPrimaryKeys", "ConnectionSchemaField"];

let emulator: RunningEmulator;
const asB = () => ({ apiKey: KEY_B, deploymentUrl: emulator.url });
const asA = () => ({ apiKey: KEY_A, deploymentUrl: emulator.url });
const asPartnerInA = () => ({ partnerKey: PARTNER_KEY, organizationId: ORG_A, deploymentUrl: emulator.url });

/** B's objects, by kind: id, outputs and the inputs that made them. */
const made: Record<string, { id: string; outs: Json; inputs: Json }> = {};

/** Every stored object of organization B (and B's subscribers and schema overrides), as JSON. */
function snapshotOfB(): string {
  const state = emulator.state;
  const maps = [...Object.values(state), ...Object.values(state.admin)].filter(
    (v): v is Map<string, unknown> => v instanceof Map,
  );
  const ofB = maps.flatMap((map) =>
    [...map.values()].filter((v) => (v as { organization_id?: unknown } | null)?.organization_id === ORG_B),
  );
  const executions = [...state.executions.values()].filter(
    (e) => state.syncs.get(e.sync_id)?.organization_id === ORG_B,
  );
  return JSON.stringify([ofB, executions]);
}

beforeAll(async () => {
  emulator = await startEmulator({
    apiKeys: [],
    partnerKeys: [PARTNER_KEY],
    organizations: [
      { id: ORG_A, name: "Organization A", apiKeys: [KEY_A] },
      { id: ORG_B, name: "Organization B", apiKeys: [KEY_B] },
    ],
    schemaReadyDelayMs: 0,
  });
  const create = async (kind: string, inputs: Json) => {
    const { id, outs } = await providerFor(kind, asB()).create(inputs as never);
    made[kind] = { id, outs: outs as Json, inputs };
    return id;
  };
  const gcs = await create("GcsConnection", {
    name: "B source",
    configuration: { bucket: "sample", serviceAccount: FAKE_SERVICE_ACCOUNT },
  });
  const hook = await create("WebhookConnection", {
    name: "B hook",
    configuration: { url: "https://example.com/b" },
  });
  await create("Connection", {
    name: "B generic",
    type: "webhook",
    configuration: { url: "https://example.com/b2", auth_method: "polytomic_secret" },
  });
  const model = await create("Model", {
    name: "B model",
    connectionId: gcs,
    configuration: { model_from: "single_file", key: "high_paying_users.csv" },
  });
  await create("Sync", {
    name: "B sync",
    mode: "updateOrCreate",
    fields: [{ source: { modelId: model, field: "email_address" }, target: "record" }],
    target: { connectionId: hook, object: "http" },
    schedule: { frequency: "manual" },
  });
  const role = await create("Role", { name: "B role" });
  await create("Policy", { name: "B policy", policyActions: [{ action: "read", roleIds: [role] }] });
  await create("User", { email: "b.user@example.com", roleIds: [role] });
  await create("GlobalErrorSubscribers", { emails: ["b@example.com"], organizationId: ORG_B });
  await create("EventWebhook", { endpoint: "https://example.com/b-events", secret: "b-event-secret" });
  await create("ConnectionSchemaPrimaryKeys", {
    connectionId: gcs,
    schemaId: "high_paying_users.csv",
    fields: [{ fieldId: "email_address", isPrimaryKey: true }],
    organizationId: ORG_B,
  });
  await create("ConnectionSchemaField", {
    connectionId: gcs,
    schemaId: "high_paying_users.csv",
    fieldId: "b_field",
    label: "B field",
    type: "string",
    organizationId: ORG_B,
  });
  // A run of B's sync, for A to look for (it ends at once: its webhook is not on loopback).
  const run = await new PolytomicClient({ apiKey: KEY_B, deploymentUrl: emulator.url }).syncs.startExecution(
    made.Sync!.id,
  );
  for (
    let i = 0;
    i < 100 && !["completed", "failed"].includes(emulator.state.executions.get(run.id)?.status ?? "");
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const m of Object.values(made)) expect(JSON.stringify(m.outs)).not.toContain(ORG_A);
});
afterAll(() => emulator?.close());

const settle = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error as Error }),
  );

/**
 * A's API key, and the partner key acting for A (the stack's `polytomic:organizationId`; the partner also manages
 * B, so here the programs name no organization: what the partner may do in B is not A's tenancy).
 */
describe.each([
  ["A's API key", asA, { keyId: "aaaaaaaa-key-1", kind: "user" }],
  ["the partner key acting for A (HTTP Basic)", asPartnerInA, { keyId: "partner-key-1", kind: "partner" }],
])("with %s", (_label, config, caller) => {
  const partner = caller.kind === "partner";
  it("no provider operation of any kind reads, changes or deletes B's objects", async () => {
    const before = snapshotOfB();
    const firstRequest = emulator.requests.length;
    for (const [kind, m] of Object.entries(made)) {
      const { id } = m;
      // These ids name B's organization: a partner acting by id acts in B, which it manages.
      if (partner && ORGANIZATION_IN_ID.includes(kind)) continue;
      const { organizationId: _o, ...outs } = m.outs;
      const { organizationId: _i, ...inputs } = m.inputs;
      const p = providerFor(kind, config());
      const renamed = {
        ...inputs,
        ...(inputs.name === undefined ? {} : { name: `${inputs.name} (taken by A)` }),
      };
      // Refresh and `get`: gone, or refused; never B's values.
      for (const read of [await settle(p.read(id, outs as never)), await settle(p.read(id))]) {
        if (read.ok) {
          const props = (read.value as { props?: Json }).props;
          if (kind === "GlobalErrorSubscribers" && props !== undefined) {
            // Its id is B's organization's id; a partner acting for A reads A's own list, never B's.
            expect(props.emails, kind).not.toContain("b@example.com");
          } else {
            expect(read.value, `${kind} read`).toEqual({});
          }
        } else {
          expect(read.error.message, kind).toMatch(/not ORG|belongs to organization|404|not found/i);
        }
      }
      // Update and adoption: refused.
      const update = await settle(p.update(id, outs as never, renamed as never));
      if (kind !== "GlobalErrorSubscribers") expect(update.ok, `${kind} update`).toBe(false);
      // Adoption (`importId`) of B's object: a read (not found) then nothing, or A's own object at most.
      await settle(p.create({ ...renamed, importId: id } as never));
      // Delete: "already gone" to A; B's object stays.
      await settle(p.delete(id, outs as never));
      // With A's API key, a create that names B is refused before anything is written.
      if (!partner) {
        const named = await settle(p.create({ ...renamed, organizationId: ORG_B } as never));
        expect(named.ok, `${kind} create in B`).toBe(false);
      }
    }
    expect(snapshotOfB()).toBe(before);

    // Every call was made by A's key (its identity in the log), acting in A; none carried a key.
    const calls = emulator.requests.slice(firstRequest);
    expect(calls.length).toBeGreaterThan(30);
    for (const call of calls) {
      if (call.status === 401) continue;
      expect(call.caller, `${call.method} ${call.path}`).toMatchObject(caller);
      // Acting in A: by the credential (API key, Basic), or, for the partner's user endpoints, by the path.
      const inA =
        call.caller?.organizationId === ORG_A || call.path.startsWith(`/api/organizations/${ORG_A}/`);
      expect(inA, `${call.method} ${call.path}`).toBe(true);
    }
    const log = JSON.stringify(calls.map((c) => ({ ...c, caller: c.caller })));
    for (const key of [KEY_A, KEY_B, PARTNER_KEY]) expect(log).not.toContain(key);
  });

  it("no API call on B's paths answers anything but 404 (or 403 for a body naming B); lists leave B out", async () => {
    const before = snapshotOfB();
    const { apiKey, partnerKey, organizationId } = config() as Json;
    const api = new PolytomicClient({
      apiKey: apiKey ?? partnerKey,
      deploymentUrl: emulator.url,
      ...(organizationId === undefined ? {} : { organizationId }),
      retry: { maxAttempts: 1 },
    });
    const call = (method: string, path: string, body?: unknown) =>
      settle(api.transport.call(method, path, { body }).then(() => 200)).then((r) =>
        r.ok ? 200 : (r.error as unknown as { status: number }).status,
      );
    const gcs = made.GcsConnection!.id;
    const sync = made.Sync!.id;
    const paths: [string, string][] = [
      ["connections", made.GcsConnection!.id],
      ["connections", made.WebhookConnection!.id],
      ["models", made.Model!.id],
      ["syncs", sync],
      ["permissions/roles", made.Role!.id],
      ["permissions/policies", made.Policy!.id],
      ["organization/users", made.User!.id],
      ["webhooks", made.EventWebhook!.id],
    ];
    for (const [family, id] of paths) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        expect(
          await call(method, `/api/${family}/${id}`, method === "PUT" ? { name: "x" } : undefined),
          `${method} ${family}`,
        ).toBe(404);
      }
    }
    const more: [string, string][] = [
      ["GET", `/api/connections/${gcs}/schemas/status`],
      ["POST", `/api/connections/${gcs}/schemas/refresh`],
      ["GET", `/api/connections/${gcs}/schemas/high_paying_users.csv`],
      ["PUT", `/api/connections/${gcs}/schemas/high_paying_users.csv/primary_keys`],
      ["DELETE", `/api/connections/${gcs}/schemas/high_paying_users.csv/primary_keys`],
      ["POST", `/api/connections/${gcs}/schemas/high_paying_users.csv/fields`],
      ["DELETE", `/api/connections/${gcs}/schemas/high_paying_users.csv/fields/b_field`],
      ["POST", `/api/syncs/${sync}/executions`],
      ["GET", `/api/syncs/${sync}/executions`],
      ["GET", `/api/syncs/${sync}/status`],
      ["POST", `/api/syncs/${sync}/activate`],
      ["POST", `/api/syncs/${sync}/cancel`],
      ["POST", `/api/webhooks/${made.EventWebhook!.id}/disable`],
    ];
    for (const [method, path] of more) {
      const body = method === "GET" || method === "DELETE" ? undefined : { fields: [], active: false };
      expect(await call(method, path, body), `${method} ${path}`).toBe(404);
    }
    // A body naming B is refused (403), and writes nothing.
    expect(await call("POST", "/api/permissions/roles", { name: "in B", organization_id: ORG_B })).toBe(403);
    expect(
      await call("POST", "/api/connections", {
        name: "in B",
        type: "webhook",
        organization_id: ORG_B,
        configuration: { url: "https://example.com/x", auth_method: "polytomic_secret" },
      }),
    ).toBe(403);
    // Lists hold nothing of B's.
    for (const list of [
      "connections",
      "models",
      "syncs",
      "permissions/roles",
      "permissions/policies",
      "webhooks",
      "organization/users",
    ]) {
      const listed = JSON.stringify(await api.transport.call("GET", `/api/${list}`, { schema: z.unknown() }));
      for (const m of Object.values(made)) expect(listed, list).not.toContain(m.id);
    }
    expect(snapshotOfB()).toBe(before);
  });
});

describe("B's own key still sees all of it", () => {
  it("every object reads back unchanged with B's key", async () => {
    for (const [kind, { id, outs }] of Object.entries(made)) {
      const read = await providerFor(kind, asB()).read(id, outs as never);
      expect(read.id, kind).toBe(id);
    }
  });
});
