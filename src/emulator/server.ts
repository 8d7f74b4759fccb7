import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultInjector, FaultPlan } from "./faults";
import { ApiError, type HandlerResult, type RouteSettings } from "./http";
import { type IdempotencyStore, isValidIdempotencyKey } from "./idempotency";
import { DEFAULT_API_VERSION } from "./identity";
import type { RateLimiter } from "./rate-limit";
import type { Router } from "./router";
import type { EmulatorState } from "./state";
import type { RecordedRequest } from "./types";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface PipelineDeps {
  router: Router;
  state: EmulatorState;
  settings: RouteSettings;
  apiKeys: ReadonlySet<string>;
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

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
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

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * The request pipeline:
 * rate limit → fault plan (terminal faults: status / drop-before-commit / hang, after any latency) → auth →
 * routing → Idempotency-Key (POST only: replay, 409 while in flight, or begin) → latency → JSON body →
 * handler → record the idempotency outcome → persist → answer (or drop the socket for drop-after-commit).
 */
export function createRequestHandler(deps: PipelineDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const key = header(req, "idempotency-key");
    const record: RecordedRequest = { method, path, query: url.search.replace(/^\?/, ""), status: 0 };
    if (key !== undefined) record.idempotencyKey = key;
    deps.requests.push(record);
    const version = header(req, "x-polytomic-version") || DEFAULT_API_VERSION;

    const log = (what: string) => {
      deps.log?.(
        `${method} ${path}${url.search} ${what} ${Date.now() - startedAt}ms${record.fault ? ` fault=${record.fault}` : ""}`,
      );
    };
    const send = (outcome: Outcome) => {
      record.status = outcome.status;
      if (res.destroyed) return;
      res.writeHead(outcome.status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(outcome.body),
        "X-Polytomic-Version": version,
        ...outcome.headers,
      });
      res.end(outcome.body);
      log(String(outcome.status));
    };
    const drop = (status: number) => {
      record.status = status;
      req.socket.destroy();
      log("dropped");
    };

    let text: string;
    try {
      text = await readBody(req);
    } catch (e) {
      send(errorOutcome(e instanceof ApiError ? e : new ApiError(400, "bad_request", "could not read body")));
      return;
    }
    const parsed = parseJson(text);
    const recordedBody = parsed.ok ? parsed.value : text;
    if (recordedBody !== undefined) record.body = recordedBody;

    if (deps.rateLimiter !== undefined) {
      const decision = deps.rateLimiter.check(Date.now());
      if (!decision.ok) {
        send(
          errorOutcome(new ApiError(429, "rate_limited", "too many requests"), {
            "Retry-After": String(decision.retryAfterSeconds),
          }),
        );
        return;
      }
    }

    const plan: FaultPlan = deps.faults.plan(method, path);
    if (plan.kinds.length > 0) record.fault = plan.kinds.join("+");
    const terminal = plan.terminal;
    if (terminal !== undefined && terminal.kind !== "drop-after-commit") {
      if (plan.latencyMs > 0) await deps.sleep(plan.latencyMs);
      if (terminal.kind === "drop-before-commit") {
        drop(0);
      } else if (terminal.kind === "hang") {
        log("hanging");
      } else {
        const status = terminal.status ?? 503;
        const headers: Record<string, string> = {};
        if (terminal.retryAfter !== undefined) headers["Retry-After"] = terminal.retryAfter;
        send(
          errorOutcome(new ApiError(status, "injected_fault", `injected fault: status ${status}`), headers),
        );
      }
      return;
    }

    /** Every answer after the fault plan: pending latency first, then drop (drop-after-commit) or send. */
    let delayed = plan.latencyMs <= 0;
    const delay = async () => {
      if (!delayed) {
        delayed = true;
        await deps.sleep(plan.latencyMs);
      }
    };
    const finish = async (outcome: Outcome) => {
      await delay();
      if (terminal?.kind === "drop-after-commit") drop(outcome.status);
      else send(outcome);
    };

    if (path.startsWith("/api/") || path === "/api") {
      const auth = header(req, "authorization") ?? "";
      const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
      if (match === null || !deps.apiKeys.has(match[1] ?? "")) {
        await finish(
          errorOutcome(new ApiError(401, "unauthorized", "missing or invalid API key"), {
            "WWW-Authenticate": "Bearer",
          }),
        );
        return;
      }
    }

    if (method === "GET" && path === "/healthz") {
      await finish({ status: 200, body: JSON.stringify({ status: "ok" }), headers: {} });
      return;
    }

    const route = deps.router.match(method, path);
    if (route.kind === "not-found") {
      await finish(errorOutcome(new ApiError(404, "not_found", `no route for ${method} ${path}`)));
      return;
    }
    if (route.kind === "method-not-allowed") {
      await finish(
        errorOutcome(new ApiError(405, "method_not_allowed", `${method} is not allowed on ${path}`), {
          Allow: route.allowed.join(", "),
        }),
      );
      return;
    }

    const idempotent = method === "POST" && key !== undefined;
    if (idempotent) {
      if (!isValidIdempotencyKey(key)) {
        await finish(
          errorOutcome(
            new ApiError(
              400,
              "invalid_idempotency_key",
              "Idempotency-Key must be 8-255 characters of letters, digits, '-' and '_'",
            ),
          ),
        );
        return;
      }
      const begun = deps.idempotency.begin(key);
      if (begun.kind === "in-flight") {
        await finish(
          errorOutcome(
            new ApiError(
              409,
              "idempotency_conflict",
              "a request with this Idempotency-Key is still being processed",
            ),
          ),
        );
        return;
      }
      if (begun.kind === "replay") {
        await finish({
          status: begun.record.status,
          body: begun.record.body,
          headers: { ...begun.record.headers, "Idempotent-Replayed": "true" },
        });
        return;
      }
    }

    // The key is now in flight: a latency fault here is what makes a concurrent retry see 409.
    await delay();

    let outcome: Outcome;
    if (!parsed.ok) {
      outcome = errorOutcome(
        new ApiError(400, "bad_request", `request body is not valid JSON: ${parsed.error}`),
      );
    } else {
      try {
        const result = await route.handler({
          method,
          path,
          query: url.searchParams,
          params: route.params,
          body: parsed.value,
          state: deps.state,
          settings: deps.settings,
          now: Date.now,
        });
        outcome = resultOutcome(result);
      } catch (e) {
        outcome =
          e instanceof ApiError
            ? errorOutcome(e)
            : errorOutcome(new ApiError(500, "internal_error", `internal error: ${(e as Error).message}`));
      }
    }

    if (idempotent) {
      deps.idempotency.complete({
        key,
        method,
        path,
        status: outcome.status,
        body: outcome.body,
        headers: outcome.headers,
        createdAt: Date.now(),
      });
    }
    if (method !== "GET" || idempotent) deps.persist();
    await finish(outcome);
  };
}
