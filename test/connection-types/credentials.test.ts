import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { inspect } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { camelizeKey } from "../../src/connection-types/configuration-shape";
import { EXTRA_SECRETS, NOT_SECRETS } from "../../src/connection-types/extra-secrets";
import { type JsonSchema, secretPathsForType } from "../../src/connection-types/json-schema";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { TYPED_CONNECTION_CLASSES } from "../../src/generated/connection-kinds";
import type { ConnectionInputs } from "../../src/providers/connection-spec";
import { providerFor } from "../../src/providers/entry";
import { plaintextLeaves, unwrapSecrets } from "../helpers/engine";
import { ROOT } from "../helpers/packed-package";
import { API_KEY } from "../helpers/sa";
import { sampleConfiguration } from "../helpers/samples";

/**
 * Every credential of every connection type is a secret, whether or not Polytomic's schema marks it.
 *
 * The credentials are found here from the schemas' property names alone, with the word list and the exceptions
 * below; neither the package's list of secret paths nor its reviewed data file is used to find them. Then a
 * distinct plain string is planted at each one, for every type, and none may reach in plaintext: the inputs a
 * typed class (or `Connection`) registers, the outputs the engine would store after create and read, the
 * `__provider` text, a log line, or an error message whose server echoed the whole request.
 */

const SCHEMA_DIR = path.join(ROOT, "data", "connection-types");

/** A property is a credential when one of the words of its name (split at `_`) is one of these. */
const CREDENTIAL_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "key",
  "keys",
  "apikey",
  "credential",
  "credentials",
  "certificate",
  "cert",
]);
/** Or when its whole name is one of these. */
const CREDENTIAL_NAMES = new Set(["service_account"]);
/** Or when its path ends like one of these: the values of authentication headers and query parameters. */
const CREDENTIAL_PATHS = [/(^|\.)header\.value$/, /(^|\.)query\[\]\.value$/];

/** Words that make a credential-looking name something else, with the reason. */
const NOT_SECRET_WORDS: Record<string, string> = {
  id: "an identifier of a key, certificate or client: `key_id`, `access_key_id`, `certificate_id`",
  expiry: "a timestamp: `oauth_token_expiry`",
  endpoint: "a URL: `token_endpoint`",
  name: "the name of a credential stored elsewhere: `storage_credential_name`",
  username: "a user name: `service_account_username`",
  public: "the public half of a key pair: `public_key`",
  ca: "a certificate authority's certificate is public: `ca_cert`",
};
/** Single properties that look like credentials and are not, by type, with the reason. */
const NOT_SECRET_PATHS: Record<string, Record<string, string>> = {
  gong: { access_key: "the identifier Gong pairs with `access_secret`, the secret half" },
  autura: { org_keys: "a comma-delimited list of the organizations to read, not a credential" },
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const isStringSchema = (s: JsonSchema) =>
  s.type === undefined || s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"));

function looksLikeCredential(type: string, pattern: string): boolean {
  const name = pattern.split(".").pop()?.replace(/\[\]$/, "") ?? "";
  const words = name.toLowerCase().split("_");
  const credential =
    words.some((w) => CREDENTIAL_WORDS.has(w)) ||
    CREDENTIAL_NAMES.has(name) ||
    CREDENTIAL_PATHS.some((re) => re.test(pattern));
  if (!credential) return false;
  if (words.some((w) => w in NOT_SECRET_WORDS)) return false;
  return NOT_SECRET_PATHS[type]?.[pattern] === undefined;
}

interface Candidate {
  /** The pattern as the API spells it: `auth.query[].value`. */
  pattern: string;
  /** Whether the value (or an object holding it) is read-only, so a client cannot set it. */
  readOnly: boolean;
}

/** Every string-valued credential of a schema, found by name. */
function credentialsOf(type: string, schema: JsonSchema): Candidate[] {
  const out: Candidate[] = [];
  const walk = (node: JsonSchema, prefix: string, readOnly: boolean) => {
    for (const [key, sub] of Object.entries(node.properties ?? {})) {
      const here = prefix === "" ? key : `${prefix}.${key}`;
      const ro = readOnly || sub.readOnly === true || sub.readonly === true;
      if (isStringSchema(sub) && sub.properties === undefined && looksLikeCredential(type, here))
        out.push({ pattern: here, readOnly: ro });
      walk(sub, here, ro);
    }
    if (node.items !== undefined) {
      const here = `${prefix}[]`;
      if (isStringSchema(node.items) && looksLikeCredential(type, here))
        out.push({ pattern: here, readOnly });
      walk(node.items, here, readOnly);
    }
  };
  walk(schema, "", false);
  return out;
}

const SCHEMAS = new Map<string, JsonSchema>(
  fs
    .readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith(".json") && !f.startsWith("_"))
    .map((f) => [f.slice(0, -".json".length), JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, f), "utf8"))]),
);
const TYPES = [...SCHEMAS.keys()].sort();
const EXPECTED = new Map(TYPES.map((t) => [t, credentialsOf(t, SCHEMAS.get(t) as JsonSchema)]));
const CLASS_OF = new Map(Object.entries(TYPED_CONNECTION_CLASSES).map(([cls, type]) => [type, cls]));

