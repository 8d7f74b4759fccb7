import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, type PolytomicApiError, PolytomicClient } from "../../src/client";
import { type RecordedRequest, type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { API_KEY, bodies, inputs, runLimited, seededRandom } from "./support";

/**
 * R1 Idempotency: creates under "commit, then drop the connection" faults (the server creates the object, then
 * the client never hears back), with the default retry policy. Every create is retried with the same
 * Idempotency-Key, so the retry gets the first outcome back instead of making a second object: exactly one object
 * per create, none doubled. A create whose every attempt (5) loses its answer fails with a clear error; its object
 * exists, but the caller never learned its id.
 */

const DROP_PROBABILITY = 0.3;
const CREATE_PATHS = /^\/api\/(connections|models|syncs)$/;

let emulator: RunningEmulator;
let gcsId: string;
let hookId: string;
let modelId: string;

/** A fresh emulator with the parents of the models and syncs, then the drop fault on every create (seeded). */
async function startFaulty(seed: number) {
  await emulator?.close();
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, seed });
  const setup = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
  gcsId = (await setup.connections.create(bodies.gcs("parent gcs"))).id;
  hookId = (await setup.connections.create(bodies.webhook("parent hook"))).id;
  modelId = (await setup.models.create(bodies.model("parent model", gcsId))).id;
  emulator.requests.length = 0;
  emulator.addFault({
    method: "POST",
    path: CREATE_PATHS,
    kind: "drop-after-commit",
    probability: DROP_PROBABILITY,
  });
}

beforeAll(() => startFaulty(42));
afterAll(() => emulator?.close());

/** The objects whose name starts with `prefix`, by kind. */
function objectsNamed(prefix: string) {
  const named = <T extends { name: string }>(m: Map<string, T>) =>
    [...m.values()].filter((o) => o.name.startsWith(prefix));
  return {
    connections: named(emulator.state.connections),
    models: named(emulator.state.models),
    syncs: named(emulator.state.syncs),
  };
}

describe("R1: creates under commit-then-drop faults", () => {
  it("200 creates (120 connections, 40 models, 40 syncs), 20 at a time, default retry policy: exactly 200 objects, 0 duplicates; a create fails only when all 5 of its attempts lose their answer", async () => {
    // The default policy: 5 attempts. With 30% of answers dropped, all 5 attempts of a create lose their answer
    // with probability 0.3^5 = 0.24%: for 200 creates, at least one such create in about one run in three. Which
    // creates those are depends on how the 20 concurrent calls interleave, so the test does not count them in
    // advance: it finds them in the request log (their key's 5 POSTs, every one dropped) and checks that they,
    // and only they, failed. The jitter is seeded; the emulator's fault rolls are seeded too.
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(5);
    const client = new PolytomicClient({
      apiKey: API_KEY,
      deploymentUrl: emulator.url,
      random: seededRandom(42),
    });
    const jobs = [
      ...Array.from(
        { length: 120 },
        (_, i) => () => client.connections.create(bodies.webhook(`r1 hook ${i}`)),
      ),
      ...Array.from(
        { length: 40 },
        (_, i) => () => client.models.create(bodies.model(`r1 model ${i}`, gcsId)),
      ),
      ...Array.from(
        { length: 40 },
        (_, i) => () => client.syncs.create(bodies.sync(`r1 sync ${i}`, modelId, hookId)),
      ),
    ];
    const { results, errors } = await runLimited<{ id: string; name: string }>(jobs, 20);

    // Every create made its object exactly once, the failed ones too (their first attempt was committed).
    const made = objectsNamed("r1 ");
    expect(made.connections).toHaveLength(120);
    expect(made.models).toHaveLength(40);
    expect(made.syncs).toHaveLength(40);
    const all = [...made.connections, ...made.models, ...made.syncs];
    expect(new Set(all.map((o) => o.name)).size).toBe(200);

    // Each create's attempts share one Idempotency-Key: 200 keys. A retry follows only a dropped answer.
    const posts = emulator.requests.filter((r) => r.method === "POST" && CREATE_PATHS.test(r.path));
    const dropped = posts.filter((r) => r.fault?.includes("drop-after-commit"));
    const attempts = new Map<string, RecordedRequest[]>();
    for (const r of posts)
      attempts.set(r.idempotencyKey ?? "", [...(attempts.get(r.idempotencyKey ?? "") ?? []), r]);
    expect(attempts.has("")).toBe(false);
    expect(attempts.size).toBe(200);
    for (const tries of attempts.values()) {
      expect(tries.length).toBeLessThanOrEqual(5);
      expect(tries.slice(0, -1).every((r) => r.fault?.includes("drop-after-commit"))).toBe(true);
    }
    // The creates that failed are exactly those whose 5 answers were all lost, each with a clear error.
    const exhausted = [...attempts.values()].filter(
      (tries) => tries.length === 5 && tries.every((r) => r.fault?.includes("drop-after-commit")),
    );
    expect(errors).toHaveLength(exhausted.length);
    for (const error of errors) {
      expect((error as Error).message).toMatch(
        /^POST \/api\/(connections|models|syncs) failed \(no response\): .*no answer arrived for Idempotency-Key .* may have been created: look for it by name/,
      );
      expect((error as PolytomicApiError).request.attempts).toBe(5);
    }
    expect(posts.length).toBe(dropped.length + 200 - exhausted.length);
    expect(dropped.length).toBeGreaterThan(40);

    // What the client got back is exactly what exists: every id once.
    const returned = results.filter((r) => r !== undefined).map((r) => r.id);
    expect(returned).toHaveLength(200 - errors.length);
    expect(new Set(returned).size).toBe(returned.length);
    const ids = new Set(all.map((o) => o.id));
    expect(returned.every((id) => ids.has(id))).toBe(true);
    console.log(
      `[r1] client: ${posts.length} POSTs for 200 creates, ${dropped.length} committed then dropped, ` +
        `${[...attempts.values()].filter((t) => t.length > 1).length} creates retried, ` +
        `${errors.length} failed after 5 lost answers, 0 duplicates`,
    );
  });

  it("through the providers with the default retry policy (sequential, so the seeded faults repeat): 15 creates, 15 objects", async () => {
    await startFaulty(42);
    const config = { apiKey: API_KEY, deploymentUrl: emulator.url };
    const before = emulator.requests.length;
    const hooks = providerFor("WebhookConnection", config);
    const models = providerFor("Model", config);
    const syncs = providerFor("Sync", config);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await hooks.create(inputs.webhook(`r1p hook ${i}`) as never)).id);
      ids.push((await models.create(inputs.model(`r1p model ${i}`, gcsId) as never)).id);
      ids.push((await syncs.create(inputs.sync(`r1p sync ${i}`, modelId, hookId) as never)).id);
    }
    const made = objectsNamed("r1p ");
    expect([made.connections.length, made.models.length, made.syncs.length]).toEqual([5, 5, 5]);
    expect(new Set(ids).size).toBe(15);
    const dropped = emulator.requests.slice(before).filter((r) => r.fault?.includes("drop-after-commit"));
    expect(dropped.length).toBeGreaterThan(0);
    console.log(`[r1] providers: 15 creates, ${dropped.length} committed then dropped, 15 objects`);
  });
});

