/**
 * A local Polytomic emulator: a real HTTP server (127.0.0.1) speaking the REST contract of
 * /work/shared/reference/polytomic-api.md for connections, schema caches, models and model syncs.
 *
 * Choices where the reference is silent or contradicts itself:
 * - `cache_status` is `"refreshing"` then `"fresh"`; `last_refresh_finished` is `null` while refreshing and
 *   `>= last_refresh_started` once fresh. Computed lazily from timestamps (`schemaReadyDelayMs`).
 * - Creating or updating a model while its connection's cache refreshes: **400**, key
 *   `cache_refresh_in_progress`, message containing "cache refresh in progress" (what the Terraform provider
 *   retries on). A missing or non-source connection in a model body is also 400 (POST /api/models declares
 *   no 404).
 * - GCS `bucket` accepts `my-bucket` and `gcs://my-bucket/path` (also `gs://`); the scheme and path are
 *   stripped and `<bucketsDir>/<bucket>` is read, falling back to `<bucketsDir>/sample`. Only CSV is read.
 * - PUT of a connection is a full replacement, except secrets (schema `sensitive` plus webhook
 *   `basic.password`, `oauth.client_secret`, `header.value`, `query[].value`): one sent as `"********"` or
 *   left out (while its parent object is present) keeps the stored value; `null` or `""` clears it. The same
 *   rule applies to a sync's `encryption_passphrase`. Read-only values sent by clients are dropped; `null`
 *   configuration values mean "not set". Scalar schema defaults are filled in for omitted keys (array
 *   defaults are not: the shipped ones are unusable, e.g. `["[csv]"]`). Required keys with a default
 *   (webhook `auth_method`) are still required.
 * - `?async=true` on model POST/PUT does the work at once and adds
 *   `job: {job_id, type: "createmodel"|"updatemodel", status: "done", result: null, error: null}`;
 *   `GET /api/jobs/{type}/{id}` answers `{data: job}`.
 * - `Idempotency-Key` is honoured on POST only (the documented methods); replays carry
 *   `Idempotent-Replayed: true`. Injected `status` faults, 401s, 404s, 429s and malformed keys are answered
 *   before the key is recorded, so they are not replayed; handler outcomes (errors included) are.
 * - Successful DELETEs answer 200 `{}`. Sync lists answer `ListSyncItem`s with
 *   `pagination.next_page_token` (an offset); model and connection lists are unpaginated.
 * - Executions complete at once (no webhook delivery); counts are the source CSV's row count.
 */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as path from "node:path";
import { FaultInjector } from "./faults";
import { IdempotencyStore } from "./idempotency";
import { loadState, saveState } from "./persist";
import { RateLimiter } from "./rate-limit";
import { buildRouter } from "./routes";
import { markReady } from "./schema-cache";
import { createRequestHandler } from "./server";
import { EmulatorState } from "./state";
import type { EmulatorOptions, FaultRule, RunningEmulator } from "./types";

export type { EmulatorState } from "./state";
export type { EmulatorOptions, FaultKind, FaultRule, RecordedRequest, RunningEmulator } from "./types";

/** `<package>/data/buckets`: resolves the same from `src/emulator` (vitest) and `dist/emulator` (built). */
export const DEFAULT_BUCKETS_DIR = path.join(__dirname, "../../data/buckets");
export const DEFAULT_API_KEY = "test-api-key";
export const DEFAULT_SCHEMA_READY_DELAY_MS = 1500;

/** Starts a Polytomic emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState();
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

  const faults = new FaultInjector(options.faults ?? [], options.seed ?? 1);
  const requests: RunningEmulator["requests"] = [];
  const handler = createRequestHandler({
    router: buildRouter(),
    state,
    settings: {
      schemaReadyDelayMs: options.schemaReadyDelayMs ?? DEFAULT_SCHEMA_READY_DELAY_MS,
      bucketsDir: path.resolve(options.bucketsDir ?? DEFAULT_BUCKETS_DIR),
    },
    apiKeys: new Set(options.apiKeys ?? [DEFAULT_API_KEY]),
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