// ---- planting ----

/** Sets `value` at a pattern's path in a configuration, creating missing objects and (one-item) arrays. */
function plant(config: Record<string, unknown>, keys: string[], value: (i: number) => string): number {
  const [head, ...rest] = keys as [string, ...string[]];
  const isArray = head.endsWith("[]");
  const key = isArray ? head.slice(0, -2) : head;
  if (!isArray) {
    if (rest.length === 0) {
      config[key] = value(0);
      return 1;
    }
    if (!isObject(config[key])) config[key] = {};
    return plant(config[key] as Record<string, unknown>, rest, value);
  }
  if (!Array.isArray(config[key]) || (config[key] as unknown[]).length === 0)
    config[key] = [rest.length ? {} : ""];
  const items = config[key] as unknown[];
  let n = 0;
  items.forEach((item, i) => {
    if (rest.length === 0) {
      items[i] = value(n++);
    } else {
      if (!isObject(item)) items[i] = {};
      n += plant(items[i] as Record<string, unknown>, rest, (j) => value(n + j));
    }
  });
  return n;
}

/** A camelCase configuration (as the typed classes take it) in the API's spelling, by the schema's keys. */
function toApiKeys(schema: JsonSchema, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (schema.items ? toApiKeys(schema.items, v) : v));
  if (!isObject(value) || schema.properties === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(schema.properties)) {
    const camel = camelizeKey(key);
    if (camel in value) out[key] = toApiKeys(sub, value[camel]);
  }
  return out;
}

interface Planted {
  type: string;
  camel: Record<string, unknown>;
  api: Record<string, unknown>;
  /** The planted values (what must never be seen in plaintext). */
  secrets: string[];
}

function plantAll(type: string): Planted {
  const schema = SCHEMAS.get(type) as JsonSchema;
  const camel = sampleConfiguration(type, schema).camel;
  const secrets: string[] = [];
  for (const { pattern, readOnly } of EXPECTED.get(type) ?? []) {
    if (readOnly) continue;
    const keys = pattern
      .split(".")
      .map((k) => (k.endsWith("[]") ? `${camelizeKey(k.slice(0, -2))}[]` : camelizeKey(k)));
    plant(camel, keys, (i) => {
      const marker = `plain-${type}-${pattern.replace(/[^a-z0-9]/gi, "-")}-${i}-c4e1`;
      secrets.push(marker);
      // GCS derives its identity from the key: a service-account JSON whose private key is the marker.
      if (type === "gcs" && pattern === "service_account") {
        return JSON.stringify({
          type: "service_account",
          project_id: "demo-project",
          private_key: marker,
          client_email: "bot@demo-project.iam.gserviceaccount.com",
        });
      }
      return marker;
    });
  }
  return { type, camel, api: toApiKeys(schema, camel) as Record<string, unknown>, secrets };
}

/** Whether a schema marks the value at a pattern `sensitive` itself. */
function markedSensitive(schema: JsonSchema, pattern: string): boolean {
  let node: JsonSchema | undefined = schema;
  for (const key of pattern.split(".")) {
    node = key.endsWith("[]") ? node?.properties?.[key.slice(0, -2)]?.items : node?.properties?.[key];
  }
  return node?.sensitive === true;
}

