import type { IncomingMessage, ServerResponse } from "node:http";
import { API_VERSION } from "../wire";
import { type Caller, callerOf, refusal, scopedState } from "./admin-state";
import { type FaultInjector, type FaultPlan, faultStatus, reachesApplication } from "./faults";
import { ApiError, badRequest, type HandlerResult, type RouteSettings } from "./http";
import { type IdempotencyStore, isValidIdempotencyKey } from "./idempotency";
import type { RateLimiter } from "./rate-limit";
import type { FoundRoute, Router } from "./router";
import type { EmulatorState } from "./state";
import type { FaultRule, RecordedRequest } from "./types";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** What the request pipeline needs from the running emulator. */
export interface PipelineDeps {
  router: Router;
  state: EmulatorState;
  settings: RouteSettings;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  rateLimiter?: RateLimiter;
  requests: RecordedRequest[];
  /** Called after anything changed (state or idempotency records). */
  persist(): void;
  sleep(ms: number): Promise<void>;
  log?: (line: string) => void;
}

/** A complete answer: status, exact body text and headers. */
interface Outcome {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** How a request ends: an answer, a dropped socket (`status` is what the request log records), or silence. */
type Reply = { kind: "send"; outcome: Outcome } | { kind: "drop"; status: number } | { kind: "hang" };

/** The request body as JSON, or why it is not JSON. */
type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

/** One request on its way through the pipeline: what it is, and what the steps have learned so far. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly deps: PipelineDeps;
  readonly startedAt: number;
  readonly method: string;
  readonly url: URL;
  /** The path without trailing slashes. */
  readonly path: string;
  /** Answered in `X-Polytomic-Version`. */
  readonly version: string;
  /** The `Idempotency-Key` header as sent, if any. */
  readonly key: string | undefined;
  /** This request's entry in `deps.requests`. */
  readonly record: RecordedRequest;
  /** Set by readRequest. */
  body: ParsedBody;
  /** No faults until applyFaultPlan has run. */
  plan: FaultPlan;
  /** Whether the plan's latency has been waited out. */
  latencyServed: boolean;
  /** Set by authenticate, for `/api` paths: who makes the request. */
  caller?: Caller;
  /** Set by findRoute. */
  route?: FoundRoute;
  /** The `Idempotency-Key` this request holds in flight: its outcome is recorded under it. */
  heldKey?: string;
  /** The application's answer, set by runHandler. */
  outcome?: Outcome;
}

/** A pipeline step: answers now (a {@link Reply}, which ends the pipeline) or passes on ({@link PASS_ON}). */
type Step = (ex: Exchange) => Reply | undefined | Promise<Reply | undefined>;

/** What a step returns to hand the request to the next step. */
const PASS_ON = undefined;

/**
 * The request pipeline, top to bottom. Faults sit where they happen: the rate limiter and the faults in front of
 * Polytomic's application (drop-before-commit, hang, gateway statuses such as 502/503/504) answer before
 * authentication and are never recorded under an Idempotency-Key; a latency fault is served while the request
 * holds its key, so a concurrent retry sees 409; an application fault (a 500) takes the handler's place, so it is
 * recorded and replayed like any outcome; drop-after-commit runs everything and drops the socket instead of
 * answering.
 */
const PIPELINE: readonly Step[] = [
  readRequest,
  rateLimit,
  applyFaultPlan,
  authenticate,
  healthCheck,
  findRoute,
  authorize,
  beginIdempotency,
  serveLatency,
  failInApplication,
  runHandler,
  completeIdempotency,
  persistChanges,
  answer,
];

/** The emulator's HTTP handler: every request runs {@link PIPELINE} until a step answers. */
export function createRequestHandler(deps: PipelineDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ex = openExchange(req, res, deps);
    for (const step of PIPELINE) {
      const verdict = await step(ex);
      if (verdict !== PASS_ON) {
        await deliver(ex, verdict);
        return;
      }
    }
  };
}

