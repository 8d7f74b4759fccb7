import { FILTER_FUNCTIONS, IDENTITY_FUNCTIONS, SCHEDULE_FREQUENCIES, SYNC_MODES } from "../api/sync-enums";
import { isPlainObject, needsIdentity } from "../wire";
import { forEachObjectItem, isNonEmptyString, isUnset, oneOf, type Problem } from "./body-checks";
import type { EmulatorState } from "./state";

export type { Problem };

/** The problems found so far in one sync body, and the models it references (in first-use order). */
class SyncCheck {
  readonly problems: Problem[] = [];
  readonly modelIds: string[] = [];

  constructor(readonly state: EmulatorState) {}

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** A `{model_id, field}` reference: the model must exist and have the field; the model counts as used. */
  modelRef(ref: unknown, at: string): void {
    if (!isPlainObject(ref)) {
      this.add(at, "must be an object {model_id, field}");
      return;
    }
    const { model_id: modelId, field } = ref;
    if (!isNonEmptyString(modelId)) this.add(`${at}.model_id`, "is required");
    if (!isNonEmptyString(field)) this.add(`${at}.field`, "is required");
    if (!isNonEmptyString(modelId)) return;
    const model = this.state.models.get(modelId);
    if (model === undefined) {
      this.add(`${at}.model_id`, `model ${modelId} not found`);
      return;
    }
    if (!this.modelIds.includes(modelId)) this.modelIds.push(modelId);
    if (isNonEmptyString(field) && !model.fields.some((f) => f.name === field)) {
      this.add(`${at}.field`, `model "${model.name}" has no field "${field}"`);
    }
  }
}

/** One rule of a sync body; `schedule` and `target` are objects (requireFields ran first). */
type SyncRule = (check: SyncCheck, body: Record<string, unknown>) => void;

function checkMode(check: SyncCheck, body: Record<string, unknown>): void {
  if (typeof body.mode !== "string" || !(SYNC_MODES as readonly string[]).includes(body.mode)) {
    check.add("mode", oneOf(SYNC_MODES));
  }
}

function checkSchedule(check: SyncCheck, body: Record<string, unknown>): void {
  const { frequency } = body.schedule as Record<string, unknown>;
  if (!isUnset(frequency) && !(SCHEDULE_FREQUENCIES as readonly unknown[]).includes(frequency)) {
    check.add("schedule.frequency", oneOf(SCHEDULE_FREQUENCIES));
  }
}

function checkTarget(check: SyncCheck, body: Record<string, unknown>): void {
  const target = body.target as Record<string, unknown>;
  if (!isNonEmptyString(target.connection_id)) check.add("target.connection_id", "is required");
  else if (!check.state.connections.has(target.connection_id)) {
    check.add("target.connection_id", `connection ${target.connection_id} not found`);
  }
  if (!isUnset(target.object) && typeof target.object !== "string")
    check.add("target.object", "must be a string");
}

/** `fields` / `override_fields`: each maps a model field (or an `override_value`) to a target field. */
function checkMappings(
  check: SyncCheck,
  body: Record<string, unknown>,
  name: string,
  sourceRequired: boolean,
) {
  forEachObjectItem(body, name, check.problems, (mapping, at) => {
    if (!isNonEmptyString(mapping.target)) check.add(`${at}.target`, "is required");
    if (!sourceRequired || !isUnset(mapping.override_value)) return;
    if (isUnset(mapping.source)) check.add(`${at}.source`, "is required");
    else check.modelRef(mapping.source, `${at}.source`);
  });
}

function checkFields(check: SyncCheck, body: Record<string, unknown>): void {
  checkMappings(check, body, "fields", true);
}

function checkOverrideFields(check: SyncCheck, body: Record<string, unknown>): void {
  checkMappings(check, body, "override_fields", false);
}

/** Required by the modes that match records (see `needsIdentity`); when given, it must be complete. */
function checkIdentity(check: SyncCheck, body: Record<string, unknown>): void {
  const { identity, mode } = body;
  if (isUnset(identity)) {
    const targetObject = (body.target as Record<string, unknown>).object;
    if (needsIdentity(mode, targetObject)) check.add("identity", `is required for mode ${mode}`);
  } else if (!isPlainObject(identity)) {
    check.add("identity", "must be an object");
  } else {
    check.modelRef(identity.source, "identity.source");
    if (!isNonEmptyString(identity.target)) check.add("identity.target", "is required");
    if (!(IDENTITY_FUNCTIONS as readonly unknown[]).includes(identity.function)) {
      check.add("identity.function", oneOf(IDENTITY_FUNCTIONS));
    }
  }
}

function checkFilters(check: SyncCheck, body: Record<string, unknown>): void {
  forEachObjectItem(body, "filters", check.problems, (filter, at) => {
    if (!(FILTER_FUNCTIONS as readonly unknown[]).includes(filter.function)) {
      check.add(`${at}.function`, oneOf(FILTER_FUNCTIONS));
    }
    if (!isUnset(filter.field)) check.modelRef(filter.field, `${at}.field`);
    else if (!isNonEmptyString(filter.field_id)) check.add(at, "either field or field_id is required");
  });
}

/** An override names its field by reference (checked) or by `field_id` (taken as is). */
function checkOverrides(check: SyncCheck, body: Record<string, unknown>): void {
  forEachObjectItem(body, "overrides", check.problems, (override, at) => {
    if (!isUnset(override.field) && isUnset(override.field_id)) check.modelRef(override.field, `${at}.field`);
  });
}

const BOOLEAN_FIELDS = ["active", "sync_all_records", "skip_initial_backfill", "only_enrich_updates"];
const TEXT_FIELDS = ["filter_logic", "encryption_passphrase", "organization_id"];

function checkScalarTypes(check: SyncCheck, body: Record<string, unknown>): void {
  for (const name of BOOLEAN_FIELDS) {
    if (!isUnset(body[name]) && typeof body[name] !== "boolean") check.add(name, "must be a boolean");
  }
  for (const name of TEXT_FIELDS) {
    if (!isUnset(body[name]) && typeof body[name] !== "string") check.add(name, "must be a string");
  }
}

function checkPolicies(check: SyncCheck, body: Record<string, unknown>): void {
  const { policies } = body;
  if (isUnset(policies)) return;
  if (!Array.isArray(policies) || policies.some((p) => typeof p !== "string")) {
    check.add("policies", "must be an array of strings");
  }
}

/** The rules, in the order their problems are listed. */
const SYNC_RULES: readonly SyncRule[] = [
  checkMode,
  checkSchedule,
  checkTarget,
  checkFields,
  checkOverrideFields,
  checkIdentity,
  checkFilters,
  checkOverrides,
  checkScalarTypes,
  checkPolicies,
];

/**
 * Checks the semantic rules of a sync body whose required top-level fields are present: enums, references
 * to models, model fields and the target connection, and the identity rule. Returns every problem, and the
 * model ids the sync uses (in first-use order).
 */
export function checkSync(
  state: EmulatorState,
  body: Record<string, unknown>,
): { problems: Problem[]; modelIds: string[] } {
  const check = new SyncCheck(state);
  for (const rule of SYNC_RULES) rule(check, body);
  return { problems: check.problems, modelIds: check.modelIds };
}
