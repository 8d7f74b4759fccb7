import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { installProgram, LOWEST_PULUMI_VERSION, packedTarball, RUN_DIR } from "../helpers/packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "../helpers/provider-server";
import { API_KEY } from "../helpers/sa";

/**
 * The peer range's floor, exercised: a program folder with the package and the lowest `@pulumi/pulumi` the range
 * allows, whose own dynamic-provider server runs one connection through create, read, diff and delete (the rest
 * of test/grpc runs against the version this repository develops with).
 */

const DIR = path.join(RUN_DIR, `program-pulumi-${LOWEST_PULUMI_VERSION}`);
const URN = "urn:pulumi:dev::seed::pulumi-nodejs:dynamic/polytomic:WebhookConnection::hook";

let emulator: RunningEmulator;
let server: ProviderServer;
let provider: string;

/** The `__provider` text as that version's `dynamic.Resource` writes it, serialized in the program folder. */
function serializeThere(kind: string): string {
  const script = `
    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));
    const { PolytomicForwarder } = require(${JSON.stringify(
      path.join(DIR, "node_modules", "pulumi-polytomic", "dist", "providers", "forwarder.js"),
    )});
    const provider = new PolytomicForwarder(${JSON.stringify(kind)});
    pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((s) => process.stdout.write(s.text));`;
  return execFileSync(process.execPath, ["-e", script], { cwd: DIR, encoding: "utf8" });
}

beforeAll(async () => {
  const ms = installProgram(DIR, [packedTarball(), `@pulumi/pulumi@${LOWEST_PULUMI_VERSION}`]);
  console.log(
    `[lowest-pulumi] installed @pulumi/pulumi@${LOWEST_PULUMI_VERSION} with the package in ${ms} ms`,
  );
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 100 });
  provider = serializeThere("WebhookConnection");
  server = await startProviderServer(DIR, "seed", { POLYTOMIC_API_KEY: "" });
  await server.configure({
    "polytomic:apiKey": secretWire(API_KEY),
    "polytomic:deploymentUrl": emulator.url,
  });
});

afterAll(async () => {
  server?.close();
  await emulator?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

describe(`@pulumi/pulumi ${LOWEST_PULUMI_VERSION}, the lowest the peer range allows`, () => {
  it("is the version installed, and the one whose provider server runs", () => {
    const installed = path.join(DIR, "node_modules", "@pulumi", "pulumi");
    expect(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version).toBe(
      LOWEST_PULUMI_VERSION,
    );
    const cmdline = fs.readFileSync(`/proc/${server.pid}/cmdline`, "utf8").split("\0");
    expect(cmdline[1]).toBe(path.join(installed, "cmd", "dynamic-provider", "index.js"));
    expect(provider).toContain('require("pulumi-polytomic/provider")');
  });

  it("runs a connection through check, create, read, diff and delete", async () => {
    const news = {
      name: "hook on the lowest pulumi",
      configuration: { url: "https://example.com/hook" },
      __provider: provider,
    };
    const checked = await server.check(URN, {}, news);
    expect(checked.failures).toEqual([]);
    const created = await server.create(URN, checked.inputs);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.props).toMatchObject({ name: news.name, type: "webhook", __provider: provider });
    expect(emulator.state.connections.get(created.id)?.name).toBe(news.name);

    const read = await server.read(URN, created.id, created.props, news);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ name: news.name, configuration: { url: "https://example.com/hook" } });
    expect(await server.diff(URN, created.id, read.props, news)).toMatchObject({ changes: 1, replaces: [] });
    expect(await server.diff(URN, created.id, read.props, { ...news, name: "renamed" })).toMatchObject({
      changes: 2,
    });

    await server.delete(URN, created.id, read.props);
    expect(emulator.state.connections.has(created.id)).toBe(false);
  });
});
