export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A sliding one-second window: at most `perSecond` requests are admitted in any 1000 ms. Rejected requests
 * do not count. `Retry-After` is the whole number of seconds (>= 1) until the oldest admitted request leaves
 * the window.
 */
export class RateLimiter {
  private readonly admitted: number[] = [];

  constructor(private readonly perSecond: number) {}

  check(now: number): RateDecision {
    while (this.admitted.length > 0 && (this.admitted[0] ?? 0) <= now - 1000) this.admitted.shift();
    if (this.admitted.length < this.perSecond) {
      this.admitted.push(now);
      return { ok: true };
    }
    const oldest = this.admitted[0] ?? now;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + 1000 - now) / 1000)) };
  }
}
