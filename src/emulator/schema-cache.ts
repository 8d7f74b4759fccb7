import type { SchemaCache } from "./state";

export interface SchemaCacheStatus {
  /** `"refreshing"` until ready, then `"fresh"` (the docs' refresh wording). */
  cache_status: "refreshing" | "fresh";
  last_refresh_started: string;
  /** `null` while refreshing; when ready, the moment it became ready (>= started). */
  last_refresh_finished: string | null;
}

/** A cache refresh starting now, ready after `delayMs`. Computed lazily from timestamps: no timers. */
export function startRefresh(now: number, delayMs: number): SchemaCache {
  return { startedAt: now, readyAt: now + Math.max(0, delayMs) };
}

export function isReady(cache: SchemaCache, now: number): boolean {
  return now >= cache.readyAt;
}

export function cacheStatus(cache: SchemaCache, now: number): SchemaCacheStatus {
  const ready = isReady(cache, now);
  return {
    cache_status: ready ? "fresh" : "refreshing",
    last_refresh_started: new Date(cache.startedAt).toISOString(),
    last_refresh_finished: ready ? new Date(cache.readyAt).toISOString() : null,
  };
}

/** Makes a cache ready now (keeps `readyAt >= startedAt`). */
export function markReady(cache: SchemaCache, now: number): void {
  if (cache.readyAt > now) cache.readyAt = Math.max(now, cache.startedAt);
}
