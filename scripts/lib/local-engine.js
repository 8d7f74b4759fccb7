// A small stand-in for the Pulumi engine, for running a program without the Pulumi CLI: the program runs under
// `@pulumi/pulumi`'s own runtime (scripts/lib/program-driver.js, mocks in place of the engine's resource monitor),
// and every dynamic resource it registers goes through the real dynamic-provider gRPC server
// (`@pulumi/pulumi/cmd/dynamic-provider`, driven by bench/lib/provider-server.js) the way the engine calls it:
// Check, then Create for a new resource, or Diff and then Update, a replacement (Create, and Delete of the old one
// at the end) or nothing, for one in the previous state. Resources the program no longer declares are deleted.
// A failed Create or Update whose error carries ErrorResourceInitFailed is kept as "created but failed to
// initialise", as the engine keeps it, and its next `up` updates it.
//
// Used by `npm run demo` when no Pulumi CLI is on PATH, and by the tests (typed by test/helpers/engine.ts).
const { fork } = require("node:child_process");
const path = require("node:path");

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isSecret = (value) =>
  value !== null && typeof value === "object" && value[SECRET_SIG_KEY] === SECRET_SIG;

/** Strips secret wrappers as the engine does before calling a provider, and returns where they were. */
function unwrapSecrets(value, at = "") {
  if (isSecret(value)) return { value: unwrapSecrets(value.value).value, secretPaths: [at] };
  if (Array.isArray(value)) {
    const items = value.map((v, i) => unwrapSecrets(v, `${at}[${i}]`));
    return { value: items.map((i) => i.value), secretPaths: items.flatMap((i) => i.secretPaths) };
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    const secretPaths = [];
    for (const [k, v] of Object.entries(value)) {
      const r = unwrapSecrets(v, at === "" ? k : `${at}.${k}`);
      out[k] = r.value;
      secretPaths.push(...r.secretPaths);
    }
    return { value: out, secretPaths };
  }
  return { value, secretPaths: [] };
}

const DIFF_SOME = 2;

/**
 * `pulumi up`: runs the program and brings each resource to what it declares, starting from `state` (the
 * resources of the last `up`; empty for a new stack). Resolves with the new state and the stack outputs; a failure
 * resolves too, with `error` set and the state as far as it got: an object created but not initialised is kept
 * with its `initErrors`, and one a replacement was to delete is kept with `pendingDelete` (deleted by the next
 * successful `up`, or by `destroy`).
 * `onEvent({ op, urn, type, name, id, error? })` reports each step: create, update, replace, same, delete, failed.
 */
