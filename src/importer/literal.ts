/**
 * Printing values as TypeScript source: the literals of the generated program's arguments. Pure string building,
 * no I/O; every function is table-tested in test/importer/literal.test.ts.
 */

/** A piece of TypeScript printed as is, e.g. `webhook.id` or `config.requireSecret("gcsServiceAccount")`. */
export class Expression {
  constructor(readonly code: string) {}
}

/** How wide a printed line may grow before an array or object is broken over several lines. */
export const LINE_WIDTH = 110;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object literal's key: bare when it is an identifier (`bucket`, `default`), quoted otherwise (`"a-b"`).
 * `__proto__` is computed (`["__proto__"]`): as a plain or quoted key it would set the prototype instead.
 */
export function propertyKey(key: string): string {
  if (key === "__proto__") return '["__proto__"]';
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/**
 * A string literal. JSON's escaping is TypeScript's, plus U+2028 and U+2029, which JSON leaves raw and which an
 * editor shows as line breaks.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A number literal (`-0` kept); JSON has no NaN or Infinity, but a value that is one prints as itself. */
export function numberLiteral(value: number): string {
  if (Object.is(value, -0)) return "-0";
  if (Number.isNaN(value)) return "Number.NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Number.POSITIVE_INFINITY" : "Number.NEGATIVE_INFINITY";
  return String(value);
}

/**
 * Text for a `//` comment: one line whatever it holds (every line terminator, U+2028 and U+2029 included,
 * becomes a space), trimmed to `max` characters.
 */
export function commentText(text: string, max = 200): string {
  const line = text.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A quoted name for comments and messages: `"Contacts bucket"`, on one line. */
export function quotedName(name: string): string {
  return commentText(stringLiteral(name), 120);
}

/**
 * A value as a TypeScript expression: JSON values as literals, {@link Expression}s as their code. Arrays and
 * objects stay on one line while that fits in {@link LINE_WIDTH} (counting `indent`), otherwise one item a line,
 * indented by two more spaces. Object keys whose value is `undefined` are left out.
 */
export function printValue(value: unknown, indent = 0): string {
  if (value instanceof Expression) return value.code;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string":
      return stringLiteral(value);
    case "number":
      return numberLiteral(value);
    case "boolean":
      return String(value);
    case "object":
      return Array.isArray(value) ? printArray(value, indent) : printObject(value as object, indent);
    default:
      throw new TypeError(`cannot print a ${typeof value} as a literal`);
  }
}

function printArray(items: readonly unknown[], indent: number): string {
  if (items.length === 0) return "[]";
  const flat = `[${items.map((v) => printValue(v, indent)).join(", ")}]`;
  if (fits(flat, indent)) return flat;
  const inner = " ".repeat(indent + 2);
  const lines = items.map((v) => `${inner}${printValue(v, indent + 2)},`);
  return `[\n${lines.join("\n")}\n${" ".repeat(indent)}]`;
}

function printObject(value: object, indent: number): string {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const flat = `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${printValue(v, indent)}`).join(", ")} }`;
  if (fits(flat, indent)) return flat;
  const inner = " ".repeat(indent + 2);
  const lines = entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${printValue(v, indent + 2)},`);
  return `{\n${lines.join("\n")}\n${" ".repeat(indent)}}`;
}

function fits(flat: string, indent: number): boolean {
  return !flat.includes("\n") && indent + flat.length <= LINE_WIDTH;
}
