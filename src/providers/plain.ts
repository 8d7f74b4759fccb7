/**
 * Makes a value safe for the provider protocol: `undefined` keys and array holes are dropped (they fail
 * `Struct.fromJavaScript` with "Unexpected struct type."), dates become ISO strings, and Maps, Sets and Buffers,
 * which this package never returns, are refused loudly rather than turned into `{}`.
 */
export function toPlain<T>(value: T): T {
  return plain(value, "") as T;
}

function plain(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return value.filter((v) => v !== undefined).map((v, i) => plain(v, `${path}[${i}]`));
  if (value instanceof Map || value instanceof Set || Buffer.isBuffer(value)) {
    throw new TypeError(`internal error: ${path || "result"} is a ${value.constructor.name}`);
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = plain(v, path === "" ? k : `${path}.${k}`);
    }
    return out;
  }
  throw new TypeError(`internal error: ${path || "result"} is a ${typeof value}`);
}

/** Drops `undefined` keys from one object level, so optional API fields can be spread without ceremony. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
