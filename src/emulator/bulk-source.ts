/**
 * What connections offer to bulk syncs: the schemas of a source (a bucket's CSV files, or the catalog's schemas),
 * and the settings and modes of a destination.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { isModelSourceType } from "../connection-types/registry";
import { isPlainObject } from "../wire";
import type { Problem } from "./body-checks";
import type { SourceCatalog, SourceField, SourceSchema } from "./catalog";
import { inferType, readCsvFile, typedExample } from "./csv";
import { bucketDir } from "./model-source";
import type { StoredConnection } from "./state";

/** The bucket setting of each bucket-like connection type: their CSV files are their schemas. */
export const BUCKET_KEYS: Readonly<Record<string, string>> = {
  gcs: "bucket",
  s3: "s3_bucket_name",
  azureblob: "container_name",
  cloudflare_r2: "bucket_name",
};

/** Whether the connection type is a bucket whose files are its schemas. */
export const isBucketSource = (type: string): boolean => BUCKET_KEYS[type] !== undefined;

const INFER_ROWS = 20;

/** Every CSV file under `root`, as sorted paths relative to it (with `/`). */
function csvFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.toLowerCase().endsWith(".csv"))
        out.push(path.relative(root, full).split(path.sep).join("/"));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out.sort();
}

/** One table read from CSV files: the first file's header row gives the fields, every file's rows the rows. */
function csvSchema(
  id: string,
  root: string,
  files: readonly string[],
  config: Record<string, unknown>,
): SourceSchema {
  const hasHeaders = config.csv_has_headers !== false;
  const skip = typeof config.skip_lines === "number" && config.skip_lines > 0 ? config.skip_lines : 0;
  let header: string[] = [];
  const rows: string[][] = [];
  files.forEach((file, i) => {
    const table = readCsvFile(path.join(root, file));
    const lines = [table.header, ...table.rows].slice(skip);
    if (hasHeaders) {
      if (i === 0) header = (lines[0] ?? []).map((h) => h.trim());
      rows.push(...lines.slice(1));
    } else {
      rows.push(...lines);
    }
  });
  if (!hasHeaders) {
    const width = Math.max(0, ...rows.map((r) => r.length));
    header = Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  }
  const sample = rows.slice(0, INFER_ROWS);
  const types = header.map((_, i) => inferType(sample.map((r) => r[i] ?? "")));
  const fields = header.map(
    (name, i): SourceField => ({
      id: name,
      name,
      type: types[i] ?? "string",
      remote_type: types[i] ?? "string",
      is_primary_key: false,
    }),
  );
  return {
    id,
    name: id,
    fields,
    tracking_field: "",
    rows: rows.map((r) =>
      Object.fromEntries(header.map((h, i) => [h, typedExample(r[i], types[i] ?? "string")])),
    ),
  };
}

/**
 * A bucket's schemas, per the connection's settings: each CSV file (id: its path in the bucket); with
 * `is_directory_snapshot`, each folder holding CSV files (files at the top level stay schemas of their own); with
 * `is_single_table`, one schema (`single_table_name`, default `single_table`) of every file.
 */
