import { parseArgs } from "node:util";
import { DEFAULT_API_KEY, startEmulator } from "./index";
import type { EmulatorOptions, FaultRule, RunningEmulator } from "./types";

export const USAGE = `Usage: polytomic-emulator [options]

  --port N                  port on 127.0.0.1 (default 8080; 0 = any free port)
  --api-key K               accepted bearer key (repeatable; default $POLYTOMIC_API_KEY or ${DEFAULT_API_KEY})
  --partner-key K           accepted partner key (repeatable): manages organizations and their users, and acts
                            in them as HTTP Basic <organization id>:K (the default organization is the partner's)
  --deployment-key K        accepted deployment key (repeatable): like a partner key, for every organization
  --state FILE              load state from FILE at start, save it after every change
  --schema-ready-delay-ms N delay before a new or refreshed schema cache is ready (default 1500)
  --buckets-dir DIR         folder whose subfolders stand in for buckets: sources read them, bulk syncs to a
                            bucket write files there (default <package>/data/buckets, never written)
  --catalog FILE            source catalog: schemas of non-bucket sources (default <package>/data/catalog.json)
  --execution-delay-ms N    how long each step of a sync run takes (default 500)
  --delivery-timeout-ms N   how long one webhook delivery request may take (default 30000)
  --allow-remote-delivery   deliver sync records to any URL (default: loopback addresses only)
  --latency-ms N            add N ms to every request
  --fail-rate P             answer 503 to a share P (0..1) of requests
  --rate-limit N            answer 429 beyond N requests per second
  --seed N                  seed for --fail-rate (default 1)
  --quiet                   do not log requests
  --help                    show this text`;

export interface CliIo {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
}

function number(value: string | undefined, name: string, min: number, max = Number.POSITIVE_INFINITY) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`--${name} must be a number in [${min}, ${max}]`);
  return n;
}

/** Parses CLI arguments into emulator options (throws with a message on bad input). */
export function parseCliArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): EmulatorOptions & { help: boolean; quiet: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      "api-key": { type: "string", multiple: true },
      "partner-key": { type: "string", multiple: true },
      "deployment-key": { type: "string", multiple: true },
      state: { type: "string" },
      "schema-ready-delay-ms": { type: "string" },
      "buckets-dir": { type: "string" },
      catalog: { type: "string" },
      "latency-ms": { type: "string" },
      "fail-rate": { type: "string" },
      "rate-limit": { type: "string" },
      seed: { type: "string" },
      "execution-delay-ms": { type: "string" },
      "delivery-timeout-ms": { type: "string" },
      "allow-remote-delivery": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const faults: FaultRule[] = [];
  const latency = number(values["latency-ms"], "latency-ms", 0);
  if (latency !== undefined && latency > 0) faults.push({ kind: "latency", latencyMs: latency });
  const failRate = number(values["fail-rate"], "fail-rate", 0, 1);
  if (failRate !== undefined && failRate > 0)
    faults.push({ kind: "status", status: 503, probability: failRate });

  const envKey = env.POLYTOMIC_API_KEY;
  const apiKeys = values["api-key"] ?? [envKey !== undefined && envKey !== "" ? envKey : DEFAULT_API_KEY];
  const options: EmulatorOptions & { help: boolean; quiet: boolean } = {
    port: number(values.port, "port", 0, 65535) ?? 8080,
    apiKeys,
    faults,
    help: values.help === true,
    quiet: values.quiet === true,
  };
  const delay = number(values["schema-ready-delay-ms"], "schema-ready-delay-ms", 0);
  if (delay !== undefined) options.schemaReadyDelayMs = delay;
  if (values.state !== undefined) options.stateFile = values.state;
  if (values["partner-key"] !== undefined) options.partnerKeys = values["partner-key"];
  if (values["deployment-key"] !== undefined) options.deploymentKeys = values["deployment-key"];
  if (values["buckets-dir"] !== undefined) options.bucketsDir = values["buckets-dir"];
  if (values.catalog !== undefined) options.catalog = values.catalog;
  const rate = number(values["rate-limit"], "rate-limit", 1);
  if (rate !== undefined) options.rateLimitPerSecond = rate;
  const seed = number(values.seed, "seed", 0);
  if (seed !== undefined) options.seed = seed;
  const executionDelay = number(values["execution-delay-ms"], "execution-delay-ms", 0);
  if (executionDelay !== undefined) options.executionDelayMs = executionDelay;
  const deliveryTimeout = number(values["delivery-timeout-ms"], "delivery-timeout-ms", 1);
  if (deliveryTimeout !== undefined) options.deliveryTimeoutMs = deliveryTimeout;
  if (values["allow-remote-delivery"] === true) options.allowRemoteDelivery = true;
  return options;
}

/**
 * Starts the emulator from CLI arguments and prints `polytomic-emulator listening on <url>`. Returns the
 * running emulator (or `undefined` after `--help`). Signals are not handled here; see {@link run}.
 */
export async function main(argv: string[], io: CliIo = {}): Promise<RunningEmulator | undefined> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { help, quiet, ...options } = parseCliArgs(argv, io.env ?? process.env);
  if (help) {
    out(USAGE);
    return undefined;
  }
  if (!quiet) options.log = (line) => out(line);
  const emulator = await startEmulator(options);
  out(`polytomic-emulator listening on ${emulator.url}`);
  return emulator;
}

/** The executable's entry point: `main`, then stop on SIGINT/SIGTERM. */
export function run(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (emulator) => {
      if (emulator === undefined) return;
      const stop = () => {
        emulator.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (error: unknown) => {
      process.stderr.write(`polytomic-emulator: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exit(2);
    },
  );
}
