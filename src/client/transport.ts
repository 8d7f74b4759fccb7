import { Agent, type Dispatcher, request } from "undici";
import type { ZodType } from "zod";
import { PACKAGE_VERSION } from "../version";
import { API_VERSION } from "../wire";
import { normalizeDeploymentUrl } from "./deployment-url";
import { type FailedRequest, PolytomicApiError, parseApiErrorBody } from "./errors";
import { newIdempotencyKey } from "./idempotency";
import { expandSecrets } from "./redact";
import {
  isRecordedFailure,
  isRetryable,
  parseRetryAfter,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelayMs,
} from "./retry-policy";
import { unansweredOutcomeDetail, unknownOutcomeDetail } from "./unknown-outcome";

/** One line of the request log: one per attempt, never with headers or bodies. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The response status, or 0 when no response arrived. */
  readonly status: number;
  /** The network error's name and code when no response arrived. */
  readonly error?: string;
  readonly durationMs: number;
  readonly idempotencyKey?: string;
  /** Set when another attempt follows: how long the client waits first. */
  readonly retryInMs?: number;
}

/** Settings for {@link HttpTransport}. */
export interface TransportOptions {
  /**
   * The key: a Polytomic API key, or a partner or deployment key. Sent as `Authorization: Bearer <apiKey>`, or as
   * HTTP Basic when {@link organizationId} is set.
   */
  readonly apiKey: string;
  /**
   * With a partner or deployment key: the organization to act in. The key is then sent as HTTP Basic with the
   * organization id as the user name (`Authorization: Basic base64("<organizationId>:<key>")`), the way Polytomic
   * documents organization-scoped calls of those keys.
   */
  readonly organizationId?: string;
  /** Default `https://app.polytomic.com`; a self-hosted deployment or the local emulator otherwise. */
  readonly deploymentUrl?: string;
  /** Default {@link API_VERSION}. */
  readonly apiVersion?: string;
  /** Per-attempt timeout, headers and body included. Default 60 s. */
  readonly timeoutMs?: number;
  /** Retry settings over {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** The connection pool; default one keep-alive `Agent` shared by every client in the process. */
  readonly dispatcher?: Dispatcher;
  /** Receives one entry per attempt. */
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** Test seams: the clock, the wait and the jitter source. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** One logical call. */
export interface CallOptions<T> {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Validates the `data` of the response envelope. Without it the call expects no particular body. */
  readonly schema?: ZodType<T>;
  /** The response is the value itself, without the `{data}` envelope (global error subscribers). */
  readonly bare?: boolean;
  /** Values to redact from errors besides the API key (e.g. secret configuration values sent in the body). */
  readonly secrets?: readonly string[];
  /** A POST's key; generated when absent. The same key is sent on every retry of the call. */
  readonly idempotencyKey?: string;
}

let sharedAgent: Agent | undefined;

/** The process-wide keep-alive pool: created on first use, so importing the package opens nothing. */
function defaultDispatcher(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  return sharedAgent;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends requests to the Polytomic API: headers, the `{data}` envelope, error mapping, idempotency keys and retries.
 * The body is serialised once per logical call, so every retry sends the same bytes.
 */
export class HttpTransport {
  readonly baseUrl: string;
  private readonly apiKey: string;
  /** The `Authorization` header's value (Bearer, or Basic with the organization id). */
  private readonly authorization: string;
  private readonly apiVersion: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly dispatcher: Dispatcher;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
      throw new Error("apiKey is required");
    }
    this.options = options;
    this.apiKey = options.apiKey.trim();
    const organizationId = options.organizationId?.trim();
    this.authorization =
      organizationId === undefined || organizationId === ""
        ? `Bearer ${this.apiKey}`
        : `Basic ${Buffer.from(`${organizationId}:${this.apiKey}`).toString("base64")}`;
    this.baseUrl = normalizeDeploymentUrl(options.deploymentUrl);
    this.apiVersion = options.apiVersion ?? API_VERSION;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.policy = resolveRetryPolicy(options.retry);
    this.dispatcher = options.dispatcher ?? defaultDispatcher();
  }

