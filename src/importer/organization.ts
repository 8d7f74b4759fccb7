/**
 * Reading a whole organization: the caller's identity first (a bad key or deployment URL stops here with a clear
 * message), then every connection, then each object kind of ./sources.ts, concurrently within a limit, through
 * the package's client (its retries honour 429 `Retry-After`). Progress goes to `options.progress`.
 */

import type { ConnectionResponse, Identity } from "../api";
import { PolytomicApiError, PolytomicClient } from "../client";
import { normalizeDeploymentUrl } from "../client/deployment-url";
import { KINDS, type KindDefinition } from "../kinds";
import type { Access, Credential, KeySetting } from "../providers/credentials";
import { isNotFound } from "../providers/errors";
import { clientWith, credentialFor, type ProviderConfig, resolveSettings } from "../providers/settings";
import {
  asGenericConnection,
  connectionKindFor,
  connectionObject,
  type ImportContext,
  type ImportedObject,
  specObject,
  withPlaceholders,
} from "./objects";
import { OBJECT_SOURCES, type ObjectSource } from "./sources";

/** Why the organization could not be read; `message` is what the user reads (never a key). */
export class ImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImportError";
  }
}

/** Settings of {@link readOrganization}. */
export interface ReadOptions {
  /** Keys, deployment URL and organization; unset ones come from the environment (`POLYTOMIC_API_KEY`, ...). */
  readonly config?: ProviderConfig;
  /** Reads in flight at once (default 8). */
  readonly concurrency?: number;
  /** Receives one progress line at a time (the CLI prints them on stderr). */
  readonly progress?: (line: string) => void;
}

/** What was read. */
export interface OrganizationRead {
  readonly deploymentUrl: string;
  /** The key the program's provider needs (`apiKey`, or `partnerKey` / `deploymentKey` with an organization). */
  readonly key: { readonly setting: KeySetting; readonly organizationId?: string };
  readonly identity: Identity;
  /** Every object, grouped by kind in reading order. */
  readonly objects: ImportedObject[];
  /** The groups read, in order, with their counts (`connections: 230`). */
  readonly groups: { group: string; count: number }[];
  /** Objects listed but gone by the time they were read, and similar remarks (they need attention). */
  readonly remarks: string[];
  /** Objects deliberately not declared, per group (`roles: 2 built in (they never change)`). */
  readonly leftOut: string[];
}

/** A limit on the calls in flight. */
export function limiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Progress of one group: a line when listed, every tenth of the way for large groups, and when done. */
function progressOf(group: string, total: number, report: (line: string) => void) {
  let done = 0;
  const step = Math.max(50, Math.ceil(total / 10));
  report(`${group}: ${total} found`);
  return {
    tick() {
      done++;
      if (done < total && done % step === 0) report(`${group}: ${done}/${total} read`);
    },
    end() {
      report(`${group}: ${done}/${total} read`);
    },
  };
}

