/**
 * camelCase ↔ snake_case key mapping for the fixed-shape resources (Model, Sync). Subtrees that hold the API's
 * own keys or user data (`target.configuration`, filter values, ...) are listed as opaque and copied unchanged.
 * Path patterns use `[]` for "any array element": `filters[].value`.
 */

import { toCamel } from "../wire";

export { toCamel, toSnake } from "../wire";

/** Converts every key with `convert`, except inside the opaque paths. */
export function mapKeysDeep(
  value: unknown,
  convert: (key: string) => string,
  opaque: readonly string[],
): unknown {
  return walk(value, "", convert, new Set(opaque));
}

function walk(value: unknown, path: string, convert: (key: string) => string, opaque: Set<string>): unknown {
  if (opaque.has(path)) return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, `${path}[]`, convert, opaque));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = convert(k);
    // Opaque paths are written in camelCase; match them whichever way the input is spelled.
    const camel = toCamel(k);
    out[key] = walk(v, path === "" ? camel : `${path}.${camel}`, convert, opaque);
  }
  return out;
}
