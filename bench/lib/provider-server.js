// Drives the real dynamic-provider gRPC server of @pulumi/pulumi (`cmd/dynamic-provider`), the process the Pulumi
// engine starts for dynamic resources, over real gRPC with Struct marshalling. Plain Node, so the benchmark runs it
// as is; the tests use it through test/helpers/provider-server.ts, which adds the types.
const { spawn } = require("node:child_process");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] }));
const fromPulumi = (id) => require(require.resolve(id, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const rpc = require(path.join(pulumiDir, "proto", "provider_grpc_pb"));
const pb = require(path.join(pulumiDir, "proto", "provider_pb"));
const statusPb = require(path.join(pulumiDir, "proto", "status_pb"));

/** The ErrorResourceInitFailed detail of a failed Create/Update (an object created but not ready), if any. */
function decodeInitFailed(error) {
  const raw = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (raw === undefined) return undefined;
  const any = statusPb.Status.deserializeBinary(new Uint8Array(raw)).getDetailsList()[0];
  if (any === undefined) return undefined;
  const detail = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
  return {
    id: detail.getId(),
    properties: detail.getProperties()?.toJavaScript() ?? {},
    reasons: detail.getReasonsList(),
  };
}

/** The wire form of a secret value, as the engine sends it in Configure. */
const secretWire = (value) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

/**
 * Starts `node @pulumi/pulumi/cmd/dynamic-provider` in `cwd` (the program folder: `require` resolves there), from
 * the `@pulumi/pulumi` that folder resolves, as the engine runs the program's own copy (so a folder with another
 * version installed tests that version's server); else this repository's.
 */
async function startProviderServer(cwd, project = "project", env = {}) {
  const serverPulumiDir = path.dirname(
    require.resolve("@pulumi/pulumi/package.json", { paths: [cwd, ROOT] }),
  );
  const entry = path.join(serverPulumiDir, "cmd", "dynamic-provider", "index.js");
  const child = spawn(process.execPath, [entry, "127.0.0.1:0"], {
    cwd,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: project, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = [];
  const stderr = [];
  child.stderr.on("data", (d) => stderr.push(d.toString()));
  const port = await new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout.on("data", (d) => {
      stdout.push(d.toString());
      buffered += d.toString();
      if (buffered.includes("\n")) resolve(Number(buffered.split("\n")[0].trim()));
    });
    child.on("exit", (code) => reject(new Error(`provider server exited (${code}): ${stderr.join("")}`)));
  });
  const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    // 200 concurrent calls share one HTTP/2 connection; lift grpc-js's default stream limits out of the way.
    "grpc.max_concurrent_streams": 1000,
  });
  const call = (method, request) =>
    new Promise((resolve, reject) =>
      client[method](request, (error, response) => {
        if (!error) return resolve(response);
        error.initFailed = decodeInitFailed(error);
        reject(error);
      }),
    );
  const struct = (v) => Struct.fromJavaScript(v);
  const type = (urn) => urn.split("::")[2] ?? "";

  return {
    pid: child.pid,
    stdout,
    stderr,
    async configure(config) {
      const r = new pb.ConfigureRequest();
      r.setArgs(struct(config));
      r.setAcceptsecrets(true);
      r.setAcceptresources(true);
      await call("configure", r);
    },
    async check(urn, olds, news) {
      const r = new pb.CheckRequest();
      r.setUrn(urn);
      r.setType(type(urn));
      r.setOlds(struct(olds));
      r.setNews(struct(news));
      const x = await call("check", r);
      return {
        inputs: x.getInputs()?.toJavaScript() ?? {},
        failures: x.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(urn, id, olds, news) {
      const r = new pb.DiffRequest();
      r.setUrn(urn);
      r.setType(type(urn));
      r.setId(id);
      r.setOlds(struct(olds));
      r.setNews(struct(news));
      r.setOldInputs(struct(news));
      const x = await call("diff", r);
      return {
        changes: x.getChanges(),
        replaces: x.getReplacesList(),
        deleteBeforeReplace: x.getDeletebeforereplace(),
      };
    },
    async create(urn, props) {
      const r = new pb.CreateRequest();
      r.setUrn(urn);
      r.setType(type(urn));
      r.setProperties(struct(props));
      const x = await call("create", r);
      return { id: x.getId(), props: x.getProperties()?.toJavaScript() ?? {} };
    },
    async read(urn, id, props, inputs) {
      const r = new pb.ReadRequest();
      r.setUrn(urn);
      r.setType(type(urn));
      r.setId(id);
      r.setProperties(struct(props));
      if (inputs !== undefined) r.setInputs(struct(inputs));
      const x = await call("read", r);
      return {
        id: x.getId(),
        props: x.getProperties()?.toJavaScript() ?? {},
        inputs: x.getInputs()?.toJavaScript() ?? {},
      };
    },
    async update(urn, id, olds, news) {
      const r = new pb.UpdateRequest();
      r.setUrn(urn);
      r.setType(type(urn));
      r.setId(id);
      r.setOlds(struct(olds));
      r.setNews(struct(news));
      const x = await call("update", r);
      return { props: x.getProperties()?.toJavaScript() ?? {} };
    },
    async delete(urn, id, props) {
      const r = new pb.DeleteRequest();
      r.setUrn(urn);
      r.setType(type(urn));
      r.setId(id);
      r.setProperties(struct(props));
      await call("delete", r);
    },
    /** VmHWM (peak resident set) and VmRSS of the server process, in KiB, from /proc/<pid>/status. */
    memory() {
      const status = require("node:fs").readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
      return { hwmKiB: kib("VmHWM"), rssKiB: kib("VmRSS") };
    },
    /** CPU time (user + system) the server process has used so far, in ms, from /proc/<pid>/stat. */
    cpuMs() {
      const stat = require("node:fs").readFileSync(`/proc/${child.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
    },
    close() {
      client.close();
      child.kill();
    },
  };
}

module.exports = { startProviderServer, secretWire, pulumiDir, ROOT };
