import { fork } from "node:child_process";
import * as path from "node:path";
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
}

/**
 * Runs a compiled program with the real SDK in a child process; each dynamic resource goes through the real
 * provider server (Check, then Create), in the order the program's dependencies allow, as under `pulumi up`.
 */
export async function deployThroughServer(options: {
  programFile: string;
  programDir: string;
  project: string;
  stack: string;
  config: Json;
  secretKeys: string[];
  server: ProviderServer;
  onCreated?: (resource: RecordedResource) => void;
}): Promise<{ resources: RecordedResource[]; outputs: Json }> {
  const resources: RecordedResource[] = [];
  const secretOutputs = new Map<string, string[]>();
  const child = fork(
    path.join(__dirname, "..", "e2e", "program-driver.js"),
    [options.programFile, options.project, options.stack],
    {
      cwd: options.programDir,
      env: {
        ...process.env,
        DRIVER_CONFIG: JSON.stringify(options.config),
        DRIVER_SECRET_KEYS: JSON.stringify(options.secretKeys),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  try {
    const outputs = await new Promise<Json>((resolve, reject) => {
      child.on("exit", (code) => reject(new Error(`program driver exited with ${code}`)));
      child.on("message", async (message: { seq?: number; kind: string; payload: any }) => {
        if (message.kind === "done") return resolve(message.payload);
        if (message.kind === "failed") return reject(new Error(message.payload));
        if (message.kind === "options") {
          secretOutputs.set(message.payload.name, message.payload.additionalSecretOutputs);
          return;
        }
        const { type, name, inputs: registered } = message.payload;
        try {
          const urn = `urn:pulumi:${options.stack}::${options.project}::${type}::${name}`;
          const { value, secretPaths } = unwrapSecrets(registered);
          const checked = await options.server.check(urn, {}, value as Json);
          if (checked.failures.length > 0)
            throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
          const created = await options.server.create(urn, checked.inputs);
          const record: RecordedResource = {
            urn,
            type,
            name,
            registeredInputs: registered,
            inputs: checked.inputs,
            secretInputPaths: secretPaths,
            additionalSecretOutputs: secretOutputs.get(name) ?? [],
            id: created.id,
            outputs: created.props,
            createdAt: Date.now(),
          };
          resources.push(record);
          options.onCreated?.(record);
          child.send({ seq: message.seq, result: { id: created.id, state: created.props } });
        } catch (error) {
          child.send({ seq: message.seq, error: String(error) });
        }
      });
    });
    return { resources, outputs };
  } finally {
    child.kill();
  }
}