/** Reads every object of the organization the configured key acts in. */
export async function readOrganization(options: ReadOptions = {}): Promise<OrganizationRead> {
  const config = options.config ?? {};
  const report = options.progress ?? (() => {});
  const settings = resolveSettings(config);
  const deploymentUrl = normalizeDeploymentUrl(settings.deploymentUrl);
  const identity = await whoAmI(config, deploymentUrl);
  const context: ImportContext = { organizationId: identity.organization_id ?? settings.organizationId };
  report(
    `reading organization ${identity.organization_name ?? identity.organization_id ?? ""} at ${deploymentUrl}`.trim(),
  );
  const limit = limiter(Math.max(1, options.concurrency ?? 8));
  const remarks: string[] = [];
  const leftOut: string[] = [];

  const sources = OBJECT_SOURCES.filter((s) => KINDS.get(s.kind)?.spec !== undefined);
  const [connections, ...others] = await Promise.all([
    readConnections(config, context, report),
    ...sources.map((source) => readObjects(source, config, context, limit, report, { remarks, leftOut })),
  ]);
  // Groups in declaration order: what connections refer to (roles, policies, ...) first.
  const read: { source?: ObjectSource; objects: ImportedObject[] }[] = [
    ...sources.map((source, i) => ({ source, objects: others[i] ?? [] })),
    { objects: connections },
  ];
  const rank = (s: ObjectSource | undefined) => (s === undefined ? 1 : s.early === true ? 0 : 2);
  const ordered = read
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => rank(a.source) - rank(b.source) || a.i - b.i)
    .filter((r) => r.source?.optional !== true || r.objects.length > 0);
  const groups = ordered.map((r) => ({ group: r.source?.group ?? "connections", count: r.objects.length }));
  const { credential } = clientFor(config);
  const key = {
    setting: credential.setting,
    ...(credential.scheme === "basic" && credential.organizationId !== undefined
      ? { organizationId: credential.organizationId }
      : {}),
  };
  return {
    deploymentUrl,
    key,
    identity,
    objects: ordered.flatMap((r) => r.objects),
    groups,
    remarks,
    leftOut,
  };
}

/** A client for a kind of call, with the configured keys (`clientWith` shares one pool per key). */
function clientFor(config: ProviderConfig, access: Access = "organization") {
  try {
    const credential = credentialFor(config, access);
    return { credential, client: clientWith(config, credential) };
  } catch (error) {
    throw new ImportError((error as Error).message, { cause: error });
  }
}

/**
 * `GET /api/me` with few retries, so a wrong deployment URL fails in seconds, and errors that say what to fix.
 */
async function whoAmI(config: ProviderConfig, deploymentUrl: string): Promise<Identity> {
  const { credential } = clientFor(config, "identity");
  const client = new PolytomicClient({
    apiKey: credential.key,
    deploymentUrl,
    ...(credential.scheme === "basic" && credential.organizationId !== undefined
      ? { organizationId: credential.organizationId }
      : {}),
    retry: { maxAttempts: 2, maxElapsedMs: 15_000 },
  });
  try {
    return await client.me();
  } catch (error) {
    throw explainIdentityError(error, deploymentUrl);
  }
}

