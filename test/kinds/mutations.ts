import fc from "fast-check";
import { camelizeKey, isUsableDefault } from "../../src/connection-types/configuration-shape";
import { enumValues, isReadOnly, type JsonSchema } from "../../src/connection-types/json-schema";

/**
 * Ways of breaking a valid input, for the bad-input suite (test/reliability/r3-bad-input.test.ts): each mutation
 * breaks one property in a known way and says which property a failure must name. The per-kind lists are in the
 * sample registry (./samples.ts); the typed connection classes get theirs from their schema
 * ({@link schemaMutations}).
 */

export type Json = Record<string, any>;
export type Path = (string | number)[];

/** One way of breaking an input: where, how, and which failure must name it. */
export interface Mutation {
  /** Paths it touches: two mutations conflict when a path of one is a prefix of a path of the other. */
  readonly paths: Path[];
  apply(input: Json): void;
  /** The property a failure must name. */
  readonly property: string;
  readonly label: string;
}

/** Random valid inputs of a kind and the ways of breaking them. */
export interface BadInputs {
  readonly valid: fc.Arbitrary<Json>;
  /** The mutations that apply to a given valid input (the generic Connection's depend on its type). */
  mutations(base: Json): fc.Arbitrary<Mutation>[];
}

/** Like the provider's own formatPath: `["fields", 0, "source"]` → `fields[0].source`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, unknown> {
  let v: unknown = root;
  for (const key of path.slice(0, -1)) {
    const obj = v as Record<string | number, unknown>;
    if (obj[key] === undefined || obj[key] === null || typeof obj[key] !== "object") obj[key] = {};
    v = obj[key];
  }
  return v as Record<string | number, unknown>;
}

export function setAt(root: Json, path: Path, value: unknown): void {
  parentOf(root, path)[path[path.length - 1] as string] = value;
}

export function removeAt(root: Json, path: Path): void {
  delete parentOf(root, path)[path[path.length - 1] as string];
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((k, i) => b[i] === k);
export const conflicts = (a: Mutation, b: Mutation) =>
  a.paths.some((p) => b.paths.some((q) => isPrefix(p, q) || isPrefix(q, p)));

// ---- Invalid values -----------------------------------------------------------------------------------------

export const small = fc.oneof(fc.constant({}), fc.array(fc.integer(), { maxLength: 2 }));
export const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  small,
);
const notBoolean = fc.oneof(fc.string(), fc.integer(), fc.constant(null), small);
const notInteger = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  small,
  fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
);
const notNumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), small);
const notArray = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}));
const notObject = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
);
/** Values outside an enumeration of strings: other strings, and values of other types. */
export const notIn = (values: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string().filter((s) => !values.includes(s)),
    notString,
  );
/** Values outside an enumeration of any literals (a schema's): none of them, whatever their type. */
const notAmong = (values: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof(fc.string(), notString).filter((v) => !values.includes(v));
/** Keys no schema here knows (nor their camelCase or snake_case spelling). */
export const strangeKey = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/)
  .map((k) => `zz${k}`)
  .filter((k) => k !== "__proto__");

const invalidOf: Record<string, fc.Arbitrary<unknown>> = {
  string: notString,
  boolean: notBoolean,
  integer: notInteger,
  number: notNumber,
  array: notArray,
  object: notObject,
};

// ---- Mutation builders --------------------------------------------------------------------------------------

export const p = (dotted: string): Path =>
  dotted.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) as Path;

/** A property that must be present: removing it, or giving it a value of another type, is reported. */
export function required(dotted: string, type: string, nonEmpty = false): fc.Arbitrary<Mutation> {
  return fc.oneof(removed(dotted), wrong(dotted, type, nonEmpty));
}

/** A required property left out. */
export function removed(dotted: string): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const property = formatPath(path);
  return fc.constant<Mutation>({
    paths: [path],
    apply: (i) => removeAt(i, path),
    property,
    label: `remove ${property}`,
  });
}

/** A value of the wrong type (or an empty string where one is not allowed). */
export function wrong(dotted: string, type: string, nonEmpty = false): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const property = formatPath(path);
  const values = nonEmpty ? fc.oneof(invalidOf[type]!, fc.constant("")) : invalidOf[type]!;
  return values.map((v) => ({
    paths: [path],
    apply: (i: Json) => setAt(i, path, v),
    property,
    label: `${property} = ${JSON.stringify(v)}`,
  }));
}

/** An enum outside its values (strings; or any literals, `among`). */
export function badEnum(
  dotted: string,
  values: readonly string[],
  among?: readonly unknown[],
): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const property = formatPath(path);
  return (among === undefined ? notIn(values) : notAmong(among)).map((v) => ({
    paths: [path],
    apply: (i: Json) => setAt(i, path, v),
    property,
    label: `${property} = ${JSON.stringify(v)}`,
  }));
}

