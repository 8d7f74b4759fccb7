/**
 * Which key a call needs (src/providers/credentials.ts): the table, the settings with their environment fallbacks,
 * the messages when no configured key can make a call (never a key in them), and the headers sent (Bearer, or HTTP
 * Basic with the organization id as user name) as the emulator sees them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { ACCESS, type Access, CredentialError, chooseCredential } from "../../src/providers/credentials";
import { credentialFor, resolveSettings } from "../../src/providers/settings";

const API = "cred-api-key-11";
const PARTNER = "cred-partner-key-22";
const DEPLOYMENT = "cred-deployment-key-33";
const ORG = "7d3c1b2a-0000-4000-8000-000000000001";

const failure = (access: Access, keys: Record<string, string>, org?: string) => {
  try {
    chooseCredential(access, keys, org);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError);
    const message = (error as Error).message;
    for (const key of [API, PARTNER, DEPLOYMENT]) expect(message).not.toContain(key);
    return message;
  }
  throw new Error("expected a CredentialError");
};

describe("the credentials table", () => {
  it.each([
    // access, configured keys, organization → setting, scheme, endpoints
    ["organization", { apiKey: API }, undefined, "apiKey", "bearer", "current"],
    ["organization", { apiKey: API }, ORG, "apiKey", "bearer", "current"],
    ["organization", { partnerKey: PARTNER }, ORG, "partnerKey", "basic", "current"],
    ["organization", { apiKey: API, partnerKey: PARTNER }, ORG, "apiKey", "bearer", "current"],
    ["organization", { apiKey: API, partnerKey: PARTNER }, undefined, "apiKey", "bearer", "current"],
    ["organization", { deploymentKey: DEPLOYMENT }, ORG, "deploymentKey", "basic", "current"],
    [
      "organization",
      { partnerKey: PARTNER, deploymentKey: DEPLOYMENT },
      ORG,
      "partnerKey",
      "basic",
      "current",
    ],
    ["users", { apiKey: API }, undefined, "apiKey", "bearer", "current"],
    ["users", { partnerKey: PARTNER }, ORG, "partnerKey", "bearer", "partner"],
    ["users", { apiKey: API, partnerKey: PARTNER }, ORG, "apiKey", "bearer", "current"],
    ["partner", { apiKey: API, partnerKey: PARTNER }, undefined, "partnerKey", "bearer", "partner"],
    ["partnerUsers", { apiKey: API, partnerKey: PARTNER }, ORG, "partnerKey", "bearer", "partner"],
    ["partner", { partnerKey: PARTNER }, undefined, "partnerKey", "bearer", "partner"],
    ["partner", { deploymentKey: DEPLOYMENT }, ORG, "deploymentKey", "bearer", "partner"],
    ["partnerUsers", { partnerKey: PARTNER }, ORG, "partnerKey", "bearer", "partner"],
    ["identity", { apiKey: API }, ORG, "apiKey", "bearer", "current"],
    ["identity", { partnerKey: PARTNER }, ORG, "partnerKey", "basic", "current"],
    ["identity", { partnerKey: PARTNER }, undefined, "partnerKey", "bearer", "partner"],
  ] as const)("%s with %j (organization %s) → %s as %s", (access, keys, org, setting, scheme, endpoints) => {
    const credential = chooseCredential(access, keys, org);
    expect(credential).toMatchObject({ setting, scheme, endpoints });
    expect(credential.key).toBe(keys[setting as keyof typeof keys]);
  });

  it("every kind of call can be made some way, and says what it needs", () => {
    for (const [access, { ways, needs }] of Object.entries(ACCESS)) {
      expect(ways.length, access).toBeGreaterThan(0);
      expect(needs.length, access).toBeGreaterThan(10);
    }
  });

  it("no key at all: the message names polytomic:apiKey and POLYTOMIC_API_KEY (and the partner settings)", () => {
    const message = failure("organization", {});
    expect(message).toContain("No Polytomic API key is configured");
    expect(message).toContain("pulumi config set --secret polytomic:apiKey");
    expect(message).toContain("POLYTOMIC_API_KEY");
    expect(message).toContain("polytomic:partnerKey");
  });

  it("an API key cannot manage organizations nor create users' keys: the message names the partner key", () => {
    for (const access of ["partner", "partnerUsers"] as const) {
      const message = failure(access, { apiKey: API }, ORG);
      expect(message).toMatch(/needs a partner key/);
      expect(message).toContain("pulumi config set --secret polytomic:partnerKey <key>");
      expect(message).toContain("POLYTOMIC_PARTNER_KEY");
      expect(message).toContain("only polytomic:apiKey is configured");
    }
  });

  it("a partner key without an organization id: the message names organizationId and polytomic:organizationId", () => {
    for (const access of ["organization", "users", "partnerUsers"] as const) {
      const message = failure(access, { partnerKey: PARTNER });
      expect(message).toContain("acts inside one organization");
      expect(message).toContain("`organizationId` on the resource");
      expect(message).toContain("polytomic:organizationId");
      expect(message).toContain("POLYTOMIC_ORGANIZATION_ID");
    }
  });
});

describe("settings: stack config, then the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (name.startsWith("POLYTOMIC_")) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it("reads every setting from the config first, then its environment variable", () => {
    process.env.POLYTOMIC_PARTNER_KEY = "from-env-partner";
    process.env.POLYTOMIC_DEPLOYMENT_KEY = " ";
    process.env.POLYTOMIC_ORGANIZATION_ID = ORG;
    process.env.POLYTOMIC_API_KEY = "from-env-api";
    expect(resolveSettings({ apiKey: "from-config" })).toEqual({
      apiKey: "from-config",
      partnerKey: "from-env-partner",
      organizationId: ORG,
    });
  });

  it("a resource's own organization id wins over polytomic:organizationId", () => {
    const config = { partnerKey: PARTNER, organizationId: "stack-org" };
    expect(credentialFor(config, "organization").organizationId).toBe("stack-org");
    expect(credentialFor(config, "organization", ORG).organizationId).toBe(ORG);
  });
});

describe("on the wire (the emulator's view)", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ apiKeys: [API], partnerKeys: [PARTNER], deploymentKeys: [DEPLOYMENT] });
  });
  afterAll(() => emulator?.close());

  it("a partner key with an organization goes as HTTP Basic; without, as Bearer; /api/me tells them apart", async () => {
    const asPartner = new PolytomicClient({ apiKey: PARTNER, deploymentUrl: emulator.url });
    const org = await asPartner.admin.organizations.create({ name: "Wire test" });
    const inOrg = new PolytomicClient({
      apiKey: PARTNER,
      deploymentUrl: emulator.url,
      organizationId: org.id,
    });
    expect(await inOrg.me()).toMatchObject({ is_partner: true, organization_id: org.id });
    expect(await asPartner.me()).toMatchObject({ is_partner: true, is_organization: false });
    expect(emulator.requests.slice(-2).map((r) => r.caller)).toEqual([
      { keyId: "partner-key-1", kind: "partner", organizationId: org.id },
      { keyId: "partner-key-1", kind: "partner", organizationId: expect.any(String) },
    ]);
  });

  it("an error never carries the key in either spelling", async () => {
    const wrong = new PolytomicClient({
      apiKey: "cred-wrong-key-44",
      deploymentUrl: emulator.url,
      organizationId: ORG,
      retry: { maxAttempts: 1 },
    });
    const error = (await wrong.me().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/401/);
    const basic = Buffer.from(`${ORG}:cred-wrong-key-44`).toString("base64");
    expect(JSON.stringify(error) + error.message).not.toContain(basic);
    expect(error.message).not.toContain("cred-wrong-key-44");
  });
});
