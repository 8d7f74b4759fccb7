import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/packed-package";

/** scripts/require-node.js: what a newcomer on an older Node sees from `npm test` and `npm run demo`. */

const SCRIPT = path.join(ROOT, "scripts", "require-node.js");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const required = pkg.engines.node;
const major = Number(/(\d+)\./.exec(required)?.[1]);

function guard(node: string, env: Record<string, string | undefined> = {}) {
  const base = { ...process.env };
  delete base.REQUIRE_NODE_PRETEND_VERSION;
  delete base.npm_lifecycle_event;
  const started = Date.now();
  const run = spawnSync(node, [SCRIPT], { cwd: ROOT, encoding: "utf8", env: { ...base, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

/** A `node` older than the required major on PATH or in the usual system places (Node 20 is common), if any. */
function olderNode(): { bin: string; version: string } | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin"];
  for (const dir of dirs) {
    const bin = path.join(dir, "node");
    if (dir === "" || !fs.existsSync(bin)) continue;
    try {
      const version = execFileSync(bin, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
      if (Number(version.split(".")[0]) < major) return { bin, version };
    } catch {
      // not a runnable node
    }
  }
  return undefined;
}

describe("the Node version guard", () => {
  it("runs first in `npm test`, `npm run demo` and `npm run bench`", () => {
    for (const script of ["test", "demo", "bench"])
      expect(pkg.scripts[script]).toMatch(/^node scripts\/require-node\.js && /);
  });

  it("lets the required Node (this one) through silently", () => {
    expect(guard(process.execPath)).toMatchObject({ status: 0, stdout: "", stderr: "" });
  });

  it("stops an older Node with one line: the required version and the command that fixes it", () => {
    const run = guard(process.execPath, {
      REQUIRE_NODE_PRETEND_VERSION: "20.11.0",
      npm_lifecycle_event: "test",
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      `pulumi-polytomic needs Node ${required} (this is Node 20.11.0): run \`npx -y -p node@${major} npm test\`, ` +
        `or install Node ${major} (e.g. \`nvm install ${major}\`).`,
    ]);
  });

  it("names the npm script it guards, and compares the patch level too", () => {
    const demo = guard(process.execPath, {
      REQUIRE_NODE_PRETEND_VERSION: "v18.0.0",
      npm_lifecycle_event: "demo",
    });
    expect(demo.status).toBe(1);
    expect(demo.stderr).toContain(`\`npx -y -p node@${major} npm run demo\``);
    const [, minor, patch] = required
      .replace(/^>=\s*/, "")
      .split(".")
      .map(Number) as [number, number, number];
    const justBelow = patch > 0 ? `${major}.${minor}.${patch - 1}` : `${major}.${minor - 1}.99`;
    expect(guard(process.execPath, { REQUIRE_NODE_PRETEND_VERSION: justBelow }).status).toBe(1);
    expect(
      guard(process.execPath, { REQUIRE_NODE_PRETEND_VERSION: `${major}.${minor}.${patch}` }).status,
    ).toBe(0);
  });

  const older = olderNode();
  it.skipIf(older === undefined)(
    `stops a real older Node (${older?.bin} ${older?.version}) within a second`,
    () => {
      const run = guard((older as { bin: string }).bin, { npm_lifecycle_event: "test" });
      expect(run.status).toBe(1);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain(`needs Node ${required} (this is Node ${older?.version})`);
      expect(run.ms).toBeLessThan(1000);
    },
  );
});
