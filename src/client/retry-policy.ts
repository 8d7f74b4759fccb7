/**
 * When and how long the client waits before trying a request again. Pure functions; the transport applies them.
 */

/** The retry settings. Every field has a default in {@link DEFAULT_RETRY_POLICY}. */
export interface RetryPolicy {
  /** Attempts in all, the first included. `1` turns retries off. */
  readonly maxAttempts: number;
  /** No retry starts once this much time has passed since the first attempt, nor when its wait would pass it. */
  readonly maxElapsedMs: number;
  /** The first backoff ceiling; it doubles on every retry (full jitter: the wait is random in [0, ceiling]). */
  readonly baseDelayMs: number;
  /** The largest backoff ceiling, and the largest `Retry-After` the client honours. */
  readonly maxDelayMs: number;
  /**
   * Attempts in all when the answers are 429 (rate limited). Counted apart from `maxAttempts`: being asked to
   * wait is not a failure, and many concurrent calls against a low limit need more rounds than errors do.
   * `maxElapsedMs` still bounds them.
   */
  readonly maxRateLimitedAttempts: number;
  /** Statuses retried for every method. */
  readonly retryStatuses: readonly number[];
  /**
   * Statuses retried only where asking again is safe and can help: GET, DELETE and PUT (idempotent by nature);
   * 409 only on a POST that carries an `Idempotency-Key` (its key is still in flight). Never on a POST otherwise:
   * Polytomic answers every retry of a keyed POST with the outcome it recorded for the key ("including error
   * responses such as 500"), and an unkeyed one could be done twice.
   */
  readonly retryStatusesWhenIdempotent: readonly number[];
  /**
   * Statuses never retried, whatever the lists above say: the request itself is wrong, and asking again
   * cannot change the answer (and could hide a configuration error behind a long wait).
   */
  readonly doNotRetry: readonly number[];
}

/** Defaults: 5 attempts within 2 minutes; backoff ceilings 0.5 s, 1 s, 2 s, 4 s, capped at 20 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  maxRateLimitedAttempts: 30,
  maxElapsedMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  retryStatuses: Object.freeze([408, 429, 502, 503, 504]),
  retryStatusesWhenIdempotent: Object.freeze([500, 409]),
  doNotRetry: Object.freeze([400, 401, 403, 404, 422]),
});

/** What happened on one attempt, as far as the retry decision cares. */
export type AttemptOutcome =
  | { readonly kind: "response"; readonly status: number }
  | { readonly kind: "network-error" };

/** The request's traits that decide retries. */
export interface RetryableRequest {
  readonly method: string;
  /** True for a POST that carries an `Idempotency-Key`. */
  readonly keyed: boolean;
}

/**
 * Whether an attempt may be retried, leaving budgets aside.
 * - network errors and timeouts: always (POSTs are always keyed by this client, so a replay cannot duplicate);
 * - 409: only on a keyed POST, where it means "the same key is still in flight";
 * - 500: only on GET, DELETE and PUT (a full replacement). A keyed POST answered 500 fails at once: Polytomic
 *   records the 500 under the key and replays it to every retry, so retrying would only spend the attempts
 *   (see {@link isRecordedFailure}).
 */
export function isRetryable(
  policy: RetryPolicy,
  request: RetryableRequest,
  outcome: AttemptOutcome,
): boolean {
  if (outcome.kind === "network-error") return request.method !== "POST" || request.keyed;
  const { status } = outcome;
  if (policy.doNotRetry.includes(status)) return false;
  if (policy.retryStatuses.includes(status)) return true;
  if (!policy.retryStatusesWhenIdempotent.includes(status)) return false;
  if (status === 409) return request.method === "POST" && request.keyed;
  return request.method !== "POST";
}

/**
 * Whether an answer is a keyed POST's 500, which Polytomic records under the `Idempotency-Key` and replays to every
 * retry. What it did is unknown to the caller: the object may have been created before the error.
 */
export function isRecordedFailure(request: RetryableRequest, outcome: AttemptOutcome): boolean {
  return outcome.kind === "response" && outcome.status === 500 && request.method === "POST" && request.keyed;
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds (never negative), or
 * undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1 for the first retry).
 * - Without `Retry-After`: full jitter over an exponentially growing ceiling.
 * - With it: the server's wait (capped at `maxDelayMs`) plus a random spread over that same growing ceiling, no
 *   longer than the wait itself, so that many calls told to wait the same time do not all come back at the same
 *   instant and collide again.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  if (retryAfterMs === undefined) return Math.floor(random() * ceiling);
  const wait = Math.min(retryAfterMs, policy.maxDelayMs);
  // The spread never exceeds the server's own wait: callers come back within [wait, 2 × wait].
  return wait + Math.floor(random() * Math.min(ceiling, Math.max(wait, policy.baseDelayMs)));
}

/** Merges user settings over the defaults and checks them, naming the bad setting. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  for (const key of [
    "maxAttempts",
    "maxRateLimitedAttempts",
    "maxElapsedMs",
    "baseDelayMs",
    "maxDelayMs",
  ] as const) {
    const v = policy[key];
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`retry.${key} must be a non-negative number, got ${v}`);
  }
  if (policy.maxAttempts < 1) throw new RangeError("retry.maxAttempts must be at least 1");
  return policy;
}
