import { randomUUID } from "node:crypto";

/** Polytomic's rule for `Idempotency-Key`: 8 to 255 characters of letters, digits, `-` and `_`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,255}$/;

/** A fresh key for one logical POST; the transport reuses it on every retry of that call. */
export function newIdempotencyKey(): string {
  return `pulumi-polytomic-${randomUUID()}`;
}
