import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "../..");

/**
 * This test run's folder in the system temp folder: the packed tarball and the program folders. Outside the
 * repository on purpose: from a folder inside it, Node's module lookup would fall back to the repository's
 * `node_modules`, and a runtime dependency missing from `package.json` would go unnoticed. One per test run
 * (the global setup names it in the environment the test workers inherit, and removes it at the end), so
 * concurrent runs cannot collide.
 */
export const RUN_DIR =
  process.env.PULUMI_POLYTOMIC_TEST_RUN_DIR ?? path.join(os.tmpdir(), `pulumi-polytomic-test-${process.pid}`);
/** A Pulumi-program-like folder with the packed package and `@pulumi/pulumi` installed, the way users install them. */
export const PROGRAM_DIR = path.join(RUN_DIR, "program");
const TARBALL_NOTE = path.join(RUN_DIR, "tarball");

/** The `@pulumi/pulumi` this repository develops against (its devDependency: in npm's cache after `npm ci`). */
export const PULUMI_VERSION: string = JSON.parse(
  fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
).version;

/** The lowest `@pulumi/pulumi` the package's peer range (`^X.Y.Z`) allows. */
export const LOWEST_PULUMI_VERSION: string = (() => {
  const range: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).peerDependencies[
    "@pulumi/pulumi"
  ];
  const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (lowest === undefined) throw new Error(`expected a ^X.Y.Z peer range for @pulumi/pulumi, not ${range}`);
  return lowest;
})();

export const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: process.env });

/** `npm pack`s the folder `from` into `into` (created if needed) and returns the tarball's path. */
export function pack(from: string, into: string, extraArgs: string[] = []): string {
  fs.mkdirSync(into, { recursive: true });
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", into, ...extraArgs], from)) as {
    filename: string;
  }[];
  return path.join(into, (packed[0] as { filename: string }).filename);
}

/**
 * Makes a fresh program folder `dir` and installs `specs` into it as a user does (`npm install`: no link, no
 * `--legacy-peer-deps`), preferring npm's cache to the registry. Returns how long the install took, in ms.
 */
export function installProgram(dir: string, specs: string[], extraArgs: string[] = []): number {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: path.basename(dir), private: true, version: "0.0.0" }, null, 2),
  );
  const started = Date.now();
  npm(
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", ...extraArgs, ...specs],
    dir,
  );
  return Date.now() - started;
}

/** The tarball the global setup packed for this run. */
export function packedTarball(): string {
  return fs.readFileSync(TARBALL_NOTE, "utf8");
}

/**
 * Builds and packs the package (`npm pack`, whose `prepack` builds `dist/`), then installs the tarball and
 * `@pulumi/pulumi` (the peer dependency every Pulumi program has) into a fresh program folder.
 */
export function preparePackedProgram(): { tarball: string; programDir: string; installMs: number } {
  removeAbandonedRunDirs();
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  try {
    const tarball = pack(ROOT, path.join(RUN_DIR, "pack"));
    fs.writeFileSync(TARBALL_NOTE, tarball);
    const installMs = installProgram(PROGRAM_DIR, [tarball, `@pulumi/pulumi@${PULUMI_VERSION}`]);
    process.env.PULUMI_POLYTOMIC_TEST_RUN_DIR = RUN_DIR;
    return { tarball, programDir: PROGRAM_DIR, installMs };
  } catch (error) {
    removePackedProgram();
    throw error;
  }
}

/** Removes the run folders of earlier runs that were killed before their teardown (their process is gone). */
function removeAbandonedRunDirs(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(/^pulumi-polytomic-test-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH")
        fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Removes this run's folder: the tarball and every program folder. */
export function removePackedProgram(): void {
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
}
