import * as pulumi from "@pulumi/pulumi";
import { defineFields, resourceProps } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/** Arguments of {@link SyncExecution}. */
export interface SyncExecutionArgs {
  /** The sync to run. Changing it starts a new run (a replacement). */
  syncId: pulumi.Input<string>;
  /**
   * Any change of value starts a new run (a replacement), the way `triggers` work in `@pulumi/command`: e.g.
   * `[sync.id, model.version, csvHash]` runs the sync whenever one of them changes, and never otherwise.
   */
  triggers?: pulumi.Input<pulumi.Input<unknown>[]>;
  /** Force a full resync of the data from the source (Polytomic's `resync`). Changing it starts a new run. */
  resync?: pulumi.Input<boolean>;
  /** A test run (Polytomic's `test`). Changing it starts a new run. */
  test?: pulumi.Input<boolean>;
  /** Wait until the run ends (default true); otherwise the resource is created as soon as the run has started. */
  waitForCompletion?: pulumi.Input<boolean>;
  /**
   * How long to wait for the run (default 1800). A run still going then is kept in the stack and keeps running;
   * the next `pulumi up` resumes the wait instead of starting another.
   */
  timeoutSeconds?: pulumi.Input<number>;
  /**
   * Fail the deployment when the run fails, is canceled, or completes with record errors (default true). The
   * run is kept in the stack either way, so the next `pulumi up` does not start another; set it to false to
   * record the outcome in the outputs and succeed.
   */
  failOnErrors?: pulumi.Input<boolean>;
}

/** {@link SyncExecution}'s field lists: its outputs and the provider's diff and replace keys derive from them. */
export const SYNC_EXECUTION_FIELDS = defineFields<SyncExecutionArgs>()({
  remote: ["syncId", "resync", "test"],
  local: ["triggers", "waitForCompletion", "timeoutSeconds", "failOnErrors"],
  reported: ["executionId", "status", "counts", "startedAt", "completedAt", "errors"],
  replace: ["syncId", "resync", "test", "triggers"],
  secret: [],
});

/** A model-sync execution's record counts, as Polytomic reports them. */
export interface SyncExecutionCounts {
  insert?: number;
  update?: number;
  upserts?: number;
  delete?: number;
  error?: number;
  warnings?: number;
  total?: number;
}

/**
 * One run of a Polytomic model sync, started from Pulumi: creating the resource starts the run (and by default
 * waits for it to end); a change of `triggers` (or of `syncId`, `resync`, `test`) starts a new one; nothing else
 * does. Deleting it does nothing to Polytomic (a run is history) unless the run is still going: then it is
 * canceled. The resource id is `<sync id>/<execution id>`.
 * Type token: `pulumi-nodejs:dynamic/polytomic:SyncExecution`.
 */
export class SyncExecution extends pulumi.dynamic.Resource {
  declare readonly syncId: pulumi.Output<string>;
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  declare readonly resync: pulumi.Output<boolean | undefined>;
  declare readonly test: pulumi.Output<boolean | undefined>;
  declare readonly waitForCompletion: pulumi.Output<boolean | undefined>;
  declare readonly timeoutSeconds: pulumi.Output<number | undefined>;
  declare readonly failOnErrors: pulumi.Output<boolean | undefined>;
  /** Polytomic's id of the run. */
  declare readonly executionId: pulumi.Output<string>;
  /** `completed`, `failed`, `canceled`, ... (`running` when not waited for, until a refresh). */
  declare readonly status: pulumi.Output<string>;
  /** The record counts Polytomic reports. */
  declare readonly counts: pulumi.Output<SyncExecutionCounts | undefined>;
  declare readonly startedAt: pulumi.Output<string | undefined>;
  declare readonly completedAt: pulumi.Output<string | undefined>;
  /** The run's errors, shortened (at most 10). */
  declare readonly errors: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: SyncExecutionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      forwarderFor("SyncExecution"),
      name,
      resourceProps(SYNC_EXECUTION_FIELDS, args),
      opts,
      TYPE_MODULE,
      "SyncExecution",
    );
  }

  /** A read-only reference to an existing run, by `<sync id>/<execution id>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): SyncExecution {
    return new SyncExecution(name, undefined as unknown as SyncExecutionArgs, { ...opts, id });
  }
}
