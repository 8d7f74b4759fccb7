/** Shown in place of a secret value in every error message, log line and metadata object. */
export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each secret in `text` with {@link REDACTED}.
 * Short values (under 4 characters) are skipped: replacing them would mangle ordinary words and they are not
 * credentials anyone relies on.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep-copies a JSON value, redacting secrets inside every string (keys included). */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactText(k, secrets)] = redactValue(v, secrets);
    return out as T;
  }
  return value;
}
