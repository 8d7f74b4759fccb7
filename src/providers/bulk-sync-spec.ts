import { z } from "zod";
import {
  BULK_DISCOVER,
  BULK_NORMALIZE_NAMES,
  BULK_SCHEDULE_SYNC_MODES,
  BULK_SELECTIVE_MODES,
  BULK_SYNC_DEFAULTS,
  BULK_SYNC_MODES,
  type BulkSyncRequest,
  type BulkSyncResponse,
  FILTER_FUNCTIONS,
} from "../api";
import type { PolytomicClient } from "../client";
import { retryWhileSchemaCacheRefreshes, SchemaCacheTimeoutError } from "../client/schema-retry";
import { BULK_SYNC_FIELDS } from "../resources/bulk-sync";
import { isPlainObject, toCamel, toSnake } from "../wire";
import {
  type BulkSchemaSelection,
  canonicalTimestamp,
  detailedSchemaIds,
  type HeldSchema,
  heldSchema,
  normalizeSchemas,
  renderHeld,
  schemaPatches,
  schemasBody,
  schemasMatch,
} from "./bulk-schemas";
import type { CheckFailure } from "./check";
import { mapKeysDeep } from "./keys";
import type { ObjectSpec } from "./object-provider";
import { compact } from "./plain";
import { normalizeSchedule, SCHEDULE_SHAPE, ScheduleValidator } from "./schedule";
import { UNKNOWN } from "./unknown";

const ID = z.string().min(1, "must not be empty");
const Timestamp = z
  .string()
  .refine(
    (v) => v === UNKNOWN || !Number.isNaN(Date.parse(v)),
    "must be an ISO 8601 date-time, e.g. 2024-01-01T00:00:00Z",
  );

const FieldSettings = z
  .object({
    id: ID,
    enabled: z.boolean().optional(),
    obfuscate: z.boolean().optional(),
    userOutputName: z.string().optional(),
  })
  .strict();

const SchemaFilter = z
  .object({ function: z.enum(FILTER_FUNCTIONS), fieldId: ID.optional(), value: z.unknown().optional() })
  .strict();

const SchemaSettings = z
  .object({
    id: ID,
    enabled: z.boolean().optional(),
    fields: z
      .array(z.union([ID, FieldSettings]))
      .min(1, "must name at least one field (leave fields out to sync every field)")
      .optional(),
    filters: z.array(SchemaFilter).optional(),
    partitionKey: ID.optional(),
    trackingField: ID.optional(),
    userOutputName: z.string().optional(),
    dataCutoffTimestamp: Timestamp.optional(),
    disableDataCutoff: z.boolean().optional(),
  })
  .strict();

const AdditionalSchedule = z
  .object({
    ...SCHEDULE_SHAPE,
    resyncMode: z.enum(BULK_SCHEDULE_SYNC_MODES).optional(),
    schemas: z.array(ID).optional(),
    selectiveMode: z.enum(BULK_SELECTIVE_MODES).optional(),
  })
  .strict();

const Limit = z.number().int().min(1);

