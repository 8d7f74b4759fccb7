import type * as pulumi from "@pulumi/pulumi";
import type { PolytomicClient } from "../client";
import { waitForSchemaCache } from "../client/schema-wait";
import { CONNECTION_FIELDS } from "../resources/connection-base";
import { type CompareOptions, changedKeys } from "./compare";
import {
  apiConfiguration,
  type ConnectionInputs,
  type ConnectionKind,
  type ConnectionOutputs,
  checkConnection,
  configurationDefaults,
  configurationSecrets,
  connectionRequest,
  connectionType,
  LOCAL_CONNECTION_INPUTS,
  outputsFromRead,
  outputsFromResponse,
  REMOTE_CONNECTION_INPUTS,
  schemaTimeoutMs,
  shouldWaitForSchema,
} from "./connection-spec";
import { connectionUsers, explainApiError, isNotFound, ResourceInitError } from "./errors";
import { toPlain } from "./plain";
import { clientFor, type ProviderConfig } from "./settings";

/** How connection outputs compare with inputs: schema defaults, server-filled keys, unordered lists. */
function compareOptions(kind: ConnectionKind, type: string): CompareOptions {
  return {
    defaults: configurationDefaults(kind, type),
    computedWhenAbsent: ["organizationId", "healthcheckInterval"],
    unordered: ["policies"],
  };
}

/** Test seams and tuning for the schema wait. */
export interface ConnectionProviderOptions {
  readonly schemaPollInitialMs?: number;
  readonly schemaPollMaxMs?: number;
}

/**
 * The lifecycle of every connection class against the API: create (or adopt with `importId`), wait for the
 * schema cache, read, update (a full replacement that re-sends secrets from the inputs) and delete.
 */
