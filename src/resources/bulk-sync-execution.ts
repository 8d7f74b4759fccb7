import * as pulumi from "@pulumi/pulumi";
import { defineFields, resourceProps } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of {@link BulkSyncExecution}. */
export interface BulkSyncExecutionArgs {
  /** The bulk sync to run. Changing it starts a new run (a replacement). */
  bulkSyncId: pulumi.Input<string>;
  /** Any change of value starts a new run (a replacement), the way `triggers` work in `@pulumi/command`. */
  triggers?: pulumi.Input<pulumi.Input<unknown>[]>;
  /** Validate the configuration without writing to the destination. Not with `resyncMode`. */
  test?: pulumi.Input<boolean>;
  /** `refetch`, `resync` or `rebuild`: a destructive or full-refresh style rerun. */
  resyncMode?: pulumi.Input<"refetch" | "resync" | "rebuild">;
  /** `none` (normal), `incremental` or `full` (Salesforce sources). */
  fetchMode?: pulumi.Input<"none" | "incremental" | "full">;
  /** Run only these schemas (all enabled ones when left out). Changing it starts a new run. */
  schemas?: pulumi.Input<pulumi.Input<string>[]>;
  /** Wait until the run ends (default true). */
  waitForCompletion?: pulumi.Input<boolean>;
  /** How long to wait (default 1800); a run still going then is kept and the next `pulumi up` waits again. */
  timeoutSeconds?: pulumi.Input<number>;
  /**
   * Fail the deployment when the run fails, is canceled, or ends with errors (status `errors`, or an error
   * count); default true. The run is kept in the stack either way: the next `pulumi up` starts no other.
   */
  failOnErrors?: pulumi.Input<boolean>;
}

/** {@link BulkSyncExecution}'s field lists. */
export const BULK_SYNC_EXECUTION_FIELDS = defineFields<BulkSyncExecutionArgs>()({
  remote: ["bulkSyncId", "test", "resyncMode", "fetchMode", "schemas"],
  local: ["triggers", "waitForCompletion", "timeoutSeconds", "failOnErrors"],
  reported: [
    "executionId",
    "status",
    "statusMessage",
    "recordCount",
    "errorCount",
    "warningCount",
    "schemaStatuses",
    "startedAt",
    "completedAt",
    "errors",
  ],
  replace: ["bulkSyncId", "test", "resyncMode", "fetchMode", "schemas", "triggers"],
  secret: [],
});

/** One schema of a bulk-sync run, summarised. */
export interface BulkSchemaStatus {
  schema: string;
  status?: string;
  recordCount?: number;
  errorCount?: number;
  warningCount?: number;
  statusMessage?: string;
}

/**
 * One run of a Polytomic bulk sync (ELT), started from Pulumi, with the same lifecycle as {@link SyncExecution}:
 * created = started (and by default waited for), a change of `triggers` runs again, deleting cancels only a run
 * still going. The resource id is `<bulk sync id>/<execution id>`.
 * Type token: `pulumi-nodejs:dynamic/polytomic:BulkSyncExecution`.
 */
export class BulkSyncExecution extends pulumi.dynamic.Resource {
  declare readonly bulkSyncId: pulumi.Output<string>;
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  declare readonly test: pulumi.Output<boolean | undefined>;
  declare readonly resyncMode: pulumi.Output<string | undefined>;
  declare readonly fetchMode: pulumi.Output<string | undefined>;
  declare readonly schemas: pulumi.Output<string[] | undefined>;
  declare readonly waitForCompletion: pulumi.Output<boolean | undefined>;
  declare readonly timeoutSeconds: pulumi.Output<number | undefined>;
  declare readonly failOnErrors: pulumi.Output<boolean | undefined>;
  declare readonly executionId: pulumi.Output<string>;
  /** `completed`, `errors`, `failed`, `canceled`, ... */
  declare readonly status: pulumi.Output<string>;
  declare readonly statusMessage: pulumi.Output<string | undefined>;
  declare readonly recordCount: pulumi.Output<number | undefined>;
  declare readonly errorCount: pulumi.Output<number | undefined>;
  declare readonly warningCount: pulumi.Output<number | undefined>;
  /** Each schema's status and counts. */
  declare readonly schemaStatuses: pulumi.Output<BulkSchemaStatus[] | undefined>;
  declare readonly startedAt: pulumi.Output<string | undefined>;
  declare readonly completedAt: pulumi.Output<string | undefined>;
  /** The run's errors, shortened (at most 10). */
  declare readonly errors: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: BulkSyncExecutionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("BulkSyncExecution"),
      name,
      resourceProps(BULK_SYNC_EXECUTION_FIELDS, args),
      opts,
      TYPE_MODULE,
      "BulkSyncExecution",
    );
  }

  /** A read-only reference to an existing run, by `<bulk sync id>/<execution id>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): BulkSyncExecution {
    return new BulkSyncExecution(name, undefined as unknown as BulkSyncExecutionArgs, { ...opts, id });
  }
}
