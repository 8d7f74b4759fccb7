/** A local Polytomic emulator (a real HTTP server on 127.0.0.1). What it serves, its options, and the choices it
 * makes where Polytomic's documentation is silent: README.md, section "The emulator". */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as path from "node:path";
import { SourceCatalog } from "./catalog";
import { ExecutionRunner, isFinalStatus } from "./execution-runner";
import { FaultInjector } from "./faults";
import { IdempotencyStore } from "./idempotency";
import { loadState, saveState } from "./persist";
import { RateLimiter } from "./rate-limit";
import { buildRouter } from "./routes";
import { markReady } from "./schema-cache";
import { createRequestHandler } from "./server";
import { EmulatorState } from "./state";
import type { EmulatorOptions, FaultRule, RunningEmulator } from "./types";

export type { SeededOrganization } from "./admin-state";
export type { EmulatorState } from "./state";
export type { EmulatorOptions, FaultKind, FaultRule, RecordedRequest, RunningEmulator } from "./types";

/** `<package>/data/buckets`: resolves the same from `src/emulator` (vitest) and `dist/emulator` (built). */
export const DEFAULT_BUCKETS_DIR = path.join(__dirname, "../../data/buckets");
/** `<package>/data/catalog.json`: the source catalog used when no `catalog` is given (Salesforce, HubSpot, PostgreSQL). */
export const DEFAULT_CATALOG_FILE = path.join(__dirname, "../../data/catalog.json");
/** The bearer key accepted when no `apiKeys` are given. */
export const DEFAULT_API_KEY = "test-api-key";
/** How long a new or refreshed schema cache takes to become ready when `schemaReadyDelayMs` is not given. */
export const DEFAULT_SCHEMA_READY_DELAY_MS = 1500;

/** How long each step of an execution takes when `executionDelayMs` is not given. */
export const DEFAULT_EXECUTION_DELAY_MS = 500;
/** How long one webhook delivery request may take when `deliveryTimeoutMs` is not given. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;

/** Runs that were going when the state was saved cannot resume: they end `interrupted`. */
function markInterruptedRuns(state: EmulatorState, now: number): void {
  const at = new Date(now).toISOString();
  for (const execution of state.executions.values()) {
    if (isFinalStatus(execution.status)) continue;
    execution.status = "interrupted";
    execution.completed_at ??= at;
    execution.errors.push("the emulator stopped during the run");
  }
  for (const sync of state.bulkSyncs.values()) {
    for (const execution of sync.executions) {
      if (isFinalStatus(execution.status)) continue;
      execution.status = "interrupted";
      execution.status_message = "the emulator stopped during the run";
      execution.completed_at ??= at;
    }
  }
}

/** Starts a Polytomic emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState();
  state.admin.configure({
    apiKeys: options.apiKeys ?? [DEFAULT_API_KEY],
    partnerKeys: options.partnerKeys ?? [],
    deploymentKeys: options.deploymentKeys ?? [],
    organizations: options.organizations ?? [],
  });
  if (options.stateFile !== undefined) loadState(options.stateFile, state);

  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const persist = () => {
    if (options.stateFile === undefined) return;
    try {
      saveState(options.stateFile, state);
    } catch (e) {
      options.log?.(`could not save state to ${options.stateFile}: ${(e as Error).message}`);
    }
  };

  markInterruptedRuns(state, Date.now());
  const executions = new ExecutionRunner(
    {
      executionDelayMs: options.executionDelayMs ?? DEFAULT_EXECUTION_DELAY_MS,
      allowRemoteDelivery: options.allowRemoteDelivery === true,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    },
    persist,
    options.log,
  );

  const catalog =
    typeof options.catalog === "object"
      ? new SourceCatalog(options.catalog)
      : SourceCatalog.fromFile(options.catalog ?? DEFAULT_CATALOG_FILE);
  const faults = new FaultInjector(options.faults ?? [], options.seed ?? 1);
  const requests: RunningEmulator["requests"] = [];
  const handler = createRequestHandler({
    router: buildRouter(),
    state,
    settings: {
      schemaReadyDelayMs: options.schemaReadyDelayMs ?? DEFAULT_SCHEMA_READY_DELAY_MS,
      bucketsDir: path.resolve(options.bucketsDir ?? DEFAULT_BUCKETS_DIR),
      catalog,
      executions,
    },
    faults,
    idempotency: new IdempotencyStore(state.idempotency),
    ...(options.rateLimitPerSecond !== undefined
      ? { rateLimiter: new RateLimiter(options.rateLimitPerSecond) }
      : {}),
    requests,
    persist,
    sleep,
    ...(options.log !== undefined ? { log: options.log } : {}),
  });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      options.log?.(`unhandled error: ${(e as Error).message}`);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ key: "internal_error", message: "internal error", status: 500 }));
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    state,
    addFault(rule: FaultRule) {
      faults.add(rule);
    },
    clearFaults() {
      faults.clear();
    },
    addSourceSchema(connectionId, schema) {
      catalog.addSchema(connectionId, schema);
    },
    addSourceField(connectionId, schemaId, field) {
      catalog.addField(connectionId, schemaId, field);
    },
    setSchemaReady(connectionId: string) {
      const connection = state.connections.get(connectionId);
      if (connection === undefined) throw new Error(`no connection ${connectionId}`);
      if (connection.schemaCache === null)
        throw new Error(`connection type ${connection.type} has no schema cache`);
      markReady(connection.schemaCache, Date.now());
      persist();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        executions.close();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
