import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "../..");
/**
 * A Pulumi-program-like folder with the packed package installed, the way users install it. One per test run
 * (the global setup names it in the environment the test workers inherit), so concurrent runs cannot collide.
 */
export const PROGRAM_DIR =
  process.env.PULUMI_POLYTOMIC_TEST_PROGRAM_DIR ?? path.join(ROOT, ".tmp", `program-${process.pid}`);
const STAMP = path.join(PROGRAM_DIR, ".installed-from");

const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: process.env });

/**
 * Builds and packs the package (`npm pack`, whose `prepack` builds `dist/`), then installs the tarball into a
 * fresh program folder. `@pulumi/pulumi`, a peer dependency every Pulumi program already has, is linked from
 * this repository's `node_modules` instead of being downloaded again.
 */
export function preparePackedProgram(): { tarball: string; programDir: string } {
  fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const packDir = path.join(PROGRAM_DIR, "..", `pack-${process.pid}`);
  fs.mkdirSync(packDir, { recursive: true });
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", packDir], ROOT)) as {
    filename: string;
  }[];
  const tarball = path.join(packDir, (packed[0] as { filename: string }).filename);
  fs.rmSync(PROGRAM_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(PROGRAM_DIR, "node_modules", "@pulumi"), { recursive: true });
  fs.writeFileSync(
    path.join(PROGRAM_DIR, "package.json"),
    JSON.stringify({ name: "packed-program", private: true, version: "0.0.0" }, null, 2),
  );
  fs.symlinkSync(
    path.join(ROOT, "node_modules", "@pulumi", "pulumi"),
    path.join(PROGRAM_DIR, "node_modules", "@pulumi", "pulumi"),
    "dir",
  );
  npm(
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--legacy-peer-deps",
      "--no-package-lock",
      tarball,
    ],
    PROGRAM_DIR,
  );
  // npm may prune the unlisted link while installing: put it back.
  const link = path.join(PROGRAM_DIR, "node_modules", "@pulumi", "pulumi");
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi"), link, "dir");
  }
  fs.writeFileSync(STAMP, tarball);
  process.env.PULUMI_POLYTOMIC_TEST_PROGRAM_DIR = PROGRAM_DIR;
  return { tarball, programDir: PROGRAM_DIR };
}

/** Removes this run's program folder and tarball. */
export function removePackedProgram(): void {
  fs.rmSync(PROGRAM_DIR, { recursive: true, force: true });
  fs.rmSync(path.join(PROGRAM_DIR, "..", `pack-${process.pid}`), { recursive: true, force: true });
}
