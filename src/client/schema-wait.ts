import type { SchemaCacheStatus } from "../api";

/**
 * Whether a schema cache is ready. Polytomic's docs name the values four ways (`refreshing`→`fresh`, `cached`,
 * `true`, a `completed` status), so the test leans on the timestamps: a refresh has finished, not before it
 * started, and the cache does not say it is refreshing.
 */
export function isSchemaCacheReady(status: SchemaCacheStatus): boolean {
  const cache = status.cache_status?.toLowerCase();
  if (cache === "refreshing" || cache === "false" || cache === "error" || cache === "failed") return false;
  if (status.last_refresh_finished === undefined)
    return cache === "fresh" || cache === "cached" || cache === "true";
  if (status.last_refresh_started === undefined) return true;
  return Date.parse(status.last_refresh_finished) >= Date.parse(status.last_refresh_started);
}

/** Settings of {@link waitForSchemaCache}. */
export interface SchemaWaitOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** The first wait between polls. Default 1 s. */
  readonly initialIntervalMs?: number;
  /** The longest wait between polls. Default 30 s. */
  readonly maxIntervalMs?: number;
  /**
   * The wait never exceeds this share of the time waited so far (plus the initial interval), so a cache that
   * becomes ready is noticed within about 10% of the wait. Default 0.1.
   */
  readonly proportionalCap?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How a wait ended. */
export type SchemaWaitResult =
  | { readonly ready: true; readonly polls: number; readonly waitedMs: number }
  | {
      readonly ready: false;
      readonly polls: number;
      readonly waitedMs: number;
      readonly last?: SchemaCacheStatus;
      readonly reason: string;
    };

/**
 * Polls a schema-cache status until it is ready or the timeout passes. The interval grows by half each poll
 * (capped at `maxIntervalMs`, and at `proportionalCap` × elapsed + `initialIntervalMs`). Errors from `poll`
 * propagate: the caller decides what a failed poll means.
 */
export async function waitForSchemaCache(
  poll: () => Promise<SchemaCacheStatus>,
  options: SchemaWaitOptions,
): Promise<SchemaWaitResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const nextWait = pollIntervals(options);
  const started = now();
  let polls = 0;
  let last: SchemaCacheStatus | undefined;
  for (;;) {
    last = await poll();
    polls++;
    const waitedMs = now() - started;
    if (isSchemaCacheReady(last)) return { ready: true, polls, waitedMs };
    const remaining = options.timeoutMs - waitedMs;
    if (remaining <= 0) {
      return {
        ready: false,
        polls,
        waitedMs,
        last,
        reason: `schema cache not ready after ${Math.round(waitedMs / 1000)} s (cache_status: ${last.cache_status ?? "unknown"})`,
      };
    }
    await sleep(nextWait(waitedMs, remaining));
  }
}

/** The wait used when none is given. */
export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The polling policy of every schema wait: the interval starts at `initialIntervalMs`, grows by half each time,
 * never exceeds `maxIntervalMs`, nor `initialIntervalMs` + `proportionalCap` × the time waited so far, nor the
 * time remaining. Returns the function giving the next wait (it keeps the growing interval).
 */
export function pollIntervals(
  options: Pick<SchemaWaitOptions, "initialIntervalMs" | "maxIntervalMs" | "proportionalCap">,
): (waitedMs: number, remainingMs: number) => number {
  const initial = options.initialIntervalMs ?? 1000;
  const maxInterval = options.maxIntervalMs ?? 30_000;
  const share = options.proportionalCap ?? 0.1;
  let interval = initial;
  return (waitedMs, remainingMs) => {
    const wait = Math.min(interval, maxInterval, initial + share * waitedMs, remainingMs);
    interval = Math.min(interval * 1.5, maxInterval);
    return wait;
  };
}
