/**
 * A bulk sync's schema selection: the pure functions behind its request bodies, its read-back and its diff.
 *
 * The rule (README, "Bulk syncs"): only the schemas and fields the program names are compared, in any order, and
 * what the program leaves out counts as Polytomic's default. Polytomic adds schemas and fields by itself
 * (`automaticallyAddNewObjects`/`Fields`) and derives settings (output names, partition keys): none of that is a
 * change. A named schema that is disabled or gone, a named field that is disabled or gone, or a setting of a
 * named schema that differs is one, and `pulumi up` puts the program's value back.
 */

import type { BulkSchema } from "../api";
import { isPlainObject } from "../wire";
import { compact } from "./plain";
import { UNKNOWN } from "./unknown";

/** A field of a schema: its id, or its settings. */
export type BulkFieldSelection =
  | string
  | { id: string; enabled?: boolean; obfuscate?: boolean; userOutputName?: string };

/** A row filter of a schema; `value` is any JSON (`"48 hours ago"`, `["active", "pending"]`, `42`, ...). */
export interface BulkSchemaFilter {
  function: string;
  fieldId?: string;
  value?: unknown;
}

/** A schema's settings, as a program gives them (camelCase). */
export interface BulkSchemaSettings {
  id: string;
  enabled?: boolean;
  fields?: BulkFieldSelection[];
  filters?: BulkSchemaFilter[];
  partitionKey?: string;
  trackingField?: string;
  userOutputName?: string;
  dataCutoffTimestamp?: string;
  disableDataCutoff?: boolean;
}

/** A schema to sync: its id, or its settings. */
export type BulkSchemaSelection = string | BulkSchemaSettings;

/** A field as Polytomic holds it (camelCase). */
export interface HeldField {
  id: string;
  enabled?: boolean;
  obfuscate?: boolean;
  outputName?: string;
  userOutputName?: string;
}

/** A schema as Polytomic holds it (camelCase; `fields` and `filters` only when read one by one). */
export interface HeldSchema {
  id: string;
  enabled?: boolean;
  outputName?: string;
  userOutputName?: string;
  partitionKey?: string;
  trackingField?: string;
  dataCutoffTimestamp?: string;
  disableDataCutoff?: boolean;
  fields?: HeldField[];
  filters?: BulkSchemaFilter[];
}

const isSettings = (i: BulkSchemaSelection | undefined): i is BulkSchemaSettings =>
  typeof i === "object" && i !== null;
const isFieldSettings = (f: BulkFieldSelection): f is Exclude<BulkFieldSelection, string> =>
  typeof f === "object" && f !== null;

const nonEmpty = (s: string | undefined) => (s === undefined || s === "" ? undefined : s);