export function bucketSchemas(connection: StoredConnection, bucketsDir: string): SourceSchema[] {
  const config = connection.configuration;
  const bucket = String(config[BUCKET_KEYS[connection.type] ?? ""] ?? "").replace(/^[a-z0-9]+:\/\//i, "");
  const root = bucketDir(bucketsDir, bucket);
  const files = csvFiles(root);
  if (files.length === 0) return [];
  if (config.is_single_table === true && config.is_directory_snapshot !== true) {
    const name =
      typeof config.single_table_name === "string" && config.single_table_name !== ""
        ? config.single_table_name
        : "single_table";
    return [csvSchema(name, root, files, config)];
  }
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const dir = path.posix.dirname(file);
    const key = config.is_directory_snapshot === true && dir !== "." ? dir : file;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  return [...groups].map(([id, group]) => csvSchema(id, root, group, config));
}

/** Where the emulator finds sources' schemas. */
export interface SourceSettings {
  bucketsDir: string;
  catalog: SourceCatalog;
}

/**
 * Whether a connection has a schema cache: the model-source types (databases, warehouses, buckets), and the
 * connections the source catalog lists (a Salesforce org's objects are cached too).
 */
export function hasSchemaCache(type: string, name: unknown, catalog: SourceCatalog): boolean {
  return isModelSourceType(type) || catalog.has({ id: "", name: typeof name === "string" ? name : "", type });
}

/** Whether a connection can be a bulk-sync source in the emulator: a bucket, or a connection the catalog lists. */
export function canBeBulkSource(connection: StoredConnection, catalog: SourceCatalog): boolean {
  return isBucketSource(connection.type) || catalog.has(connection);
}

/** The schemas a source connection offers now (a bucket's files, or the catalog's), with run-time additions. */
export function sourceSchemas(connection: StoredConnection, settings: SourceSettings): SourceSchema[] {
  return isBucketSource(connection.type)
    ? settings.catalog.withAdditions(connection.id, bucketSchemas(connection, settings.bucketsDir))
    : settings.catalog.schemasOf(connection);
}

/** The JSON Schema of a source type's `source_configuration`, where Polytomic documents one. */
export function sourceConfigurationSchema(type: string): Record<string, unknown> | null {
  if (type === "postgresql" || type === "googlecloudsql") {
    return {
      type: "object",
      properties: {
        replication_slot: {
          type: "string",
          description: "Leave blank to allow Polytomic to manage a replication slot",
        },
      },
      additionalProperties: false,
    };
  }
  return null;
}

// ---- Destinations ----

/** Storage destinations: they take `snapshot` besides `replicate`. */
const STORAGE_TYPES = new Set(["gcs", "s3", "azureblob", "cloudflare_r2"]);

const SCHEMA_SETTINGS = (advanced: Record<string, unknown>) => ({
  type: "object",
  properties: {
    schema: { type: "string", description: "Output schema to write to" },
    mirror_schemas: { type: "boolean" },
    advanced: { type: "object", properties: advanced, additionalProperties: false },
  },
  required: ["schema"],
  additionalProperties: false,
});

/** The documented destination settings (`destination_configuration`) of some types, as JSON Schemas. */
const DESTINATION_SETTINGS: Readonly<Record<string, Record<string, unknown>>> = {
  postgresql: SCHEMA_SETTINGS({ table_prefix: { type: "string" }, truncate_existing: { type: "boolean" } }),
  googlecloudsql: SCHEMA_SETTINGS({
    table_prefix: { type: "string" },
    truncate_existing: { type: "boolean" },
  }),
  snowflake: SCHEMA_SETTINGS({
    hard_deletes: { type: "boolean" },
    table_prefix: { type: "string" },
    truncate_existing: { type: "boolean" },
  }),
};
const STORAGE_SETTINGS = {
  type: "object",
  properties: {
    format: { type: "string", description: "Output file encoding" },
    subfolder: { type: "string" },
  },
  additionalProperties: false,
};

/** What a connection offers as a bulk-sync destination (`BulkSyncDest`), or undefined when it cannot be one. */
export function destinationInfo(type: string) {
  if (!isModelSourceType(type)) return undefined;
  const storage = STORAGE_TYPES.has(type);
  const mode = (id: string, label: string, description: string) => ({
    id,
    label,
    description,
    requires_identity: false,
    supports_field_sync_mode: false,
    supports_target_filters: false,
  });
  return {
    configuration: DESTINATION_SETTINGS[type] ?? (storage ? STORAGE_SETTINGS : { type: "object" }),
    modes: [
      mode("replicate", "Replicate", "Keep the destination a copy of the source"),
      ...(storage ? [mode("snapshot", "Snapshot", "Write a full copy of the source on each run")] : []),
    ],
    supported_resync_modes: ["refetch", "resync", "rebuild"],
  };
}

/** Checks a configuration object against one of the small JSON Schemas above (types, known keys, required). */
export function checkSettings(
  value: Record<string, unknown>,
  schema: Record<string, unknown>,
  at: string,
): Problem[] {
  const problems: Problem[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const key of (schema.required ?? []) as string[]) {
    if (value[key] === undefined || value[key] === null || value[key] === "") {
      problems.push({ path: `${at}.${key}`, message: "is required" });
    }
  }
  for (const [key, v] of Object.entries(value)) {
    const property = properties[key];
    if (property === undefined) {
      if (schema.additionalProperties === false)
        problems.push({ path: `${at}.${key}`, message: "is not a known setting" });
      continue;
    }
    if (v === null || v === undefined) continue;
    const type = property.type;
    const fits =
      type === "object"
        ? isPlainObject(v)
        : type === "boolean"
          ? typeof v === "boolean"
          : typeof v === "string";
    if (!fits)
      problems.push({
        path: `${at}.${key}`,
        message: `must be ${type === "object" ? "an object" : `a ${type}`}`,
      });
    else if (type === "object")
      problems.push(...checkSettings(v as Record<string, unknown>, property, `${at}.${key}`));
  }
  return problems;
}
