import type * as pulumi from "@pulumi/pulumi";
import { secretAtPaths } from "./secrets";

/**
 * A resource kind's field lists, written once beside its Args interface. The resource's output names, its secret
 * wrapping, and the provider's diff and read-back all derive from these lists, so adding an argument means adding
 * it to the Args interface and to one list here (the compiler refuses an argument that is in neither).
 */
export interface KindFields<Args> {
  /** Arguments sent to Polytomic: `diff` compares them with what Polytomic holds. */
  readonly remote: readonly (keyof Args & string)[];
  /** Arguments that only steer the provider (waits, adoption, cascade deletes); Polytomic never sees them. */
  readonly local: readonly (keyof Args & string)[];
  /** What Polytomic reports besides the arguments (`status`, `fieldNames`, ...). */
  readonly reported: readonly string[];
  /** Remote arguments that cannot change in place: a change replaces the object. */
  readonly replace: readonly (keyof Args & string)[];
  /** Argument paths (`encryptionPassphrase`, `a.b[].c`) kept secret in state and outputs. */
  readonly secret: readonly string[];
}

/** Any kind's field lists, for the functions that only read them. */
export type AnyKindFields = KindFields<Record<string, unknown>>;

/** The arguments of `Args` that a field list leaves out (`never` when it covers them all). */
type Uncovered<Args, F extends KindFields<Args>> = Exclude<
  keyof Args,
  F["remote"][number] | F["local"][number]
>;

/**
 * Declares a kind's field lists, checked against its Args interface: every argument must be `remote` or `local`.
 * Curried so `Args` is given and the lists' literal types are inferred: `defineFields<ModelArgs>()({ ... })`.
 */
export function defineFields<Args>() {
  return <const F extends KindFields<Args>>(
    fields: F & ([Uncovered<Args, F>] extends [never] ? unknown : { uncovered: Uncovered<Args, F> }),
  ): F => fields;
}

/** Every output a kind declares: its arguments (but `importId`, which is spent on create) and what it reports. */
export function outputNames(fields: AnyKindFields): string[] {
  return [...fields.remote, ...fields.local.filter((k) => k !== "importId"), ...fields.reported];
}

/**
 * The props passed to `dynamic.Resource`: a placeholder for each output (so every output property exists, even
 * when its argument is left out and on `get()` references) and the arguments, with the secret ones wrapped in
 * `pulumi.secret` (a program may pass them as plain strings).
 */
export function resourceProps(fields: AnyKindFields, args: object | undefined): Record<string, unknown> {
  const placeholders = Object.fromEntries(outputNames(fields).map((n) => [n, undefined]));
  if (args === undefined) return placeholders;
  return { ...placeholders, ...(secretAtPaths(args, fields.secret) as Record<string, unknown>) };
}

/**
 * Resource options with the kind's secret outputs added: Pulumi only re-marks an output secret when the input of
 * the same name was, and a read or an import has no input.
 */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  outputs: readonly string[],
): pulumi.CustomResourceOptions {
  if (outputs.length === 0) return opts ?? {};
  const existing = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...new Set([...existing, ...outputs])] };
}

/** The top-level outputs holding a secret path (`auth.password` → `auth`). */
export function secretOutputsOf(fields: AnyKindFields): string[] {
  return [...new Set(fields.secret.map((p) => p.split(/[.[]/)[0] as string))];
}
