import * as fs from "node:fs";
import * as path from "node:path";
import type { JsonSchema } from "./json-schema";

/**
 * The connection-type schemas shipped in `data/connection-types` (the cached answers of
 * `GET /api/connection_types/{id}`). The same relative path works from `src/` (vitest) and `dist/` (built).
 */
export const CONNECTION_TYPES_DIR = path.join(__dirname, "../../data/connection-types");

/** One entry of `_index.json`. */
export interface ConnectionTypeInfo {
  id: string;
  name: string;
  use_oauth: boolean;
}

/** Reads `_index.json`, checking its shape by hand: this module loads with every program, so it stays light. */
function parseIndex(raw: unknown): ConnectionTypeInfo[] {
  if (!Array.isArray(raw)) throw new Error("data/connection-types/_index.json is not an array");
  return raw.map((t, i) => {
    const ok =
      t !== null &&
      typeof t === "object" &&
      typeof t.id === "string" &&
      typeof t.name === "string" &&
      typeof t.use_oauth === "boolean";
    if (!ok) throw new Error(`data/connection-types/_index.json[${i}] is not {id, name, use_oauth}`);
    return { id: t.id, name: t.name, use_oauth: t.use_oauth };
  });
}

let index: ConnectionTypeInfo[] | undefined;
let byId: Map<string, ConnectionTypeInfo> | undefined;
const schemas = new Map<string, JsonSchema>();

function loadIndex(): Map<string, ConnectionTypeInfo> {
  if (byId === undefined) {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(CONNECTION_TYPES_DIR, "_index.json"), "utf8"));
    index = parseIndex(raw);
    byId = new Map(index.map((t) => [t.id, t]));
  }
  return byId;
}

/** Every connection type listed in `_index.json`, as `{id, name, use_oauth}`. */
export function listConnectionTypes(): ConnectionTypeInfo[] {
  loadIndex();
  return [...(index ?? [])];
}

/** The listing of one type, or `undefined` when the type is unknown. */
export function getConnectionType(id: string): ConnectionTypeInfo | undefined {
  return loadIndex().get(id);
}

export function isKnownConnectionType(id: string): boolean {
  return loadIndex().has(id);
}

/**
 * The JSON Schema of a type's `configuration`, or `undefined` when the type is unknown (only ids listed in
 * `_index.json` are read from disk). Loaded once, then cached; treat the result as read-only.
 */
export function loadConnectionSchema(id: string): JsonSchema | undefined {
  const cached = schemas.get(id);
  if (cached !== undefined) return cached;
  if (!isKnownConnectionType(id)) return undefined;
  const file = path.join(CONNECTION_TYPES_DIR, `${id}.json`);
  if (!fs.existsSync(file)) return undefined;
  const schema = JSON.parse(fs.readFileSync(file, "utf8")) as JsonSchema;
  schemas.set(id, schema);
  return schema;
}

/**
 * Types that can be model sources and therefore have a schema cache: databases, warehouses and object
 * storage. Every id here exists in `_index.json`.
 */
export const MODEL_SOURCE_TYPES: ReadonlySet<string> = new Set([
  // object storage and files
  "gcs",
  "s3",
  "azureblob",
  "cloudflare_r2",
  "tigris",
  "sftp",
  "csv",
  // databases
  "postgresql",
  "googlecloudsql",
  "mysql",
  "googlecloudmysql",
  "mssql",
  "azuresql",
  "ibm_db2",
  "mongodb",
  "cosmosdb",
  "dynamodb",
  "scylladb",
  "amazon_keyspaces",
  // warehouses and query engines
  "snowflake",
  "bigquery",
  "redshift",
  "redshiftserverless",
  "databricks",
  "synapse",
  "awsathena",
  "clickhouse",
  "motherduck",
]);

export function isModelSourceType(type: string): boolean {
  return MODEL_SOURCE_TYPES.has(type);
}
