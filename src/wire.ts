/**
 * What both sides of the wire agree on: the client and the providers (the package) and the emulator (playing
 * Polytomic's server) import these, so a rule cannot drift between the one that sends and the one that answers.
 * Nothing here does I/O or loads a dependency.
 */

import { MODES_NEEDING_IDENTITY } from "./api/sync-enums";

/** The value Polytomic shows in place of a secret on every read (and accepts on update as "keep it"). */
export const MASK = "********";

/** The API version this package speaks (`X-Polytomic-Version`), and the emulator's default answer. */
export const API_VERSION = "2025-09-18";

/** Polytomic's rule for `Idempotency-Key`: 8 to 255 characters of letters, digits, `-` and `_`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,255}$/;

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `serviceAccount` → `service_account`: the API's key for a camelCase one. */
export const toSnake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `service_account` → `serviceAccount`; keys without underscores are unchanged. The letter after the underscores
 * is upper-cased whatever its case, so the typed classes' keys and the provider's mapping always agree.
 */
export const toCamel = (key: string): string =>
  key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());

/** A dotted path pattern (`basic.password`, `query[].value`) with every key camelCased. */
export const camelPath = (pattern: string): string => pattern.split(".").map(toCamel).join(".");

/** The segments of a path pattern: `query[].value` → `["query", "[]", "value"]` (`[]` = every array item). */
export function pathSegments(pattern: string): string[] {
  return pattern
    .replace(/\[\]/g, ".[]")
    .split(".")
    .filter((s) => s !== "");
}

/**
 * Calls `fn(parent, key, indexes)` for every object that holds the pattern's last key (whether the key is set or
 * not), following every array item at `[]`; `indexes` are the array positions taken on the way.
 */
export function forEachParent(
  node: unknown,
  pattern: string | readonly string[],
  fn: (parent: Record<string, unknown>, key: string, indexes: readonly number[]) => void,
  indexes: readonly number[] = [],
): void {
  const segs = typeof pattern === "string" ? pathSegments(pattern) : pattern;
  const [head, ...rest] = segs;
  if (head === undefined) return;
  if (head === "[]") {
    if (!Array.isArray(node)) return;
    node.forEach((item, i) => {
      forEachParent(item, rest, fn, [...indexes, i]);
    });
    return;
  }
  if (!isPlainObject(node)) return;
  if (rest.length === 0) fn(node, head, indexes);
  else forEachParent(node[head], rest, fn, indexes);
}

/** Every value set at a path pattern (`[]` = every array item). */
export function valuesAt(node: unknown, pattern: string): unknown[] {
  const out: unknown[] = [];
  forEachParent(node, pattern, (parent, key) => {
    if (parent[key] !== undefined) out.push(parent[key]);
  });
  return out;
}

/**
 * Whether a model sync must name an `identity` (how records are matched in the target): the modes that match
 * records do, except webhook deliveries (target object `http`), which Polytomic documents as `updateOrCreate`
 * without one.
 */
export function needsIdentity(mode: unknown, targetObject: unknown): boolean {
  if (typeof mode !== "string" || !MODES_NEEDING_IDENTITY.includes(mode)) return false;
  return !(mode === "updateOrCreate" && targetObject === "http");
}
