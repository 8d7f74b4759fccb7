import { z } from "zod";
import type { ConnectionResponse, CreateConnectionRequest } from "../api";
import {
  configurationValidator,
  defaultsByPath,
  fromApiConfiguration,
  type KeyCasing,
  onlyReadOnly,
  toApiConfiguration,
  withoutReadOnly,
  withRequiredDefaults,
} from "../connection-types/configuration-shape";
import { crossFieldProblems } from "../connection-types/cross-field-rules";
import { secretPathsForType } from "../connection-types/json-schema";
import { isModelSourceType, loadConnectionSchema } from "../connection-types/registry";
import { CONNECTION_FIELDS } from "../resources/connection-base";
import { camelPath, MASK, valuesAt } from "../wire";
import { type CheckFailure, validateInputs } from "./check";
import { compact } from "./plain";
import { containsUnknown, UNKNOWN } from "./unknown";

/**
 * Everything about the Connection resources that is pure: validation, the request body, outputs from a
 * response, and masked-secret handling. The provider (connection-provider.ts) only adds the API calls.
 */

/** Which class a connection provider serves: the generic `Connection`, or a typed one with a fixed type. */
export interface ConnectionKind {
  /** `Connection`, `GcsConnection`, ... (the resource type token's last part). */
  readonly className: string;
  /** The connection type id for typed classes; the generic class reads `type` from its inputs. */
  readonly fixedType?: string;
  /** Typed classes take camelCase configuration; the generic one takes the API's keys. */
  readonly casing: KeyCasing;
}

/** The inputs of every connection class, after `check`. */
export interface ConnectionInputs {
  name: string;
  /** Generic class only. */
  type?: string;
  configuration: Record<string, unknown>;
  organizationId?: string;
  policies?: string[];
  validate?: boolean;
  healthcheckInterval?: string;
  forceDestroy?: boolean;
  waitForSchema?: boolean;
  schemaTimeoutSeconds?: number;
  importId?: string;
  __provider?: string;
}

/** The outputs: the desired state as recorded, plus what Polytomic reports. */
export interface ConnectionOutputs extends ConnectionInputs {
  type: string;
  status?: string;
  statusError?: string;
  authUrl?: string;
  /** Values Polytomic derives (read-only keys, e.g. GCS `clientEmail`), never secret ones. */
  computedConfiguration: Record<string, unknown>;
}

/** The inputs that only steer this provider; Polytomic never holds them. */
export const LOCAL_CONNECTION_INPUTS = CONNECTION_FIELDS.local;

/** The inputs sent to Polytomic. */
export const REMOTE_CONNECTION_INPUTS = CONNECTION_FIELDS.remote;

const DEFAULT_SCHEMA_TIMEOUT_SECONDS = 600;

const baseInputs = {
  name: z.string().min(1, "must not be empty"),
  organizationId: z.string().min(1).optional(),
  policies: z.array(z.string().min(1)).optional(),
  validate: z.boolean().optional(),
  healthcheckInterval: z.string().optional(),
  forceDestroy: z.boolean().optional(),
  waitForSchema: z.boolean().optional(),
  schemaTimeoutSeconds: z.number().int().positive().max(86_400).optional(),
  importId: z.string().min(1).optional(),
  __provider: z.string().optional(),
};

/** The type id the inputs describe. */
export function connectionType(kind: ConnectionKind, inputs: { type?: unknown }): string | undefined {
  if (kind.fixedType !== undefined) return kind.fixedType;
  return typeof inputs.type === "string" && inputs.type !== UNKNOWN ? inputs.type : undefined;
}

const validators = new Map<string, z.ZodType>();