/**
 * The types also declared with the generic `Connection` class (API spelling): those whose schemas leave a
 * credential unmarked, and two whose schemas mark theirs. (Every type through `Connection` would double the
 * run time, spent serializing `__provider`, for the same list of paths.)
 */
const GENERIC_TYPES = new Set([
  ...TYPES.filter((t) =>
    (EXPECTED.get(t) ?? []).some((c) => !markedSensitive(SCHEMAS.get(t) as JsonSchema, c.pattern)),
  ),
  "gcs",
  "postgresql",
]);

const PLANTED = new Map(TYPES.map((t) => [t, plantAll(t)]));
const ALL_SECRETS = [...PLANTED.values()].flatMap((p) => p.secrets);
const leaked = (text: string) => ALL_SECRETS.filter((s) => text.includes(s));
const leakedIn = (value: unknown) =>
  leaked(typeof value === "string" ? value : (JSON.stringify(value) ?? ""));

// ---- the run: every class under Pulumi's mocks, then the providers ----

interface Registered {
  type: string;
  kind: string;
  name: string;
  inputs: Record<string, unknown>;
  additionalSecretOutputs: string[];
  resource: pulumi.CustomResource;
}

const registered = new Map<string, Registered>();
const secretOutputsByName = new Map<string, string[]>();
const logged: string[] = [];
const restore: (() => void)[] = [];
let emulator: RunningEmulator;
let echo: Server;
let echoUrl: string;
const echoed = new Set<string>();

/** Records every console call and every write to stdout and stderr from here on. */
function captureLogs(): void {
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10 }))).join(" "));
      original.apply(console, args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
}

/** A careless Polytomic: answers every request 422 quoting the whole request body and each planted value. */
function startEcho(): Promise<void> {
  echo = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const quoted = ALL_SECRETS.filter((s) => raw.includes(s));
      for (const s of quoted) echoed.add(s);
      res.writeHead(422, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          key: "validation_error",
          status: 422,
          message: `configuration rejected: ${quoted.join(" / ")} in ${raw}`,
          metadata: { body: raw, errors: quoted.map((v, i) => ({ path: `field${i}`, value: v })) },
        }),
      );
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
  captureLogs();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const kind = args.type.split(":").pop() ?? "";
        registered.set(args.name, {
          type: args.name.replace(/^(typed|generic)-/, ""),
          kind,
          name: args.name,
          inputs: args.inputs,
          additionalSecretOutputs: secretOutputsByName.get(args.name) ?? [],
          resource: undefined as never,
        });
        return { id: `${args.name}-id`, state: { ...args.inputs } };
      },
      call: (args) => args.inputs,
    },
    "credentials",
    "dev",
    false,
  );
  // The mock monitor does not pass resource options to the mocks: record additionalSecretOutputs on the way in.
  const monitor = (pulumi.runtime as unknown as { getMonitor(): any }).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: unknown) => {
    secretOutputsByName.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, callback);
  };

  const polytomic = (await import("../../src")) as unknown as Record<
    string,
    new (
      name: string,
      args: unknown,
    ) => pulumi.CustomResource
  >;
  const resources: [string, pulumi.CustomResource][] = [];
  for (const type of TYPES) {
    const planted = PLANTED.get(type) as Planted;
    const Typed = polytomic[CLASS_OF.get(type) ?? ""];
    if (Typed === undefined) throw new Error(`no class for ${type}`);
    resources.push([
      `typed-${type}`,
      new Typed(`typed-${type}`, { name: type, configuration: planted.camel }),
    ]);
    if (!GENERIC_TYPES.has(type)) continue;
    const Generic = polytomic.Connection as (typeof polytomic)[string];
    resources.push([
      `generic-${type}`,
      new Generic(`generic-${type}`, { name: type, type, configuration: planted.api }),
    ]);
  }
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  for (const [name, resource] of resources) {
    const r = registered.get(name);
    if (r === undefined) throw new Error(`${name} was not registered`);
    r.resource = resource;
    r.additionalSecretOutputs = secretOutputsByName.get(name) ?? [];
  }

  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0 });
  await startEcho();
}, 120_000);

