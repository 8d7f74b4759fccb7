import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolytomicClient, type RequestLogEntry } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { PROGRAM_DIR } from "../helpers/packed-package";
import { type GrpcFailure, secretWire, startProviderServer } from "../helpers/provider-server";
import { serializedProvider } from "../helpers/serialize";
import { API_KEY, inputs, type Json } from "./support";

/**
 * R7 Bad credentials: a 401 or 403 gives one clear error that names the setting to fix (`polytomic:apiKey` and
 * POLYTOMIC_API_KEY), after exactly one request: never retried. For every kind and every operation that talks to
 * Polytomic (create, read, update, delete), in-process and through the real provider server. A missing key fails
 * before any request.
 */

const WRONG_KEY = "r7-wrong-key-61b2c0";
const KINDS = ["Connection", "GcsConnection", "WebhookConnection", "Model", "Sync"] as const;
type Kind = (typeof KINDS)[number];
const OPERATIONS = ["create", "read", "update", "delete"] as const;

let emulator: RunningEmulator;
/** One live object per kind, made with the right key: what read, update and delete aim at. */
const existing = {} as Record<Kind, { id: string; props: Json; news: Json }>;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0 });
  const good = (kind: Kind) => providerFor(kind, { apiKey: API_KEY, deploymentUrl: emulator.url });
  const make = async (kind: Kind, news: Json) => {
    const { id, outs } = await good(kind).create(news as never);
    existing[kind] = { id, props: outs as Json, news };
  };
  await make("GcsConnection", inputs.gcs("r7 gcs"));
  await make("WebhookConnection", inputs.webhook("r7 hook"));
  await make("Connection", inputs.generic("r7 generic"));
  await make("Model", inputs.model("r7 model", existing.GcsConnection.id));
  await make("Sync", inputs.sync("r7 sync", existing.Model.id, existing.WebhookConnection.id));
});
afterAll(() => emulator?.close());

/** Runs one operation; the props carry another name so that update has something to send. */
function run(kind: Kind, operation: (typeof OPERATIONS)[number], apiKey: string | undefined) {
  const p = providerFor(kind, { apiKey, deploymentUrl: emulator.url });
  const { id, props, news } = existing[kind];
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
async function attempt(kind: Kind, operation: (typeof OPERATIONS)[number], apiKey: string | undefined) {
  const before = emulator.requests.length;
  const error = (await run(kind, operation, apiKey).then(
    () => undefined,
    (e: unknown) => e,
  )) as Error | undefined;
  return { error, requests: emulator.requests.slice(before) };
}

function expectClear(error: Error | undefined, status: 401 | 403) {
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toMatch(
    status === 401
      ? /Polytomic rejected the API key \(401 from /
      : /Polytomic refused access with this API key \(403 from /,
  );
  expect(message).toContain("pulumi config set --secret polytomic:apiKey");
  expect(message).toContain("POLYTOMIC_API_KEY");
  expect(message).not.toContain(WRONG_KEY);
  expect(message).not.toContain(API_KEY);
}

describe("R7: bad credentials", () => {
  const cases = KINDS.flatMap((kind) => OPERATIONS.map((operation) => [kind, operation] as const));

  it.each(cases)(
    "401 (wrong key): %s %s fails clearly after exactly one request",
    async (kind, operation) => {
      const { error, requests } = await attempt(kind, operation, WRONG_KEY);
      expectClear(error, 401);
      expect(requests.map((r) => r.status)).toEqual([401]);
    },
  );

  it.each(cases)(
    "403 (access refused): %s %s fails clearly after exactly one request",
    async (kind, operation) => {
      emulator.addFault({ kind: "status", status: 403, times: 1 });
      const { error, requests } = await attempt(kind, operation, API_KEY);
      emulator.clearFaults();
      expectClear(error, 403);
      expect(requests.map((r) => r.status)).toEqual([403]);
    },
  );

  it.each(cases)(
    "no key at all: %s %s fails before any request, naming both ways to set one",
    async (kind, operation) => {
      const saved = process.env.POLYTOMIC_API_KEY;
      delete process.env.POLYTOMIC_API_KEY;
      try {
        const { error, requests } = await attempt(kind, operation, undefined);
        expect(error?.message).toContain("No Polytomic API key is configured");
        expect(error?.message).toContain("polytomic:apiKey");
        expect(error?.message).toContain("POLYTOMIC_API_KEY");
        expect(requests).toEqual([]);
      } finally {
        if (saved !== undefined) process.env.POLYTOMIC_API_KEY = saved;
      }
    },
  );

  it("the client's own request log shows one attempt for a 401 and for a 403, and no retry planned", async () => {
    const log: RequestLogEntry[] = [];
    const client = (key: string) =>
      new PolytomicClient({ apiKey: key, deploymentUrl: emulator.url, onRequest: (e) => log.push(e) });
    await expect(client(WRONG_KEY).connections.get(existing.WebhookConnection.id)).rejects.toMatchObject({
      status: 401,
    });
    emulator.addFault({ kind: "status", status: 403, times: 1 });
    await expect(client(API_KEY).models.get(existing.Model.id)).rejects.toMatchObject({ status: 403 });
    emulator.clearFaults();
    expect(log.map((e) => [e.status, e.attempt, e.retryInMs])).toEqual([
      [401, 1, undefined],
      [403, 1, undefined],
    ]);
  });

  it("through the provider server: every operation with a wrong key fails clearly after one request", async () => {
    const server = await startProviderServer(PROGRAM_DIR, "r7", { POLYTOMIC_API_KEY: "" });
    try {
      await server.configure({
        "polytomic:apiKey": secretWire(WRONG_KEY),
        "polytomic:deploymentUrl": emulator.url,
      });
      for (const kind of ["WebhookConnection", "Sync"] as const) {
        const u = `urn:pulumi:dev::r7::pulumi-nodejs:dynamic/polytomic:${kind}::x`;
        const provider = await serializedProvider(kind);
        const { id, props, news } = existing[kind];
        const withProvider = { ...props, __provider: provider };
        const renamed = { ...news, name: "renamed", __provider: provider };
        const calls: [string, () => Promise<unknown>][] = [
          ["create", () => server.create(u, renamed)],
          ["read", () => server.read(u, id, withProvider, renamed)],
          ["update", () => server.update(u, id, withProvider, renamed)],
          ["delete", () => server.delete(u, id, withProvider)],
        ];
        for (const [operation, call] of calls) {
          const before = emulator.requests.length;
          const failure = (await call().then(
            () => undefined,
            (e: unknown) => e,
          )) as GrpcFailure | undefined;
          expect(failure?.details, `${kind} ${operation}`).toMatch(
            /Polytomic rejected the API key \(401 from /,
          );
          expect(failure?.details).toContain("polytomic:apiKey");
          expect(failure?.details).not.toContain(WRONG_KEY);
          expect(emulator.requests.length - before, `${kind} ${operation}`).toBe(1);
        }
      }
      expect(server.stderr.join("") + server.stdout.join("")).not.toContain(WRONG_KEY);
    } finally {
      server.close();
    }
  });
});
