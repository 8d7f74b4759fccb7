import { UNKNOWN } from "./unknown";

/**
 * Compares what a resource has (old outputs) with what the program asks for (new inputs), the way a user means
 * it: a key the program leaves out matches an old value that is empty or the server's known default, so server
 * defaults never cause a perpetual diff. Unknowns (preview) always count as a change.
 */
export interface CompareOptions {
  /** Known server defaults by path pattern (`fields[].new`, `csv_has_headers`). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Paths the server fills when the program leaves them out (e.g. `organizationId`): absent matches anything. */
  readonly computedWhenAbsent?: readonly string[];
  /** Paths whose order does not matter (`policies`): compared as sorted lists. */
  readonly unordered?: readonly string[];
}

/** Whether the desired value `desired` (from inputs) is already what `current` (from outputs) holds. */
export function matchesDesired(
  current: unknown,
  desired: unknown,
  options: CompareOptions = {},
  path = "",
): boolean {
  if (desired === UNKNOWN) return false;
  if (desired === undefined || desired === null) {
    return options.computedWhenAbsent?.includes(path) === true || isEmptyOrDefault(current, path, options);
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(current) || current.length !== desired.length) return false;
    const [c, d] = options.unordered?.includes(path)
      ? [sortJson(current), sortJson(desired)]
      : [current, desired];
    return d.every((v, i) => matchesDesired(c[i], v, options, `${path}[]`));
  }
  if (typeof desired === "object") {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return false;
    const cur = current as Record<string, unknown>;
    const des = desired as Record<string, unknown>;
    const keys = new Set([...Object.keys(cur), ...Object.keys(des)]);
    for (const k of keys) {
      if (!matchesDesired(cur[k], des[k], options, path === "" ? k : `${path}.${k}`)) return false;
    }
    return true;
  }
  return current === desired;
}

function isEmptyOrDefault(current: unknown, path: string, options: CompareOptions): boolean {
  if (current === undefined || current === null || current === "" || current === false) return true;
  if (Array.isArray(current) && current.length === 0) return true;
  if (typeof current === "object" && !Array.isArray(current) && Object.keys(current).length === 0)
    return true;
  const d = options.defaults?.[path];
  return d !== undefined && JSON.stringify(d) === JSON.stringify(current);
}

function sortJson(values: readonly unknown[]): unknown[] {
  return [...values].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** The top-level keys whose desired value differs from the current one. */
export function changedKeys(
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
  keys: readonly string[],
  options: CompareOptions = {},
): string[] {
  return keys.filter((k) => !matchesDesired(current[k], desired[k], options, k));
}
