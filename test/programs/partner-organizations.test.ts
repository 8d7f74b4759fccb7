/**
 * examples/partner-organizations under mocks as `pulumi up` runs it: two customer organizations with a role, a
 * policy, a user, event notifications, error subscribers and a GCS-to-webhook pipeline each, every object inside an
 * organization naming it; secrets stay secret and out of `__provider`. Then the same registrations through the
 * providers' `check`, and replayed against the emulator with the partner key alone: everything lands in its own
 * organization, made by the partner key (the request log says so), the pipelines guarded by their policies.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import {
  checkAll,
  engineInputs,
  expectCleanForwarder,
  mockId,
  outputValue,
  type ProgramRun,
  runProgram,
  secretValue,
  substituteIds,
} from "./harness";

const P = "polytomic-partner-organizations";
const PARTNER_KEY = "example-partner-key-8d1c";
const EVENT_SECRET = "example-event-secret-44f0";
const CUSTOMERS = ["acme", "globex"];
/** The resources each customer gets, by the suffix of their Pulumi names. */
const PER_CUSTOMER: Record<string, string> = {
  org: "Organization",
  analysts: "Role",
  "pipeline-policy": "Policy",
  admin: "User",
  events: "EventWebhook",
  "error-subscribers": "GlobalErrorSubscribers",
  gcs: "GcsConnection",
  webhook: "WebhookConnection",
  users: "Model",
  "to-webhook": "Sync",
};

let run: ProgramRun;

