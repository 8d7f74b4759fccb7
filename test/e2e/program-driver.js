// Runs a compiled Pulumi program under the real Pulumi SDK with runtime mocks. Every resource registration is
// forwarded over IPC to the parent process, which drives the real dynamic-provider server and answers with the
// id and outputs; the program then goes on exactly as under the engine (dependencies wait for those outputs).
// Usage (forked by the test, cwd = the program folder): node program-driver.js <program.js> <project> <stack>

const [programFile, project, stack] = process.argv.slice(2);
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));

pulumi.runtime.setAllConfig(
  JSON.parse(process.env.DRIVER_CONFIG || "{}"),
  JSON.parse(process.env.DRIVER_SECRET_KEYS || "[]"),
);

let seq = 0;
const pending = new Map();
process.on("message", (m) => {
  const waiter = pending.get(m.seq);
  if (waiter === undefined) return;
  pending.delete(m.seq);
  if (m.error !== undefined) waiter.reject(new Error(m.error));
  else waiter.resolve(m.result);
});
const ask = (kind, payload) =>
  new Promise((resolve, reject) => {
    const s = ++seq;
    pending.set(s, { resolve, reject });
    process.send({ seq: s, kind, payload });
  });

pulumi.runtime.setMocks(
  {
    newResource: (args) =>
      ask("newResource", { type: args.type, name: args.name, inputs: args.inputs, id: args.id }),
    call: () => ({}),
  },
  project,
  stack,
  false,
);

// The mock monitor sees the whole RegisterResourceRequest: report each resource's additionalSecretOutputs.
const monitor = pulumi.runtime.getMonitor();
const register = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, callback) => {
  process.send({
    kind: "options",
    payload: {
      name: req.getName(),
      type: req.getType(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    },
  });
  return register(req, callback);
};

(async () => {
  const program = require(programFile);
  const outputs = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value)
      ? await new Promise((resolve) => value.apply(resolve))
      : value;
  }
  process.send({ kind: "done", payload: outputs });
})().catch((error) => {
  process.send({ kind: "failed", payload: String(error?.stack ? error.stack : error) });
});
