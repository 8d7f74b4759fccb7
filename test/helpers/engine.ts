import type { ProviderServer } from "./provider-server";

/** The Pulumi secret wire form: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a value is in the secret wire form. */
export const isSecret = (value: unknown): value is { value: unknown } =>
  value !== null &&
  typeof value === "object" &&
  (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;

type Json = Record<string, unknown>;

/** Strips secret wrappers as the engine does before calling a provider, and returns where they were. */
export function unwrapSecrets(value: unknown, path = ""): { value: unknown; secretPaths: string[] } {
  if (isSecret(value)) {
    return { value: unwrapSecrets(value.value).value, secretPaths: [path] };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => unwrapSecrets(v, `${path}[${i}]`));
    return { value: items.map((i) => i.value), secretPaths: items.flatMap((i) => i.secretPaths) };
  }
  if (value !== null && typeof value === "object") {
    const out: Json = {};
    const secretPaths: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const r = unwrapSecrets(v, path === "" ? k : `${path}.${k}`);
      out[k] = r.value;
      secretPaths.push(...r.secretPaths);
    }
    return { value: out, secretPaths };
  }
  return { value, secretPaths: [] };
}

/**
 * The leaves of an output object the engine would store in plaintext: not under a path whose input of the same
 * name was secret (the engine's annotateSecrets), and not under a top-level additionalSecretOutputs key.
 */
export function plaintextLeaves(
  outputs: unknown,
  secretInputPaths: string[],
  secretOutputs: string[],
  path = "",
): [string, unknown][] {
  if (
    path !== "" &&
    secretInputPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`))
  ) {
    return [];
  }
  if (path !== "" && !path.includes(".") && !path.includes("[") && secretOutputs.includes(path)) return [];
  if (Array.isArray(outputs))
    return outputs.flatMap((v, i) => plaintextLeaves(v, secretInputPaths, secretOutputs, `${path}[${i}]`));
  if (outputs !== null && typeof outputs === "object") {
    return Object.entries(outputs).flatMap(([k, v]) =>
      plaintextLeaves(v, secretInputPaths, secretOutputs, path === "" ? k : `${path}.${k}`),
    );
  }
  return [[path, outputs]];
}

/** One resource as the engine would have recorded it. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** The inputs as the program registered them (secrets in wire form). */
  registeredInputs: Json;
  /** The inputs after the engine's unwrapping and the provider's check. */
  inputs: Json;
  secretInputPaths: string[];
  additionalSecretOutputs: string[];
  id: string;
  outputs: Json;
  createdAt: number;
  /** Set when the object was created but failed to initialise (ErrorResourceInitFailed): the reasons. */
  initErrors?: string[];
  /** Set on an object a failed replacement left behind: the next successful `up` deletes it. */
  pendingDelete?: boolean;
}

/** One step of {@link upThroughServer}, as the CLI would print it. */
export interface EngineEvent {
  op: "create" | "update" | "replace" | "same" | "delete" | "failed";
  urn: string;
  type: string;
  name: string;
  id: string;
  error?: string;
  replaces?: string[];
}

/** Settings of {@link upThroughServer}. */
export interface UpOptions {
  programFile: string;
  programDir: string;
  project: string;
  stack: string;
  config: Json;
  secretKeys: string[];
  server: ProviderServer;
  /** The state of the last `up` (none: a new stack). */
  state?: RecordedResource[];
  onCreated?: (resource: RecordedResource) => void;
  onEvent?: (event: EngineEvent) => void;
  /** Leave out the program's own stdout and stderr. */
  quiet?: boolean;
}

const localEngine = require("../../scripts/lib/local-engine.js") as {
  up(options: UpOptions): Promise<{ resources: RecordedResource[]; outputs: Json; error?: Error }>;
  destroy(options: {
    server: ProviderServer;
    resources: RecordedResource[];
    onEvent?: (event: EngineEvent) => void;
  }): Promise<void>;
};

/**
 * `pulumi up` without the CLI (scripts/lib/local-engine.js): the program runs with the real SDK in a child
 * process; each dynamic resource goes through the real provider server (Check, then Create; or Diff, then Update,
 * replacement or nothing against `state`), in the order the program's dependencies allow. A failure resolves with
 * `error` and the state as far as it got.
 */
export const upThroughServer = (options: UpOptions) => localEngine.up(options);

/** `pulumi destroy` without the CLI: deletes a state's resources, dependents first. */
export const destroyThroughServer = (
  server: ProviderServer,
  resources: RecordedResource[],
  onEvent?: (event: EngineEvent) => void,
) => localEngine.destroy({ server, resources, ...(onEvent === undefined ? {} : { onEvent }) });

/** {@link upThroughServer} for a new stack, throwing on failure. */
export async function deployThroughServer(
  options: Omit<UpOptions, "state">,
): Promise<{ resources: RecordedResource[]; outputs: Json }> {
  const result = await localEngine.up(options);
  if (result.error !== undefined) throw result.error;
  return { resources: result.resources, outputs: result.outputs };
}
