import {
  FILTER_FUNCTIONS,
  IDENTITY_FUNCTIONS,
  MODES_NEEDING_IDENTITY,
  SCHEDULE_FREQUENCIES,
  SYNC_MODES,
} from "../api/sync-enums";
import { isPlainObject } from "./http";
import type { EmulatorState } from "./state";

export { FILTER_FUNCTIONS, IDENTITY_FUNCTIONS, SCHEDULE_FREQUENCIES, SYNC_MODES };
export const MODES_REQUIRING_IDENTITY: ReadonlySet<string> = new Set(MODES_NEEDING_IDENTITY);

export interface Problem {
  path: string;
  message: string;
}

function oneOf(list: readonly string[]): string {
  return `must be one of ${list.join(", ")}`;
}

/**
 * Checks the semantic rules of a sync body whose required top-level fields are present: enums, references
 * to models, model fields and the target connection, and the identity rule. Returns every problem, and the
 * model ids the sync uses (in first-use order).
 */
export function checkSync(
  state: EmulatorState,
  body: Record<string, unknown>,
): { problems: Problem[]; modelIds: string[] } {
  const problems: Problem[] = [];
  const modelIds: string[] = [];
  const use = (id: string) => {
    if (!modelIds.includes(id)) modelIds.push(id);
  };

  /** A `{model_id, field}` reference. */
  const checkRef = (ref: unknown, at: string) => {
    if (!isPlainObject(ref)) {
      problems.push({ path: at, message: "must be an object {model_id, field}" });
      return;
    }
    const modelId = ref.model_id;
    const field = ref.field;
    if (typeof modelId !== "string" || modelId === "") {
      problems.push({ path: `${at}.model_id`, message: "is required" });
    }
    if (typeof field !== "string" || field === "")
      problems.push({ path: `${at}.field`, message: "is required" });
    if (typeof modelId !== "string" || modelId === "") return;
    const model = state.models.get(modelId);
    if (model === undefined) {
      problems.push({ path: `${at}.model_id`, message: `model ${modelId} not found` });
      return;
    }
    use(modelId);
    if (typeof field === "string" && field !== "" && !model.fields.some((f) => f.name === field)) {
      problems.push({ path: `${at}.field`, message: `model "${model.name}" has no field "${field}"` });
    }
  };

  const mode = body.mode;
  if (typeof mode !== "string" || !(SYNC_MODES as readonly string[]).includes(mode)) {
    problems.push({ path: "mode", message: oneOf(SYNC_MODES) });
  }

  const schedule = body.schedule as Record<string, unknown>;
  if (schedule.frequency !== undefined && schedule.frequency !== null) {
    if (!(SCHEDULE_FREQUENCIES as readonly unknown[]).includes(schedule.frequency)) {
      problems.push({ path: "schedule.frequency", message: oneOf(SCHEDULE_FREQUENCIES) });
    }
  }

  const target = body.target as Record<string, unknown>;
  if (typeof target.connection_id !== "string" || target.connection_id === "") {
    problems.push({ path: "target.connection_id", message: "is required" });
  } else if (!state.connections.has(target.connection_id)) {
    problems.push({ path: "target.connection_id", message: `connection ${target.connection_id} not found` });
  }
  if (target.object !== undefined && target.object !== null && typeof target.object !== "string") {
    problems.push({ path: "target.object", message: "must be a string" });
  }

  const checkFields = (name: string, sourceRequired: boolean) => {
    const list = body[name];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      problems.push({ path: name, message: "must be an array" });
      return;
    }
    list.forEach((f, i) => {
      const at = `${name}[${i}]`;
      if (!isPlainObject(f)) {
        problems.push({ path: at, message: "must be an object" });
        return;
      }
      if (typeof f.target !== "string" || f.target === "")
        problems.push({ path: `${at}.target`, message: "is required" });
      const hasOverride = f.override_value !== undefined && f.override_value !== null;
      if (f.source !== undefined && f.source !== null && !hasOverride && sourceRequired)
        checkRef(f.source, `${at}.source`);
      else if (sourceRequired && !hasOverride)
        problems.push({ path: `${at}.source`, message: "is required" });
    });
  };
  checkFields("fields", true);
  checkFields("override_fields", false);

  const identity = body.identity;
  if (identity === undefined || identity === null) {
    // Webhook deliveries (target object "http") are documented as `updateOrCreate` with no identity.
    const webhookDelivery =
      mode === "updateOrCreate" &&
      isPlainObject(body.target) &&
      (body.target as { object?: unknown }).object === "http";
    if (typeof mode === "string" && MODES_REQUIRING_IDENTITY.has(mode) && !webhookDelivery) {
      problems.push({ path: "identity", message: `is required for mode ${mode}` });
    }
  } else if (!isPlainObject(identity)) {
    problems.push({ path: "identity", message: "must be an object" });
  } else {
    checkRef(identity.source, "identity.source");
    if (typeof identity.target !== "string" || identity.target === "") {
      problems.push({ path: "identity.target", message: "is required" });
    }
    if (!(IDENTITY_FUNCTIONS as readonly unknown[]).includes(identity.function)) {
      problems.push({ path: "identity.function", message: oneOf(IDENTITY_FUNCTIONS) });
    }
  }

  const filters = body.filters;
  if (filters !== undefined && filters !== null) {
    if (!Array.isArray(filters)) problems.push({ path: "filters", message: "must be an array" });
    else {
      filters.forEach((f, i) => {
        const at = `filters[${i}]`;
        if (!isPlainObject(f)) {
          problems.push({ path: at, message: "must be an object" });
          return;
        }
        if (!(FILTER_FUNCTIONS as readonly unknown[]).includes(f.function)) {
          problems.push({ path: `${at}.function`, message: oneOf(FILTER_FUNCTIONS) });
        }
        if (f.field !== undefined && f.field !== null) checkRef(f.field, `${at}.field`);
        else if (typeof f.field_id !== "string" || f.field_id === "") {
          problems.push({ path: at, message: "either field or field_id is required" });
        }
      });
    }
  }

  const overrides = body.overrides;
  if (overrides !== undefined && overrides !== null) {
    if (!Array.isArray(overrides)) problems.push({ path: "overrides", message: "must be an array" });
    else {
      overrides.forEach((o, i) => {
        const at = `overrides[${i}]`;
        if (!isPlainObject(o)) problems.push({ path: at, message: "must be an object" });
        else if (
          o.field !== undefined &&
          o.field !== null &&
          (o.field_id === undefined || o.field_id === null)
        ) {
          checkRef(o.field, `${at}.field`);
        }
      });
    }
  }

  for (const flag of ["active", "sync_all_records", "skip_initial_backfill", "only_enrich_updates"]) {
    const v = body[flag];
    if (v !== undefined && v !== null && typeof v !== "boolean")
      problems.push({ path: flag, message: "must be a boolean" });
  }
  for (const text of ["filter_logic", "encryption_passphrase", "organization_id"]) {
    const v = body[text];
    if (v !== undefined && v !== null && typeof v !== "string")
      problems.push({ path: text, message: "must be a string" });
  }
  const policies = body.policies;
  if (policies !== undefined && policies !== null) {
    if (!Array.isArray(policies) || policies.some((p) => typeof p !== "string")) {
      problems.push({ path: "policies", message: "must be an array of strings" });
    }
  }
  return { problems, modelIds };
}