/** A request as it arrives, logged at once (status 0 until answered). */
function openExchange(req: IncomingMessage, res: ServerResponse, deps: PipelineDeps): Exchange {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  const key = header(req, "idempotency-key");
  const record: RecordedRequest = { method, path, query: url.search.replace(/^\?/, ""), status: 0 };
  if (key !== undefined) record.idempotencyKey = key;
  deps.requests.push(record);
  return {
    req,
    res,
    deps,
    startedAt: Date.now(),
    method,
    url,
    path,
    // Plays the server: it answers the version the client asked for, and the package's own by default.
    version: header(req, "x-polytomic-version") || API_VERSION,
    key,
    record,
    body: { ok: true, value: undefined },
    plan: { latencyMs: 0, kinds: [] },
    latencyServed: false,
  };
}

// ---- The steps, in pipeline order ----

/** Reads the whole body (413 beyond 5 MiB) and keeps it in the request log, parsed when it is JSON. */
async function readRequest(ex: Exchange): Promise<Reply | undefined> {
  let text: string;
  try {
    text = await readBody(ex.req);
  } catch (e) {
    return replyError(e instanceof ApiError ? e : badRequest("could not read body"));
  }
  ex.body = parseJson(text);
  const recorded = ex.body.ok ? ex.body.value : text;
  if (recorded !== undefined) ex.record.body = recorded;
  return PASS_ON;
}

/** 429 with `Retry-After` beyond the configured requests per second. */
function rateLimit(ex: Exchange): Reply | undefined {
  const decision = ex.deps.rateLimiter?.check(Date.now());
  if (decision === undefined || decision.ok) return PASS_ON;
  return replyError(new ApiError(429, "rate_limited", "too many requests"), {
    "Retry-After": String(decision.retryAfterSeconds),
  });
}

/** Draws this request's faults (logged with it) and answers the ones that end it in front of the application. */
function applyFaultPlan(ex: Exchange): Reply | undefined {
  ex.plan = ex.deps.faults.plan(ex.method, ex.path);
  if (ex.plan.kinds.length > 0) ex.record.fault = ex.plan.kinds.join("+");
  return terminalFaultReply(ex.plan.terminal);
}

/**
 * Every `/api` path needs a known key: an API key as Bearer, or a partner or deployment key as Bearer or as HTTP
 * Basic with an organization id as the user name (admin-state.ts). The request log records who the caller is (the
 * key's identity and organization), never the key.
 */
function authenticate(ex: Exchange): Reply | undefined {
  if (ex.path !== "/api" && !ex.path.startsWith("/api/")) return PASS_ON;
  const caller = callerOf(ex.deps.state.admin, header(ex.req, "authorization"));
  if (caller instanceof ApiError) {
    return replyError(caller, caller.status === 401 ? { "WWW-Authenticate": "Bearer" } : {});
  }
  ex.caller = caller;
  // Not enumerable: a log line's own fields stay what they were (`{method, path, query, status, …}`).
  Object.defineProperty(ex.record, "caller", {
    value: {
      keyId: caller.keyId,
      kind: caller.kind,
      organizationId: caller.organizationId,
      ...(caller.userId === undefined ? {} : { userId: caller.userId }),
    },
    enumerable: false,
  });
  return PASS_ON;
}

/** `GET /healthz`, outside the API, for whoever starts the emulator and waits for it. */
function healthCheck(ex: Exchange): Reply | undefined {
  if (ex.method !== "GET" || ex.path !== "/healthz") return PASS_ON;
  return reply({ status: 200, body: JSON.stringify({ status: "ok" }), headers: {} });
}

/** 404 for an unknown path, 405 (with `Allow`) for a known path with another method. */
function findRoute(ex: Exchange): Reply | undefined {
  const match = ex.deps.router.match(ex.method, ex.path);
  switch (match.kind) {
    case "found":
      ex.route = match;
      return PASS_ON;
    case "not-found":
      return replyError(new ApiError(404, "not_found", `no route for ${ex.method} ${ex.path}`));
    case "method-not-allowed":
      return replyError(
        new ApiError(405, "method_not_allowed", `${ex.method} is not allowed on ${ex.path}`),
        {
          Allow: match.allowed.join(", "),
        },
      );
  }
}

