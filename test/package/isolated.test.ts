import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installProgram, PROGRAM_DIR, PULUMI_VERSION, pack, ROOT, RUN_DIR } from "../helpers/packed-package";

/**
 * The program folders are installed as a user installs the package, away from this repository: what the package
 * needs at run time must come from its own `package.json`, never from the repository's `node_modules`.
 */

const NO_ZOD = path.join(RUN_DIR, "no-zod");
/** The same folder, copied inside the repository: the layout these tests used to have. */
const INSIDE_REPO = path.join(ROOT, ".tmp", `no-zod-${process.pid}`);

afterAll(() => {
  fs.rmSync(NO_ZOD, { recursive: true, force: true });
  fs.rmSync(INSIDE_REPO, { recursive: true, force: true });
});

/** Runs `node -e script` in `cwd` and returns its exit status and output. */
const node = (cwd: string, script: string) => {
  const run = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8", env: process.env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

const resolveFrom = (dir: string, id: string) =>
  node(dir, `console.log(require.resolve(${JSON.stringify(id)}))`).stdout.trim();

describe("the program folder", () => {
  it("lies outside the repository, and holds real copies of the package, its dependencies and @pulumi/pulumi", () => {
    expect(path.relative(ROOT, PROGRAM_DIR).startsWith("..")).toBe(true);
    const installed = path.join(PROGRAM_DIR, "node_modules");
    for (const id of ["pulumi-polytomic/package.json", "zod", "undici", "@pulumi/pulumi"]) {
      const resolved = resolveFrom(PROGRAM_DIR, id);
      expect(resolved.startsWith(installed + path.sep)).toBe(true);
      expect(fs.realpathSync(resolved)).toBe(resolved);
    }
    const pulumi = JSON.parse(
      fs.readFileSync(path.join(installed, "@pulumi", "pulumi", "package.json"), "utf8"),
    );
    expect(pulumi.version).toBe(PULUMI_VERSION);
  });

  it("catches a runtime dependency missing from package.json (a copy of the package without zod)", () => {
    // The installed package (package.json, dist, data, ...) with zod left out of its dependencies, packed again.
    const source = path.join(NO_ZOD, "package");
    fs.cpSync(path.join(PROGRAM_DIR, "node_modules", "pulumi-polytomic"), source, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8"));
    delete manifest.dependencies.zod;
    delete manifest.scripts;
    fs.writeFileSync(path.join(source, "package.json"), JSON.stringify(manifest, null, 2));
    const tarball = pack(source, path.join(NO_ZOD, "pack"), ["--ignore-scripts"]);
    const program = path.join(NO_ZOD, "program");
    const ms = installProgram(program, [tarball, `@pulumi/pulumi@${PULUMI_VERSION}`]);
    console.log(`[isolation] installed the zod-less copy in ${ms} ms`);

    const provider = 'require("pulumi-polytomic/provider"); console.log("loaded")';
    expect(fs.existsSync(path.join(program, "node_modules", "zod"))).toBe(false);
    const outside = node(program, provider);
    expect(outside.status).not.toBe(0);
    expect(outside.stderr).toMatch(/Cannot find module 'zod'/);
    expect(node(PROGRAM_DIR, provider)).toMatchObject({ status: 0, stdout: "loaded\n" });

    // The same package in a folder inside the repository loads: zod (and the rest) come from the repository's
    // node_modules, and the missing dependency goes unnoticed.
    const copied = path.join(INSIDE_REPO, "node_modules", "pulumi-polytomic");
    fs.cpSync(path.join(program, "node_modules", "pulumi-polytomic"), copied, { recursive: true });
    expect(node(INSIDE_REPO, provider)).toMatchObject({ status: 0, stdout: "loaded\n" });
  }, 120_000);
});
