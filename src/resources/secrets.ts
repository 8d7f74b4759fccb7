import * as pulumi from "@pulumi/pulumi";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !pulumi.Output.isInstance(value) &&
    !(value instanceof Promise)
  );
}

/**
 * Wraps the values at `paths` (dotted, `[]` for every array item) in `pulumi.secret`, so they are encrypted in
 * state and shown as `[secret]` even when the program passed them as plain strings. Where a level is itself an
 * Output or a Promise, that whole level becomes secret: its contents cannot be seen before it resolves.
 */
export function secretAtPaths<T>(
  value: pulumi.Input<T> | undefined,
  paths: readonly string[],
): pulumi.Input<T> | undefined {
  if (value === undefined || paths.length === 0) return value;
  if (!isPlainObject(value)) return pulumi.secret(value) as pulumi.Input<T>;
  let out: Record<string, unknown> = { ...value };
  for (const path of paths) out = wrapPath(out, path.split(".")) as Record<string, unknown>;
  return out as pulumi.Input<T>;
}

function wrapPath(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0) return value === undefined ? value : pulumi.secret(value as pulumi.Input<unknown>);
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return pulumi.secret(value);
  const [head, ...rest] = keys as [string, ...string[]];
  const isArray = head.endsWith("[]");
  const key = isArray ? head.slice(0, -2) : head;
  if (!isPlainObject(value) || value[key] === undefined) return value;
  const child = value[key];
  if (!isArray) return { ...value, [key]: wrapPath(child, rest) };
  if (!Array.isArray(child)) return { ...value, [key]: pulumi.secret(child as pulumi.Input<unknown>) };
  return { ...value, [key]: child.map((item) => wrapPath(item, rest)) };
}
