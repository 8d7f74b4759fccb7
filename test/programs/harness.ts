/**
 * Runs a Pulumi program (the seed or an example) under `pulumi.runtime.setMocks` and records what the engine
 * would be asked to register, then replays those registrations against the provider implementations: `check`
 * offline, and `create`/`read` against the local Polytomic emulator.
 *
 * One program per test file: the mocks, the config and the runtime state are global to the process (vitest runs
 * each file in its own fork).
 */
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { expect } from "vitest";
import type { RunningEmulator } from "../../src/emulator";
import { providerFor } from "../../src/providers/entry";
import { UNKNOWN } from "../../src/providers/unknown";

// The wire form of a secret, as mocks see it, has one definition: test/helpers/engine.ts.
import { isSecret, SECRET_SIG, SECRET_SIG_KEY } from "../helpers/engine";
import { creationOrder } from "../kinds/samples";

export { isSecret, SECRET_SIG, SECRET_SIG_KEY };

export const TYPE_PREFIX = "pulumi-nodejs:dynamic/polytomic:";

/** One resource the program registered (or read, with `Resource.get`). */
export interface Registration {
  type: string;
  /** The class: the type token's last part (`Sync`, `GcsConnection`, ...). */
  kind: string;
  name: string;
  /** The inputs as the engine receives them: secrets wrapped, unknowns as `pulumi`'s Unknown (preview). */
  inputs: Record<string, any>;
  /** Set for `Resource.get` / `opts.id` reads. */
  readId?: string;
  /** The id the mock answered (`undefined` in preview for new resources: unknown). */
  id?: string;
}

export interface ProgramRun {
  registrations: Registration[];
  /** The program module's exports (stack outputs). */
  exports: Record<string, unknown>;
  byName(name: string): Registration;
  /** `{ name: type }` of every registration (registration order follows when inputs resolve, not program order). */
  types(): Record<string, string>;
}

export interface ProgramOptions {
  /** Absolute path of the program's entry file. */
  program: string;
  /** The Pulumi project name (config keys without a namespace belong to it). */
  project: string;
  preview: boolean;
  config: Record<string, string>;
  secretKeys: string[];
  /** Outputs the mock returns per resource besides its inputs (for new resources, not in preview). */
  computed?: (r: Registration) => Record<string, unknown>;
}

/** The mock id of a resource named `name` (not in preview). */
export const mockId = (name: string) => `${name}-id`;

/**
 * Sets the config and the mocks, imports the program and waits until every registration has reached the mock
 * monitor. In preview, new resources get no id (unknown) and only their inputs as state, as the engine does.
 */
export async function runProgram(options: ProgramOptions): Promise<ProgramRun> {
  const registrations: Registration[] = [];
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const kind = args.type.startsWith(TYPE_PREFIX) ? args.type.slice(TYPE_PREFIX.length) : args.type;
        const registration: Registration = {
          type: args.type,
          kind,
          name: args.name,
          inputs: args.inputs,
          ...(args.id ? { readId: args.id } : {}),
        };
        registrations.push(registration);
        if (registration.readId !== undefined) {
          registration.id = registration.readId;
          return { id: registration.readId, state: { ...args.inputs, ...options.computed?.(registration) } };
        }
        if (options.preview) return { id: undefined, state: { ...args.inputs } };
        registration.id = mockId(args.name);
        return { id: registration.id, state: { ...args.inputs, ...options.computed?.(registration) } };
      },
      call: (args) => args.inputs,
    },
    options.project,
    "dev",
    options.preview,
  );
  const exports = (await import(options.program)) as Record<string, unknown>;
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return {
    registrations,
    exports,
    types() {
      return Object.fromEntries(registrations.map((r) => [r.name, r.type]));
    },
    byName(name) {
      const found = registrations.find((r) => r.name === name);
      if (found === undefined) throw new Error(`no resource named "${name}" was registered`);
      return found;
    },
  };
}

/** The value of an Output (never call it on one that is unknown in preview: it would not settle). */
export function outputValue<T>(output: unknown): Promise<T> {
  return (output as { promise(): Promise<T> }).promise();
}

/** Asserts `value` is secret-wrapped and returns what it wraps. */
export function secretValue(value: unknown): any {
  expect(isSecret(value), `expected a secret, got ${JSON.stringify(value)}`).toBe(true);
  return (value as { value: unknown }).value;
}