function inputsValidator(kind: ConnectionKind, type: string | undefined): z.ZodType {
  const cacheKey = `${kind.className}:${type ?? ""}`;
  let validator = validators.get(cacheKey);
  if (validator === undefined) {
    const schema = type === undefined ? undefined : loadConnectionSchema(type);
    const configuration =
      schema === undefined
        ? z.record(z.string(), z.unknown())
        : configurationValidator(schema, kind.casing, kind.fixedType !== undefined);
    validator = z
      .object({
        ...baseInputs,
        ...(kind.fixedType === undefined ? { type: z.string().min(1, "must not be empty") } : {}),
        configuration,
      })
      .strict();
    validators.set(cacheKey, validator);
  }
  return validator;
}

/** `check`: every problem at once, each naming its property. Offline. */
export function checkConnection(kind: ConnectionKind, news: Record<string, unknown>): CheckFailure[] {
  const type = connectionType(kind, news);
  const result = validateInputs(inputsValidator(kind, type), news);
  const failures = result.ok ? [] : result.failures;
  const configuration = news.configuration;
  if (type !== undefined && configuration !== null && typeof configuration === "object") {
    const schema = loadConnectionSchema(type);
    const api =
      schema && kind.casing === "camel"
        ? toApiConfiguration(schema, configuration as Record<string, unknown>)
        : (configuration as Record<string, unknown>);
    for (const problem of crossFieldProblems(type, api)) {
      const value = problem.path
        .split(".")
        .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], api);
      if (containsUnknown(value) || containsUnknown(api)) continue;
      const path = kind.casing === "camel" ? camelPath(problem.path) : problem.path;
      failures.push({
        property: `configuration.${path}`,
        reason: `configuration.${path} ${problem.message}`,
      });
    }
  }
  return failures;
}

/** The configuration as the API spells it, read-only keys removed (they are never sent). */
export function apiConfiguration(kind: ConnectionKind, type: string, configuration: Record<string, unknown>) {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) return configuration;
  const api = kind.casing === "camel" ? toApiConfiguration(schema, configuration) : configuration;
  return withRequiredDefaults(schema, withoutReadOnly(schema, api));
}

/** The POST/PUT body. */
export function connectionRequest(kind: ConnectionKind, inputs: ConnectionInputs): CreateConnectionRequest {
  const type = connectionType(kind, inputs) ?? "";
  return compact({
    name: inputs.name,
    type,
    configuration: apiConfiguration(kind, type, inputs.configuration),
    organization_id: inputs.organizationId,
    policies: inputs.policies,
    validate: inputs.validate,
    healthcheck_interval: inputs.healthcheckInterval,
  });
}

/** Every secret string in a configuration, to keep out of error messages. Unknown types: every string. */
export function configurationSecrets(type: string, apiConfig: Record<string, unknown>): string[] {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) return stringLeaves(apiConfig);
  return secretPathsForType(type, schema).flatMap((p) => stringLeaves(valuesAt(apiConfig, p)));
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return value === MASK ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** Whether create and update wait for the schema cache. */
export function shouldWaitForSchema(type: string, inputs: ConnectionInputs): boolean {
  return inputs.waitForSchema ?? isModelSourceType(type);
}

export function schemaTimeoutMs(inputs: ConnectionInputs): number {
  return (inputs.schemaTimeoutSeconds ?? DEFAULT_SCHEMA_TIMEOUT_SECONDS) * 1000;
}

/** The configuration paths (in the kind's casing) that hold secrets, for the resource classes and for reads. */
export function sensitiveConfigurationPaths(kind: ConnectionKind, type: string): string[] {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) return [];
  const paths = secretPathsForType(type, schema);
  return kind.casing === "camel" ? paths.map(camelPath) : paths;
}

/** The outputs after a create or update: the desired state echoed, plus what Polytomic reports. */
export function outputsFromResponse(
  kind: ConnectionKind,
  inputs: ConnectionInputs,
  response: ConnectionResponse,
): ConnectionOutputs {
  return compact({
    ...inputs,
    type: response.type.id,
    status: response.status,
    statusError: response.status_error,
    authUrl: response.auth_url,
    computedConfiguration: computed(kind, response),
  });
}

