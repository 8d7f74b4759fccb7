import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient, type RequestLogEntry } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { PARTNER_KEY } from "../helpers/fixtures";
import type { GrpcFailure } from "../helpers/provider-server";
import { serializedProviders } from "../helpers/serialized-providers";
import { type Lanes, startLanes } from "../helpers/server-lanes";
import { creationOrder, findSample, KIND_NAMES, sampleFor } from "../kinds/samples";
import { API_KEY, type Json } from "./support";

/**
 * R7 Bad credentials: a 401 or 403 gives one clear error that names the setting to fix (`polytomic:apiKey` and
 * POLYTOMIC_API_KEY; `polytomic:partnerKey` and POLYTOMIC_PARTNER_KEY for the kinds that take the partner key),
 * after exactly one request: never retried. For every kind of the kinds table (src/kinds.ts),
 * with its samples (test/kinds/samples.ts), and every operation that talks to Polytomic (create, read, update,
 * delete), in-process and through the real provider server. A missing key fails before any request.
 */

const WRONG_KEY = "r7-wrong-key-61b2c0";
const OPERATIONS = ["create", "read", "update", "delete"] as const;
type Operation = (typeof OPERATIONS)[number];
const LANES = 4;

let emulator: RunningEmulator;
/** One live object per kind, made with the right key: what read, update and delete aim at. */
const existing: Record<string, { id: string; props: Json; news: Json }> = {};

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], partnerKeys: [PARTNER_KEY], schemaReadyDelayMs: 0 });
  const config = { apiKey: API_KEY, partnerKey: PARTNER_KEY, deploymentUrl: emulator.url };
  // Dependencies first; a kind without samples is left out here and fails its own tests.
  for (const kind of creationOrder()) {
    const sample = findSample(kind);
    if (sample === undefined) continue;
    const deps = Object.fromEntries(sample.dependsOn.map((d) => [d, existing[d]?.id ?? ""]));
    const news = sample.inputs(`r7 ${kind}`, deps);
    const { id, outs } = await providerFor(kind, config).create(news as never);
    existing[kind] = { id, props: outs as Json, news };
  }
}, 120_000);
afterAll(() => emulator?.close());

/** The live object of a kind (failing, naming the kind, when it has no samples). */
function objectOf(kind: string) {
  sampleFor(kind);
  return existing[kind] as { id: string; props: Json; news: Json };
}

/** The setting a kind's calls take (`apiKey`, or `partnerKey` for organizations and users' API keys). */
const keyOf = (kind: string) => sampleFor(kind).key ?? "apiKey";
/** The right key of that setting. */
const goodKey = (kind: string) => (keyOf(kind) === "partnerKey" ? PARTNER_KEY : API_KEY);
/** How messages name the key, and where it is set. */
const KEY_TEXT = {
  apiKey: { noun: "API key", config: "polytomic:apiKey", env: "POLYTOMIC_API_KEY" },
  partnerKey: { noun: "partner key", config: "polytomic:partnerKey", env: "POLYTOMIC_PARTNER_KEY" },
} as const;

/** Runs one operation; the props carry another name so that update has something to send. */
function run(kind: string, operation: Operation, key: string | undefined) {
  const p = providerFor(kind, { [keyOf(kind)]: key, deploymentUrl: emulator.url });
  const { id, props, news } = objectOf(kind);
  const renamed = { ...news, name: `${String(news.name)} renamed` };
  switch (operation) {
    case "create":
      return p.create(renamed as never);
    case "read":
      return p.read(id, props as never);
    case "update":
      return p.update(id, props as never, renamed as never);
    case "delete":
      return p.delete(id, props as never);
  }
}

/** The operation's error and the requests it made. */
async function attempt(kind: string, operation: Operation, apiKey: string | undefined) {
  const before = emulator.requests.length;
  const error = (await run(kind, operation, apiKey).then(
    () => undefined,
    (e: unknown) => e,
  )) as Error | undefined;
  return { error, requests: emulator.requests.slice(before) };
}

function expectClear(error: Error | undefined, status: 401 | 403, operation: string, kind: string) {
  expect(error, operation).toBeInstanceOf(Error);
  const message = (error as Error).message;
  const { noun, config, env } = KEY_TEXT[keyOf(kind)];
  expect(message).toContain(
    status === 401
      ? `Polytomic rejected the ${noun} (401 from `
      : `Polytomic refused access with this ${noun} (403 from `,
  );
  expect(message).toContain(`pulumi config set --secret ${config}`);
  expect(message).toContain(env);
  expect(message).not.toContain(WRONG_KEY);
  expect(message).not.toContain(API_KEY);
  expect(message).not.toContain(PARTNER_KEY);
}