/** Who may call the route (its access: organization, partner or any): 403 for the others. */
function authorize(ex: Exchange): Reply | undefined {
  const refused =
    ex.caller === undefined || ex.route === undefined ? undefined : refusal(ex.caller, ex.route.access);
  return refused === undefined ? PASS_ON : replyError(refused);
}

/**
 * `Idempotency-Key` on a POST (the documented method; other methods ignore it): a malformed key is 400, a key
 * with a recorded outcome gets that outcome again, a key still in flight gets 409; otherwise this request holds
 * the key until its outcome is recorded.
 */
function beginIdempotency(ex: Exchange): Reply | undefined {
  const key = ex.key;
  if (ex.method !== "POST" || key === undefined) return PASS_ON;
  if (!isValidIdempotencyKey(key)) {
    return replyError(
      new ApiError(
        400,
        "invalid_idempotency_key",
        "Idempotency-Key must be 8-255 characters of letters, digits, '-' and '_'",
      ),
    );
  }
  // Keys are the caller's: another organization's key never replays this one's outcome.
  const scoped = `${ex.caller?.scoped === false ? ex.caller.keyId : (ex.caller?.organizationId ?? "")}/${key}`;
  const begun = ex.deps.idempotency.begin(scoped);
  switch (begun.kind) {
    case "in-flight":
      return replyError(
        new ApiError(
          409,
          "idempotency_conflict",
          "a request with this Idempotency-Key is still being processed",
        ),
      );
    case "replay": {
      const { status, body, headers } = begun.record;
      return reply({ status, body, headers: { ...headers, "Idempotent-Replayed": "true" } });
    }
    case "new":
      ex.heldKey = scoped;
      return PASS_ON;
  }
}

/** Waits out the plan's latency once; here, the key is in flight, which is what makes a concurrent retry see 409. */
async function serveLatency(ex: Exchange): Promise<undefined> {
  if (!ex.latencyServed && ex.plan.latencyMs > 0) await ex.deps.sleep(ex.plan.latencyMs);
  ex.latencyServed = true;
  return PASS_ON;
}

/** An application fault (see `FaultRule.reachesApplication`) is the outcome in the handler's place. */
function failInApplication(ex: Exchange): undefined {
  const rule = ex.plan.terminal;
  if (rule !== undefined && reachesApplication(rule)) {
    ex.outcome = errorOutcome(injectedStatusError(rule), retryAfterHeader(rule));
  }
  return PASS_ON;
}

/**
 * Unless an application fault made the outcome already, the route's handler makes it: its result, its ApiError,
 * or 500 for anything else it throws.
 */
async function runHandler(ex: Exchange): Promise<undefined> {
  if (ex.outcome !== undefined) return PASS_ON;
  ex.outcome = ex.body.ok
    ? await handlerOutcome(ex, ex.body.value)
    : errorOutcome(badRequest(`request body is not valid JSON: ${ex.body.error}`));
  return PASS_ON;
}

/** Records the outcome under the key this request holds, so every later request with it gets the same. */
function completeIdempotency(ex: Exchange): undefined {
  if (ex.heldKey !== undefined && ex.outcome !== undefined) {
    ex.deps.idempotency.complete({
      key: ex.heldKey,
      method: ex.method,
      path: ex.path,
      ...ex.outcome,
      createdAt: Date.now(),
    });
  }
  return PASS_ON;
}

/** Anything but a read may have changed the state or recorded a key: save it (when a state file is set). */
function persistChanges(ex: Exchange): undefined {
  if (ex.method !== "GET" || ex.heldKey !== undefined) ex.deps.persist();
  return PASS_ON;
}

/** Answers the outcome runHandler made. */
function answer(ex: Exchange): Reply {
  return reply(ex.outcome!);
}

// ---- Answering ----

/**
 * Ends the request: the plan's latency first if it is still owed, then the reply, except that a
 * drop-after-commit fault drops the socket instead of sending (recording the status it would have sent).
 */
