import { REDACTED, redactText, redactValue } from "./redact";

/** What a {@link PolytomicApiError} says about the request that failed. Never holds headers or the body. */
export interface FailedRequest {
  readonly method: string;
  /** The path without the deployment URL, e.g. `/api/connections/3f0c…`; the query string is kept. */
  readonly path: string;
  /** The `Idempotency-Key` sent with a POST, so a retry by hand can reuse it. */
  readonly idempotencyKey?: string;
  /** How many attempts were made before giving up. */
  readonly attempts: number;
}

/** The fields of Polytomic's `ApiError` body (every one optional), plus the older shapes' texts folded in. */
export interface ApiErrorBody {
  readonly message?: string;
  readonly key?: string;
  readonly status?: number;
  readonly metadata?: Record<string, unknown>;
}

/** Settings for {@link PolytomicApiError}. */
export interface PolytomicApiErrorInit {
  /** HTTP status; 0 when no response arrived (network error or timeout). */
  readonly status: number;
  readonly request: FailedRequest;
  readonly body?: ApiErrorBody;
  /** Overrides the detail after the status (used when there is no API message, e.g. a network error). */
  readonly detail?: string;
  readonly cause?: unknown;
  /** Values that must never appear in the message or metadata (the API key, secret configuration values). */
  readonly secrets?: readonly string[];
}

/**
 * The one error type of this package's HTTP client.
 *
 * Its message reads like `POST /api/connections failed (422): configuration.bucket is required`. Secrets passed in
 * `init.secrets` (always including the API key) are replaced with `[redacted]` in the message and in `metadata`.
 */
export class PolytomicApiError extends Error {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly request: FailedRequest;
  /** The API's `message`, redacted. */
  readonly apiMessage?: string;
  /** The API's machine-readable `key`, e.g. `connection_in_use`. */
  readonly key?: string;
  /** The API's `metadata`, redacted; for a connection in use it holds `used_by`. */
  readonly metadata?: Record<string, unknown>;

  constructor(init: PolytomicApiErrorInit) {
    const secrets = init.secrets ?? [];
    const apiMessage = init.body?.message !== undefined ? redactText(init.body.message, secrets) : undefined;
    const detail = redactText(init.detail ?? apiMessage ?? describeStatus(init.status), secrets);
    const status = init.status === 0 ? "no response" : String(init.status);
    super(`${init.request.method} ${redactText(init.request.path, secrets)} failed (${status}): ${detail}`, {
      cause: init.cause === undefined ? undefined : redactCause(init.cause, secrets),
    });
    this.name = "PolytomicApiError";
    this.status = init.status;
    this.method = init.request.method;
    this.path = redactText(init.request.path, secrets);
    this.request = { ...init.request, path: this.path };
    this.apiMessage = apiMessage;
    this.key = init.body?.key;
    this.metadata = init.body?.metadata === undefined ? undefined : redactValue(init.body.metadata, secrets);
  }
}

function describeStatus(status: number): string {
  if (status === 0) return "no response";
  return `HTTP ${status}`;
}

/** Causes are network errors; keep their class and code but never let a secret ride along in their message. */
function redactCause(cause: unknown, secrets: readonly string[]): unknown {
  if (!(cause instanceof Error)) return typeof cause === "string" ? redactText(cause, secrets) : undefined;
  if (!secrets.some((s) => s.length >= 4 && cause.message.includes(s))) return cause;
  const copy = new Error(redactText(cause.message, secrets));
  copy.name = cause.name;
  return copy;
}

/** Reads Polytomic's error bodies: `ApiError` and the older `{error, code}` and `{error: {message}}` shapes. */
export function parseApiErrorBody(json: unknown): ApiErrorBody | undefined {
  if (json === null || typeof json !== "object") return undefined;
  const o = json as Record<string, unknown>;
  const nested =
    o.error !== null && typeof o.error === "object" ? (o.error as Record<string, unknown>) : undefined;
  const message =
    str(o.message) ??
    str(o.error) ??
    str(nested?.message) ??
    (Array.isArray(o.errors) ? o.errors.join("; ") : undefined);
  const metadata =
    o.metadata !== null && typeof o.metadata === "object" && !Array.isArray(o.metadata)
      ? (o.metadata as Record<string, unknown>)
      : undefined;
  return {
    message,
    key: str(o.key),
    status: typeof o.status === "number" ? o.status : undefined,
    metadata,
  };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export { REDACTED };
