import { parseArgs } from "node:util";
import { KINDS } from "../kinds";
import { type ImportResult, importOrganization } from "./index";
import { ImportError } from "./organization";
import { NOT_IMPORTED, OBJECT_SOURCES } from "./sources";

/** The kinds this version reads, for `--help`. */
function kindsText(): string {
  const objects = OBJECT_SOURCES.filter((s) => KINDS.has(s.kind)).map(
    (s) => `${s.group}${s.optional === true ? " (with a partner or deployment key)" : ""}`,
  );
  const left = Object.entries(NOT_IMPORTED).map(([kind, why]) => `\n  - ${kind}: ${why}`);
  return `connections of every type, ${objects.join(", ")}.${left.length > 0 ? `\nNot read:${left.join("")}` : ""}`;
}

export const USAGE = `Usage: polytomic-import --out DIR [options]

Reads every object of a Polytomic organization and writes a Pulumi TypeScript project in DIR that adopts them:
Pulumi.yaml, package.json, tsconfig.json, index.ts (one resource per object, with importId) and README.md (the
next steps, with one \`pulumi config set --secret\` command per secret Polytomic does not return).

It reads: ${kindsText()}

Options:
  --out DIR              the folder to write (created; it must be empty, see --force)
  --project NAME         the Pulumi project name (default: DIR's name)
  --concurrency N        reads in flight at once (default 8; 429 answers are waited out per Retry-After)
  --no-protect           leave out \`protect: true\` (by default every resource is protected, as with \`pulumi import\`)
  --package-spec SPEC    the pulumi-polytomic dependency in package.json (default ^<this version>), e.g. file:../pulumi-polytomic
  --force                write into a folder that is not empty (the five files are replaced)
  --quiet                no progress lines on stderr
  -h, --help             show this text

Environment:
  POLYTOMIC_API_KEY          the organization's API key (required, unless a partner or deployment key is set)
  POLYTOMIC_DEPLOYMENT_URL   the deployment (default https://app.polytomic.com)
  POLYTOMIC_PARTNER_KEY      a partner key, with POLYTOMIC_ORGANIZATION_ID: the organization to read
  POLYTOMIC_DEPLOYMENT_KEY   an on-premises deployment key, with POLYTOMIC_ORGANIZATION_ID
  POLYTOMIC_ORGANIZATION_ID  the organization partner and deployment keys act in
  POLYTOMIC_TIMEOUT_MS       per-request timeout (default 60000)

Progress goes to stderr, the summary to stdout. Exit status: 0 when the project was written (objects that need
attention are listed in the summary and README.md), 1 when the organization could not be read or the files not
written (a bad key or deployment URL is named), 2 for bad usage.`;

/** The CLI's parsed options. */
export interface CliOptions {
  readonly help: boolean;
  readonly outDir?: string;
  readonly project?: string;
  readonly concurrency?: number;
  readonly protect: boolean;
  readonly packageSpec?: string;
  readonly force: boolean;
  readonly quiet: boolean;
}

/** A usage error (exit status 2). */
export class UsageError extends Error {}

/** Parses the arguments; throws {@link UsageError} with the message to show. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: "string" },
        project: { type: "string" },
        concurrency: { type: "string" },
        "no-protect": { type: "boolean", default: false },
        "package-spec": { type: "string" },
        force: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const help = values.help === true;
  const outDir = values.out as string | undefined;
  if (!help && (outDir === undefined || outDir.trim() === "")) throw new UsageError("--out DIR is required");
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError("--concurrency must be a whole number from 1 to 64");
    }
  }
  const project = values.project as string | undefined;
  if (project !== undefined && !/^[A-Za-z0-9_.-]+$/.test(project)) {
    throw new UsageError("--project may hold only letters, digits, '-', '_' and '.'");
  }
  return {
    help,
    ...(outDir === undefined ? {} : { outDir }),
    ...(project === undefined ? {} : { project }),
    ...(concurrency === undefined ? {} : { concurrency }),
    protect: values["no-protect"] !== true,
    ...(values["package-spec"] === undefined ? {} : { packageSpec: values["package-spec"] as string }),
    force: values.force === true,
    quiet: values.quiet === true,
  };
}

/** The summary printed at the end: counts per group, secrets to set, what needs attention, what to do next. */
export function summaryText(result: ImportResult): string {
  const width = Math.max(7, ...result.groups.map((g) => g.group.length));
  const lines = [
    `polytomic-import: wrote ${result.files.join(", ")} to ${result.outDir} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    `  ${"objects".padEnd(width)} ${String(result.objects).padStart(5)}`,
    ...result.groups.map(
      (g) =>
        `  ${g.group.padEnd(width)} ${String(g.count).padStart(5)}${g.detail === undefined ? "" : `  (${g.detail})`}`,
    ),
    `  ${"secrets".padEnd(width)} ${String(result.secrets.length).padStart(5)}  to set with \`pulumi config set --secret\` (README.md lists them)`,
  ];
  if (result.leftOut.length > 0) lines.push(`Left out: ${result.leftOut.join("; ")}.`);
  if (result.attention.length === 0) {
    lines.push("Nothing needs attention.");
  } else {
    lines.push(`Needs attention (${result.attention.length}):`, ...result.attention.map((a) => `  - ${a}`));
  }
  lines.push(`Next: cd ${result.outDir}, npm install, then the steps in README.md.`);
  return lines.join("\n");
}

/** Standard streams and exit, for tests. */
export interface CliIo {
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/** Runs the command; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = io.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    err(`polytomic-import: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    out(USAGE);
    return 0;
  }
  try {
    const result = await importOrganization({
      outDir: options.outDir as string,
      ...(options.project === undefined ? {} : { project: options.project }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      protect: options.protect,
      ...(options.packageSpec === undefined ? {} : { packageSpec: options.packageSpec }),
      force: options.force,
      ...(options.quiet ? {} : { progress: (line: string) => err(`polytomic-import: ${line}`) }),
    });
    out(summaryText(result));
    return 0;
  } catch (error) {
    const message =
      error instanceof ImportError ? error.message : `unexpected error: ${(error as Error)?.stack ?? error}`;
    err(`polytomic-import: ${message}`);
    return 1;
  }
}

/** The bin's entry point: runs, then exits (the client's keep-alive pool would otherwise hold the process). */
export function run(argv: readonly string[]): void {
  main(argv).then(
    (status) => process.exit(status),
    (error) => {
      process.stderr.write(`polytomic-import: ${(error as Error)?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