/** An unknown key inside a strict object (or at the top level, `dotted` = ""): the key itself is named. */
export function unknownKey(dotted: string): fc.Arbitrary<Mutation> {
  const path = dotted === "" ? [] : p(dotted);
  return fc.tuple(strangeKey, fc.string()).map(([key, v]) => ({
    paths: [[...path, key]],
    apply: (i: Json) => setAt(i, [...path, key], v),
    property: formatPath([...path, key]),
    label: `unknown ${formatPath([...path, key])}`,
  }));
}

/** A list whose item at `index` has the wrong type (or is empty, for id lists). */
export function badItem(
  dotted: string,
  type: string,
  nonEmpty = false,
  goodItems: readonly unknown[] = ["a", "b1", "c-2"],
): fc.Arbitrary<Mutation> {
  const path = p(dotted);
  const values = nonEmpty ? fc.oneof(invalidOf[type]!, fc.constant("")) : invalidOf[type]!;
  return fc.tuple(fc.array(fc.constantFrom(...goodItems), { maxLength: 3 }), values).map(([good, bad]) => ({
    paths: [path],
    apply: (i: Json) => setAt(i, path, [...good, bad]),
    property: formatPath([...path, good.length]),
    label: `${formatPath(path)} = ${JSON.stringify([...good, bad])}`,
  }));
}

/** A hand-written mutation (cross-field rules). */
export function custom(label: string, paths: string[], property: string, apply: (i: Json) => void) {
  return fc.constant<Mutation>({ paths: paths.map(p), apply, property, label });
}

/** A value set on a property only Polytomic may set. */
export const readOnly = (dotted: string) =>
  fc.string().map((v) => ({
    paths: [p(dotted)],
    apply: (i: Json) => setAt(i, p(dotted), v),
    property: dotted,
    label: `read-only ${dotted}`,
  }));

// ---- Valid values -------------------------------------------------------------------------------------------

export const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,20}$/);
export const name = fc.string({ minLength: 1, maxLength: 30 });
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
export const compact = (o: Json): Json => JSON.parse(JSON.stringify(o));

// ---- Connections --------------------------------------------------------------------------------------------

/** The settings every connection class takes besides its configuration (and type), as random valid values. */
export const connectionCommon = {
  name,
  forceDestroy: maybe(fc.boolean()),
  schemaTimeoutSeconds: maybe(fc.integer({ min: 1, max: 86_400 })),
  policies: maybe(fc.array(id, { maxLength: 2 })),
  validate: maybe(fc.boolean()),
};

/** The ways of breaking those settings, and a missing or mistyped configuration. */
export const connectionCommonMutations = [
  unknownKey(""),
  required("name", "string", true),
  wrong("forceDestroy", "boolean"),
  wrong("waitForSchema", "boolean"),
  wrong("validate", "boolean"),
  wrong("healthcheckInterval", "string"),
  wrong("organizationId", "string", true),
  wrong("importId", "string", true),
  wrong("schemaTimeoutSeconds", "integer"),
  fc.constantFrom(0, -5, 86_401, 1e9).map((v) => ({
    paths: [["schemaTimeoutSeconds"]],
    apply: (i: Json) => setAt(i, ["schemaTimeoutSeconds"], v),
    property: "schemaTimeoutSeconds",
    label: `schemaTimeoutSeconds = ${v}`,
  })),
  wrong("policies", "array"),
  badItem("policies", "string", true),
  required("configuration", "object"),
];

const typeOf = (schema: JsonSchema): string | undefined =>
  Array.isArray(schema.type) ? schema.type[0] : schema.type;

/**
 * The mutations a typed connection class's schema implies for its camelCase configuration, at every level of
 * nested objects: each settable property given a value of another type (or outside its enumeration), each
 * required one without a default left out, each read-only one set, and an unknown key in each strict object.
 */
export function schemaMutations(schema: JsonSchema, prefix = "configuration"): fc.Arbitrary<Mutation>[] {
  const out: fc.Arbitrary<Mutation>[] = [];
  const required = new Set(schema.required ?? []);
  for (const [apiKey, sub] of Object.entries(schema.properties ?? {})) {
    const dotted = `${prefix}.${camelizeKey(apiKey)}`;
    if (isReadOnly(sub)) {
      out.push(readOnly(dotted));
      continue;
    }
    if (required.has(apiKey) && !isUsableDefault(sub)) out.push(removed(dotted));
    const type = typeOf(sub);
    const values = enumValues(sub)?.filter((v) => ["string", "number", "boolean"].includes(typeof v));
    if (values !== undefined && values.length > 0 && type !== "array") out.push(badEnum(dotted, [], values));
    else if (type !== undefined && invalidOf[type] !== undefined) out.push(wrong(dotted, type));
    if (type === "object" && sub.properties !== undefined) out.push(...schemaMutations(sub, dotted));
  }
  if (schema.additionalProperties === undefined || schema.additionalProperties === false)
    out.push(unknownKey(prefix));
  return out;
}
