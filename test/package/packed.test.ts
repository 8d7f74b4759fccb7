import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROGRAM_DIR, ROOT } from "../helpers/packed-package";

/** The published shape: the `npm pack` tarball installed into a fresh folder, used the way a program uses it. */

const node = (script: string) =>
  execFileSync(process.execPath, ["-e", script], { cwd: PROGRAM_DIR, encoding: "utf8", env: process.env });

describe("the packed package", () => {
  it("is required from a fresh program folder (CommonJS, as ts-node runs Pulumi programs)", () => {
    const exported = JSON.parse(
      node('console.log(JSON.stringify(Object.keys(require("pulumi-polytomic")).sort()))'),
    );
    expect(exported).toEqual(
      expect.arrayContaining([
        "Connection",
        "GcsConnection",
        "WebhookConnection",
        "Model",
        "Sync",
        "PolytomicClient",
      ]),
    );
    expect(node('console.log(typeof require("pulumi-polytomic/provider").providerFor)').trim()).toBe(
      "function",
    );
    expect(node('console.log(typeof require("pulumi-polytomic/emulator").startEmulator)').trim()).toBe(
      "function",
    );
  });

  it("loads lazily: a program that only declares resources never loads the HTTP client, undici or zod", () => {
    const loaded = node(
      'require("pulumi-polytomic"); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /[\\/](undici|zod)[\\/]|[\\/]dist[\\/]client[\\/]/.test(k))))',
    );
    expect(JSON.parse(loaded)).toEqual([]);
    expect(node('console.log(typeof require("pulumi-polytomic").PolytomicClient)').trim()).toBe("function");
  });

  it("type-checks a TypeScript program against its .d.ts files, and rejects a wrong key", () => {
    const dir = path.join(PROGRAM_DIR, "typed");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import * as polytomic from "pulumi-polytomic";',
        "const config = new pulumi.Config();",
        'const gcs = new polytomic.GcsConnection("gcs", {',
        '  name: "bucket",',
        '  configuration: { bucket: "b", serviceAccount: config.requireSecret("sa"), csvHasHeaders: true },',
        "});",
        'const model = new polytomic.Model("m", { name: "m", connectionId: gcs.id, configuration: { key: "x.csv" } });',
        "export const names: pulumi.Output<string[]> = model.fieldNames;",
        "// @ts-expect-error: `bukket` is not a GCS configuration key",
        'new polytomic.GcsConnection("bad", { name: "x", configuration: { bukket: "b", serviceAccount: "{}" } });',
        "// @ts-expect-error: the schedule frequency is an enum",
        'new polytomic.Sync("s", { name: "s", mode: "create", fields: [], target: { connectionId: "c" }, schedule: { frequency: "sometimes" } });',
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "commonjs",
          target: "ES2022",
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["index.ts"],
      }),
    );
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const run = () => execFileSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8" });
    expect(run).not.toThrow();
  });

  it("ships only dist, bin, data and the README", () => {
    const pkg = path.join(PROGRAM_DIR, "node_modules", "pulumi-polytomic");
    expect(fs.readdirSync(pkg).sort()).toEqual(["README.md", "bin", "data", "dist", "package.json"].sort());
    expect(fs.existsSync(path.join(pkg, "dist", "index.d.ts"))).toBe(true);
  });
});
