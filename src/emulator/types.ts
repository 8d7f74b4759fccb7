import type { SeededOrganization } from "./admin-state";
import type { CatalogData, CatalogFieldInput, CatalogSchemaInput } from "./catalog";
import type { EmulatorState } from "./state";

/** Settings for `startEmulator`; every one has a default. */
export interface EmulatorOptions {
  /** Default 0 = ephemeral. The host is always 127.0.0.1. */
  port?: number;
  /** Accepted bearer keys: API keys of the default organization's user. Default `["test-api-key"]`. */
  apiKeys?: string[];
  /**
   * Partner keys: they manage organizations and their users (sent as Bearer), and act inside any organization of
   * the partner when sent as HTTP Basic with the organization id as the user name. The partner's own organization
   * is the default one. Default none.
   */
  partnerKeys?: string[];
  /** Deployment keys (on-premises): like partner keys, for every organization. Default none. */
  deploymentKeys?: string[];
  /** More organizations of the partner, each with API keys of its administrator. Default none. */
  organizations?: SeededOrganization[];
  /** Delay before a new or refreshed schema cache becomes ready. Default 1500. */
  schemaReadyDelayMs?: number;
  /**
   * Folder whose subfolders stand in for buckets: model and bulk-sync sources read them, and bulk-sync runs to a
   * bucket destination write their files there. Default `<package>/data/buckets`, which is never written.
   */
  bucketsDir?: string;
  /**
   * The source catalog (a JSON file's path, or its contents): the schemas, fields and sample rows of sources that
   * are not buckets, per connection type or name. Default `<package>/data/catalog.json`.
   */
  catalog?: string | CatalogData;
  /** Loaded at start if present, saved after every mutation. */
  stateFile?: string;
  /** Initial fault rules. */
  faults?: FaultRule[];
  /** Seed of the PRNG used for `FaultRule.probability`. Default 1. */
  seed?: number;
  /** If set: beyond N requests in any 1 s window, answer 429 with `Retry-After` (whole seconds, >= 1). */
  rateLimitPerSecond?: number;
  /** Called with one line per request if given. */
  log?: (line: string) => void;
  /**
   * How long each step of an execution takes: `created` → `running`, each webhook batch, `processing` → the
   * final status. Default 500.
   */
  executionDelayMs?: number;
  /**
   * Deliver webhook records to any host. Default false: only loopback URLs (127.0.0.0/8, ::1, `localhost`); a
   * run to any other URL fails, naming `--allow-remote-delivery`.
   */
  allowRemoteDelivery?: boolean;
  /** How long one webhook delivery request may take before the batch (and the run) fails. Default 30000. */
  deliveryTimeoutMs?: number;
}

/**
 * What a fault does to a request. Where it strikes decides whether an `Idempotency-Key` records it:
 * - `latency`: a delay, served while the request holds its key (a concurrent retry with the key gets 409);
 * - `status`: an error answer; see {@link FaultRule.reachesApplication};
 * - `drop-after-commit`: the request is done and its outcome recorded, then the connection is dropped
 *   instead of answering (a retry with the key gets the recorded outcome);
 * - `drop-before-commit`: the connection is dropped before Polytomic's application sees the request
 *   (a reset or refused connection): nothing is done or recorded;
 * - `hang`: no answer ever, before the application sees the request (a timeout): nothing is done or recorded.
 */
export type FaultKind = "latency" | "status" | "drop-after-commit" | "drop-before-commit" | "hang";

/** One programmable fault; see {@link FaultKind} for what each kind does. */
export interface FaultRule {
  /** e.g. "POST"; default any. */
  method?: string;
  /** Matched against the path without query, e.g. `/^\/api\/connections$/`. A string must match exactly. */
  path?: string | RegExp;
  kind: FaultKind;
  /** For `latency`. */
  latencyMs?: number;
  /** For `status` (e.g. 503, 500, 429). Default 503. */
  status?: number;
  /**
   * For `status`: whether the error comes from Polytomic's application (true) or from something in front of it
   * (false). Polytomic records an application's outcome under the request's `Idempotency-Key`, "including error
   * responses such as 500", and answers every later request with that key the same; so an application fault is
   * answered where the handler would run (after authentication, routing and the key's replay or 409 check),
   * recorded under a POST's key and replayed with `Idempotent-Replayed: true`. A fault in front of the application
   * (a gateway's 502/503/504, a rate limiter's 429) is answered before authentication and never recorded: a retry
   * with the same key reaches the application.
   *
   * Default: true for 500 only; false for every other status (502, 503, 504 and the rest: answered in front,
   * as they always were). Set it to make, e.g., a 422 or a 501 an application outcome.
   */
  reachesApplication?: boolean;
  /** `Retry-After` value sent with `status` faults (e.g. "1" or an HTTP date). */
  retryAfter?: string;
  /** Apply to the next N matching requests only; default unlimited. */
  times?: number;
  /** 0..1, rolled with a seeded PRNG (option `seed`) so runs repeat. */
  probability?: number;
}

/** One line of the emulator's request log. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string without `?`, `""` if none. */
  query: string;
  /** The status answered (or that would have been answered for `drop-after-commit`); 0 while pending or when dropped/hung. */
  status: number;
  idempotencyKey?: string;
  /** The fault kind applied, if any. */
  fault?: string;
  /** The parsed JSON body, if any. */
  body?: unknown;
  /**
   * Who made the call (authenticated `/api` requests): the key's identity, never the key itself. Not enumerable,
   * so a log line's own fields (and its JSON) stay `{method, path, query, status, …}`: read it as `r.caller`.
   */
  caller?: {
    /** `api-key-1`, `partner-key-1`, `deployment-key-1`, or the id of a key created through the API. */
    keyId: string;
    kind: "user" | "partner" | "deployment";
    /** The organization the call acted in. */
    organizationId: string;
    userId?: string;
  };
}

/** A started emulator: its address, request log, faults and state. */
export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash; API paths start with `/api/`). */
  url: string;
  port: number;
  /** Every request in arrival order (clearable: `requests.length = 0`). */
  requests: RecordedRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Live in-memory state, for assertions. Stored configurations are unmasked. */
  state: EmulatorState;
  /** Makes a connection's schema cache ready now. */
  setSchemaReady(connectionId: string): void;
  /** Adds a schema to one connection's source (its bulk syncs discover it; see the catalog). */
  addSourceSchema(connectionId: string, schema: CatalogSchemaInput): void;
  /** Adds a field to a schema of one connection's source. */
  addSourceField(connectionId: string, schemaId: string, field: CatalogFieldInput): void;
  close(): Promise<void>;
}