describe("R1: the organization-administration kinds under commit-then-drop faults", () => {
  it("through the providers (sequential, seeded): 5 organizations, 5 roles, 5 policies, 5 users, an event webhook, 5 users' keys, 5 schema fields: one object each, none doubled", async () => {
    const PARTNER_KEY = "r1-partner-key-4c2d";
    await emulator?.close();
    emulator = await startEmulator({
      apiKeys: [API_KEY],
      partnerKeys: [PARTNER_KEY],
      schemaReadyDelayMs: 0,
      seed: 7,
    });
    const setup = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
    const gcs = (await setup.connections.create(bodies.gcs("r1 schema source"))).id;
    // Every create of these kinds is a POST with an Idempotency-Key (the lists and overrides are PUTs).
    emulator.addFault({ method: "POST", kind: "drop-after-commit", probability: DROP_PROBABILITY });
    const config = { apiKey: API_KEY, partnerKey: PARTNER_KEY, deploymentUrl: emulator.url };
    const p = (kind: string) => providerFor(kind, config);
    const before = emulator.requests.length;
    const ids: string[] = [];
    const create = async (kind: string, inputs: Record<string, unknown>) => {
      const { id } = await p(kind).create(inputs as never);
      ids.push(id);
      return id;
    };
    for (let i = 0; i < 5; i++) {
      await create("Organization", { name: `r1 organization ${i}` });
      const role = await create("Role", { name: `r1 role ${i}` });
      await create("Policy", {
        name: `r1 policy ${i}`,
        policyActions: [{ action: "read", roleIds: [role] }],
      });
      const user = await create("User", { email: `r1.user.${i}@example.com` });
      await create("UserApiKey", {
        userId: user,
        organizationId: emulator.state.admin.users.get(user)?.organization_id,
      });
      await create("ConnectionSchemaField", {
        connectionId: gcs,
        schemaId: "high_paying_users.csv",
        fieldId: `r1_field_${i}`,
        label: `R1 field ${i}`,
        type: "string",
      });
    }
    await create("EventWebhook", { endpoint: "https://example.com/r1-events", secret: "r1-event-secret" });
    const { admin } = emulator.state;
    const named = (values: Iterable<{ name: string }>, prefix: string) =>
      [...values].filter((o) => o.name.startsWith(prefix)).length;
    expect(named(admin.organizations.values(), "r1 organization")).toBe(5);
    expect(named(admin.roles.values(), "r1 role")).toBe(5);
    expect(named(admin.policies.values(), "r1 policy")).toBe(5);
    expect([...admin.users.values()].filter((u) => u.email.startsWith("r1.user.")).length).toBe(5);
    // One key per user: a second key for the same user would have needed `force`.
    expect(new Set([...admin.apiKeys.values()].map((k) => k.user_id)).size).toBe(admin.apiKeys.size);
    expect(admin.apiKeys.size).toBe(5);
    expect(admin.eventWebhooks.size).toBe(1);
    const fields = [...admin.schemaOverrides.values()].flatMap((o) => o.fields);
    expect(fields.filter((f) => f.field_id.startsWith("r1_field_")).length).toBe(5);
    expect(new Set(ids).size).toBe(ids.length);
    const dropped = emulator.requests.slice(before).filter((r) => r.fault?.includes("drop-after-commit"));
    expect(dropped.length).toBeGreaterThan(0);
    console.log(
      `[r1] organization kinds: ${ids.length} creates, ${dropped.length} committed then dropped, 0 duplicates`,
    );
  });
});
