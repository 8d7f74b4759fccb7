/**
 * Operations on configuration values at path patterns like `service_account`, `oauth.client_secret` or
 * `query[].value` (`[]` = every element of an array). The path walker is the package's (src/wire.ts), so the
 * emulator masks and keeps exactly the paths the providers send and compare.
 */

import { forEachParent, isPlainObject, MASK, pathSegments } from "../wire";

export { MASK };

/** Follows the same pattern in another value, using the array indexes recorded while walking the first. */
function parentAt(
  node: unknown,
  segs: readonly string[],
  indexes: readonly number[],
): Record<string, unknown> | undefined {
  let current = node;
  let k = 0;
  for (const seg of segs.slice(0, -1)) {
    if (seg === "[]") {
      if (!Array.isArray(current)) return undefined;
      current = current[indexes[k++] ?? -1];
    } else {
      if (!isPlainObject(current)) return undefined;
      current = current[seg];
    }
  }
  return isPlainObject(current) ? current : undefined;
}

/** A deep copy of a JSON value (stored values never share objects with requests or responses). */
export function deepCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A copy of `config` with every set (non-null, non-empty) value at the patterns replaced by {@link MASK}. */
export function maskPaths(config: Record<string, unknown>, patterns: string[]): Record<string, unknown> {
  const copy = deepCopy(config);
  for (const pattern of patterns) {
    forEachParent(copy, pattern, (parent, key) => {
      const value = parent[key];
      if (value !== undefined && value !== null && value !== "") parent[key] = MASK;
    });
  }
  return copy;
}

/** Deletes the values at the patterns, in place. */
export function deletePaths(config: Record<string, unknown>, patterns: string[]): void {
  for (const pattern of patterns) {
    forEachParent(config, pattern, (parent, key) => {
      delete parent[key];
    });
  }
}

/**
 * For an update: wherever the new configuration has a secret set to {@link MASK} or leaves it out (while its
 * parent object is present), the stored value is kept. A mask with nothing stored is dropped. `null` or `""`
 * sent explicitly clears the secret. Works in place on `next`.
 */
export function keepStoredSecrets(
  next: Record<string, unknown>,
  stored: Record<string, unknown>,
  patterns: string[],
): void {
  for (const pattern of patterns) {
    const segs = pathSegments(pattern);
    forEachParent(next, segs, (parent, key, indexes) => {
      const value = parent[key];
      if (value !== undefined && value !== MASK) return;
      const previous = parentAt(stored, segs, indexes)?.[key];
      if (previous !== undefined && previous !== null) parent[key] = deepCopy(previous);
      else delete parent[key];
    });
  }
}

/** Removes keys whose value is `null`, recursively (a `null` reads as "not set"). */
export function dropNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNulls(item);
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else dropNulls(v);
    }
  }
}
