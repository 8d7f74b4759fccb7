import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient, type RequestLogEntry } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { deployThroughServer, plaintextLeaves, type RecordedResource } from "../helpers/engine";
import { PARTNER_KEY, PRIVATE_KEY_LINE } from "../helpers/fixtures";
import { PROGRAM_DIR } from "../helpers/packed-package";
import {
  type GrpcFailure,
  type ProviderServer,
  secretWire,
  startProviderServer,
} from "../helpers/provider-server";
import { serializedProviders } from "../helpers/serialized-providers";
import { findSample, KIND_NAMES, kindsWithoutSamples, sampleFor } from "../kinds/samples";
import { API_KEY, FAKE_SERVICE_ACCOUNT, inputs, type Json, stringLeaves } from "./support";

/**
 * R4 Secrets: the API key (and the partner and deployment keys, sent as Bearer or as HTTP Basic with an
 * organization id) and every sensitive value stay out of every `__provider` text, every output the engine
 * would store in plaintext (inputs and outputs not marked secret, after create, refresh, update and `get`), every
 * log line (the client's request log, the provider server's stdout and stderr) and every error message (401, 422
 * whose body echoes the secrets, network errors, timeouts, a failed schema wait).
 *
 * Resources are declared by a real program (the package's resource classes under the real SDK), so the secret
 * marking is the classes' own; some secrets are passed as plain strings, which the classes must wrap.
 */