export class ConnectionProvider
  implements pulumi.dynamic.ResourceProvider<ConnectionInputs, ConnectionOutputs>
{
  constructor(
    private readonly kind: ConnectionKind,
    private readonly config?: ProviderConfig,
    private readonly options: ConnectionProviderOptions = {},
  ) {}

  /** The client for the organization the values (inputs or outputs) name, if any (partner keys need one). */
  private client(values?: { organizationId?: string }): PolytomicClient {
    return clientFor(this.config, "organization", values?.organizationId);
  }

  async check(
    _olds: ConnectionInputs,
    news: ConnectionInputs,
  ): Promise<pulumi.dynamic.CheckResult<ConnectionInputs>> {
    const failures = checkConnection(this.kind, news as unknown as Record<string, unknown>);
    return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
  }

  async diff(
    _id: string,
    olds: ConnectionOutputs,
    news: ConnectionInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const remote = this.remoteChanges(olds, news);
    // Adoption happens once, in create: a later change of importId means nothing.
    const local = changedKeys(
      olds as never,
      news as never,
      LOCAL_CONNECTION_INPUTS.filter((k) => k !== "importId"),
    );
    return {
      changes: remote.length + local.length > 0,
      replaces: remote.filter((k) => (CONNECTION_FIELDS.replace as readonly string[]).includes(k)),
      deleteBeforeReplace: false,
    };
  }

  /** The keys Polytomic holds that the new inputs change (what `diff` reports and `update` sends). */
  private remoteChanges(olds: ConnectionOutputs, news: ConnectionInputs): string[] {
    const type = connectionType(this.kind, news) ?? olds.type;
    const desired = { ...news, type: this.kind.fixedType ?? news.type };
    return changedKeys(
      olds as never,
      desired as never,
      REMOTE_CONNECTION_INPUTS,
      compareOptions(this.kind, type),
    );
  }

  async create(inputs: ConnectionInputs): Promise<{ id: string; outs: ConnectionOutputs }> {
    const client = this.client(inputs);
    const body = connectionRequest(this.kind, inputs);
    const secrets = configurationSecrets(body.type, body.configuration);
    let response: Awaited<ReturnType<PolytomicClient["connections"]["create"]>>;
    try {
      if (inputs.importId !== undefined) {
        const existing = await client.connections.get(inputs.importId);
        if (existing.type.id !== body.type) {
          throw new Error(
            `importId ${inputs.importId} is a "${existing.type.id}" connection, not "${body.type}": adopt it with the matching class`,
          );
        }
        response = await client.connections.update(inputs.importId, body, { secrets });
      } else {
        response = await client.connections.create(body, { secrets });
      }
    } catch (error) {
      throw explainApiError(error, `creating connection "${inputs.name}"`);
    }
    const outs = toPlain(outputsFromResponse(this.kind, inputs, response));
    await this.awaitSchema(response.id, body.type, inputs, outs);
    return { id: response.id, outs };
  }

  async read(id: string, props?: ConnectionOutputs): Promise<pulumi.dynamic.ReadResult<ConnectionOutputs>> {
    let response: Awaited<ReturnType<PolytomicClient["connections"]["get"]>>;
    try {
      response = await this.client(props).connections.get(id);
    } catch (error) {
      if (isNotFound(error)) return {};
      throw explainApiError(error, `reading connection ${id}`);
    }
    const outs = toPlain(outputsFromRead(this.kind, props, response));
    const { status, statusError, authUrl, computedConfiguration, ...inputs } = outs;
    if (this.kind.fixedType !== undefined) delete (inputs as Partial<ConnectionInputs>).type;
    return { id: response.id, props: outs, inputs: inputs as ConnectionOutputs };
  }

  async update(
    id: string,
    olds: ConnectionOutputs,
    news: ConnectionInputs,
  ): Promise<{ outs: ConnectionOutputs }> {
    const type = connectionType(this.kind, news) ?? olds.type;
    let outs: ConnectionOutputs;
    if (this.remoteChanges(olds, news).length === 0) {
      // Only provider settings changed (or a failed schema wait is being retried): nothing to send.
      // The new inputs (a setting removed from the program goes), with what Polytomic reported last time.
      const { status, statusError, authUrl, computedConfiguration } = olds;
      outs = toPlain({ ...news, type: olds.type, status, statusError, authUrl, computedConfiguration });
    } else {
      const body = connectionRequest(this.kind, news);
      const secrets = configurationSecrets(type, apiConfiguration(this.kind, type, news.configuration));
      try {
        const response = await this.client(news).connections.update(id, body, { secrets });
        outs = toPlain(outputsFromResponse(this.kind, news, response));
      } catch (error) {
        throw explainApiError(error, `updating connection "${news.name}" (${id})`);
      }
    }
    await this.awaitSchema(id, type, news, outs);
    return { outs };
  }

  async delete(id: string, props: ConnectionOutputs): Promise<void> {
    try {
      await this.client(props).connections.delete(id, { force: props.forceDestroy === true });
    } catch (error) {
      if (isNotFound(error)) return;
      const users = connectionUsers(error);
      if (users !== undefined) {
        const list = users.map((u) => `${u.type} "${u.name ?? ""}" (${u.id})`).join(", ");
        throw new Error(
          `cannot delete connection "${props.name}" (${id}): it is in use by ${list || "other objects"}. ` +
            "Delete or re-point those first, or set `forceDestroy: true` on the connection to have Polytomic " +
            "delete them with it.",
          { cause: error },
        );
      }
      throw explainApiError(error, `deleting connection "${props.name}" (${id})`);
    }
  }

  /**
   * Blocks until the schema cache is ready, so that models and syncs depending on this connection are created
   * only after. The connection exists already: any failure from here on is a partial failure that keeps it.
   */
  private async awaitSchema(id: string, type: string, inputs: ConnectionInputs, outs: ConnectionOutputs) {
    if (!shouldWaitForSchema(type, inputs)) return;
    const properties = toPlain({ ...outs, __provider: inputs.__provider });
    let reason: string | undefined;
    try {
      const result = await waitForSchemaCache(() => this.client(inputs).connections.schemaStatus(id), {
        timeoutMs: schemaTimeoutMs(inputs),
        initialIntervalMs: this.options.schemaPollInitialMs,
        maxIntervalMs: this.options.schemaPollMaxMs,
      });
      if (!result.ready) reason = `connection "${inputs.name}": ${result.reason}`;
    } catch (error) {
      const explained = explainApiError(error, `waiting for the schema cache of connection "${inputs.name}"`);
      reason = explained instanceof Error ? explained.message : String(explained);
    }
    if (reason !== undefined) {
      throw new ResourceInitError(id, properties, [
        reason,
        "raise schemaTimeoutSeconds, or set waitForSchema: false to skip the wait",
      ]);
    }
  }
}
