/**
 * From what Polytomic answers to the arguments of a resource: each object in the camelCase shape a refresh would
 * record (the providers' own read mapping), secrets replaced by {@link SecretSlot}s, schema defaults and empty
 * values left out. Pure: the reads are in ./organization.ts.
 */

import type { ConnectionResponse } from "../api";
import { defaultsByPath } from "../connection-types/configuration-shape";
import { type JsonSchema, secretPathsForType } from "../connection-types/json-schema";
import { loadConnectionSchema } from "../connection-types/registry";
import { CONNECTION_KINDS, type KindDefinition } from "../kinds";
import {
  type ConnectionKind,
  outputsFromRead,
  sensitiveConfigurationPaths,
} from "../providers/connection-spec";
import { toPlain } from "../providers/plain";
import { forEachParent, isPlainObject, MASK, pathSegments, toSnake } from "../wire";

/**
 * A secret Polytomic does not give back (masked `********`, or a credential this package keeps secret): the
 * generated program reads it from the stack config. `valueType` is the type of the value when it was readable.
 */
export class SecretSlot {
  constructor(readonly valueType: "string" | "number" | "boolean" | "object" = "string") {}
}

/** One object read from Polytomic, as a resource of the generated program. */
export interface ImportedObject {
  /** The resource class: `GcsConnection`, `Connection`, `Model`, `Sync`, ... (a key of `KINDS`). */
  readonly kind: string;
  /** The summary's group, plural (`connections`, `models`). */
  readonly group: string;
  /** The noun for names and messages (`connection`, `model`). */
  readonly noun: string;
  readonly id: string;
  /** The display name. */
  readonly name: string;
  /** What its variable is named after, when not its display name (a user's email's local part). */
  readonly nameHint?: string;
  /** The kind takes `importId` (a singleton such as the error subscribers' list is adopted by writing it as is). */
  readonly adoptable: boolean;
  /** The resource's arguments (without `importId`), secrets as {@link SecretSlot}s. */
  readonly args: Record<string, unknown>;
  /** Things the user should know (a generic class used, a value that could not be read); in the summary. */
  readonly notes: string[];
  /**
   * Why the arguments would not pass the resource's `check`: the object is then written commented out, with these
   * reasons, for the user to finish.
   */
  readonly problems: string[];
}

/** The typed connection kinds by connection type (`gcs` → the `GcsConnection` kind). */
const TYPED_KINDS: ReadonlyMap<string, KindDefinition> = new Map(
  CONNECTION_KINDS.filter((k) => k.connectionType !== undefined).map((k) => [k.connectionType as string, k]),
);

/** The generic `Connection` kind. */
const GENERIC_CONNECTION = CONNECTION_KINDS.find((k) => k.connectionType === undefined) as KindDefinition;

/** The provider's view of a connection kind. */
function connectionKindOf(kind: KindDefinition): ConnectionKind {
  return kind.connectionType === undefined
    ? { className: kind.kind, casing: "api" }
    : { className: kind.kind, fixedType: kind.connectionType, casing: "camel" };
}

/** The kind that manages a connection type: its typed class, or the generic `Connection` for a type not known. */
export function connectionKindFor(type: string): KindDefinition {
  return TYPED_KINDS.get(type) ?? GENERIC_CONNECTION;
}

/** What the importer knows of the caller, to leave out values that are the defaults anyway. */
export interface ImportContext {
  /** The organization the key acts in: an `organizationId` equal to it is left out. */
  readonly organizationId?: string;
}

/**
 * A connection's arguments for one connection class (typed, or the generic one): the configuration in that
 * class's casing without read-only values and schema defaults, secrets as slots.
 */