const PROJECT = "r4";
const SECRETS = {
  basicPassword: "r4-basic-password-9b1e",
  headerValue: "r4-header-value-77c0",
  queryValue: "r4-query-value-3e8a",
  oauthSecret: "r4-oauth-secret-d41f",
  genericPassword: "r4-generic-password-5a0c",
  passphrase: "r4-passphrase-8f2d",
};
/** More keys, partner and deployment ones, sent as Bearer or as HTTP Basic with an organization id. */
const KEYS = {
  partner: "r4-partner-key-c31d",
  deployment: "r4-deployment-key-70e9",
  wrongPartner: "r4-wrong-partner-key-5b2a",
};
/** The secret values the samples of every kind carry (test/kinds/samples.ts). */
const SAMPLE_SECRETS = [...new Set(KIND_NAMES.flatMap((kind) => findSample(kind)?.secrets ?? []))];
/** Every value that must never be seen in plaintext. */
const ALL_SECRETS = [
  ...new Set([
    API_KEY,
    PARTNER_KEY,
    ...Object.values(KEYS),
    FAKE_SERVICE_ACCOUNT,
    PRIVATE_KEY_LINE,
    ...Object.values(SECRETS),
    ...SAMPLE_SECRETS,
  ]),
];

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const polytomic = require("pulumi-polytomic");
const config = new pulumi.Config();
const url = (p) => "https://example.com/" + p;
// Plain strings on purpose (config.require, literals): the classes must make them secret.
const basic = new polytomic.WebhookConnection("hook-basic", {
  name: "r4 basic",
  configuration: { url: url("b"), authMethod: "basic", basic: { username: "u", password: config.require("basicPassword") } },
});
const header = new polytomic.WebhookConnection("hook-header", {
  name: "r4 header",
  configuration: { url: url("h"), authMethod: "header", header: { name: "X-Key", value: config.requireSecret("headerValue") } },
});
const query = new polytomic.WebhookConnection("hook-query", {
  name: "r4 query",
  configuration: { url: url("q"), authMethod: "query", query: [{ name: "key", value: ${JSON.stringify(SECRETS.queryValue)} }] },
});
const oauth = new polytomic.WebhookConnection("hook-oauth", {
  name: "r4 oauth",
  configuration: {
    url: url("o"),
    authMethod: "oauth_client_credentials",
    oauth: { clientId: "cid", clientSecret: ${JSON.stringify(SECRETS.oauthSecret)}, tokenEndpoint: url("token") },
  },
});
const gcs = new polytomic.GcsConnection("gcs", {
  name: "r4 gcs",
  configuration: { bucket: "sample", serviceAccount: config.require("gcsServiceAccount") },
  schemaTimeoutSeconds: 30,
});
const generic = new polytomic.Connection("generic", {
  name: "r4 generic",
  type: "webhook",
  configuration: { url: url("g"), auth_method: "basic", basic: { username: "u", password: ${JSON.stringify(SECRETS.genericPassword)} } },
});
const model = new polytomic.Model("model", {
  name: "r4 model",
  connectionId: gcs.id,
  configuration: { model_from: "single_file", key: "high_paying_users.csv" },
});
const sync = new polytomic.Sync("sync", {
  name: "r4 sync",
  active: true,
  mode: "updateOrCreate",
  fields: [{ source: { modelId: model.id, field: "email_address" }, target: "record" }],
  target: { connectionId: basic.id, object: "http" },
  schedule: { frequency: "manual" },
  encryptionPassphrase: ${JSON.stringify(SECRETS.passphrase)},
});
// Export every id, so the program (and the driver) waits for every resource.
exports.ids = pulumi.all([basic.id, header.id, query.id, oauth.id, gcs.id, generic.id, model.id, sync.id]);
`;

let emulator: RunningEmulator;
let server: ProviderServer;
let echo: Server;
let echoUrl: string;
/** What the fake server echoed back. */
const echoed: string[] = [];
let deployed: RecordedResource[];
/** Every error message and every inspected error seen in this file, checked at the end too. */
const errorTexts: string[] = [];

/** The secrets found in a text (empty when clean). */
const leaked = (text: string) => ALL_SECRETS.filter((s) => text.includes(s));

/** Records an error's message and its full inspection (cause chain, metadata), and returns them. */
function record(error: unknown): { message: string; inspected: string } {
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  const inspected = inspect(error, { depth: 20 });
  errorTexts.push(message, inspected);
  return { message, inspected };
}

/**
 * A fake Polytomic that answers every request 422 with a body echoing, in its message and metadata, every secret
 * value the request carried (and the API key from its Authorization header), as a careless server might.
 */
function startEcho(): Promise<void> {
  const echoable = [...new Set([FAKE_SERVICE_ACCOUNT, ...Object.values(SECRETS), ...SAMPLE_SECRETS])];
  echo = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const sent = echoable.filter((s) => raw.includes(JSON.stringify(s).slice(1, -1)));
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      const values = [key, ...sent];
      echoed.push(...values);
      const body = JSON.stringify({
        key: "validation_error",
        status: 422,
        message: `configuration rejected: ${values.join(" / ")}`,
        metadata: { errors: values.map((v, i) => ({ path: `field${i}`, value: v })), [key]: key },
      });
      res.writeHead(422, { "Content-Type": "application/json" });
      res.end(body);
    });
  });
  return new Promise((resolve) =>
    echo.listen(0, "127.0.0.1", () => {
      echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 200 });
  await startEcho();
  server = await startProviderServer(PROGRAM_DIR, PROJECT, { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
  const programFile = path.join(PROGRAM_DIR, "r4", "index.js");
  fs.mkdirSync(path.dirname(programFile), { recursive: true });
  fs.writeFileSync(programFile, PROGRAM);
  ({ resources: deployed } = await deployThroughServer({
    programFile,
    programDir: PROGRAM_DIR,
    project: PROJECT,
    stack: "dev",
    config: {
      "polytomic:apiKey": API_KEY,
      "polytomic:deploymentUrl": emulator.url,
      [`${PROJECT}:basicPassword`]: SECRETS.basicPassword,
      [`${PROJECT}:headerValue`]: SECRETS.headerValue,
      [`${PROJECT}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
    },
    // basicPassword and gcsServiceAccount are deliberately not secret config: the classes must still hide them.
    secretKeys: ["polytomic:apiKey", `${PROJECT}:headerValue`],
    server,
  }));
}, 120_000);

afterAll(async () => {
  server?.close();
  echo?.close();
  await emulator?.close();
});

