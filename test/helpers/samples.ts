import { camelizeKey, isUsableDefault } from "../../src/connection-types/configuration-shape";
import {
  enumValues,
  isReadOnly,
  type JsonSchema,
  secretPathsForType,
} from "../../src/connection-types/json-schema";
import { FAKE_SERVICE_ACCOUNT } from "./fixtures";

/**
 * A valid sample configuration for a connection type, generated from its schema: every settable property
 * (read-only and hidden ones left out), in camelCase. Sensitive values are unique strings, so a test can look
 * for them anywhere they must not be.
 */
export function sampleConfiguration(
  type: string,
  schema: JsonSchema,
): { camel: Record<string, unknown>; secrets: string[] } {
  const secrets: string[] = [];
  const sensitive = new Set(secretPathsForType(type, schema).map((p) => p.replace(/\[\]/g, "")));
  const camel = sampleObject(type, schema, "", secrets, sensitive);
  if (type === "gcs") {
    // Polytomic derives project and identity from the key: it must be a service-account JSON.
    camel.serviceAccount = FAKE_SERVICE_ACCOUNT;
    secrets.splice(0, secrets.length, "THIS-IS-NOT-A-REAL-KEY");
  }
  return { camel, secrets };
}

function sampleObject(
  type: string,
  schema: JsonSchema,
  path: string,
  secrets: string[],
  sensitive: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (isReadOnly(sub) || (sub.hidden === true && sub.api_field !== true)) continue;
    out[camelizeKey(key)] = sampleValue(type, sub, path === "" ? key : `${path}.${key}`, secrets, sensitive);
  }
  return out;
}

function sampleValue(
  type: string,
  schema: JsonSchema,
  path: string,
  secrets: string[],
  sensitive: ReadonlySet<string>,
): unknown {
  const values = enumValues(schema);
  if (values !== undefined && values.length > 0) return values[0];
  if (isUsableDefault(schema)) return schema.default;
  switch (schema.type) {
    case "string": {
      if (sensitive.has(path.replace(/\[\]/g, ""))) {
        const secret = `secret-${type}-${path.replace(/[^a-z0-9]/gi, "-")}-5f1d`;
        secrets.push(secret);
        return secret;
      }
      const example = Array.isArray(schema.examples) ? schema.examples[0] : undefined;
      return typeof example === "string" ? example : `sample-${path.replace(/[^a-z0-9]/gi, "-")}`;
    }
    case "boolean":
      return false;
    case "integer":
    case "number": {
      const example = Array.isArray(schema.examples) ? schema.examples[0] : undefined;
      return typeof example === "number" ? example : 1;
    }
    case "array":
      return schema.items === undefined
        ? []
        : [sampleValue(type, schema.items, `${path}[]`, secrets, sensitive)];
    case "object":
      return schema.properties === undefined ? {} : sampleObject(type, schema, path, secrets, sensitive);
    default:
      return "sample";
  }
}

/** The first required property without a default, as the typed classes spell it, if any. */
export function firstRequiredKey(schema: JsonSchema): string | undefined {
  const key = (schema.required ?? []).find((k) => {
    const sub = schema.properties?.[k];
    return sub !== undefined && !isReadOnly(sub) && !isUsableDefault(sub);
  });
  return key === undefined ? undefined : camelizeKey(key);
}

/** The first top-level enum property, as the typed classes spell it, if any. */
export function firstEnumKey(schema: JsonSchema): string | undefined {
  const key = Object.keys(schema.properties ?? {}).find((k) => {
    const sub = schema.properties?.[k];
    return (
      sub !== undefined && !isReadOnly(sub) && (enumValues(sub)?.length ?? 0) > 0 && sub.type !== "array"
    );
  });
  return key === undefined ? undefined : camelizeKey(key);
}
