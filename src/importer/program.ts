/**
 * From the objects read to the generated program: names, dependency order, references between objects
 * (`connectionId: gcs.id`), secrets from the stack config, and the source text of `index.ts`. Pure string
 * building in small functions, table-tested in test/importer/program.test.ts.
 */

import { isPlainObject } from "../wire";
import { commentText, Expression, printValue, quotedName, stringLiteral } from "./literal";
import { NameAllocator, type ObjectNames, secretConfigKey } from "./naming";
import { type ImportedObject, SecretSlot } from "./objects";

/** A secret the user sets in the stack config before `pulumi up`. */
export interface SecretEntry {
  /** The config key (`contactsBucketServiceAccount`). */
  readonly key: string;
  readonly kind: string;
  /** The object's display name and id. */
  readonly name: string;
  readonly id: string;
  /** The property path in the resource's arguments (`configuration.serviceAccount`). */
  readonly path: string;
}

/** One resource of the program, ready to print. */
export interface Declaration {
  readonly object: ImportedObject;
  readonly names: ObjectNames;
  /** The arguments with `importId`, references and secrets as {@link Expression}s. */
  readonly args: Record<string, unknown>;
  /** The object's notes, plus references left as ids. */
  readonly notes: string[];
  /** Written commented out: its arguments fail the class's check (`object.problems`). */
  readonly commentedOut: boolean;
}

/** The planned program. */
export interface Program {
  /** In dependency order: every referenced object before the objects that reference it. */
  readonly declarations: Declaration[];
  readonly secrets: SecretEntry[];
}

/** Formats a path of keys and indexes: `["configuration", "query", 0, "value"]` → `configuration.query[0].value`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, p) => (typeof p === "number" ? `${out}[${p}]` : out === "" ? p : `${out}.${p}`),
    "",
  );
}

/** Every string in a value (object keys aside): where ids of other objects may stand. */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (isPlainObject(value) && !(value instanceof SecretSlot))
    return Object.values(value).flatMap(stringLeaves);
  return [];
}

/**
 * The order to declare objects in: each after the objects whose ids it holds, otherwise in the given order (which
 * is by group, then name). `dependencies[i]` lists the indexes object `i` refers to. When objects refer to each
 * other in a cycle, the first of them in the given order comes first and holds the others' ids as plain strings.
 */
export function dependencyOrder(dependencies: readonly (readonly number[])[]): number[] {
  const placed = new Set<number>();
  const order: number[] = [];
  while (order.length < dependencies.length) {
    let next = -1;
    for (let i = 0; i < dependencies.length; i++) {
      if (!placed.has(i) && (dependencies[i] ?? []).every((d) => placed.has(d) || d === i)) {
        next = i;
        break;
      }
    }
    if (next === -1) {
      // Stuck on a cycle: its first member comes first (not an object that merely waits behind the cycle).
      const unplaced = [...dependencies.keys()].filter((i) => !placed.has(i));
      next = unplaced.find((i) => onCycle(i, dependencies, placed)) ?? (unplaced[0] as number);
    }
    placed.add(next);
    order.push(next);
  }
  return order;
}

/** Whether `start` can reach itself through objects not placed yet. */
function onCycle(
  start: number,
  dependencies: readonly (readonly number[])[],
  placed: ReadonlySet<number>,
): boolean {
  const seen = new Set<number>();
  const stack = (dependencies[start] ?? []).filter((d) => d !== start && !placed.has(d));
  while (stack.length > 0) {
    const node = stack.pop() as number;
    if (node === start) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const d of dependencies[node] ?? []) if (d !== node && !placed.has(d)) stack.push(d);
  }
  return false;
}

/** By group (in the given order), then by display name, then by id: a stable order whatever the API's. */
const byGroupThenName = (groups: readonly string[]) => (a: ImportedObject, b: ImportedObject) =>
  groups.indexOf(a.group) - groups.indexOf(b.group) ||
  a.name.localeCompare(b.name, "en") ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Names, order, references and secrets of every object. `groups` orders the groups (default: as they first
 * appear in `objects`); within a group, objects go by display name.
 */
export function planProgram(
  objects: readonly ImportedObject[],
  groups: readonly string[] = [...new Set(objects.map((o) => o.group))],
): Program {
  const sorted = [...objects].sort(byGroupThenName(groups));
  const allocator = new NameAllocator();
  const names = sorted.map((o) => allocator.allocate(o.nameHint ?? o.name, o.noun));
  const indexOfId = new Map(sorted.map((o, i) => [o.id, i]));
  const referenceable = (i: number) => (sorted[i]?.problems.length ?? 1) === 0;
  const dependencies = sorted.map((o, i) =>
    [...new Set(stringLeaves(o.args))]
      .map((s) => indexOfId.get(s))
      .filter((j): j is number => j !== undefined && j !== i && referenceable(j)),
  );
  const secrets: SecretEntry[] = [];
  const secretKeys = new Set<string>();
  const declared = new Set<number>();
  const declarations: Declaration[] = [];
  for (const i of dependencyOrder(dependencies)) {
    const object = sorted[i] as ImportedObject;
    const objectNames = names[i] as ObjectNames;
    const notes = [...object.notes];
    const byId = (id: string): string | undefined => {
      const j = indexOfId.get(id);
      if (j === undefined || j === i) return undefined;
      const target = sorted[j] as ImportedObject;
      const targetNames = names[j] as ObjectNames;
      if (declared.has(j)) return `${targetNames.variable}.id`;
      const why = referenceable(j) ? "a reference would make a cycle" : "it is written commented out";
      const note = `refers to ${target.kind} ${quotedName(target.name)} by its id (${why})`;
      if (!notes.includes(note)) notes.push(note);
      return undefined;
    };
    const onSecret = (slot: SecretSlot, path: readonly (string | number)[]): string => {
      let key = secretConfigKey(objectNames.variable, path);
      for (let n = 2; secretKeys.has(key); n++) key = `${secretConfigKey(objectNames.variable, path)}${n}`;
      secretKeys.add(key);
      secrets.push({ key, kind: object.kind, name: object.name, id: object.id, path: formatPath(path) });
      return secretExpression(key, slot);
    };
    const { name, ...rest } = object.args;
    const resolved = resolveValues(rest, [], byId, onSecret) as object;
    const args = object.adoptable ? { name, importId: object.id, ...resolved } : { name, ...resolved };
    declarations.push({ object, names: objectNames, args, notes, commentedOut: object.problems.length > 0 });
    if (object.problems.length === 0) declared.add(i);
  }
  return { declarations, secrets };
}

