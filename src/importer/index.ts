/**
 * `polytomic-import`: reads an existing Polytomic organization and writes a Pulumi TypeScript program that adopts
 * every object (`importId`) with the settings it has, so the first `pulumi up` changes nothing. README.md,
 * section "Adopting existing objects"; the CLI is ./cli.ts.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { quotedName } from "./literal";
import type { ImportedObject } from "./objects";
import { ImportError, type OrganizationRead, type ReadOptions, readOrganization } from "./organization";
import { planProgram, programSource, type SecretEntry } from "./program";
import { packageJson, projectName, pulumiYaml, readme, tsconfigJson } from "./project";

export { ImportError } from "./organization";

const MANIFEST = require("../../package.json") as { version: string };

/** Settings of {@link importOrganization}. */
export interface ImportOptions extends ReadOptions {
  /** The folder to write (created if missing). */
  readonly outDir: string;
  /** The Pulumi project name (default: from the folder's name). */
  readonly project?: string;
  /** `protect: true` on every resource (default true, as `pulumi import` does). */
  readonly protect?: boolean;
  /** The `pulumi-polytomic` dependency in package.json (default `^<this version>`). */
  readonly packageSpec?: string;
  /** Write into a folder that already has files (the five generated ones are replaced). */
  readonly force?: boolean;
}

/** What was written. */
export interface ImportResult {
  readonly outDir: string;
  readonly files: string[];
  /** Objects written, declared or commented out. */
  readonly objects: number;
  /** Per group, in order: `{ group: "connections", count: 230, detail: "228 typed, 2 generic Connection" }`. */
  readonly groups: { group: string; count: number; detail?: string }[];
  readonly secrets: readonly SecretEntry[];
  /** What needs the user's attention, one line each. */
  readonly attention: string[];
  /** Objects deliberately not declared, per group (built-in roles, an empty list). */
  readonly leftOut: string[];
  /** Objects written commented out (their arguments fail their class's check). */
  readonly commentedOut: number;
  readonly elapsedMs: number;
}

/** The five files, in the order they are written. */
export const GENERATED_FILES = [
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "index.ts",
  "README.md",
] as const;

/** `230 connections, 6 models, 6 model syncs` (groups without objects left out; "no objects" when none). */
export function countsText(groups: readonly { group: string; count: number }[]): string {
  const parts = groups.filter((g) => g.count > 0).map((g) => `${g.count} ${g.group}`);
  return parts.length === 0 ? "no objects" : parts.join(", ");
}

/** One attention line per object with notes or problems, and the remarks of the read. */
export function attentionLines(objects: readonly ImportedObject[], remarks: readonly string[]): string[] {
  const lines: string[] = [];
  for (const o of objects) {
    const who = `${o.kind} ${quotedName(o.name)} (${o.id})`;
    for (const note of o.notes) lines.push(`${who}: ${note}`);
    if (o.problems.length > 0) {
      lines.push(
        `${who}: written commented out, its arguments fail the class's check: ${o.problems.join("; ")}`,
      );
    }
  }
  return [...lines, ...remarks];
}

/** Reads the organization and writes the project. Throws {@link ImportError} with the message to show. */
export async function importOrganization(options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const outDir = path.resolve(options.outDir);
  checkOutDir(outDir, options.force === true);
  const read = await readOrganization(options);
  const program = planProgram(
    read.objects,
    read.groups.map((g) => g.group),
  );
  // Notes may have grown with references left as ids: take the declarations' own.
  const planned = program.declarations.map((d) => ({ ...d.object, notes: d.notes }));
  const attention = attentionLines(planned, read.remarks);
  const groups = groupSummary(read);
  const info = {
    project: options.project ?? projectName(path.basename(outDir)),
    deploymentUrl: read.deploymentUrl,
    key: read.key,
    ...(read.identity.organization_name === undefined
      ? {}
      : { organizationName: read.identity.organization_name }),
    ...(options.packageSpec === undefined ? {} : { packageSpec: options.packageSpec }),
    counts: countsText(groups),
    secrets: program.secrets,
    attention,
    leftOut: read.leftOut,
    protect: options.protect !== false,
  };
  const files: Record<(typeof GENERATED_FILES)[number], string> = {
    "Pulumi.yaml": pulumiYaml(info),
    "package.json": packageJson(info),
    "tsconfig.json": tsconfigJson(),
    "index.ts": programSource(
      program,
      {
        deploymentUrl: read.deploymentUrl,
        ...(info.organizationName === undefined ? {} : { organizationName: info.organizationName }),
        packageVersion: MANIFEST.version,
        counts: info.counts,
      },
      { protect: info.protect },
    ),
    "README.md": readme(info),
  };
  try {
    fs.mkdirSync(outDir, { recursive: true });
    for (const name of GENERATED_FILES) fs.writeFileSync(path.join(outDir, name), files[name]);
  } catch (error) {
    throw new ImportError(`cannot write ${outDir}: ${(error as Error).message}`, { cause: error });
  }
  return {
    outDir,
    files: [...GENERATED_FILES],
    objects: read.objects.length,
    groups,
    secrets: program.secrets,
    attention,
    leftOut: read.leftOut,
    commentedOut: read.objects.filter((o) => o.problems.length > 0).length,
    elapsedMs: Date.now() - started,
  };
}

/** Counts per group; connections also say how many use the generic class. */
function groupSummary(read: OrganizationRead) {
  return read.groups.map(({ group, count }) => {
    if (group !== "connections") return { group, count };
    const generic = read.objects.filter((o) => o.group === group && o.kind === "Connection").length;
    return generic === 0
      ? { group, count }
      : { group, count, detail: `${count - generic} typed, ${generic} generic Connection` };
  });
}

/** The output folder must be new or empty (or hold only the generated files), unless `force`. */
function checkOutDir(outDir: string, force: boolean): void {
  if (!fs.existsSync(outDir)) return;
  if (!fs.statSync(outDir).isDirectory()) throw new ImportError(`--out ${outDir} exists and is not a folder`);
  const others = fs.readdirSync(outDir).filter((f) => !(GENERATED_FILES as readonly string[]).includes(f));
  const generated = fs.readdirSync(outDir).filter((f) => (GENERATED_FILES as readonly string[]).includes(f));
  if (!force && (generated.length > 0 || others.length > 0)) {
    throw new ImportError(
      `--out ${outDir} is not empty: choose a new folder, or pass --force to write the generated files into it`,
    );
  }
}