  /** Sends one logical call, retrying per the policy, and returns the validated `data` of the response. */
  async call<T = unknown>(method: string, path: string, options: CallOptions<T> = {}): Promise<T> {
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? delay;
    const random = this.options.random ?? Math.random;
    // The header's credential too: a Basic one is the key in another spelling.
    const credential = this.authorization.slice(this.authorization.indexOf(" ") + 1);
    const secrets = expandSecrets([this.apiKey, credential, ...(options.secrets ?? [])]);
    const pathWithQuery = path + buildQuery(options.query);
    const idempotencyKey = method === "POST" ? (options.idempotencyKey ?? newIdempotencyKey()) : undefined;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers = this.headers(idempotencyKey, body !== undefined);
    const started = now();

    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = now();
      const outcome = await this.attempt(method, pathWithQuery, headers, body);
      const durationMs = now() - attemptStarted;
      const failed: AttemptResult | undefined =
        outcome.kind === "network-error" || outcome.status >= 300 ? outcome : undefined;
      // 429s have their own budget: being asked to wait is not a failure.
      const isRateLimited = failed?.kind === "response" && failed.status === 429;
      if (isRateLimited) rateLimited++;
      const withinBudget = isRateLimited
        ? rateLimited < this.policy.maxRateLimitedAttempts
        : attempt - rateLimited < this.policy.maxAttempts;
      let retryInMs: number | undefined;
      if (failed !== undefined && withinBudget) {
        const retryable = isRetryable(this.policy, { method, keyed: idempotencyKey !== undefined }, failed);
        if (retryable) {
          const retryAfter =
            failed.kind === "response" ? parseRetryAfter(failed.retryAfter, now()) : undefined;
          const wait = retryDelayMs(this.policy, attempt, retryAfter, random);
          if (now() - started + wait <= this.policy.maxElapsedMs) retryInMs = wait;
        }
      }
      this.options.onRequest?.({
        method,
        path: pathWithQuery,
        attempt,
        status: outcome.kind === "response" ? outcome.status : 0,
        ...(outcome.kind === "network-error" ? { error: describeNetworkError(outcome.error) } : {}),
        durationMs,
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      const request = { method, path: pathWithQuery, attempts: attempt, idempotencyKey };
      if (failed === undefined && outcome.kind === "response") {
        return this.unwrap(outcome, options.schema, request, secrets, options.bare === true);
      }
      if (retryInMs === undefined) throw toError(outcome, request, secrets, options.body);
      await sleep(retryInMs);
    }
  }

  private headers(idempotencyKey: string | undefined, hasBody: boolean): Record<string, string> {
    return {
      authorization: this.authorization,
      "x-polytomic-version": this.apiVersion,
      "user-agent": `pulumi-polytomic/${PACKAGE_VERSION}`,
      accept: "application/json",
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...(idempotencyKey !== undefined ? { "idempotency-key": idempotencyKey } : {}),
    };
  }

  private async attempt(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<AttemptResult> {
    try {
      const res = await request(this.baseUrl + path, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.body.text();
      const retryAfter = res.headers["retry-after"];
      return {
        kind: "response",
        status: res.statusCode,
        text,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      };
    } catch (error) {
      return { kind: "network-error", error };
    }
  }

  private unwrap<T>(
    outcome: ResponseAttempt,
    schema: ZodType<T> | undefined,
    request: FailedRequest,
    secrets: readonly string[],
    bare = false,
  ): T {
    if (schema === undefined) return undefined as T;
    const json = parseJson(outcome.text);
    const envelope =
      json !== null && typeof json === "object" ? (json as Record<string, unknown>) : undefined;
    const parsed = schema.safeParse(bare ? envelope : envelope?.data);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${["data", ...i.path].join(".")}: ${i.message}`)
      .join("; ");
    throw new PolytomicApiError({
      status: outcome.status,
      request,
      body: { key: "invalid_response" },
      detail: `unexpected response body: ${envelope === undefined ? "not a JSON object" : problems}`,
      secrets,
    });
  }
}

type ResponseAttempt = { kind: "response"; status: number; text: string; retryAfter?: string };
type AttemptResult = ResponseAttempt | { kind: "network-error"; error: unknown };

/** The error for the last attempt; `sent` is the request body, named in the advice after a keyed POST's 500. */
function toError(
  outcome: AttemptResult,
  request: FailedRequest,
  secrets: readonly string[],
  sent: unknown,
): PolytomicApiError {
  if (outcome.kind === "network-error") {
    const { idempotencyKey } = request;
    const networkError = describeNetworkError(outcome.error);
    return new PolytomicApiError({
      status: 0,
      request,
      detail:
        request.method === "POST" && idempotencyKey !== undefined
          ? unansweredOutcomeDetail(networkError, { path: request.path, idempotencyKey, sent })
          : networkError,
      cause: outcome.error,
      secrets,
    });
  }
  const answered = parseJson(outcome.text);
  const body = parseApiErrorBody(answered);
  const { idempotencyKey } = request;
  const recorded = isRecordedFailure(
    { method: request.method, keyed: idempotencyKey !== undefined },
    outcome,
  );
  return new PolytomicApiError({
    status: outcome.status,
    request,
    body,
    ...(recorded && idempotencyKey !== undefined
      ? {
          detail: unknownOutcomeDetail(body?.message, { path: request.path, idempotencyKey, sent, answered }),
        }
      : {}),
    secrets,
  });
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "request timed out";
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const detail =
      typeof code === "string" ? code : typeof cause?.code === "string" ? cause.code : error.message;
    return `network error (${detail})`;
  }
  return "network error";
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function buildQuery(query: CallOptions<unknown>["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}
