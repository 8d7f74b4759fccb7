import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listConnectionTypes, loadConnectionSchema } from "../../src/connection-types/registry";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { TYPED_CONNECTION_CLASSES } from "../../src/generated/connection-kinds";
import { ConnectionProvider } from "../../src/providers/connection-provider";
import type { ConnectionInputs, ConnectionKind } from "../../src/providers/connection-spec";
import { connectionSecretOutputs } from "../../src/resources/connection-base";
import { plaintextLeaves } from "../helpers/engine";
import { API_KEY } from "../helpers/fixtures";
import { ROOT } from "../helpers/packed-package";
import { firstEnumKey, firstRequiredKey, sampleConfiguration } from "../helpers/samples";

const TYPES = listConnectionTypes().map((t) => t.id);
const CLASS_OF = new Map(Object.entries(TYPED_CONNECTION_CLASSES).map(([cls, type]) => [type, cls]));

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0 });
});
afterAll(() => emulator.close());

const kindOf = (type: string): ConnectionKind => ({
  className: CLASS_OF.get(type) ?? "",
  fixedType: type,
  casing: "camel",
});
const provider = (type: string) =>
  new ConnectionProvider(kindOf(type), { apiKey: API_KEY, deploymentUrl: emulator.url });

describe("generated classes", () => {
  it("cover every connection type, each with its own class", () => {
    expect(TYPES.length).toBe(226);
    expect(CLASS_OF.size).toBe(226);
    expect(CLASS_OF.get("postgresql")).toBe("PostgresqlConnection");
    expect(CLASS_OF.get("gcs")).toBe("GcsConnection");
    expect(CLASS_OF.get("amazon_selling_partner")).toBe("AmazonSellingPartnerConnection");
  });

  it("are up to date with the schemas (regenerating changes nothing)", () => {
    const script = path.join(ROOT, "scripts", "generate-connection-types.js");
    expect(() =>
      execFileSync(process.execPath, [script, "--check"], { cwd: ROOT, stdio: "pipe" }),
    ).not.toThrow();
  });
});

describe.each(TYPES)("%s", (type) => {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) throw new Error(`no schema for ${type}`);
  const { camel, secrets } = sampleConfiguration(type, schema);
  const inputs: ConnectionInputs = { name: `sample ${type}`, configuration: camel };

  it("a valid sample passes check; a missing required field and a wrong enum value fail, named", async () => {
    const p = provider(type);
    expect((await p.check(inputs, inputs)).failures).toBeUndefined();
    const required = firstRequiredKey(schema);
    if (required !== undefined) {
      const { [required]: _, ...rest } = camel;
      const r = await p.check(inputs, { ...inputs, configuration: rest });
      expect(r.failures).toContainEqual({
        property: `configuration.${required}`,
        reason: `configuration.${required} is required`,
      });
    }
    const enumKey = firstEnumKey(schema);
    if (enumKey !== undefined) {
      const r = await p.check(inputs, { ...inputs, configuration: { ...camel, [enumKey]: "not-a-value" } });
      expect(r.failures?.map((f) => f.property)).toContain(`configuration.${enumKey}`);
    }
    const r = await p.check(inputs, { ...inputs, configuration: { ...camel, notAKey: 1 } });
    expect(r.failures).toEqual([
      { property: "configuration.notAKey", reason: "configuration.notAKey is not a known property" },
    ]);
  });

  it("round-trips against the emulator: create, read, then no diff; secrets only in secret outputs", async () => {
    const p = provider(type);
    const { id, outs } = await p.create(inputs);
    expect(await p.diff(id, outs, inputs)).toMatchObject({ changes: false });
    const read = await p.read(id, outs);
    expect(read.id).toBe(id);
    expect(await p.diff(id, read.props as never, inputs)).toMatchObject({ changes: false });
    const secretOutputs = connectionSecretOutputs(type, "camel");
    if (secrets.length > 0) expect(secretOutputs).toContain("configuration");
    for (const props of [outs, read.props]) {
      const leaks = plaintextLeaves(props, [], secretOutputs).filter(
        ([, v]) => typeof v === "string" && secrets.some((s) => v.includes(s)),
      );
      expect(leaks).toEqual([]);
    }
    await p.delete(id, outs);
  });
});
