/**
 * The enumerations of the model-sync API (2025-09-18), in one place for the package's validation and the
 * emulator's: modes (`ModelsyncSyncTargetMode`), schedule frequencies, identity and filter functions.
 */

/** Sync modes (`ModelsyncSyncTargetMode`). */
export const SYNC_MODES = [
  "create",
  "update",
  "updateOrCreate",
  "replace",
  "append",
  "remove",
  "snapshot",
] as const;
/** Modes that match records in the target, and so need an `identity`. */
export const MODES_NEEDING_IDENTITY: readonly string[] = ["update", "updateOrCreate", "remove"];
/** Schedule frequencies. */
export const SCHEDULE_FREQUENCIES = [
  "manual",
  "continuous",
  "hourly",
  "daily",
  "weekly",
  "custom",
  "builder",
  "runafter",
  "multi",
  "dbtcloud",
] as const;
/** Identity match functions. */
export const IDENTITY_FUNCTIONS = [
  "Equality",
  "ISubstring",
  "OneOf",
  "DomainMatch",
  "HostnameMatch",
] as const;
/** Filter functions. */
export const FILTER_FUNCTIONS = [
  "Equality",
  "Inequality",
  "IsNull",
  "IsNotNull",
  "True",
  "False",
  "OnOrAfter",
  "OnOrBefore",
  "GreaterThan",
  "GreaterThanEqual",
  "LessThan",
  "LessThanEqual",
  "StringContains",
  "StringStartsWith",
  "StringEndsWith",
  "StringDoesNotContain",
  "StringDoesNotStartWith",
  "StringDoesNotEndWith",
  "StringOneOf",
  "StringNotOneOf",
  "Between",
  "ArrayContains",
  "ArrayDoesNotContain",
  "InTheLast",
  "RelativeOnOrBefore",
  "RelativeOnOrAfter",
  "StringLike",
  "StringNotLike",
  "StringMatchesTrimmed",
] as const;
