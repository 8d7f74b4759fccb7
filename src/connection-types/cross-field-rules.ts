import type { ValidationProblem } from "./json-schema";

/**
 * Rules between fields that the connection-type schemas do not express (they carry no `dependentSchemas` in
 * practice), written from Polytomic's documentation. Paths and values use the API's keys.
 */
export type CrossFieldRule = (configuration: Record<string, unknown>) => ValidationProblem[];

const present = (v: unknown) => v !== undefined && v !== null && v !== "";

function requiredWhen(
  condition: (c: Record<string, unknown>) => boolean,
  because: string,
  paths: readonly string[],
): CrossFieldRule {
  return (c) =>
    condition(c)
      ? paths
          .filter(
            (p) => !present(p.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], c)),
          )
          .map((path) => ({ path, message: `is required when ${because}` }))
      : [];
}

const authIs = (method: string) => (c: Record<string, unknown>) => c.auth_method === method;

/** Cross-field rules by connection type id. */
export const CROSS_FIELD_RULES: Readonly<Record<string, readonly CrossFieldRule[]>> = {
  gcs: [
    requiredWhen((c) => c.is_directory_snapshot === true, "is_directory_snapshot is true", [
      "directory_glob_pattern",
    ]),
    (c) =>
      c.is_directory_snapshot === true && c.is_single_table !== true
        ? [{ path: "is_directory_snapshot", message: "can only be true when is_single_table is true" }]
        : [],
  ],
  webhook: [
    requiredWhen(authIs("basic"), 'auth_method is "basic"', ["basic.username", "basic.password"]),
    requiredWhen(authIs("header"), 'auth_method is "header"', ["header.name", "header.value"]),
    (c) =>
      c.auth_method === "query" && (!Array.isArray(c.query) || c.query.length === 0)
        ? [{ path: "query", message: 'needs at least one parameter when auth_method is "query"' }]
        : [],
    requiredWhen(authIs("oauth_client_credentials"), 'auth_method is "oauth_client_credentials"', [
      "oauth.client_id",
      "oauth.client_secret",
      "oauth.token_endpoint",
    ]),
  ],
};

/** Every cross-field problem of a configuration (API keys). */
export function crossFieldProblems(
  type: string,
  configuration: Record<string, unknown>,
): ValidationProblem[] {
  return (CROSS_FIELD_RULES[type] ?? []).flatMap((rule) => rule(configuration));
}
