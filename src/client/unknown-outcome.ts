/**
 * The error detail for a POST whose outcome the caller cannot know: Polytomic answered 500 and records that answer
 * under the request's `Idempotency-Key`, so retrying with the key only gets the same 500 back, while the object may
 * have been created before the error. A later run sends a new key, and would create a second object: the detail
 * says how to look first.
 */

import { isPlainObject } from "../wire";

/** What was sent and answered, as far as the advice needs. */
export interface UnknownOutcome {
  /** The request path; a query string is ignored. */
  readonly path: string;
  readonly idempotencyKey: string;
  /** The request body as sent (its `name` identifies the object). */
  readonly sent: unknown;
  /** The response body, parsed (an `id` in it, if Polytomic gave one, identifies the object). */
  readonly answered: unknown;
}

/** `<the API's message>. Polytomic answers every retry … the same 500, …; the connection "x" may have been created: …`. */
export function unknownOutcomeDetail(apiMessage: string | undefined, outcome: UnknownOutcome): string {
  return (
    `${apiMessage ?? "HTTP 500"}. Polytomic answers every retry with Idempotency-Key ${outcome.idempotencyKey} ` +
    `the same 500, so it was not retried; ${howToCheck(outcome)}`
  );
}

/**
 * The advice for a keyed POST that got no answer at all (every attempt dropped or timed out): it may have been
 * committed before the connection broke, and the next `pulumi up` sends a new key.
 */
export function unansweredOutcomeDetail(
  networkError: string,
  outcome: Omit<UnknownOutcome, "answered">,
): string {
  return (
    `${networkError}; no answer arrived for Idempotency-Key ${outcome.idempotencyKey}, so ` +
    howToCheck({ ...outcome, answered: undefined })
  );
}

/** A POST to a collection (`/api/connections`, `/api/syncs/{id}/executions`) creates one of its items. */
function howToCheck({ path, sent, answered }: UnknownOutcome): string {
  const collectionPath = path.split("?")[0] ?? path;
  const collection = collectionPath.split("/").at(-1) ?? "";
  if (!collection.endsWith("s")) return "it may have taken effect: check before trying again";
  const noun = collection.slice(0, -1).replace(/_/g, " ");
  const id = idIn(answered);
  if (id !== undefined) {
    return `the ${noun} ${id} may have been created: check with GET ${collectionPath}/${encodeURIComponent(id)} before trying again`;
  }
  const name = isPlainObject(sent) && typeof sent.name === "string" ? sent.name : undefined;
  if (name !== undefined) {
    return `the ${noun} ${JSON.stringify(name)} may have been created: look for it by name in Polytomic or with GET ${collectionPath} before trying again`;
  }
  return `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun} may have been created: look for it with GET ${collectionPath} before trying again`;
}

/** The object's id if the error answer names one (`data.id`, or `metadata.id` in Polytomic's ApiError body). */
function idIn(answered: unknown): string | undefined {
  if (!isPlainObject(answered)) return undefined;
  for (const holder of [answered.data, answered.metadata]) {
    if (isPlainObject(holder) && typeof holder.id === "string" && holder.id !== "") return holder.id;
  }
  return undefined;
}
