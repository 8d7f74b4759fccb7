import { randomUUID } from "node:crypto";

export { IDEMPOTENCY_KEY_PATTERN } from "../wire";

/** A fresh key for one logical POST; the transport reuses it on every retry of that call. */
export function newIdempotencyKey(): string {
  return `pulumi-polytomic-${randomUUID()}`;
}