/** A timestamp in one spelling (ISO 8601, UTC, milliseconds), so `2024-01-01` and `2024-01-01T00:00:00Z` agree. */
export function canonicalTimestamp(value: string | undefined): string | undefined {
  if (value === undefined || value === UNKNOWN) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The program's selection in the spelling outputs record (timestamps canonical); unknowns kept. */
export function normalizeSchemas<T extends BulkSchemaSelection[] | undefined>(items: T): T {
  if (!Array.isArray(items)) return items;
  return items.map((item) =>
    isSettings(item) && typeof item.dataCutoffTimestamp === "string"
      ? { ...item, dataCutoffTimestamp: canonicalTimestamp(item.dataCutoffTimestamp) }
      : item,
  ) as T;
}

// ---- Request bodies ----

/** A filter as the API spells it. */
function filterBody(f: BulkSchemaFilter) {
  return compact({ function: f.function, field_id: f.fieldId, value: f.value });
}

/**
 * The `schemas` of a create or update body (`SchemaConfiguration`, whose fields say `obfuscate`). User output
 * names are left out: the sync body has no place for them ({@link schemaPatches} sets them).
 */
export function schemasBody(items: readonly BulkSchemaSelection[]): unknown[] {
  return items.map((item) => {
    if (typeof item === "string") return item;
    return compact({
      id: item.id,
      enabled: item.enabled,
      fields: item.fields?.map((f) =>
        typeof f === "string" ? f : compact({ id: f.id, enabled: f.enabled, obfuscate: f.obfuscate }),
      ),
      filters: item.filters?.map(filterBody),
      partition_key: item.partitionKey,
      tracking_field: item.trackingField,
      data_cutoff_timestamp: item.dataCutoffTimestamp,
      disable_data_cutoff: item.disableDataCutoff,
    });
  });
}

const setsOutputNames = (item: BulkSchemaSelection | undefined): boolean =>
  isSettings(item) &&
  (item.userOutputName !== undefined ||
    (item.fields ?? []).some((f) => isFieldSettings(f) && f.userOutputName !== undefined));

/**
 * The schemas to send to `PATCH /api/bulk/syncs/{id}/schemas` after a create or update (`BulkSchema`, whose
 * fields say `obfuscated`): those that set a user output name, the one setting the sync body cannot carry, and
 * on update those that set one before (to clear it). Each is sent whole: a schema's `fields` left out would
 * enable every field.
 */
export function schemaPatches(
  items: readonly BulkSchemaSelection[] | undefined,
  previous?: readonly BulkSchemaSelection[],
): Record<string, unknown>[] {
  if (items === undefined) return [];
  const before = new Map((previous ?? []).map((p) => [idOf(p), p]));
  return items
    .filter((item) => setsOutputNames(item) || setsOutputNames(before.get(idOf(item))))
    .map((item) => {
      const s: BulkSchemaSettings = typeof item === "string" ? { id: item } : item;
      return compact({
        id: s.id,
        enabled: s.enabled ?? true,
        fields: s.fields?.map((f) =>
          typeof f === "string"
            ? { id: f, enabled: true }
            : compact({
                id: f.id,
                enabled: f.enabled ?? true,
                obfuscated: f.obfuscate,
                user_output_name: f.userOutputName ?? "",
              }),
        ),
        filters: s.filters?.map(filterBody),
        partition_key: s.partitionKey,
        tracking_field: s.trackingField,
        user_output_name: s.userOutputName ?? "",
        data_cutoff_timestamp: s.dataCutoffTimestamp,
        disable_data_cutoff: s.disableDataCutoff,
      });
    });
}

/** A schema's id, whichever form names it. */
export const idOf = (item: BulkSchemaSelection): string => (typeof item === "string" ? item : item.id);

/** The ids of the schemas whose settings must be read one by one (their fields and filters): object forms. */
export function detailedSchemaIds(items: readonly BulkSchemaSelection[] | undefined): string[] {
  return (items ?? []).filter(isSettings).map((i) => i.id);
}

// ---- Read-back ----

/** A schema from the schema endpoints, in camelCase (`obfuscated` becomes `obfuscate`, like the sync body). */
export function heldSchema(api: BulkSchema): HeldSchema {
  return compact({
    id: api.id,
    enabled: api.enabled,
    outputName: nonEmpty(api.output_name),
    userOutputName: nonEmpty(api.user_output_name),
    partitionKey: nonEmpty(api.partition_key),
    trackingField: nonEmpty(api.tracking_field),
    dataCutoffTimestamp: canonicalTimestamp(nonEmpty(api.data_cutoff_timestamp)),
    disableDataCutoff: api.disable_data_cutoff,
    fields: api.fields?.map((f) =>
      compact({
        id: f.id,
        enabled: f.enabled,
        obfuscate: f.obfuscated,
        outputName: nonEmpty(f.output_name),
        userOutputName: nonEmpty(f.user_output_name),
      }),
    ),
    filters: api.filters?.map((f) => compact({ function: f.function, fieldId: f.field_id, value: f.value })),
  }) as HeldSchema;
}

/**
 * What Polytomic holds, in the shape of what the program asked for: one item per named schema that Polytomic
 * has (a named schema it lacks is left out), in the program's order and form, holding the program's settings
 * with Polytomic's values, plus any defaulted setting whose value is not the default (a named schema disabled
 * outside Pulumi reads `{ id, enabled: false }`). Schemas and fields the program does not name are left out:
 * they are Polytomic's business. So `schemasMatch(renderHeld(desired, held), desired)` holds exactly when
 * Polytomic holds what the program asks for.
 */
export function renderHeld(
  desired: readonly BulkSchemaSelection[],
  held: readonly HeldSchema[],
): BulkSchemaSelection[] {
  const byId = new Map(held.map((h) => [h.id, h]));
  const out: BulkSchemaSelection[] = [];
  for (const item of desired) {
    const h = byId.get(idOf(item));
    if (h === undefined) continue;
    if (typeof item === "string") {
      out.push(h.enabled === false ? { id: item, enabled: false } : item);
      continue;
    }
    const heldFields = new Map((h.fields ?? []).map((f) => [f.id, f]));
    out.push(
      compact({
        id: item.id,
        enabled: h.enabled === false || item.enabled !== undefined ? (h.enabled ?? true) : undefined,
        fields:
          item.fields === undefined
            ? undefined
            : item.fields.flatMap((f): BulkFieldSelection[] => {
                const hf = heldFields.get(typeof f === "string" ? f : f.id);
                if (hf === undefined) return [];
                const rendered = compact({
                  id: hf.id,
                  enabled:
                    hf.enabled === false || (isFieldSettings(f) && f.enabled !== undefined)
                      ? (hf.enabled ?? true)
                      : undefined,
                  obfuscate:
                    hf.obfuscate === true || (isFieldSettings(f) && f.obfuscate !== undefined)
                      ? (hf.obfuscate ?? false)
                      : undefined,
                  userOutputName: hf.userOutputName,
                });
                return [typeof f === "string" && Object.keys(rendered).length === 1 ? f : rendered];
              }),
        filters:
          h.filters !== undefined && h.filters.length > 0
            ? h.filters
            : item.filters === undefined
              ? undefined
              : [],
        partitionKey: item.partitionKey === undefined ? undefined : (h.partitionKey ?? ""),
        trackingField: item.trackingField === undefined ? undefined : (h.trackingField ?? ""),
        userOutputName: h.userOutputName,
        dataCutoffTimestamp:
          item.dataCutoffTimestamp === undefined ? undefined : (h.dataCutoffTimestamp ?? ""),
        disableDataCutoff:
          h.disableDataCutoff === true || item.disableDataCutoff !== undefined
            ? (h.disableDataCutoff ?? false)
            : undefined,
      }) as BulkSchemaSettings,
    );
  }
  return out;
}

// ---- Comparison ----

/** JSON with object keys sorted, so equal values have equal text whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(",")}}`;
  }
  return value === undefined ? "null" : JSON.stringify(value);
}

const sameMultiset = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length &&
  stableJson([...a].map(stableJson).sort()) === stableJson([...b].map(stableJson).sort());

const settingsOf = (item: BulkSchemaSelection): BulkSchemaSettings =>
  typeof item === "string" ? { id: item } : item;

const fieldOf = (f: BulkFieldSelection) => (typeof f === "string" ? { id: f } : f);

function fieldsMatch(current: BulkFieldSelection[] | undefined, desired: BulkFieldSelection[]): boolean {
  if (!Array.isArray(current)) return false;
  const cur = new Map(current.map((f) => [fieldOf(f).id, fieldOf(f)]));
  if (cur.size !== current.length || new Set(desired.map((f) => fieldOf(f).id)).size !== cur.size)
    return false;
  return desired.every((f) => {
    const d = fieldOf(f);
    const c = cur.get(d.id);
    return (
      c !== undefined &&
      (c.enabled ?? true) === (d.enabled ?? true) &&
      (c.obfuscate ?? false) === (d.obfuscate ?? false) &&
      (c.userOutputName ?? "") === (d.userOutputName ?? "")
    );
  });
}

/** Whether one named schema holds what the program asks of it (see the module's rule). */
function schemaMatches(currentItem: BulkSchemaSelection, desiredItem: BulkSchemaSelection): boolean {
  const c = settingsOf(currentItem);
  if ((c.enabled ?? true) !== (typeof desiredItem === "string" ? true : (desiredItem.enabled ?? true)))
    return false;
  // A schema named by its id alone asks only to be synced.
  if (typeof desiredItem === "string") return true;
  const d = desiredItem;
  const derived = ["partitionKey", "trackingField"] as const;
  if (derived.some((k) => d[k] !== undefined && (c[k] ?? "") !== d[k])) return false;
  if (
    d.dataCutoffTimestamp !== undefined &&
    canonicalTimestamp(c.dataCutoffTimestamp ?? "") !== canonicalTimestamp(d.dataCutoffTimestamp)
  )
    return false;
  if ((c.userOutputName ?? "") !== (d.userOutputName ?? "")) return false;
  if ((c.disableDataCutoff ?? false) !== (d.disableDataCutoff ?? false)) return false;
  if (!sameMultiset((c.filters ?? []).map(canonicalFilter), (d.filters ?? []).map(canonicalFilter)))
    return false;
  return d.fields === undefined || fieldsMatch(c.fields, d.fields);
}

const canonicalFilter = (f: BulkSchemaFilter) =>
  compact({ function: f.function, fieldId: f.fieldId, value: f.value });

/**
 * Whether `current` (old outputs: what was applied, or {@link renderHeld} after a refresh) already holds what
 * `desired` (new inputs) asks: the same schemas named, each matching, in any order. No `desired` asks for every
 * schema and matches anything; an unknown (preview) never matches.
 */
export function schemasMatch(current: unknown, desired: unknown): boolean {
  if (desired === undefined || desired === null) return true;
  if (!Array.isArray(desired) || JSON.stringify(desired).includes(UNKNOWN)) return false;
  if (!Array.isArray(current)) return false;
  const cur = new Map((current as BulkSchemaSelection[]).map((i) => [idOf(i), i]));
  const des = desired as BulkSchemaSelection[];
  if (cur.size !== current.length || new Set(des.map(idOf)).size !== cur.size) return false;
  return des.every((d) => {
    const c = cur.get(idOf(d));
    return c !== undefined && schemaMatches(c, d);
  });
}
