/** Small checks of request bodies that several routes share; each adds what it finds to a list of problems. */

import type { ValidationProblem } from "../connection-types/json-schema";
import { isPlainObject } from "../wire";

/** What is wrong with a request body, and where: the same shape as a configuration's validation problems. */
export type Problem = ValidationProblem;

/** The message for a value outside an enumeration: `must be one of a, b, c`. */
export function oneOf(list: readonly string[]): string {
  return `must be one of ${list.join(", ")}`;
}

/** Whether a value is left out: absent or `null` (the API reads both as "not set"). */
export function isUnset(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** Whether a value is a string with something in it (what "is required" asks of a text field). */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

/**
 * Calls `check(item, at)` for every object in the optional array `body[name]`, `at` being the item's path
 * (`filters[2]`). A value that is not an array, and items that are not objects, are problems.
 */
export function forEachObjectItem(
  body: Record<string, unknown>,
  name: string,
  problems: Problem[],
  check: (item: Record<string, unknown>, at: string) => void,
): void {
  const list = body[name];
  if (isUnset(list)) return;
  if (!Array.isArray(list)) {
    problems.push({ path: name, message: "must be an array" });
    return;
  }
  list.forEach((item, i) => {
    const at = `${name}[${i}]`;
    if (isPlainObject(item)) check(item, at);
    else problems.push({ path: at, message: "must be an object" });
  });
}

/** The optional array of strings `body[name]`; every item that is not a string is a problem (and left out). */
export function stringArray(
  body: Record<string, unknown>,
  name: string,
  problems: Problem[],
): string[] | undefined {
  const value = body[name];
  if (isUnset(value)) return undefined;
  if (!Array.isArray(value)) {
    problems.push({ path: name, message: "must be an array of strings" });
    return undefined;
  }
  value.forEach((v, i) => {
    if (typeof v !== "string") problems.push({ path: `${name}[${i}]`, message: "must be a string" });
  });
  return value.filter((v): v is string => typeof v === "string");
}
