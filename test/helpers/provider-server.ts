import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "./packed-package";

/**
 * Drives the real dynamic-provider gRPC server of `@pulumi/pulumi` (`cmd/dynamic-provider`), the process the
 * Pulumi engine starts for dynamic resources, over real gRPC with Struct marshalling.
 */

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const rpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const pb = require("@pulumi/pulumi/proto/provider_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");

/** The wire form of a secret value, as the engine sends it in Configure. */
export const secretWire = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

type Json = Record<string, unknown>;

/** A gRPC failure, with the ErrorResourceInitFailed detail decoded when present. */
export interface GrpcFailure extends Error {
  code: number;
  details: string;
  initFailed?: { id: string; properties: Json; reasons: string[] };
}

function decodeInitFailed(error: { metadata?: { get(k: string): unknown[] } }) {
  const raw = error.metadata?.get("grpc-status-details-bin")?.[0] as Buffer | undefined;
  if (raw === undefined) return undefined;
  const status = statusPb.Status.deserializeBinary(new Uint8Array(raw));
  const any = status.getDetailsList()[0];
  if (any === undefined) return undefined;
  const detail = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
  return {
    id: detail.getId() as string,
    properties: (detail.getProperties()?.toJavaScript() ?? {}) as Json,
    reasons: detail.getReasonsList() as string[],
  };
}

/** A running provider server and typed calls into it. */
export interface ProviderServer {
  readonly stderr: string[];
  readonly stdout: string[];
  configure(config: Json): Promise<void>;
  check(
    urn: string,
    olds: Json,
    news: Json,
  ): Promise<{ inputs: Json; failures: { property: string; reason: string }[] }>;
  diff(
    urn: string,
    id: string,
    olds: Json,
    news: Json,
  ): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(urn: string, props: Json): Promise<{ id: string; props: Json }>;
  read(
    urn: string,
    id: string,
    props: Json,
    inputs?: Json,
  ): Promise<{ id: string; props: Json; inputs: Json }>;
  update(urn: string, id: string, olds: Json, news: Json): Promise<{ props: Json }>;
  delete(urn: string, id: string, props: Json): Promise<void>;
  close(): void;
}

/** Starts `node @pulumi/pulumi/cmd/dynamic-provider` in `cwd` (the program folder: `require` resolves there). */
export async function startProviderServer(
  cwd: string,
  project = "seed",
  env: Json = {},
): Promise<ProviderServer> {
  const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const child: ChildProcess = spawn(process.execPath, [entry, "127.0.0.1:0"], {
    cwd,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: project, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout.push(d.toString());
      buffered += d.toString();
      const line = buffered.split("\n")[0];
      if (buffered.includes("\n") && line !== undefined) resolve(Number(line.trim()));
    });
    child.on("exit", (code) => reject(new Error(`provider server exited (${code}): ${stderr.join("")}`)));
  });
  const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (method: string, request: unknown) =>
    new Promise<any>((resolve, reject) =>
      client[method](request, (error: any, response: any) => {
        if (error) {
          const failure = error as GrpcFailure;
          failure.initFailed = decodeInitFailed(error);
          reject(failure);
        } else resolve(response);
      }),
    );
  const struct = (v: Json) => Struct.fromJavaScript(v);
  const type = (urn: string) => urn.split("::")[2] ?? "";

  return {
    stderr,
    stdout,
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
        failures: x.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
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
    close() {
      client.close();
      child.kill();
    },
  };
}

export { ROOT };