const BulkSyncInputsValidator = z
  .object({
    name: ID,
    sourceConnectionId: ID,
    destinationConnectionId: ID,
    destinationConfiguration: z.record(z.string(), z.unknown()),
    sourceConfiguration: z.record(z.string(), z.unknown()).optional(),
    mode: z.enum(BULK_SYNC_MODES),
    schemas: z
      .array(z.union([ID, SchemaSettings]))
      .min(1, "must name at least one schema (leave schemas out to sync every schema)")
      .optional(),
    defaultSchedule: ScheduleValidator,
    additionalSchedules: z.array(AdditionalSchedule).optional(),
    active: z.boolean().optional(),
    automaticallyAddNewFields: z.enum(BULK_DISCOVER).optional(),
    automaticallyAddNewObjects: z.enum(BULK_DISCOVER).optional(),
    normalizeNames: z.enum(BULK_NORMALIZE_NAMES).optional(),
    concurrencyLimit: Limit.optional(),
    resyncConcurrencyLimit: Limit.optional(),
    disableRecordTimestamps: z.boolean().optional(),
    dataCutoffTimestamp: Timestamp.optional(),
    policies: z.array(ID).optional(),
    organizationId: ID.optional(),
    schemaTimeoutSeconds: z.number().int().positive().max(86_400).optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

/** The BulkSync inputs after `check` (camelCase). */
export type BulkSyncInputs = z.infer<typeof BulkSyncInputsValidator>;

/** A schema Polytomic syncs, as the `selectedSchemas` output reports it. */
export interface SelectedSchemaOutput {
  id: string;
  /** The destination table's name. */
  outputName?: string;
  userOutputName?: string;
  /** The enabled fields, for the schemas the program names as objects (the others are not read one by one). */
  fields?: { id: string; outputName?: string; userOutputName?: string; obfuscate?: boolean }[];
}

/** The BulkSync outputs: the inputs plus what Polytomic reports. */
export type BulkSyncOutputs = BulkSyncInputs & { selectedSchemas?: SelectedSchemaOutput[]; status?: string };

/** What the provider knows of a bulk sync: the API's answer, its schemas and its execution status. */
export type BulkSyncState = BulkSyncResponse & { heldSchemas?: HeldSchema[]; status?: string };

/** The default of `schemaTimeoutSeconds`: the connection's schema wait's default. */
export const DEFAULT_BULK_SCHEMA_TIMEOUT_SECONDS = 600;

/** Subtrees holding the API's own keys: copied without renaming. */
const OPAQUE = ["destinationConfiguration", "sourceConfiguration"];
/** Keys sent in the body, mapped one to one (`schemas` and the schedules have their own mapping). */
const PLAIN_KEYS = BULK_SYNC_FIELDS.remote.filter(
  (k) => k !== "schemas" && k !== "defaultSchedule" && k !== "additionalSchedules",
);
/** Read-only keys of answers. */
const STAMPS = ["id", "created_at", "created_by", "updated_at", "updated_by"];
const strip = (value: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));

const known = (v: unknown) => v !== undefined && v !== UNKNOWN;

function crossChecks(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) =>
    failures.push({ property, reason: `${property} ${reason}` });
  const schemas = Array.isArray(news.schemas) ? (news.schemas as unknown[]) : undefined;
  const named = new Map<string, number>();
  schemas?.forEach((item, i) => {
    const id = typeof item === "string" ? item : isPlainObject(item) ? item.id : undefined;
    if (typeof id !== "string" || !known(id) || id === "") return;
    const first = named.get(id);
    if (first !== undefined)
      fail(`schemas[${i}]`, `names schema "${id}" again (schemas[${first}] already does)`);
    else named.set(id, i);
    if (!isPlainObject(item) || !Array.isArray(item.fields)) return;
    const fields = new Map<string, number>();
    item.fields.forEach((f, j) => {
      const fid = typeof f === "string" ? f : isPlainObject(f) ? f.id : undefined;
      if (typeof fid !== "string" || !known(fid) || fid === "") return;
      const before = fields.get(fid);
      if (before !== undefined)
        fail(`schemas[${i}].fields[${j}]`, `names field "${fid}" again (fields[${before}] already does)`);
      else fields.set(fid, j);
    });
  });
  // An additional schedule may only cover schemas the sync selects (when it names them all, and they are known).
  const allKnown = schemas !== undefined && !JSON.stringify(schemas).includes(UNKNOWN);
  if (allKnown && Array.isArray(news.additionalSchedules)) {
    news.additionalSchedules.forEach((s, i) => {
      if (!isPlainObject(s) || !Array.isArray(s.schemas)) return;
      s.schemas.forEach((id, j) => {
        if (typeof id === "string" && known(id) && !named.has(id)) {
          fail(
            `additionalSchedules[${i}].schemas[${j}]`,
            `names schema "${id}", which schemas does not select`,
          );
        }
      });
    });
  }
  return failures;
}

