import type * as pulumi from "@pulumi/pulumi";
import type { SCHEDULE_FREQUENCIES } from "../api/sync-enums";

/**
 * When a sync runs: the one schedule type of model syncs (`Sync.schedule`) and bulk syncs
 * (`BulkSync.defaultSchedule`, `BulkSync.additionalSchedules`). `hour`/`minute` are UTC; numbers are sent as
 * two-digit strings.
 */
export interface SyncSchedule {
  /** `manual`, `continuous`, `hourly`, `daily`, `weekly`, `custom`, `builder`, `runafter`, `multi` or `dbtcloud`. */
  frequency: pulumi.Input<(typeof SCHEDULE_FREQUENCIES)[number]>;
  /** Hour of the day (0-23, UTC) of hourly, daily, weekly or monthly runs. */
  hour?: pulumi.Input<string | number>;
  /** Minute of the hour (0-59). */
  minute?: pulumi.Input<string | number>;
  /** Day of the week of weekly runs. */
  dayOfWeek?: pulumi.Input<string | number>;
  /** Day of the month (1-31) of monthly runs. */
  dayOfMonth?: pulumi.Input<string | number>;
  /** Month (1-12) of yearly runs. */
  month?: pulumi.Input<string | number>;
  /** dbt Cloud job ID (`dbtcloud`). */
  jobId?: pulumi.Input<number>;
  /** The dbt Cloud connection (`dbtcloud`). */
  connectionId?: pulumi.Input<string>;
  /** Run after these syncs (`runafter`). */
  runAfter?: pulumi.Input<{
    syncIds?: pulumi.Input<pulumi.Input<string>[]>;
    bulkSyncIds?: pulumi.Input<pulumi.Input<string>[]>;
  }>;
  /** With `runafter`: only after a successful run. */
  runAfterSuccessOnly?: pulumi.Input<boolean>;
}