/** The message for a failed `GET /api/me`: the key, the URL, or the deployment, named. */
export function explainIdentityError(error: unknown, deploymentUrl: string): ImportError {
  if (!(error instanceof PolytomicApiError)) {
    return new ImportError(`cannot read the organization at ${deploymentUrl}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (error.status === 401 || error.status === 403) {
    return new ImportError(
      `Polytomic at ${deploymentUrl} ${error.status === 401 ? "rejected the API key" : "refused access with this key"} ` +
        `(${error.status}). Check POLYTOMIC_API_KEY (or POLYTOMIC_PARTNER_KEY with POLYTOMIC_ORGANIZATION_ID), and ` +
        "POLYTOMIC_DEPLOYMENT_URL for a self-hosted deployment.",
      { cause: error },
    );
  }
  if (error.status === 0) {
    return new ImportError(
      `cannot reach Polytomic at ${deploymentUrl} (${error.message.replace(/^.*?: /, "")}). Check ` +
        "POLYTOMIC_DEPLOYMENT_URL and the network.",
      { cause: error },
    );
  }
  return new ImportError(
    `${deploymentUrl} does not answer like a Polytomic deployment (GET /api/me: ${error.message.replace(/^.*?: /, "")}` +
      `, status ${error.status}). Check POLYTOMIC_DEPLOYMENT_URL.`,
    { cause: error },
  );
}

/** Every connection, from the list (it holds the whole objects), each with the class that can express it. */
async function readConnections(
  config: ProviderConfig,
  context: ImportContext,
  report: (line: string) => void,
): Promise<ImportedObject[]> {
  const { client } = clientFor(config);
  let responses: ConnectionResponse[];
  try {
    responses = await client.connections.list();
  } catch (error) {
    throw new ImportError(`listing connections: ${(error as Error).message}`, { cause: error });
  }
  const progress = progressOf("connections", responses.length, report);
  const objects: ImportedObject[] = [];
  for (const response of responses) {
    objects.push(await checkedConnection(response, config, context));
    progress.tick();
  }
  progress.end();
  return objects;
}

/** The connection with its typed class, or the generic one when the typed class's check refuses it. */
export async function checkedConnection(
  response: ConnectionResponse,
  config: ProviderConfig,
  context: ImportContext,
): Promise<ImportedObject> {
  const object = connectionObject(response, context);
  const problems = await checkProblems(connectionKindFor(response.type.id), object.args, config);
  if (problems.length === 0) return object;
  if (object.kind !== "Connection") {
    const generic = asGenericConnection(object, response, context, problems);
    const genericProblems = await checkProblems(
      KINDS.get("Connection") as KindDefinition,
      generic.args,
      config,
    );
    if (genericProblems.length === 0) return generic;
  }
  return { ...object, problems };
}

/** Every object of one kind: list, then read each (concurrently, within the limit) through the kind's spec. */
async function readObjects(
  source: ObjectSource,
  config: ProviderConfig,
  context: ImportContext,
  limit: ReturnType<typeof limiter>,
  report: (line: string) => void,
  { remarks, leftOut }: { remarks: string[]; leftOut: string[] },
): Promise<ImportedObject[]> {
  const kind = KINDS.get(source.kind) as KindDefinition;
  const spec = kind.spec as NonNullable<KindDefinition["spec"]>;
  let client: PolytomicClient;
  let credential: Credential;
  try {
    ({ client, credential } = clientFor(config, spec.access));
  } catch (error) {
    if (source.optional === true) return [];
    throw error;
  }
  let ids: string[];
  try {
    ids = await limit(() => source.list(client, credential));
  } catch (error) {
    // A deployment without the feature (an older self-hosted one) has no such endpoint: nothing to import.
    if (isNotFound(error)) {
      remarks.push(
        `${source.group}: the deployment does not list them (${(error as Error).message}); none imported`,
      );
      report(`${source.group}: not offered by this deployment`);
      return [];
    }
    throw new ImportError(`listing ${source.group}: ${(error as Error).message}`, { cause: error });
  }
  const progress = progressOf(source.group, ids.length, report);
  let skipped = 0;
  const read = await Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          let response = await spec.api(client, credential).get(id);
          if (source.enrich !== undefined) response = (await source.enrich(client, response)) as never;
          else if (spec.afterRead !== undefined) response = await spec.afterRead(client, response, undefined);
          if (source.skip?.when(response as Record<string, unknown>) === true) {
            skipped++;
            return undefined;
          }
          const object = specObject(kind, source.group, response as Record<string, unknown>, context, source);
          const problems = await checkProblems(kind, object.args, config);
          return problems.length === 0 ? object : { ...object, problems };
        } catch (error) {
          if (isNotFound(error) && source.singleton === true) {
            skipped++;
            return undefined;
          }
          if (isNotFound(error)) {
            remarks.push(`${kind.kind} ${id} was listed but is gone: not imported`);
            return undefined;
          }
          throw new ImportError(`reading ${spec.noun} ${id}: ${(error as Error).message}`, { cause: error });
        } finally {
          progress.tick();
        }
      }),
    ),
  );
  progress.end();
  if (skipped > 0) leftOut.push(`${source.group}: ${skipped} (${source.skip?.why})`);
  return read.filter((o): o is ImportedObject => o !== undefined);
}

/** What the kind's `check` says of the arguments (secrets as placeholders): each failure's reason. */
export async function checkProblems(
  kind: KindDefinition,
  args: Record<string, unknown>,
  config: ProviderConfig,
): Promise<string[]> {
  const inputs = withPlaceholders(args) as never;
  const result = await kind.provider(config).check({} as never, inputs);
  return (result.failures ?? []).map((f) => f.reason);
}
