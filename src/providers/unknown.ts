/**
 * The string the Pulumi engine sends in place of a value not known yet (during preview): `runtime/rpc.js`'s
 * `unknownValue`. `check` and `diff` must accept it wherever a value may stand.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the value is, or contains, an unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The paths (as key arrays) of every unknown inside a value. */
export function unknownPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === UNKNOWN) return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, [...prefix, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, [...prefix, k]));
  }
  return [];
}
