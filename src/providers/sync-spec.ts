import { z } from "zod";
import {
  FILTER_FUNCTIONS,
  IDENTITY_FUNCTIONS,
  SYNC_MODES,
  type SyncRequest,
  type SyncResponse,
} from "../api";
import { SYNC_FIELDS } from "../resources/sync";
import { MASK, needsIdentity, toCamel, toSnake } from "../wire";
import type { CheckFailure } from "./check";
import { mapKeysDeep } from "./keys";
import type { ObjectSpec } from "./object-provider";
import { compact } from "./plain";
import { normalizeSchedule, ScheduleValidator } from "./schedule";
import { UNKNOWN } from "./unknown";

const ID = z.string().min(1, "must not be empty");
const FieldRef = z.object({ field: ID, modelId: ID }).strict();
const SyncField = z
  .object({
    source: FieldRef.optional(),
    target: ID,
    new: z.boolean().optional(),
    overrideValue: z.string().optional(),
    syncMode: z.string().optional(),
    encryptionEnabled: z.boolean().optional(),
  })
  .strict();
const SyncInputsValidator = z
  .object({
    name: ID,
    active: z.boolean().optional(),
    mode: z.enum(SYNC_MODES),
    fields: z.array(SyncField).min(1, "must map at least one field"),
    target: z
      .object({
        connectionId: ID,
        object: z.string().optional(),
        configuration: z.record(z.string(), z.unknown()).optional(),
        newName: z.string().optional(),
        create: z.record(z.string(), z.string()).optional(),
        filterLogic: z.string().optional(),
      })
      .strict(),
    schedule: ScheduleValidator,
    identity: z
      .object({
        source: FieldRef,
        target: ID,
        function: z.enum(IDENTITY_FUNCTIONS),
        newField: z.boolean().optional(),
        remoteFieldTypeId: z.string().optional(),
      })
      .strict()
      .optional(),
    filters: z
      .array(
        z
          .object({
            function: z.enum(FILTER_FUNCTIONS),
            field: FieldRef.optional(),
            fieldId: z.string().optional(),
            fieldType: z.enum(["Model", "Target"]).optional(),
            value: z.unknown().optional(),
            label: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    filterLogic: z.string().optional(),
    overrides: z
      .array(
        z
          .object({
            field: FieldRef.optional(),
            fieldId: z.string().optional(),
            function: z.enum(FILTER_FUNCTIONS).optional(),
            value: z.unknown().optional(),
            override: z.unknown().optional(),
          })
          .strict(),
      )
      .optional(),
    overrideFields: z.array(SyncField).optional(),
    syncAllRecords: z.boolean().optional(),
    skipInitialBackfill: z.boolean().optional(),
    onlyEnrichUpdates: z.boolean().optional(),
    encryptionPassphrase: z.string().optional(),
    policies: z.array(ID).optional(),
    organizationId: ID.optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

/** The Sync inputs after `check` (camelCase). */
export type SyncInputs = z.infer<typeof SyncInputsValidator>;
/** The Sync outputs: the inputs plus what Polytomic reports. */
export type SyncOutputs = SyncInputs & { modelIds?: string[] };

/** Subtrees holding the API's own keys or user data: copied without renaming. */
const OPAQUE = [
  "target.configuration",
  "target.create",
  "filters[].value",
  "overrides[].value",
  "overrides[].override",
];

const REMOTE_KEYS = SYNC_FIELDS.remote;
const known = (v: unknown) => v !== undefined && v !== UNKNOWN;

function crossChecks(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) =>
    failures.push({ property, reason: `${property} ${reason}` });
  const mode = news.mode;
  const targetObject = (news.target as { object?: unknown } | undefined)?.object;
  // A target object not known yet may be a webhook's "http", which needs no identity: judged when known.
  if (
    mode !== UNKNOWN &&
    news.identity === undefined &&
    needsIdentity(mode, targetObject === UNKNOWN ? "http" : targetObject)
  ) {
    fail("identity", `is required when mode is "${mode}" (it says how records are matched in the target)`);
  }
  const target = news.target as Record<string, unknown> | undefined;
  if (target !== null && typeof target === "object" && target !== (UNKNOWN as unknown)) {
    if (known(target.object) && known(target.create))
      fail("target", "takes either object or create, not both");
    if (target.object === undefined && target.create === undefined) {
      fail("target.object", "is required (or target.create, to have Polytomic create the target object)");
    }
  }
  const each = (key: string, rule: (item: Record<string, unknown>, path: string) => void) => {
    const list = news[key];
    if (Array.isArray(list)) {
      list.forEach((item, i) => {
        if (item !== null && typeof item === "object") rule(item as Record<string, unknown>, `${key}[${i}]`);
      });
    }
  };
  each("fields", (f, p) => {
    if (f.source === undefined && f.overrideValue === undefined)
      fail(`${p}.source`, "is required unless overrideValue is set");
  });
  each("filters", (f, p) => {
    if (f.field === undefined && f.fieldId === undefined) fail(`${p}.field`, "or fieldId is required");
  });
  each("overrides", (o, p) => {
    if (o.field === undefined && o.fieldId === undefined) fail(`${p}.field`, "or fieldId is required");
  });
  return failures;
}

function pick<T extends Record<string, unknown>>(value: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  return out as Partial<T>;
}

/** The Sync resource's spec. */
export const SYNC_SPEC: ObjectSpec<SyncInputs, SyncOutputs, SyncRequest, SyncResponse> = {
  noun: "sync",
  validator: SyncInputsValidator,
  crossChecks,
  request(inputs) {
    const remote = pick(inputs, REMOTE_KEYS) as SyncInputs;
    return mapKeysDeep(
      compact({ ...remote, schedule: normalizeSchedule(inputs.schedule) }),
      toSnake,
      OPAQUE,
    ) as SyncRequest;
  },
  secrets: (inputs) => (inputs.encryptionPassphrase === undefined ? [] : [inputs.encryptionPassphrase]),
  outputs(inputs, response) {
    return compact({
      ...inputs,
      schedule: normalizeSchedule(inputs.schedule),
      modelIds: response.model_ids,
    }) as SyncOutputs;
  },
  readOutputs(previous, response) {
    const { id, model_ids, created_at, updated_at, created_by, updated_by, ...api } = response as Record<
      string,
      unknown
    >;
    const camel = mapKeysDeep(api, toCamel, OPAQUE) as Record<string, unknown>;
    const remote = pick(camel, REMOTE_KEYS) as SyncOutputs;
    const target = { ...(remote.target as SyncOutputs["target"]) };
    // `target.create` is never returned: keep what the program asked for.
    if (previous?.target?.create !== undefined) target.create = previous.target.create;
    delete (target as Record<string, unknown>).searchValues;
    const passphrase = remote.encryptionPassphrase;
    return compact({
      ...remote,
      target,
      encryptionPassphrase:
        passphrase === MASK || passphrase === undefined ? previous?.encryptionPassphrase : passphrase,
      importId: previous?.importId,
      modelIds: model_ids as string[] | undefined,
      __provider: previous?.__provider,
    }) as SyncOutputs;
  },
  inputsOf(outputs) {
    const { modelIds, ...inputs } = outputs;
    return inputs;
  },
  normalize: (inputs) =>
    inputs.schedule !== null && typeof inputs.schedule === "object"
      ? { ...inputs, schedule: normalizeSchedule(inputs.schedule) }
      : inputs,
  fields: SYNC_FIELDS,
  compare: {
    unordered: ["policies"],
    computedWhenAbsent: ["organizationId"],
    defaults: { "fields[].syncMode": "updateOrCreate", "overrideFields[].syncMode": "updateOrCreate" },
  },
  api: (client) => client.syncs,
};