function computed(kind: ConnectionKind, response: ConnectionResponse): Record<string, unknown> {
  const schema = loadConnectionSchema(response.type.id);
  if (schema === undefined) return {};
  const readOnly = onlyReadOnly(schema, response.configuration);
  for (const path of secretPathsForType(response.type.id, schema)) delete readOnly[path];
  return kind.casing === "camel" ? fromApiConfiguration(schema, readOnly) : readOnly;
}

/**
 * The outputs after a read (refresh, `get`): what Polytomic holds now, in the kind's casing. Secrets come back
 * masked or not at all, so each keeps the value recorded before; the provider-only settings are kept too.
 */
export function outputsFromRead(
  kind: ConnectionKind,
  previous: Partial<ConnectionOutputs> | undefined,
  response: ConnectionResponse,
): ConnectionOutputs {
  const type = response.type.id;
  const schema = loadConnectionSchema(type);
  const apiConfig =
    schema === undefined ? response.configuration : withoutReadOnly(schema, response.configuration);
  const configuration =
    schema !== undefined && kind.casing === "camel" ? fromApiConfiguration(schema, apiConfig) : apiConfig;
  const restored = restoreSecrets(
    configuration,
    previous?.configuration,
    sensitiveConfigurationPaths(kind, type),
  );
  const local: Partial<ConnectionInputs> = {};
  for (const key of LOCAL_CONNECTION_INPUTS) {
    const v = previous?.[key];
    if (v !== undefined) (local as Record<string, unknown>)[key] = v;
  }
  return compact({
    ...local,
    name: response.name,
    type,
    configuration: restored,
    organizationId: response.organization_id,
    // What Polytomic holds, even when that is nothing: a policy removed outside Pulumi is drift to show.
    policies: response.policies,
    healthcheckInterval: response.healthcheck_interval,
    status: response.status,
    statusError: response.status_error,
    authUrl: response.auth_url,
    computedConfiguration: computed(kind, response),
    __provider: previous?.__provider,
  });
}

/**
 * Puts the recorded secret back wherever the server masked it or left it out. A masked value with no recorded
 * one (a `get` of an object made elsewhere) stays masked.
 */
export function restoreSecrets(
  current: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
  sensitivePaths: readonly string[],
): Record<string, unknown> {
  const out = replaceMasks(current, previous) as Record<string, unknown>;
  if (previous === undefined) return out;
  for (const path of sensitivePaths) {
    if (path.includes("[]")) continue; // array items are restored by replaceMasks, position by position
    const keys = path.split(".");
    const old = keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], previous);
    if (old === undefined) continue;
    let target: Record<string, unknown> = out;
    for (const k of keys.slice(0, -1)) {
      const next = target[k];
      if (next === null || typeof next !== "object") {
        target = undefined as never;
        break;
      }
      target = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1] as string;
    if (target !== undefined && (target[last] === undefined || target[last] === MASK)) target[last] = old;
  }
  return out;
}

function replaceMasks(current: unknown, previous: unknown): unknown {
  if (current === MASK) return previous !== undefined && previous !== null ? previous : MASK;
  if (Array.isArray(current)) {
    return current.map((v, i) => replaceMasks(v, Array.isArray(previous) ? previous[i] : undefined));
  }
  if (current !== null && typeof current === "object") {
    const prev =
      previous !== null && typeof previous === "object" ? (previous as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(current)) out[k] = replaceMasks(v, prev[k]);
    return out;
  }
  return current;
}

/** The server defaults of a type's configuration, as compare options for `diff`. */
export function configurationDefaults(kind: ConnectionKind, type: string): Record<string, unknown> {
  const schema = loadConnectionSchema(type);
  if (schema === undefined) return {};
  const byPath = defaultsByPath(schema, kind.casing);
  return Object.fromEntries(Object.entries(byPath).map(([p, v]) => [`configuration.${p}`, v]));
}