/**
 * The inputs as the engine hands them to a dynamic provider: secrets unwrapped (the engine strips them),
 * unknowns as the sentinel string, `undefined` keys dropped.
 */
export function engineInputs(value: unknown): any {
  if (isUnknown(value)) return UNKNOWN;
  if (isSecret(value)) return engineInputs(value.value);
  if (Array.isArray(value)) return value.map(engineInputs);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = engineInputs(v);
    return out;
  }
  return value;
}

/** Every string leaf of a value, secrets unwrapped. */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (isSecret(value)) return stringLeaves(value.value);
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

/**
 * Asserts that `__provider` is the serialized forwarder of its kind and holds none of the secrets: it is
 * stored in plaintext in state, twice per resource.
 */
export function expectCleanForwarder(r: Registration, secrets: readonly string[]): void {
  const text = r.inputs.__provider;
  expect(typeof text, `${r.name}.__provider must be plain text, not a secret`).toBe("string");
  expect(text).toContain(`__provider.kind = "${r.kind}";`);
  expect(text).toContain('require("pulumi-polytomic/provider")');
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    expect(text.includes(secret), `${r.name}.__provider contains a secret value`).toBe(false);
  }
}

/** Runs the provider's offline `check` on every registration that is not a read; returns failures by name. */
export async function checkAll(run: ProgramRun): Promise<Record<string, unknown[]>> {
  const failures: Record<string, unknown[]> = {};
  for (const r of run.registrations) {
    if (r.readId !== undefined) continue;
    const news = engineInputs(r.inputs);
    const result = await providerFor(r.kind, { apiKey: "x" }).check({} as never, news);
    expect(result.inputs).toEqual(news);
    failures[r.name] = result.failures ?? [];
  }
  return failures;
}

/** Every kind of the kinds table, each after the kinds its samples depend on (test/kinds/samples.ts). */
const ORDER = creationOrder();

/** Replaces every string equal to a key of `ids` (a mock id) by its value (the emulator's id), deeply. */
export function substituteIds(value: unknown, ids: ReadonlyMap<string, string>): any {
  if (typeof value === "string") return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => substituteIds(v, ids));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIds(v, ids)]));
  }
  return value;
}

export interface EmulatorReplay {
  /** The emulator id of each resource, by Pulumi resource name. */
  ids: Map<string, string>;
  /** The outputs `create` (or `read`) returned, by Pulumi resource name. */
  outputs: Map<string, Record<string, any>>;
}

/**
 * Creates the program's resources in the emulator with the provider implementations, in dependency order
 * (connections, then models, then syncs: each kind after the kinds it depends on), putting the emulator's ids in
 * place of the mock ids as it goes. `existing` maps ids the program got from its config (an `importId`, the id of
 * a `Resource.get`) to the ids of objects made beforehand in the emulator; reads (`Resource.get`) call `read` with
 * that id instead of `create`.
 */
export async function replayInEmulator(
  run: ProgramRun,
  emulator: RunningEmulator,
  apiKey: string,
  existing: Record<string, string> = {},
): Promise<EmulatorReplay> {
  const config = { apiKey, deploymentUrl: emulator.url };
  const idMap = new Map<string, string>(Object.entries(existing));
  const ids = new Map<string, string>();
  const outputs = new Map<string, Record<string, any>>();
  const ordered = [...run.registrations].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  for (const r of ordered) {
    const provider = providerFor(r.kind, config);
    if (r.readId !== undefined) {
      const realId = idMap.get(r.readId);
      if (realId === undefined)
        throw new Error(`no emulator object for the read of "${r.name}" (${r.readId})`);
      const result = await provider.read(realId, engineInputs(r.inputs));
      expect(result.id).toBe(realId);
      ids.set(r.name, realId);
      outputs.set(r.name, result.props as Record<string, any>);
      continue;
    }
    const result = await provider.create(substituteIds(engineInputs(r.inputs), idMap));
    if (r.id !== undefined) idMap.set(r.id, result.id);
    ids.set(r.name, result.id);
    outputs.set(r.name, result.outs as Record<string, any>);
  }
  return { ids, outputs };
}