/** `config.requireSecret("key")`, or the typed variant for a secret that is not a string. */
export function secretExpression(key: string, slot: SecretSlot): string {
  const method =
    slot.valueType === "number"
      ? "requireSecretNumber"
      : slot.valueType === "boolean"
        ? "requireSecretBoolean"
        : slot.valueType === "object"
          ? "requireSecretObject<any>"
          : "requireSecret";
  return `config.${method}(${stringLiteral(key)})`;
}

/** The arguments with ids of declared objects as references and slots as config reads (both {@link Expression}s). */
export function resolveValues(
  value: unknown,
  path: readonly (string | number)[],
  reference: (id: string) => string | undefined,
  secret: (slot: SecretSlot, path: readonly (string | number)[]) => string,
): unknown {
  if (value instanceof SecretSlot) return new Expression(secret(value, path));
  if (typeof value === "string") {
    const code = reference(value);
    return code === undefined ? value : new Expression(code);
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveValues(v, [...path, i], reference, secret));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveValues(v, [...path, k], reference, secret)]),
    );
  }
  return value;
}

/** Settings of the printed program. */
export interface PrintOptions {
  /** `protect: true` on every resource (as `pulumi import` does). */
  readonly protect: boolean;
}

/** One declaration's source: a comment naming the object, its notes, and the `const` (or all of it commented out). */
export function declarationSource(declaration: Declaration, options: PrintOptions): string {
  const { object, names, args, notes } = declaration;
  const header = [`// ${object.kind} ${quotedName(object.name)}, id ${commentText(object.id, 80)}`];
  for (const note of notes) header.push(`// Note: ${commentText(note, 400)}`);
  const opts = options.protect ? ", { protect: true }" : "";
  const code =
    `const ${names.variable} = new polytomic.${object.kind}(${stringLiteral(names.resourceName)}, ` +
    `${printValue(args)}${opts});`;
  if (!declaration.commentedOut) return [...header, code].join("\n");
  return [
    ...header,
    "// NOT DECLARED: polytomic-import could not express these arguments for this class:",
    ...object.problems.map((p) => `//   - ${commentText(p, 300)}`),
    "// Fix them, then remove the comment markers to adopt the object.",
    ...code.split("\n").map((line) => `// ${line}`),
  ].join("\n");
}

/** A heading for a group of declarations: `connections` → `// ---- Connections ----`. */
export function groupHeading(group: string): string {
  return `// ---- ${group.charAt(0).toUpperCase()}${group.slice(1)} ----`;
}

/** What the program's header says about where it came from. */
export interface ProgramOrigin {
  readonly deploymentUrl: string;
  readonly organizationName?: string;
  readonly packageVersion: string;
  /** `230 connections, 6 models, 6 model syncs`. */
  readonly counts: string;
}

/** The whole `index.ts`. */
export function programSource(program: Program, origin: ProgramOrigin, options: PrintOptions): string {
  const organization =
    origin.organizationName === undefined ? "" : ` (organization ${quotedName(origin.organizationName)})`;
  const lines = [
    `// Generated by polytomic-import (pulumi-polytomic ${origin.packageVersion}) from ${commentText(origin.deploymentUrl)}${organization}:`,
    `// ${origin.counts}.`,
    "//",
    "// Each resource names its existing object with `importId`: the first `pulumi up` adopts it (writing back the",
    "// settings it already has), and from then on Pulumi manages it. Secrets Polytomic does not return are read",
    "// from the stack config: README.md lists the `pulumi config set --secret` commands.",
    'import * as pulumi from "@pulumi/pulumi";',
    'import * as polytomic from "pulumi-polytomic";',
    "",
    "const config = new pulumi.Config();",
  ];
  let group: string | undefined;
  for (const declaration of program.declarations) {
    if (declaration.object.group !== group) {
      group = declaration.object.group;
      lines.push("", groupHeading(group));
    }
    lines.push("", declarationSource(declaration, options));
  }
  // A program with no secret would leave `config` unused; reading it keeps strict settings quiet.
  if (program.secrets.length === 0) lines.push("", "void config;");
  return `${lines.join("\n")}\n`;
}