afterAll(async () => {
  for (const r of restore.reverse()) r();
  echo?.close();
  await emulator?.close();
});

describe("credentials found from the property names", () => {
  it("are each among the type's secret paths", () => {
    expect(TYPES.length).toBe(226);
    const missing: string[] = [];
    for (const type of TYPES) {
      const secret = new Set(secretPathsForType(type, SCHEMAS.get(type) as JsonSchema));
      for (const { pattern } of EXPECTED.get(type) ?? []) {
        if (!secret.has(pattern)) missing.push(`${type}: ${pattern}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("include the unmarked HTTP auth values and are not a handful (the word list finds them)", () => {
    const patterns = (t: string) => (EXPECTED.get(t) ?? []).map((c) => c.pattern);
    for (const type of ["api", "csv", "httpenrichment"]) {
      expect(patterns(type)).toEqual(
        expect.arrayContaining([
          "auth.basic.password",
          "auth.header.value",
          "auth.query[].value",
          "auth.oauth.client_secret",
        ]),
      );
      // Free-form headers and the OAuth endpoint are not credentials.
      expect(patterns(type)).not.toContain("headers[].value");
      expect(patterns(type)).not.toContain("auth.oauth.token_endpoint");
    }
    expect(patterns("webhook")).toEqual(
      expect.arrayContaining(["basic.password", "header.value", "query[].value", "oauth.client_secret"]),
    );
    expect(patterns("gcs")).toEqual(["service_account"]);
    expect(patterns("gong")).not.toContain("access_key");
    expect([...GENERIC_TYPES].sort()).toEqual([
      "api",
      "csv",
      "gcs",
      "httpenrichment",
      "postgresql",
      "webhook",
    ]);
    const total = [...EXPECTED.values()].reduce((n, c) => n + c.length, 0);
    expect(total).toBeGreaterThan(250);
    // A distinct value planted at every settable one.
    expect(new Set(ALL_SECRETS).size).toBe(ALL_SECRETS.length);
    expect(ALL_SECRETS.length).toBeGreaterThan(250);
  });
});

/** Every string-valued path pattern of a schema. */
function stringPaths(schema: JsonSchema): string[] {
  const out: string[] = [];
  const walk = (node: JsonSchema, prefix: string) => {
    for (const [key, sub] of Object.entries(node.properties ?? {})) {
      const here = prefix === "" ? key : `${prefix}.${key}`;
      if (sub.properties === undefined && sub.items === undefined) out.push(here);
      walk(sub, here);
    }
    if (node.items !== undefined) {
      if (node.items.properties === undefined) out.push(`${prefix}[]`);
      walk(node.items, `${prefix}[]`);
    }
  };
  walk(schema, "");
  return out;
}

// The reviewed data file is checked for staleness only: the expected secrets above never come from it.
describe("the reviewed list (src/connection-types/extra-secrets.ts)", () => {
  it("names existing string values the schemas leave unmarked, each with a reason", () => {
    const problems: string[] = [];
    for (const [type, entries] of Object.entries(EXTRA_SECRETS)) {
      const schema = SCHEMAS.get(type);
      if (schema === undefined) {
        problems.push(`${type}: no such type`);
        continue;
      }
      const paths = new Set(stringPaths(schema));
      for (const { path: p, reason } of entries) {
        if (!paths.has(p)) problems.push(`${type}: ${p} is not a value of the schema`);
        if (markedSensitive(schema, p)) problems.push(`${type}: ${p} is marked sensitive already`);
        if (reason.trim().length < 10) problems.push(`${type}: ${p} has no reason`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("lists as not secret only values that exist, unmarked and not made secret, each with a reason", () => {
    const problems: string[] = [];
    for (const { name, types, reason } of NOT_SECRETS) {
      if (reason.trim().length < 10) problems.push(`${name}: no reason`);
      for (const type of types) {
        const schema = SCHEMAS.get(type);
        const matching = schema
          ? stringPaths(schema).filter((p) => p === name || p.endsWith(`.${name}`))
          : [];
        if (schema === undefined || matching.length === 0) problems.push(`${type}: has no ${name}`);
        const secret = new Set(secretPathsForType(type, schema ?? {}));
        for (const p of matching) if (secret.has(p)) problems.push(`${type}: ${p} is a secret`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("planted as plain strings, no credential reaches plaintext", () => {
  it("in the inputs each class registers, nor in __provider", () => {
    expect(registered.size).toBe(TYPES.length + GENERIC_TYPES.size);
    for (const r of registered.values()) {
      const { secretPaths } = unwrapSecrets(r.inputs);
      const leaks = plaintextLeaves(r.inputs, secretPaths, []).filter(
        ([, v]) => typeof v === "string" && leaked(v).length > 0,
      );
      expect(leaks, r.name).toEqual([]);
      expect(typeof r.inputs.__provider, r.name).toBe("string");
      expect(leaked(r.inputs.__provider as string), r.name).toEqual([]);
      // Not vacuous: the planted values are in the registered inputs, under secret marks.
      const own = PLANTED.get(r.type)?.secrets ?? [];
      const all = JSON.stringify(unwrapSecrets(r.inputs).value);
      for (const s of own) expect(all, r.name).toContain(s);
      if (own.length > 0) expect(r.additionalSecretOutputs, r.name).toContain("configuration");
    }
  });

  it("in the Outputs of the resource objects", async () => {
    for (const r of registered.values()) {
      for (const [key, value] of Object.entries(r.resource)) {
        if (!pulumi.Output.isInstance(value)) continue;
        const output = value as pulumi.Output<unknown>;
        if (await pulumi.isSecret(output)) continue;
        const resolved = await new Promise((resolve) => output.apply(resolve));
        expect(leakedIn(resolved), `${r.name}.${key}`).toEqual([]);
      }
    }
  });

  it("in the outputs the engine would store after create and read against the emulator", async () => {
    for (const r of registered.values()) {
      const { value, secretPaths } = unwrapSecrets(r.inputs);
      const inputs = value as ConnectionInputs;
      const p = providerFor(r.kind, { apiKey: API_KEY, deploymentUrl: emulator.url });
      const { id, outs } = await p.create(inputs);
      const stored = JSON.stringify(emulator.state.connections.get(id)?.configuration);
      for (const s of PLANTED.get(r.type)?.secrets ?? []) expect(stored, r.name).toContain(s);
      const read = await p.read(id, outs);
      for (const [label, props] of [
        ["create", outs],
        ["read", read.props],
        ["read inputs", read.inputs],
      ] as const) {
        const leaks = plaintextLeaves(props, secretPaths, r.additionalSecretOutputs).filter(
          ([, v]) => typeof v === "string" && leaked(v).length > 0,
        );
        expect(leaks, `${r.name} ${label}`).toEqual([]);
      }
      await p.delete(id, outs);
    }
  }, 60_000);

  it("in error messages, when the server echoes the whole request", async () => {
    let failures = 0;
    for (const r of registered.values()) {
      const inputs = unwrapSecrets(r.inputs).value as ConnectionInputs;
      const p = providerFor(r.kind, { apiKey: API_KEY, deploymentUrl: echoUrl });
      const errors = [
        await p.create(inputs).catch((e: unknown) => e),
        await p.update("some-id", { ...inputs, name: "before" } as never, inputs).catch((e: unknown) => e),
      ];
      for (const error of errors) {
        expect(error, r.name).toBeInstanceOf(Error);
        const message = (error as Error).message;
        expect(message, r.name).toMatch(/failed \(422\)/);
        expect(leaked(message), `${r.name}: ${message}`).toEqual([]);
        expect(leaked(inspect(error, { depth: 20 })), r.name).toEqual([]);
        failures++;
      }
    }
    expect(failures).toBe(2 * registered.size);
    // Not vacuous: the server did quote every planted value.
    expect(ALL_SECRETS.filter((s) => !echoed.has(s))).toEqual([]);
  }, 60_000);

  it("in any log line", () => {
    expect(logged.flatMap(leaked)).toEqual([]);
  });
});
