import { PolytomicClient } from "../../src/client";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../src/emulator";
import { createDependencies, type Deps, sampleFor } from "../kinds/samples";
import { API_KEY, PARTNER_KEY } from "./fixtures";
import { PROGRAM_DIR } from "./packed-package";
import { type ProviderServer, secretWire, startProviderServer } from "./provider-server";

/**
 * Several emulator + provider-server pairs ("lanes"), so that a suite covering every kind of the kinds table can
 * drive several kinds at once and still count each call's requests exactly: a kind's work has its lane to
 * itself, and the lane's emulator logs only that work's requests.
 */
export interface Lane {
  readonly index: number;
  readonly emulator: RunningEmulator;
  readonly server: ProviderServer;
  /** The package's client on the lane's emulator, with the right key. */
  readonly api: PolytomicClient;
  /** The objects a kind's sample depends on, made once per lane through the API client (see samples.ts). */
  dependencies(kind: string): Promise<Deps>;
}

export interface Lanes {
  readonly all: readonly Lane[];
  /** Runs `work` on a lane nothing else is using (waiting for one to be free). */
  use<T>(work: (lane: Lane) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface LaneOptions {
  /** The Pulumi project name the servers run under. */
  project: string;
  emulator: EmulatorOptions;
  /** The key the servers are configured with (default: the fixtures' key, which the emulators accept). */
  serverKey?: string;
  /** The partner key the servers are configured with (default: the fixtures' partner key, accepted too). */
  serverPartnerKey?: string;
}

/** Starts `count` lanes; the emulators accept the fixtures' key. */
export async function startLanes(count: number, options: LaneOptions): Promise<Lanes> {
  const all = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<Lane> => {
      const emulator = await startEmulator({
        apiKeys: [API_KEY],
        partnerKeys: [PARTNER_KEY],
        ...options.emulator,
      });
      const server = await startProviderServer(PROGRAM_DIR, options.project, { POLYTOMIC_API_KEY: "" });
      await server.configure({
        "polytomic:apiKey": secretWire(options.serverKey ?? API_KEY),
        "polytomic:partnerKey": secretWire(options.serverPartnerKey ?? PARTNER_KEY),
        "polytomic:deploymentUrl": emulator.url,
      });
      const api = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url });
      const made: Record<string, string> = {};
      return {
        index,
        emulator,
        server,
        api,
        dependencies: (kind) =>
          createDependencies(
            [kind],
            async (dependency, deps) => {
              const sample = sampleFor(dependency);
              const { id } = await sample.api(api).create(sample.body(`lane ${index} ${dependency}`, deps));
              if (sample.waitsForSchema) emulator.setSchemaReady(id);
              return id;
            },
            made,
          ),
      };
    }),
  );
  const free = [...all];
  const waiting: ((lane: Lane) => void)[] = [];
  const release = (lane: Lane) => {
    const next = waiting.shift();
    if (next !== undefined) next(lane);
    else free.push(lane);
  };
  return {
    all,
    async use(work) {
      const lane = free.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)));
      try {
        return await work(lane);
      } finally {
        release(lane);
      }
    },
    async close() {
      for (const lane of all) lane.server.close();
      await Promise.all(all.map((lane) => lane.emulator.close()));
    },
  };
}
