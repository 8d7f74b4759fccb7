import { SCHEMA_CACHE_NOT_READY_MESSAGES } from "../api/bulk-sync-enums";
import { PolytomicApiError } from "./errors";
import { defaultSleep, pollIntervals, type SchemaWaitOptions } from "./schema-wait";

/**
 * Whether an error says that a connection's schema cache is not ready yet: a 400 or 422 whose message holds
 * "cache refresh in progress" or "did not provide any schemas" (what Polytomic's Terraform provider retries on), or
 * whose key is `cache_refresh_in_progress`. Any other 400 or 422 is a real rejection.
 */
export function isSchemaCacheNotReady(error: unknown): error is PolytomicApiError {
  if (!(error instanceof PolytomicApiError) || (error.status !== 400 && error.status !== 422)) return false;
  if (error.key === "cache_refresh_in_progress") return true;
  const message = (error.apiMessage ?? "").toLowerCase();
  return SCHEMA_CACHE_NOT_READY_MESSAGES.some((m) => message.includes(m));
}

/** Thrown by {@link retryWhileSchemaCacheRefreshes} when the cache was still not ready when the time ran out. */
export class SchemaCacheTimeoutError extends Error {
  constructor(
    readonly attempts: number,
    readonly waitedMs: number,
    readonly last: PolytomicApiError,
  ) {
    super(
      `the source connection's schema cache was still not ready after ${Math.round(waitedMs / 1000)} s and ` +
        `${attempts} attempts (${last.message})`,
      { cause: last },
    );
    this.name = "SchemaCacheTimeoutError";
  }
}

/**
 * Runs `attempt` and, while it fails because a schema cache is not ready ({@link isSchemaCacheNotReady}), waits
 * and runs it again, with the same polling policy as {@link waitForSchemaCache} (first retry after
 * `initialIntervalMs`, growing by half, capped), until `timeoutMs` has passed; then throws
 * {@link SchemaCacheTimeoutError}. Every other error is thrown at once.
 *
 * Each attempt must be a new request with a NEW `Idempotency-Key`: Polytomic replays the first outcome recorded
 * for a key, error answers included, so retrying a create with the key of its 400 would get that 400 back for as
 * long as the key is kept (at least 24 hours). A new key is safe here because a 400 or 422 means nothing was
 * created. The client's calls generate a fresh key per call (and reuse it only across their own transport
 * retries, where the first outcome may have been lost).
 */
export async function retryWhileSchemaCacheRefreshes<T>(
  attempt: () => Promise<T>,
  options: SchemaWaitOptions & { onRetry?: (error: PolytomicApiError, waitMs: number) => void },
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const nextWait = pollIntervals(options);
  const started = now();
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSchemaCacheNotReady(error)) throw error;
      const waitedMs = now() - started;
      const remaining = options.timeoutMs - waitedMs;
      if (remaining <= 0) throw new SchemaCacheTimeoutError(attempts, waitedMs, error);
      const wait = nextWait(waitedMs, remaining);
      options.onRetry?.(error, wait);
      await sleep(wait);
    }
  }
}