/** The inputs as outputs record them and diff compares them: schedule times as strings, timestamps canonical. */
function normalizeInputs(inputs: BulkSyncInputs): BulkSyncInputs {
  const schedule = (s: unknown) => (isPlainObject(s) ? normalizeSchedule(s) : s);
  return compact({
    ...inputs,
    defaultSchedule: schedule(inputs.defaultSchedule),
    additionalSchedules: Array.isArray(inputs.additionalSchedules)
      ? inputs.additionalSchedules.map(schedule)
      : inputs.additionalSchedules,
    dataCutoffTimestamp: canonicalTimestamp(inputs.dataCutoffTimestamp),
    schemas: normalizeSchemas(inputs.schemas as BulkSchemaSelection[] | undefined),
  }) as BulkSyncInputs;
}

function selectedSchemas(held: readonly HeldSchema[] | undefined): SelectedSchemaOutput[] | undefined {
  return held
    ?.filter((h) => h.enabled !== false)
    .map((h) =>
      compact({
        id: h.id,
        outputName: h.outputName,
        userOutputName: h.userOutputName,
        fields: h.fields
          ?.filter((f) => f.enabled !== false)
          .map((f) =>
            compact({
              id: f.id,
              outputName: f.outputName,
              userOutputName: f.userOutputName,
              obfuscate: f.obfuscate,
            }),
          ),
      }),
    );
}

/** A schedule as answered, in input terms: camelCase, without its id and stamps. */
function scheduleOutput(schedule: unknown) {
  return isPlainObject(schedule) ? mapKeysDeep(strip(schedule, STAMPS), toCamel, []) : undefined;
}

/** Reads the schemas (the list, then each one the program names as an object) and the execution status. */
async function readSubResources(
  client: PolytomicClient,
  response: BulkSyncResponse,
  named: readonly BulkSchemaSelection[] | undefined,
): Promise<BulkSyncState> {
  const list = await client.bulkSyncs.listSchemas(response.id);
  const listed = new Set(list.map((s) => s.id));
  const detailed = new Map<string, HeldSchema>();
  for (const id of detailedSchemaIds(named)) {
    if (listed.has(id)) detailed.set(id, heldSchema(await client.bulkSyncs.getSchema(response.id, id)));
  }
  const status = await client.bulkSyncs.status(response.id);
  return {
    ...response,
    heldSchemas: list.map((s) => detailed.get(s.id) ?? heldSchema(s)),
    status: status.current_execution?.status ?? status.last_execution?.status,
  };
}

