import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { unknownPaths } from "./unknown";

/** One problem found by `check`: the property path as users write it (`fields[1].source.modelId`) and why. */
export type CheckFailure = pulumi.dynamic.CheckFailure;

/** Renders a path of keys and indexes: `["fields", 1, "source"]` → `fields[1].source`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Rewrites zod's messages into the sentences a Pulumi user reads next to the property's name. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "is required";
      return `must be ${article(issue.expected)}, got ${kindOf(value)}`;
    case "too_small":
      return issue.origin === "array"
        ? `must have at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}`
        : issue.origin === "string"
          ? "must not be empty"
          : `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}`;
    case "too_big":
      return `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`;
    case "invalid_union": {
      // Every form failed on the value's type (expandUnions handles a value of the right type).
      const expected = issue.errors.flatMap((branch) =>
        branch
          .filter((e) => e.code === "invalid_type" && e.path.length === 0)
          .map((e) => article((e as { expected: string }).expected)),
      );
      return expected.length > 0 ? `must be ${expected.join(" or ")}, got ${kindOf(value)}` : issue.message;
    }
    case "invalid_value":
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isInteger(value)) return "a number";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

/**
 * A value that may take several forms (`string | { id, ... }`) and fails: zod reports one `invalid_union` with
 * each form's issues. When the value has the type of exactly the forms that did not fail on its type, their
 * issues are the user's mistakes: report those (with their paths under the value's) instead.
 */
function expandUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const fitting = issue.errors.filter(
      (branch) => !branch.some((e) => e.code === "invalid_type" && e.path.length === 0),
    );
    if (fitting.length !== 1) return [issue];
    return expandUnions((fitting[0] ?? []).map((e) => ({ ...e, path: [...issue.path, ...e.path] })));
  });
}

/**
 * Validates `inputs` and returns every failure at once, each naming its property. Failures at or under a value
 * that is still unknown (preview) are dropped: the value will be checked when it is known.
 */
export function validateInputs<T>(
  schema: z.ZodType<T>,
  inputs: unknown,
): { ok: true; value: T } | { ok: false; failures: CheckFailure[] } {
  const result = schema.safeParse(inputs);
  if (result.success) return { ok: true, value: result.data };
  const unknowns = unknownPaths(inputs);
  const issues = expandUnions(result.error.issues);
  const failures: CheckFailure[] = [];
  const seen = new Set<string>();
  const add = (property: string, reason: string) => {
    if (seen.has(reason)) return;
    seen.add(reason);
    failures.push({ property, reason });
  };
  for (const issue of issues) {
    const path = issue.path;
    if (unknowns.some((u) => startsWith(path, u))) continue;
    if (issue.code === "invalid_union" && unknowns.some((u) => startsWith(u, path))) continue;
    if (issue.code === "unrecognized_keys") {
      // Name each unknown key itself: it is the property the user wrote (often a typo).
      for (const key of issue.keys) {
        const property = formatPath([...path, key]);
        add(property, `${property} is not a known property`);
      }
      continue;
    }
    const property = formatPath(path);
    const value = valueAt(inputs, path);
    // Whatever the schema says of a value, a missing one is simply required.
    const missing = value === undefined && issue.code !== "custom";
    add(
      property,
      `${property === "" ? "inputs" : property} ${missing ? "is required" : describeIssue(issue, value)}`,
    );
  }
  return failures.length === 0 ? { ok: true, value: inputs as T } : { ok: false, failures };
}