describe("R7: bad credentials", () => {
  it.each(KIND_NAMES)(
    "401 (wrong key): %s create, read, update and delete each fail clearly after exactly one request",
    async (kind) => {
      for (const operation of OPERATIONS) {
        const { error, requests } = await attempt(kind, operation, WRONG_KEY);
        expectClear(error, 401, operation, kind);
        expect(
          requests.map((r) => r.status),
          operation,
        ).toEqual([401]);
      }
    },
  );

  it.each(KIND_NAMES)(
    "403 (access refused): %s create, read, update and delete each fail clearly after exactly one request",
    async (kind) => {
      for (const operation of OPERATIONS) {
        emulator.addFault({ kind: "status", status: 403, times: 1 });
        const { error, requests } = await attempt(kind, operation, goodKey(kind)).finally(() =>
          emulator.clearFaults(),
        );
        expectClear(error, 403, operation, kind);
        expect(
          requests.map((r) => r.status),
          operation,
        ).toEqual([403]);
      }
    },
  );

  it.each(KIND_NAMES)(
    "no key at all: %s create, read, update and delete each fail before any request, naming both ways to set one",
    async (kind) => {
      const saved = process.env.POLYTOMIC_API_KEY;
      delete process.env.POLYTOMIC_API_KEY;
      try {
        for (const operation of OPERATIONS) {
          const { error, requests } = await attempt(kind, operation, undefined);
          expect(error?.message, operation).toContain("No Polytomic API key is configured");
          expect(error?.message, operation).toContain("polytomic:apiKey");
          expect(error?.message, operation).toContain("POLYTOMIC_API_KEY");
          expect(requests, operation).toEqual([]);
        }
      } finally {
        if (saved !== undefined) process.env.POLYTOMIC_API_KEY = saved;
      }
    },
  );

  it("the client's own request log shows one attempt for a 401 and for a 403, and no retry planned", async () => {
    const log: RequestLogEntry[] = [];
    const client = (key: string) =>
      new PolytomicClient({ apiKey: key, deploymentUrl: emulator.url, onRequest: (e) => log.push(e) });
    await expect(client(WRONG_KEY).connections.get(objectOf("WebhookConnection").id)).rejects.toMatchObject({
      status: 401,
    });
    emulator.addFault({ kind: "status", status: 403, times: 1 });
    await expect(client(API_KEY).models.get(objectOf("Model").id)).rejects.toMatchObject({ status: 403 });
    emulator.clearFaults();
    expect(log.map((e) => [e.status, e.attempt, e.retryInMs])).toEqual([
      [401, 1, undefined],
      [403, 1, undefined],
    ]);
  });
});

/**
 * Through the provider server, configured with a wrong key: four emulator + server lanes, each kind on a lane of
 * its own, each with the kind's object made there with the right key.
 */
describe("R7 through the provider server", () => {
  let lanes: Lanes;
  let providers: Record<string, string>;
  beforeAll(async () => {
    providers = await serializedProviders(KIND_NAMES);
    lanes = await startLanes(LANES, {
      project: "r7",
      emulator: { schemaReadyDelayMs: 0 },
      serverKey: WRONG_KEY,
      serverPartnerKey: WRONG_KEY,
    });
  }, 120_000);
  afterAll(async () => {
    await lanes?.close();
  });

  it.concurrent.for(KIND_NAMES)(
    "%s: every operation with a wrong key fails clearly after one request",
    async (kind, { expect }) => {
      const sample = sampleFor(kind);
      await lanes.use(async ({ server, emulator, api, dependencies }) => {
        const deps = await dependencies(kind);
        const news = { ...sample.inputs(`r7 ${kind}`, deps), __provider: providers[kind] };
        const { id } = await sample.api(api).create(sample.body(`r7 ${kind}`, deps));
        const u = `urn:pulumi:dev::r7::pulumi-nodejs:dynamic/polytomic:${kind}::x`;
        // (What the engine recorded matters not: the key is refused before anything is looked at.)
        const props = news;
        const renamed = { ...news, name: "renamed" };
        const calls: [Operation, () => Promise<unknown>][] = [
          ["create", () => server.create(u, renamed)],
          ["read", () => server.read(u, id, props, renamed)],
          ["update", () => server.update(u, id, props, renamed)],
          ["delete", () => server.delete(u, id, props)],
        ];
        for (const [operation, call] of calls) {
          const before = emulator.requests.length;
          const failure = (await call().then(
            () => undefined,
            (e: unknown) => e,
          )) as GrpcFailure | undefined;
          const { noun, config } = KEY_TEXT[keyOf(kind)];
          expect(failure?.details, operation).toContain(`Polytomic rejected the ${noun} (401 from `);
          expect(failure?.details, operation).toContain(config);
          expect(failure?.details, operation).not.toContain(WRONG_KEY);
          expect(
            emulator.requests.slice(before).map((r) => r.status),
            operation,
          ).toEqual([401]);
        }
      });
    },
  );

  it("no server printed the wrong key", () => {
    for (const { server } of lanes.all) {
      expect(server.stderr.join("") + server.stdout.join("")).not.toContain(WRONG_KEY);
    }
  });
});