export function connectionArgs(
  kind: KindDefinition,
  response: ConnectionResponse,
  context: ImportContext = {},
): Record<string, unknown> {
  const connectionKind = connectionKindOf(kind);
  const type = response.type.id;
  const outputs = toPlain(outputsFromRead(connectionKind, undefined, response));
  const configuration = structuredClone(outputs.configuration ?? {});
  const schema = loadConnectionSchema(type);
  // The same secret paths in the API's spelling (for their schema) and in the class's (for the values).
  const apiPaths = schema === undefined ? [] : secretPathsForType(type, schema);
  sensitiveConfigurationPaths(connectionKind, type).forEach((pattern, i) => {
    const declared = schema === undefined ? undefined : schemaAt(schema, apiPaths[i] ?? "");
    markSecrets(configuration, [pattern], slotTypeOfSchema(declared));
  });
  markMasks(configuration);
  if (schema !== undefined) dropDefaults(configuration, defaultsByPath(schema, connectionKind.casing));
  return withoutEmpty(
    {
      name: outputs.name,
      ...(kind.connectionType === undefined ? { type } : {}),
      configuration,
      policies: outputs.policies,
      healthcheckInterval: outputs.healthcheckInterval,
      organizationId: outputs.organizationId === context.organizationId ? undefined : outputs.organizationId,
    },
    ["configuration"],
  );
}

/** A connection as an imported object, with its typed class when this package knows its type. */
export function connectionObject(response: ConnectionResponse, context: ImportContext = {}): ImportedObject {
  const type = response.type.id;
  const kind = connectionKindFor(type);
  const notes =
    kind.connectionType === undefined
      ? [
          `its type "${type}" is not known to this version of pulumi-polytomic: written with the generic ` +
            "Connection class, its configuration spelled as the API spells it (update pulumi-polytomic for a typed class)",
        ]
      : [];
  return {
    kind: kind.kind,
    group: "connections",
    noun: "connection",
    id: response.id,
    name: response.name,
    adoptable: true,
    args: connectionArgs(kind, response, context),
    notes,
    problems: [],
  };
}

/** The generic `Connection` version of a connection, for when its typed class cannot express it. */
export function asGenericConnection(
  object: ImportedObject,
  response: ConnectionResponse,
  context: ImportContext,
  reasons: readonly string[],
): ImportedObject {
  return {
    ...object,
    kind: GENERIC_CONNECTION.kind,
    args: connectionArgs(GENERIC_CONNECTION, response, context),
    notes: [
      ...object.notes,
      `written with the generic Connection class (its configuration as the API spells it): the ${object.kind} ` +
        `class cannot express it (${reasons.join("; ")})`,
    ],
  };
}

/** What an object kind's read needs besides its spec: how to fill in what the spec's read leaves out. */
export type CompleteArgs = (
  args: Record<string, unknown>,
  response: Record<string, unknown>,
) => Record<string, unknown>;

/**
 * An API object (model, sync, ...) as an imported object, through its kind's spec: `readOutputs` without a
 * previous state, then `inputsOf`, as a refresh followed by an import would record it. Secrets named by the kind's
 * field lists become slots when Polytomic holds a value for them (masked or not).
 */
export function specObject(
  kind: KindDefinition,
  group: string,
  response: Record<string, unknown>,
  context: ImportContext = {},
  options: SpecObjectOptions = {},
): ImportedObject {
  const spec = kind.spec;
  if (spec === undefined) throw new Error(`internal error: ${kind.kind} has no spec`);
  const outputs = spec.readOutputs(undefined, response as never);
  let args = toPlain(spec.inputsOf(outputs)) as unknown as Record<string, unknown>;
  if (options.complete !== undefined) args = toPlain(options.complete(args, response));
  const { importId: _importId, __provider: _provider, ...rest } = args;
  args = rest;
  for (const pattern of spec.fields.secret) copySecretSlots(response, args, pattern);
  for (const key of options.writeOnly ?? []) args[key] = new SecretSlot();
  markMasks(args);
  if (args.organizationId === context.organizationId) delete args.organizationId;
  // Values the providers take as the default when left out: the kind's known defaults, and a `false` flag
  // (unless the kind's default is something else; `active` stays, being what a reader looks for first).
  const defaults = spec.compare.defaults ?? {};
  dropDefaultsAt(args, defaults);
  for (const [key, value] of Object.entries(args)) {
    if (value === false && key !== "active" && (defaults[key] === undefined || defaults[key] === false)) {
      delete args[key];
    }
  }
  const note = options.note?.(response);
  return {
    kind: kind.kind,
    group,
    noun: nounOf(kind.kind),
    id: String(response.id),
    name: displayName(response, nounOf(kind.kind)),
    nameHint: nameHint(response, nounOf(kind.kind)),
    adoptable: kind.fields.local.includes("importId"),
    args: inFieldOrder(withoutEmpty(args, ["configuration", "fields"]), spec.fields.remote),
    notes: note === undefined ? [] : [note],
    problems: [],
  };
}