describe("R4: secrets stay secret", () => {
  it("deployed the program: 8 resources, with their secrets in Polytomic", () => {
    expect(deployed.map((r) => r.name).sort()).toEqual(
      ["generic", "gcs", "hook-basic", "hook-header", "hook-oauth", "hook-query", "model", "sync"].sort(),
    );
    // The secrets did reach Polytomic (so the checks below are not vacuous).
    const stored = JSON.stringify([...emulator.state.connections.values(), ...emulator.state.syncs.values()]);
    for (const s of [FAKE_SERVICE_ACCOUNT, ...Object.values(SECRETS)])
      expect(stored).toContain(JSON.stringify(s).slice(1, -1));
  });

  it("no __provider text holds the API key or a secret: every kind of the kinds table", async () => {
    const texts = [
      ...Object.values(await serializedProviders(KIND_NAMES)),
      ...deployed.map((r) => r.registeredInputs.__provider as string),
    ];
    expect(texts.length).toBe(KIND_NAMES.length + deployed.length);
    for (const text of texts) {
      expect(typeof text).toBe("string");
      expect(leaked(text)).toEqual([]);
    }
  });

  it("no input or output stored in plaintext holds a secret: after create, refresh, update and get", async () => {
    let checkedLeaves = 0;
    const assertClean = (label: string, value: unknown, r: RecordedResource) => {
      const leaves = plaintextLeaves(value, r.secretInputPaths, r.additionalSecretOutputs);
      checkedLeaves += leaves.length;
      const leaks = leaves.filter(([, v]) => typeof v === "string" && leaked(v).length > 0);
      expect(leaks, `${r.name} ${label}`).toEqual([]);
    };
    for (const r of deployed) {
      // The secret values are marked: either the value itself or a containing object.
      assertClean("registered inputs", r.registeredInputs, r);
      assertClean("create outputs", r.outputs, r);
      const refreshed = await server.read(r.urn, r.id, r.outputs, r.inputs);
      assertClean("refresh outputs", refreshed.props, r);
      assertClean("refresh inputs", refreshed.inputs, r);
      const renamed = { ...r.inputs, name: `${String(r.inputs.name)} renamed` };
      const updated = await server.update(r.urn, r.id, refreshed.props, renamed);
      assertClean("update outputs", updated.props, r);
      // Resource.get: the engine sends only __provider; secrets come back masked.
      const got = await server.read(r.urn, r.id, { __provider: r.inputs.__provider });
      assertClean("get outputs", got.props, r);
    }
    // Where the classes put the marks: every connection's configuration and the sync's passphrase.
    for (const r of deployed.filter((x) => x.type.endsWith("Connection"))) {
      expect(r.additionalSecretOutputs, r.name).toContain("configuration");
    }
    const sync = deployed.find((r) => r.name === "sync");
    expect(sync?.additionalSecretOutputs).toContain("encryptionPassphrase");
    expect(sync?.secretInputPaths).toContain("encryptionPassphrase");
    expect(checkedLeaves).toBeGreaterThan(100);
  });

  it("error messages: 422 echoing every secret, through each provider", async () => {
    // Organizations and users' API keys take the partner key, the rest the API key.
    const config = { apiKey: API_KEY, partnerKey: PARTNER_KEY, deploymentUrl: echoUrl };
    const attempts: [string, Json][] = [
      [
        "WebhookConnection",
        {
          name: "w",
          configuration: {
            url: "https://example.com",
            authMethod: "basic",
            basic: { username: "u", password: SECRETS.basicPassword },
          },
        },
      ],
      ["GcsConnection", inputs.gcs("g")],
      ["Connection", inputs.generic("c", SECRETS.genericPassword)],
      ["Sync", inputs.sync("s", "m", "c", { encryptionPassphrase: SECRETS.passphrase })],
      // Every kind of the kinds table, with the secrets its samples carry (in its inputs and its update).
      ...KIND_NAMES.filter((kind) => findSample(kind) !== undefined).flatMap((kind): [string, Json][] => {
        const sample = sampleFor(kind);
        const deps = Object.fromEntries(sample.dependsOn.map((d) => [d, `${d}-id`]));
        const update = sample.update?.(`r4 ${kind}`, deps);
        const variants = [sample.inputs(`r4 ${kind}`, deps), ...(update === undefined ? [] : [update])];
        return variants.map((news): [string, Json] => [kind, news]);
      }),
    ];
    echoed.length = 0;
    for (const [kind, news] of attempts) {
      const p = providerFor(kind, config);
      const failures = [
        await p.create(news as never).catch((e: unknown) => e),
        await p
          .update("some-id", { ...news, name: "before" } as never, news as never)
          .catch((e: unknown) => e),
      ];
      for (const failure of failures) {
        const { message, inspected } = record(failure);
        expect(message, kind).toMatch(/failed \(422\)/);
        expect(message, kind).toContain("[redacted]");
        expect(leaked(message), `${kind}: ${message}`).toEqual([]);
        expect(leaked(inspected), kind).toEqual([]);
      }
    }
    // The server did echo the key and each resource's secrets.
    expect(new Set(echoed)).toEqual(
      new Set([
        API_KEY,
        PARTNER_KEY,
        FAKE_SERVICE_ACCOUNT,
        SECRETS.basicPassword,
        SECRETS.genericPassword,
        SECRETS.passphrase,
        ...SAMPLE_SECRETS,
      ]),
    );
    expect(kindsWithoutSamples(), "kinds without samples, not covered here").toEqual([]);
  });

  it("partner and deployment keys, as Bearer and as HTTP Basic: in no error, log line or __provider", async () => {
    const keyed = await startEmulator({
      apiKeys: [],
      partnerKeys: [KEYS.partner],
      deploymentKeys: [KEYS.deployment],
      schemaReadyDelayMs: 0,
    });
    // A careless server that echoes the Authorization header's credential, as sent and decoded, in a 422.
    const echoing = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const credential = (req.headers.authorization ?? "").split(" ")[1] ?? "";
        const decoded = Buffer.from(credential, "base64").toString("utf8");
        res.writeHead(422, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            message: `bad credential ${credential} (${decoded})`,
            metadata: { credential, decoded },
          }),
        );
      });
    });
    await new Promise<void>((r) => echoing.listen(0, "127.0.0.1", () => r()));
    const echoingUrl = `http://127.0.0.1:${(echoing.address() as AddressInfo).port}`;
    try {
      const org = (await providerFor("Organization", {
        partnerKey: KEYS.partner,
        deploymentUrl: keyed.url,
      }).create({
        name: "r4 organization",
        clientSecret: "r4-oidc-secret-e1f7",
      } as never)) as { id: string; outs: Json };
      const inOrg = (key: "partnerKey" | "deploymentKey", value: string, url = keyed.url) =>
        providerFor("Role", { [key]: value, organizationId: org.id, deploymentUrl: url });
      const failures = [
        // Rejected keys (401): Basic for the organization, and Bearer.
        await inOrg("partnerKey", KEYS.wrongPartner)
          .create({ name: "r" } as never)
          .catch((e: unknown) => e),
        await providerFor("Organization", { partnerKey: KEYS.wrongPartner, deploymentUrl: keyed.url })
          .read(org.id, org.outs as never)
          .catch((e: unknown) => e),
        // Echoed credentials (422): Basic with the partner key and with the deployment key, Bearer partner key.
        await inOrg("partnerKey", KEYS.partner, echoingUrl)
          .create({ name: "r" } as never)
          .catch((e: unknown) => e),
        await inOrg("deploymentKey", KEYS.deployment, echoingUrl)
          .create({ name: "r" } as never)
          .catch((e: unknown) => e),
        await providerFor("Organization", { partnerKey: KEYS.partner, deploymentUrl: echoingUrl })
          .create({ name: "r4 echo", clientSecret: "r4-oidc-secret-e1f7" } as never)
          .catch((e: unknown) => e),
      ];
      const basic = (key: string) => Buffer.from(`${org.id}:${key}`).toString("base64");
      for (const failure of failures) {
        const { message, inspected } = record(failure);
        expect(message).toMatch(/\((401|422)\b/);
        for (const text of [message, inspected]) {
          expect(leaked(text)).toEqual([]);
          for (const key of [KEYS.partner, KEYS.deployment, KEYS.wrongPartner])
            expect(text).not.toContain(basic(key));
          expect(text).not.toContain("r4-oidc-secret-e1f7");
        }
      }
      expect((failures[0] as Error).message).toContain("rejected the partner key (401");
      expect((failures[0] as Error).message).toContain("polytomic:partnerKey");
      // The request log names the keys' identities only.
      const log = JSON.stringify(keyed.requests.map((r) => ({ ...r, caller: r.caller })));
      expect(leaked(log)).toEqual([]);
      expect(keyed.requests.some((r) => r.caller?.keyId === "partner-key-1")).toBe(true);
    } finally {
      echoing.close();
      await keyed.close();
    }
  });

  it("error messages: 401, network errors and timeouts", async () => {
    const wrongKey = "r4-wrong-key-0042aa";
    const unauthorized = await providerFor("WebhookConnection", {
      apiKey: wrongKey,
      deploymentUrl: emulator.url,
    })
      .create({ name: "x", configuration: { url: "https://example.com" } } as never)
      .catch((e: unknown) => e);
    const e401 = record(unauthorized);
    expect(e401.message).toMatch(/rejected the API key \(401/);
    expect(e401.message + e401.inspected).not.toContain(wrongKey);

    // Connection refused, through the provider (the default policy retries it 5 times first).
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await providerFor("GcsConnection", { apiKey: API_KEY, deploymentUrl: closedUrl })
      .create(inputs.gcs("refused") as never)
      .catch((e: unknown) => e);
    expect(record(refused).message).toMatch(/network error \(ECONNREFUSED\)/);

    // Connection reset after the request was read, and a hang past the timeout, through the client.
    const resetting = createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => resetting.listen(0, "127.0.0.1", () => r()));
    const log: RequestLogEntry[] = [];
    try {
      const client = (url: string) =>
        new PolytomicClient({
          apiKey: API_KEY,
          deploymentUrl: url,
          timeoutMs: 300,
          retry: { maxAttempts: 2, baseDelayMs: 10 },
          onRequest: (entry) => log.push(entry),
        });
      const body = {
        name: "x",
        type: "webhook",
        configuration: { url: "https://x", basic: { password: SECRETS.basicPassword } },
      };
      const reset = await client(`http://127.0.0.1:${(resetting.address() as AddressInfo).port}`)
        .connections.create(body, { secrets: [SECRETS.basicPassword] })
        .catch((e: unknown) => e);
      expect(record(reset).message).toMatch(/network error/);
      emulator.addFault({ path: "/api/connections", kind: "hang", times: 2 });
      const hung = await client(emulator.url)
        .connections.create(body, { secrets: [SECRETS.basicPassword] })
        .catch((e: unknown) => e);
      expect(record(hung).message).toMatch(/request timed out/);
      // The client's request log, including a successful create and update carrying secrets.
      const ok = await client(emulator.url).connections.create(
        {
          ...body,
          configuration: {
            url: "https://x",
            auth_method: "basic",
            basic: { username: "u", password: SECRETS.basicPassword },
          },
        },
        { secrets: [SECRETS.basicPassword] },
      );
      await client(emulator.url).connections.update(ok.id, {
        name: "y",
        type: "webhook",
        configuration: {
          url: "https://x",
          auth_method: "basic",
          basic: { username: "u", password: SECRETS.basicPassword },
        },
      });
      const lines = log.map((entry) => JSON.stringify(entry));
      expect(lines.length).toBeGreaterThanOrEqual(6);
      for (const line of lines) expect(leaked(line), line).toEqual([]);
    } finally {
      emulator.clearFaults();
      resetting.close();
    }
    for (const text of errorTexts) expect(leaked(text)).toEqual([]);
  }, 60_000);

  it("through the provider server: a 401, and a failed schema wait's reasons, carry no secret", async () => {
    const wrong = await startProviderServer(PROGRAM_DIR, PROJECT, { POLYTOMIC_API_KEY: "" });
    try {
      await wrong.configure({
        "polytomic:apiKey": secretWire("r4-wrong-key-7733bb"),
        "polytomic:deploymentUrl": emulator.url,
      });
      const gcs = deployed.find((r) => r.name === "gcs") as RecordedResource;
      const failure = (await wrong.create(gcs.urn, gcs.inputs).catch((e: unknown) => e)) as GrpcFailure;
      expect(failure.details).toMatch(/rejected the API key \(401/);
      expect(failure.details).toContain("polytomic:apiKey");
      expect([
        ...leaked(failure.details),
        ...(failure.details.includes("r4-wrong-key") ? ["wrong key"] : []),
      ]).toEqual([]);
      expect(leaked(wrong.stdout.join("") + wrong.stderr.join(""))).toEqual([]);
      expect(wrong.stderr.join("") + wrong.stdout.join("")).not.toContain("r4-wrong-key-7733bb");
    } finally {
      wrong.close();
    }
    emulator.addFault({ method: "GET", path: /\/schemas\/status$/, kind: "status", status: 400, times: 1 });
    const gcs = deployed.find((r) => r.name === "gcs") as RecordedResource;
    const partial = (await server
      .create(gcs.urn, { ...gcs.inputs, name: "r4 partial" })
      .catch((e: unknown) => e)) as GrpcFailure;
    expect(partial.initFailed?.reasons[0]).toMatch(/schema cache/);
    expect(leaked(partial.details)).toEqual([]);
    expect(leaked((partial.initFailed?.reasons ?? []).join("\n"))).toEqual([]);
    emulator.clearFaults();
  });

  // A server message may quote PART of a secret, e.g. the private_key inside the GCS service-account JSON: the
  // string values inside a JSON-valued secret, and the long lines of a multi-line one, are redacted too.
  it("a 422 quoting the private key inside the service-account JSON is redacted", async () => {
    const quoting = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(422, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ message: `private_key is not a valid key: ${PRIVATE_KEY_LINE}` }));
      });
    });
    await new Promise<void>((r) => quoting.listen(0, "127.0.0.1", () => r()));
    try {
      const url = `http://127.0.0.1:${(quoting.address() as AddressInfo).port}`;
      const error = await providerFor("GcsConnection", { apiKey: API_KEY, deploymentUrl: url })
        .create(inputs.gcs("quoted") as never)
        .catch((e: unknown) => e);
      expect((error as Error).message).not.toContain(PRIVATE_KEY_LINE);
    } finally {
      quoting.close();
    }
  });

  it("the provider server's stdout and stderr hold no secret", () => {
    const output = server.stdout.join("") + server.stderr.join("");
    expect(leaked(output)).toEqual([]);
    expect(stringLeaves(errorTexts).every((t) => leaked(t).length === 0)).toBe(true);
  });
});