async function deliver(ex: Exchange, verdict: Reply): Promise<void> {
  await serveLatency(ex);
  if (verdict.kind === "hang") {
    log(ex, "hanging");
  } else if (verdict.kind === "drop") {
    drop(ex, verdict.status);
  } else if (ex.plan.terminal?.kind === "drop-after-commit") {
    drop(ex, verdict.outcome.status);
  } else {
    writeOutcome(ex, verdict.outcome);
  }
}

function writeOutcome(ex: Exchange, outcome: Outcome): void {
  ex.record.status = outcome.status;
  if (ex.res.destroyed) return;
  ex.res.writeHead(outcome.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(outcome.body),
    "X-Polytomic-Version": ex.version,
    ...outcome.headers,
  });
  ex.res.end(outcome.body);
  log(ex, String(outcome.status));
}

function drop(ex: Exchange, status: number): void {
  ex.record.status = status;
  ex.req.socket.destroy();
  log(ex, "dropped");
}

function log(ex: Exchange, what: string): void {
  const fault = ex.record.fault ? ` fault=${ex.record.fault}` : "";
  ex.deps.log?.(`${ex.method} ${ex.path}${ex.url.search} ${what} ${Date.now() - ex.startedAt}ms${fault}`);
}

// ---- Helpers ----

/** The reply to a terminal fault that ends the request before Polytomic's application sees it, if any. */
function terminalFaultReply(rule: FaultRule | undefined): Reply | undefined {
  switch (rule?.kind) {
    case "drop-before-commit":
      return { kind: "drop", status: 0 };
    case "hang":
      return { kind: "hang" };
    case "status":
      // An application fault is answered by failInApplication instead.
      return reachesApplication(rule)
        ? PASS_ON
        : replyError(injectedStatusError(rule), retryAfterHeader(rule));
    default:
      // No fault, or drop-after-commit: that one lets the request through and acts when answering.
      return PASS_ON;
  }
}

function injectedStatusError(rule: FaultRule): ApiError {
  const status = faultStatus(rule);
  return new ApiError(status, "injected_fault", `injected fault: status ${status}`);
}

function retryAfterHeader(rule: FaultRule): Record<string, string> {
  return rule.retryAfter === undefined ? {} : { "Retry-After": rule.retryAfter };
}

async function handlerOutcome(ex: Exchange, body: unknown): Promise<Outcome> {
  // findRoute ran before: it answers every request it finds no route for.
  const route = ex.route!;
  const caller = ex.caller;
  try {
    const result = await route.handler({
      method: ex.method,
      path: ex.path,
      query: ex.url.searchParams,
      params: route.params,
      body,
      // Organization-scoped routes see only the caller's organization.
      state:
        caller !== undefined && route.access === "organization"
          ? scopedState(ex.deps.state, caller.organizationId)
          : ex.deps.state,
      settings: ex.deps.settings,
      now: Date.now,
      ...(caller === undefined ? {} : { caller }),
    });
    return resultOutcome(result);
  } catch (e) {
    return errorOutcome(
      e instanceof ApiError
        ? e
        : new ApiError(500, "internal_error", `internal error: ${(e as Error).message}`),
    );
  }
}

/** The reply that sends an outcome. */
function reply(outcome: Outcome): Reply {
  return { kind: "send", outcome };
}

/** The reply that sends an error as Polytomic's `ApiError` body. */
function replyError(error: ApiError, headers: Record<string, string> = {}): Reply {
  return reply(errorOutcome(error, headers));
}

function errorOutcome(error: ApiError, headers: Record<string, string> = {}): Outcome {
  return { status: error.status, body: JSON.stringify(error.toBody()), headers };
}

function resultOutcome(result: HandlerResult): Outcome {
  return {
    status: result.status,
    body: result.body === undefined ? "" : JSON.stringify(result.body),
    headers: result.headers ?? {},
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, "payload_too_large", "request body too large"));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function parseJson(text: string): ParsedBody {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
