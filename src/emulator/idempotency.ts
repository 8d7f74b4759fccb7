import { IDEMPOTENCY_KEY_PATTERN } from "../wire";
import type { IdempotencyRecord } from "./state";

/** Whether a key follows Polytomic's rule (the pattern the client's generated keys follow too). */
export function isValidIdempotencyKey(key: string): boolean {
  return IDEMPOTENCY_KEY_PATTERN.test(key);
}

/** What {@link IdempotencyStore.begin} found: a new key (now in flight), a recorded outcome, or a key in flight. */
export type IdempotencyBegin =
  | { kind: "new" }
  | { kind: "replay"; record: IdempotencyRecord }
  | { kind: "in-flight" };

/**
 * `Idempotency-Key` bookkeeping. The first request with a key records its outcome (any status, errors
 * included); later requests with the key get that outcome back without acting again, whatever their method,
 * path or body; a request arriving while the first is still being processed is told so (409).
 * Records live in the emulator state (so they persist with `stateFile`); the in-flight set does not.
 */
export class IdempotencyStore {
  private readonly inFlight = new Set<string>();

  constructor(private readonly records: Map<string, IdempotencyRecord>) {}

  begin(key: string): IdempotencyBegin {
    const record = this.records.get(key);
    if (record !== undefined) return { kind: "replay", record };
    if (this.inFlight.has(key)) return { kind: "in-flight" };
    this.inFlight.add(key);
    return { kind: "new" };
  }

  complete(record: IdempotencyRecord): void {
    this.inFlight.delete(record.key);
    this.records.set(record.key, record);
  }

  /** Forget an in-flight key without recording an outcome (the request never committed). */
  abandon(key: string): void {
    this.inFlight.delete(key);
  }
}