beforeAll(async () => {
  run = await runProgram({
    program: path.resolve(__dirname, "../../examples/partner-organizations/index.ts"),
    project: P,
    preview: false,
    config: {
      "polytomic:partnerKey": PARTNER_KEY,
      [`${P}:gcsBucket`]: "sample",
      [`${P}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
      [`${P}:webhookBaseUrl`]: "https://hooks.example.com/polytomic",
      [`${P}:eventsBaseUrl`]: "https://events.example.com/polytomic",
      [`${P}:eventWebhookSecret`]: EVENT_SECRET,
    },
    secretKeys: ["polytomic:partnerKey", `${P}:gcsServiceAccount`, `${P}:eventWebhookSecret`],
  });
});

describe("partner-organizations under mocks (deploy)", () => {
  it("registers one organization and its nine objects per customer", () => {
    const expected = Object.fromEntries(
      CUSTOMERS.flatMap((c) =>
        Object.entries(PER_CUSTOMER).map(([suffix, kind]) => [
          `${c}-${suffix}`,
          `pulumi-nodejs:dynamic/polytomic:${kind}`,
        ]),
      ),
    );
    expect(run.types()).toEqual(expected);
  });

  it("puts every object inside its customer's organization", () => {
    for (const c of CUSTOMERS) {
      for (const suffix of Object.keys(PER_CUSTOMER).filter((s) => s !== "org")) {
        expect(run.byName(`${c}-${suffix}`).inputs.organizationId, `${c}-${suffix}`).toBe(mockId(`${c}-org`));
      }
    }
    expect(run.byName("acme-org").inputs).toMatchObject({ name: "Acme Corp", ssoDomain: "acme.example" });
  });

  it("grants the analysts' role the pipeline's actions, and guards every part of the pipeline with the policy", () => {
    const role = mockId("acme-analysts");
    expect(run.byName("acme-pipeline-policy").inputs.policyActions).toEqual([
      { action: "read", roleIds: [role] },
      { action: "edit", roleIds: [role] },
      { action: "trigger", roleIds: [role] },
    ]);
    expect(run.byName("acme-admin").inputs).toMatchObject({
      email: "data.lead@acme.example",
      roleIds: [role],
    });
    for (const part of ["gcs", "webhook", "users", "to-webhook"]) {
      expect(run.byName(`acme-${part}`).inputs.policies).toEqual([mockId("acme-pipeline-policy")]);
    }
    expect(run.byName("globex-to-webhook").inputs.target.connectionId).toBe(mockId("globex-webhook"));
  });

  it("keeps the event secret and the service account secret, and no key or secret in __provider", () => {
    expect(secretValue(run.byName("acme-events").inputs.secret)).toBe(EVENT_SECRET);
    expect(secretValue(run.byName("globex-gcs").inputs.configuration).serviceAccount).toBe(
      FAKE_SERVICE_ACCOUNT,
    );
    for (const r of run.registrations)
      expectCleanForwarder(r, [PARTNER_KEY, EVENT_SECRET, FAKE_SERVICE_ACCOUNT]);
  });

  it("exports each customer's organization, admin, policy and sync", async () => {
    const exported = run.exports.organizations as Record<string, Record<string, unknown>>;
    expect(Object.keys(exported).sort()).toEqual(CUSTOMERS);
    expect(await outputValue(exported.acme?.organizationId)).toBe(mockId("acme-org"));
    expect(await outputValue(exported.globex?.syncId)).toBe(mockId("globex-to-webhook"));
  });
});

describe("partner-organizations through the providers", () => {
  it("passes check for every resource", async () => {
    const failures = await checkAll(run);
    expect(Object.values(failures).flat()).toEqual([]);
    expect(Object.keys(failures)).toHaveLength(CUSTOMERS.length * Object.keys(PER_CUSTOMER).length);
  });

  describe("against the emulator, with the partner key alone", () => {
    let emulator: RunningEmulator;
    const ids = new Map<string, string>();
    beforeAll(async () => {
      emulator = await startEmulator({ apiKeys: [], partnerKeys: [PARTNER_KEY], schemaReadyDelayMs: 20 });
      // In registration order: the order the engine would create them in (a resource registers once the
      // resources it refers to have ids).
      const config = { partnerKey: PARTNER_KEY, deploymentUrl: emulator.url };
      const idMap = new Map<string, string>();
      for (const r of run.registrations) {
        const { id } = await providerFor(r.kind, config).create(substituteIds(engineInputs(r.inputs), idMap));
        idMap.set(mockId(r.name), id);
        ids.set(r.name, id);
      }
    }, 60_000);
    afterAll(() => emulator?.close());

    /** The stored object a resource made, whichever collection holds it. */
    const stored = (name: string) => {
      const id = ids.get(name) as string;
      const { state } = emulator;
      const maps = [...Object.values(state), ...Object.values(state.admin)].filter((v) => v instanceof Map);
      return maps
        .map((m) => (m as Map<string, { organization_id?: string }>).get(id))
        .find((v) => v !== undefined);
    };

    it("every object is in its own customer's organization, and the partner key made every call", () => {
      const { state } = emulator;
      for (const c of CUSTOMERS) {
        const org = ids.get(`${c}-org`) as string;
        for (const suffix of [
          "analysts",
          "pipeline-policy",
          "admin",
          "events",
          "gcs",
          "webhook",
          "users",
          "to-webhook",
        ]) {
          expect(stored(`${c}-${suffix}`)?.organization_id, `${c}-${suffix}`).toBe(org);
        }
        expect(state.admin.errorSubscribers.get(org)?.emails).toEqual(
          expect.arrayContaining(["oncall@partner.example"]),
        );
        const policy = ids.get(`${c}-pipeline-policy`) as string;
        expect(state.syncs.get(ids.get(`${c}-to-webhook`) as string)?.policies).toEqual([policy]);
        expect(state.admin.policies.get(policy)?.policy_actions.map((a) => a.action)).toEqual([
          "read",
          "edit",
          "trigger",
        ]);
      }
      const callers = emulator.requests.map((r) => r.caller?.keyId);
      expect(new Set(callers)).toEqual(new Set(["partner-key-1"]));
      expect(JSON.stringify(emulator.requests)).not.toContain(PARTNER_KEY);
    });

    it("the two customers' objects never mix: each sync reads its own organization's model", () => {
      for (const c of CUSTOMERS) {
        const sync = emulator.state.syncs.get(ids.get(`${c}-to-webhook`) as string);
        expect(sync?.model_ids).toEqual([ids.get(`${c}-users`)]);
        expect(sync?.target.connection_id).toBe(ids.get(`${c}-webhook`));
      }
    });
  });
});