/**
 * Removes the values equal to a kind's compare defaults (the providers take a left-out value as the default),
 * whose paths may go through arrays (`additionalSchedules[].resyncMode`).
 */
export function dropDefaultsAt(
  args: Record<string, unknown>,
  defaults: Readonly<Record<string, unknown>>,
): void {
  for (const [pattern, value] of Object.entries(defaults)) {
    forEachParent(args, pattern, (parent, key) => {
      if (parent[key] !== undefined && JSON.stringify(parent[key]) === JSON.stringify(value))
        delete parent[key];
    });
  }
}

/** What {@link specObject} adds to the spec's read (see `ObjectSource` in ./sources.ts). */
export interface SpecObjectOptions {
  readonly complete?: CompleteArgs;
  readonly writeOnly?: readonly string[];
  readonly note?: (response: Record<string, unknown>) => string | undefined;
}

/**
 * What to name an object's variable after: its name, else the local part of its email (users: `ada`), else the
 * noun (`eventWebhook`).
 */
export function nameHint(response: Record<string, unknown>, noun: string): string {
  if (typeof response.name === "string" && response.name.trim() !== "") return response.name;
  if (typeof response.email === "string" && response.email.includes("@"))
    return response.email.split("@")[0] as string;
  return noun;
}

/** An object's name for people: its name, else its email (users) or endpoint (event webhooks), else the noun. */
export function displayName(response: Record<string, unknown>, noun: string): string {
  for (const key of ["name", "email", "endpoint"]) {
    const value = response[key];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return noun;
}

/** The arguments in the order of the kind's field list (as its Args interface reads), others after. */
export function inFieldOrder(
  args: Record<string, unknown>,
  order: readonly string[],
): Record<string, unknown> {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.fromEntries(Object.entries(args).sort(([a], [b]) => rank(a) - rank(b)));
}

/** `BulkSync` → `bulk sync`: the noun of an object kind, for names and messages. */
export function nounOf(kind: string): string {
  return kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/**
 * Replaces the values at the secret path patterns (`serviceAccount`, `query[].value`) by slots, wherever a value
 * is set (masked or not: a credential Polytomic returns in plain text is still never written out), and any other
 * masked value.
 */
export function markSecrets(
  tree: Record<string, unknown>,
  patterns: readonly string[],
  maskedType: SecretSlot["valueType"] = "string",
): void {
  for (const pattern of patterns) {
    forEachParent(tree, pattern, (parent, key) => {
      const value = parent[key];
      if (value === undefined || value === null || value === "" || value instanceof SecretSlot) return;
      parent[key] = new SecretSlot(value === MASK ? maskedType : slotType(value));
    });
  }
  markMasks(tree);
}

/** The schema of a path pattern (`oauth.client_secret`, `query[].value`), if the schema declares it. */
export function schemaAt(schema: JsonSchema, pattern: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const segment of pathSegments(pattern)) {
    node = segment === "[]" ? node?.items : node?.properties?.[segment];
    if (node === undefined) return undefined;
  }
  return node;
}

/** The type of a secret whose value is masked, from its schema (a masked integer is still an integer). */
export function slotTypeOfSchema(schema: JsonSchema | undefined): SecretSlot["valueType"] {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if (type === "integer" || type === "number") return "number";
  if (type === "boolean") return "boolean";
  return type === "object" || type === "array" ? "object" : "string";
}

/** Every `********` left in a value becomes a slot (a secret of a type, or a field, this package does not know). */
export function markMasks(tree: unknown): void {
  if (Array.isArray(tree)) {
    tree.forEach((v, i) => {
      if (v === MASK) tree[i] = new SecretSlot();
      else markMasks(v);
    });
  } else if (isPlainObject(tree)) {
    for (const [k, v] of Object.entries(tree)) {
      if (v === MASK) tree[k] = new SecretSlot();
      else markMasks(v);
    }
  }
}

function slotType(value: unknown): SecretSlot["valueType"] {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return typeof value === "string" ? "string" : "object";
}

/**
 * For an object kind's secret path pattern (camelCase, `encryptionPassphrase`), a slot in the arguments wherever
 * the API's answer (snake_case) holds a value: the spec's read drops masked values it has no previous state for.
 */
export function copySecretSlots(response: unknown, args: Record<string, unknown>, pattern: string): void {
  const snake = pattern
    .split(".")
    .map((segment) => segment.replace(/[^[\]]+/g, toSnake))
    .join(".");
  const found: { indexes: readonly number[]; value: unknown }[] = [];
  forEachParent(response, snake, (parent, key, indexes) => {
    const value = parent[key];
    if (value !== undefined && value !== null && value !== "") found.push({ indexes, value });
  });
  for (const { indexes, value } of found) {
    let position = 0;
    const segments = pattern
      .replace(/\[\]/g, ".[]")
      .split(".")
      .filter((s) => s !== "");
    let node: unknown = args;
    for (const [i, segment] of segments.entries()) {
      const last = i === segments.length - 1;
      const key: string | number = segment === "[]" ? (indexes[position++] as number) : segment;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = new SecretSlot(value === MASK ? "string" : slotType(value));
      } else {
        if (container[key] === undefined || container[key] === null) {
          container[key] = segments[i + 1] === "[]" ? [] : {};
        }
        node = container[key];
      }
    }
  }
}

