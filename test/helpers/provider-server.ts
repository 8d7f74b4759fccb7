/**
 * Drives the real dynamic-provider gRPC server of `@pulumi/pulumi` (`cmd/dynamic-provider`), the process the
 * Pulumi engine starts for dynamic resources. One implementation serves the tests and the benchmark:
 * `bench/lib/provider-server.js` (plain Node); this module gives it types.
 */

type Json = Record<string, unknown>;

/** A gRPC failure, with the ErrorResourceInitFailed detail decoded when present. */
export interface GrpcFailure extends Error {
  code: number;
  details: string;
  initFailed?: { id: string; properties: Json; reasons: string[] };
}

/** A running provider server and typed calls into it. */
export interface ProviderServer {
  readonly pid: number;
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
  /** Peak and current resident memory of the server process, in KiB. */
  memory(): { hwmKiB: number; rssKiB: number };
  close(): void;
}

const impl = require("../../bench/lib/provider-server.js") as {
  startProviderServer(cwd: string, project?: string, env?: Json): Promise<ProviderServer>;
  secretWire(value: unknown): Json;
};

/**
 * Starts `node @pulumi/pulumi/cmd/dynamic-provider` in `cwd`, the program folder: `require` resolves there, and the
 * server is that folder's own `@pulumi/pulumi` (as the engine runs it), so a program folder with another version
 * installed runs that version's server.
 */
export const startProviderServer: (cwd: string, project?: string, env?: Json) => Promise<ProviderServer> =
  impl.startProviderServer;

/** The wire form of a secret value, as the engine sends it in Configure. */
export const secretWire: (value: unknown) => Json = impl.secretWire;
