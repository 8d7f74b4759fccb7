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

/**
 * The secrets to redact, with the parts a server may quote on its own: the string values inside a JSON secret
 * (a GCS service-account key holds `private_key`, `private_key_id`, ...) and the long lines of a multi-line one
 * (a PEM key's body). Parts shorter than 8 characters are left out: they are not secret on their own.
 */
export function expandSecrets(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  const addParts = (value: string) => {
    out.add(value);
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 16) out.add(line.trim());
  };
  for (const secret of secrets) {
    addParts(secret);
    const trimmed = secret.trim();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) continue;
    try {
      for (const leaf of stringLeaves(JSON.parse(trimmed))) if (leaf.length >= 8) addParts(leaf);
    } catch {
      // not JSON: the whole value is enough
    }
  }
  // Longest first, so a part inside a longer secret does not break the longer one's replacement.
  return [...out].sort((a, b) => b.length - a.length);
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}