async function up(options) {
  const { server, project, stack } = options;
  const prior = options.state ?? [];
  const previous = new Map(prior.filter((r) => !r.pendingDelete).map((r) => [r.urn, r]));
  // Objects a failed replacement left behind: deleted once an update succeeds, as the engine does.
  const pendingDeletes = prior.filter((r) => r.pendingDelete);
  const resources = [];
  const replaced = [];
  const secretOutputs = new Map();
  const emit = (op, r, extra = {}) =>
    options.onEvent?.({ op, urn: r.urn, type: r.type, name: r.name, id: r.id, ...extra });

  async function register({ type, name, inputs: registered }) {
    const urn = `urn:pulumi:${stack}::${project}::${type}::${name}`;
    const { value, secretPaths } = unwrapSecrets(registered);
    const old = previous.get(urn);
    const checked = await server.check(urn, old?.inputs ?? {}, value);
    if (checked.failures.length > 0) {
      const list = checked.failures.map((f) => f.reason).join("; ");
      throw new Error(`${type.split(":").at(-1)} "${name}": ${list}`);
    }
    const record = {
      urn,
      type,
      name,
      registeredInputs: registered,
      inputs: checked.inputs,
      secretInputPaths: secretPaths,
      additionalSecretOutputs: secretOutputs.get(name) ?? [],
      id: "",
      outputs: {},
      createdAt: Date.now(),
    };
    /** Records the resource; `createdAt` is when its create finished (kept from the old state otherwise). */
    const keep = (id, outputs, initErrors, createdAt = Date.now()) => {
      record.id = id;
      record.createdAt = createdAt;
      record.outputs = outputs;
      if (initErrors !== undefined) record.initErrors = initErrors;
      resources.push(record);
    };
    /** Runs a Create or Update; an ErrorResourceInitFailed is recorded (and still fails the step). */
    const apply = async (op, call) => {
      try {
        const result = await call();
        return result;
      } catch (error) {
        if (error.initFailed !== undefined) {
          keep(error.initFailed.id, error.initFailed.properties, error.initFailed.reasons, old?.createdAt);
          emit("failed", record, { error: error.details ?? error.message });
        } else {
          if (old !== undefined && op === "update") keep(old.id, old.outputs, old.initErrors, old.createdAt);
          emit("failed", { ...record, id: old?.id ?? "" }, { error: error.details ?? error.message });
        }
        throw new Error(
          `${op === "create" ? "creating" : "updating"} ${urn}: ${error.details ?? error.message}`,
        );
      }
    };

    if (old === undefined) {
      const created = await apply("create", () => server.create(urn, checked.inputs));
      keep(created.id, created.props);
      emit("create", record);
      return record;
    }
    previous.delete(urn);
    const diff = await server.diff(urn, old.id, old.outputs, checked.inputs);
    const hasInitErrors = (old.initErrors ?? []).length > 0;
    if (diff.changes === DIFF_SOME && diff.replaces.length > 0) {
      const created = await apply("create", () => server.create(urn, checked.inputs));
      keep(created.id, created.props);
      replaced.push(old);
      emit("replace", record, { replaces: diff.replaces });
    } else if (diff.changes === DIFF_SOME || hasInitErrors) {
      const updated = await apply("update", () => server.update(urn, old.id, old.outputs, checked.inputs));
      keep(old.id, updated.props, undefined, old.createdAt);
      emit("update", record);
    } else {
      // The engine's SameStep: the new inputs, the old outputs.
      keep(old.id, old.outputs, undefined, old.createdAt);
      emit("same", record);
    }
    return record;
  }

  const child = fork(path.join(__dirname, "program-driver.js"), [options.programFile, project, stack], {
    cwd: options.programDir,
    env: {
      ...process.env,
      DRIVER_CONFIG: JSON.stringify(options.config ?? {}),
      DRIVER_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
    },
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", options.quiet ? "ignore" : "inherit", "ipc"],
  });
  let failure;
  let outputs = {};
  try {
    outputs = await new Promise((resolve, reject) => {
      child.on("exit", (code) => reject(new Error(`the program exited with code ${code}`)));
      child.on("message", async (message) => {
        if (message.kind === "done") return resolve(message.payload);
        if (message.kind === "failed") return reject(new Error(failure ?? message.payload));
        if (message.kind === "options") {
          secretOutputs.set(message.payload.name, message.payload.additionalSecretOutputs);
          return;
        }
        try {
          const record = await register(message.payload);
          options.onCreated?.(record);
          child.send({ seq: message.seq, result: { id: record.id, state: record.outputs } });
        } catch (error) {
          failure ??= error instanceof Error ? error.message : String(error);
          child.send({ seq: message.seq, error: String(error?.message ?? error) });
        }
      });
    });
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error);
  } finally {
    child.kill();
  }
  if (failure !== undefined) {
    // As the engine: what was not reached stays as it was; what was replaced waits to be deleted.
    const pending = [...replaced, ...pendingDeletes].map((r) => ({ ...r, pendingDelete: true }));
    return {
      resources: [...resources, ...previous.values(), ...pending],
      outputs: {},
      error: new Error(failure),
    };
  }
  // Resources the program dropped, then the replaced ones, newest first.
  const gone = [...[...previous.values()].reverse(), ...replaced.reverse(), ...pendingDeletes];
  for (const r of gone) {
    await server.delete(r.urn, r.id, r.outputs);
    emit("delete", r);
  }
  return { resources, outputs };
}

/**
 * `pulumi destroy`: deletes the resources of a state in the reverse of their order in it (`up` records them in
 * the order their registrations completed, which puts every resource after those it depends on).
 */
async function destroy(options) {
  for (const r of [...options.resources].reverse()) {
    await options.server.delete(r.urn, r.id, r.outputs);
    options.onEvent?.({ op: "delete", urn: r.urn, type: r.type, name: r.name, id: r.id });
  }
}

module.exports = { up, destroy, unwrapSecrets, isSecret, SECRET_SIG_KEY, SECRET_SIG };