/**
 * Removes the values equal to the schema's defaults (`csvHasHeaders: true`): Polytomic fills them in, and the
 * providers count a left-out default as no change. `defaults` is keyed by dotted path, in the configuration's
 * casing.
 */
export function dropDefaults(
  configuration: Record<string, unknown>,
  defaults: Record<string, unknown>,
): void {
  for (const [path, value] of Object.entries(defaults)) {
    const keys = path.split(".");
    let parent: unknown = configuration;
    for (const key of keys.slice(0, -1)) parent = isPlainObject(parent) ? parent[key] : undefined;
    const last = keys[keys.length - 1] as string;
    if (isPlainObject(parent) && JSON.stringify(parent[last]) === JSON.stringify(value)) delete parent[last];
  }
}

/**
 * Leaves out the top-level values that say "nothing" (`null`, `""`, `[]`, `{}`), which the providers compare as
 * equal to a left-out argument, except the `keep` ones (a required `configuration: {}`).
 */
export function withoutEmpty(
  args: Record<string, unknown>,
  keep: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const empty =
      value === undefined ||
      value === null ||
      value === "" ||
      (Array.isArray(value) && value.length === 0) ||
      (isPlainObject(value) && Object.keys(value).length === 0);
    if (!empty || (keep.includes(key) && value !== undefined && value !== null)) out[key] = value;
  }
  return out;
}

/** The arguments with every slot replaced by a placeholder string: what `check` sees. */
export function withPlaceholders(value: unknown): unknown {
  if (value instanceof SecretSlot) {
    return value.valueType === "number" ? 1 : value.valueType === "boolean" ? true : "secret-placeholder";
  }
  if (Array.isArray(value)) return value.map(withPlaceholders);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v)]));
  }
  return value;
}