/** The BulkSync resource's spec. */
export const BULK_SYNC_SPEC: ObjectSpec<BulkSyncInputs, BulkSyncOutputs, BulkSyncRequest, BulkSyncState> = {
  noun: "bulk sync",
  validator: BulkSyncInputsValidator,
  crossChecks,
  request(inputs) {
    const plain: Record<string, unknown> = {};
    for (const k of PLAIN_KEYS) plain[k] = inputs[k];
    const body = mapKeysDeep(compact(plain), toSnake, OPAQUE) as Record<string, unknown>;
    const schedule = (s: object) => mapKeysDeep(normalizeSchedule(s), toSnake, []);
    return compact({
      ...body,
      default_schedule: schedule(inputs.defaultSchedule),
      additional_schedules: inputs.additionalSchedules?.map(schedule),
      schemas:
        inputs.schemas === undefined ? undefined : schemasBody(inputs.schemas as BulkSchemaSelection[]),
    }) as unknown as BulkSyncRequest;
  },
  secrets: () => [],
  outputs(inputs, response) {
    return compact({
      ...normalizeInputs(inputs),
      selectedSchemas: selectedSchemas(response.heldSchemas),
      status: response.status,
    }) as BulkSyncOutputs;
  },
  readOutputs(previous, response) {
    const { heldSchemas, status, default_schedule, additional_schedules, ...api } =
      response as BulkSyncState & Record<string, unknown>;
    const camel = mapKeysDeep(strip(api, STAMPS), toCamel, OPAQUE) as Record<string, unknown>;
    const remote: Record<string, unknown> = {};
    for (const k of PLAIN_KEYS) remote[k] = camel[k];
    const named = previous?.schemas as BulkSchemaSelection[] | undefined;
    return compact({
      ...remote,
      dataCutoffTimestamp: canonicalTimestamp(remote.dataCutoffTimestamp as string | undefined),
      defaultSchedule: scheduleOutput(default_schedule),
      additionalSchedules: additional_schedules?.map(scheduleOutput),
      schemas:
        named === undefined || heldSchemas === undefined
          ? undefined
          : renderHeld(normalizeSchemas(named), heldSchemas),
      selectedSchemas: selectedSchemas(heldSchemas),
      status,
      schemaTimeoutSeconds: previous?.schemaTimeoutSeconds,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as BulkSyncOutputs;
  },
  inputsOf(outputs) {
    const { selectedSchemas: _selected, status: _status, ...inputs } = outputs;
    return inputs;
  },
  normalize: normalizeInputs,
  fields: BULK_SYNC_FIELDS,
  // Schemas are compared by the bulk-sync rule (only what the program names, in any order): bulk-schemas.ts.
  comparedSeparately: ["schemas"],
  extraChanges: (olds, news) =>
    schemasMatch(olds.schemas, normalizeSchemas(news.schemas as BulkSchemaSelection[] | undefined))
      ? []
      : ["schemas"],
  compare: {
    unordered: ["policies", "additionalSchedules[].schemas"],
    computedWhenAbsent: ["organizationId"],
    defaults: {
      automaticallyAddNewFields: BULK_SYNC_DEFAULTS.automatically_add_new_fields,
      automaticallyAddNewObjects: BULK_SYNC_DEFAULTS.automatically_add_new_objects,
      normalizeNames: BULK_SYNC_DEFAULTS.normalize_names,
      "additionalSchedules[].resyncMode": "normal",
      "additionalSchedules[].selectiveMode": "none",
    },
  },
  api: (client) => client.bulkSyncs,
  async sendWrite(inputs, send, action) {
    const timeoutSeconds = inputs.schemaTimeoutSeconds ?? DEFAULT_BULK_SCHEMA_TIMEOUT_SECONDS;
    try {
      return await retryWhileSchemaCacheRefreshes(send, { timeoutMs: timeoutSeconds * 1000 });
    } catch (error) {
      if (!(error instanceof SchemaCacheTimeoutError)) throw error;
      throw new Error(
        `${action}: the schema cache of the source connection ${inputs.sourceConnectionId} was still not ready ` +
          `after ${Math.round(error.waitedMs / 1000)} s (${error.attempts} attempts; the last answer: ` +
          `${error.last.message}). Nothing was changed. Run \`pulumi up\` again once ` +
          `GET /api/connections/${inputs.sourceConnectionId}/schemas/status reports the cache ready, or raise ` +
          `schemaTimeoutSeconds (now ${timeoutSeconds}).`,
        { cause: error },
      );
    }
  },
  async afterWrite(client, response, inputs, olds) {
    const named = inputs.schemas as BulkSchemaSelection[] | undefined;
    const patches = schemaPatches(named, olds?.schemas as BulkSchemaSelection[] | undefined);
    if (patches.length > 0) await client.bulkSyncs.patchSchemas(response.id, patches);
    return readSubResources(client, response, named);
  },
  afterRead: (client, response, previous) =>
    readSubResources(client, response, previous?.schemas as BulkSchemaSelection[] | undefined),
};
