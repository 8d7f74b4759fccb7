import * as fs from "node:fs";
import * as path from "node:path";
import type { Problem } from "./body-checks";
import type { SourceCatalog } from "./catalog";
import { type InferredType, inferType, readCsvFile, typedExample } from "./csv";
import { badRequest, validationError } from "./http";
import type { StoredConnection } from "./state";

/** A column a model source offers. */
export interface SourceColumn {
  name: string;
  type: InferredType;
  remote_type: string;
  example: unknown;
}

/** What a model's source offers: its columns and how many rows it holds. */
export interface SourceRead {
  columns: SourceColumn[];
  rowCount: number;
  /** The file read, for object-storage sources. */
  file?: string;
}

const INFER_ROWS = 20;
const MODEL_FROM = ["single_file", "multi_file_archive"];

/**
 * The bucket folder a GCS `bucket` setting names. Both forms are accepted: `my-bucket` and
 * `gcs://my-bucket/some/path` (also `gs://`); the scheme and any path are stripped.
 */
export function bucketName(bucket: unknown): string {
  const text = typeof bucket === "string" ? bucket.trim() : "";
  const withoutScheme = text.replace(/^(gcs|gs):\/\//i, "");
  return withoutScheme.split("/")[0] ?? "";
}

/** `<bucketsDir>/<bucket>` if that folder exists, else `<bucketsDir>/sample`. */
export function bucketDir(bucketsDir: string, bucket: unknown): string {
  const name = bucketName(bucket);
  if (name !== "" && name !== "." && name !== ".." && !name.includes("\\")) {
    const dir = path.join(bucketsDir, name);
    if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) return dir;
  }
  return path.join(bucketsDir, "sample");
}

function within(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function firstCsvIn(dir: string): string | undefined {
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith(".csv"))
    .sort();
  return names[0] === undefined ? undefined : path.join(dir, names[0]);
}

function intSetting(...values: unknown[]): number {
  for (const v of values) if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  return 0;
}

/** A GCS model's CSV as read: its header (or generated column names) and its data rows. */
export interface SourceTable {
  header: string[];
  rows: string[][];
  /** The file read. */
  file: string;
}

/**
 * Reads a GCS model's CSV: model configuration `{model_from, key, file_format?, subfolder?, skip_lines?}`.
 * `key` is a file in the bucket folder (a folder for `multi_file_archive`, whose first CSV is read). Lines to
 * skip and whether the first row is a header come from the model and the connection.
 */
export function readGcsTable(
  connection: StoredConnection,
  configuration: Record<string, unknown>,
  bucketsDir: string,
): SourceTable {
  const problems: Problem[] = [];
  const modelFrom = configuration.model_from;
  if (modelFrom === undefined || modelFrom === null) {
    problems.push({ path: "model_from", message: "is required" });
  } else if (typeof modelFrom !== "string" || !MODEL_FROM.includes(modelFrom)) {
    problems.push({ path: "model_from", message: `must be one of ${MODEL_FROM.join(", ")}` });
  }
  const key = configuration.key;
  if (typeof key !== "string" || key.trim() === "") problems.push({ path: "key", message: "is required" });
  const format = configuration.file_format;
  if (format !== undefined && format !== null && format !== "csv") {
    problems.push({ path: "file_format", message: "the emulator reads only csv files" });
  }
  if (problems.length > 0)
    throw validationError(400, problems, "configuration", "invalid model configuration");

  const root = bucketDir(bucketsDir, connection.configuration.bucket);
  const subfolder = typeof configuration.subfolder === "string" ? configuration.subfolder : "";
  let file = path.resolve(root, subfolder, (key as string).replace(/^\/+/, ""));
  const bucket = bucketName(connection.configuration.bucket);
  const missing = () =>
    badRequest(`key "${key as string}" not found in bucket "${bucket}"`, {
      errors: [{ path: "configuration.key", message: "not found in bucket" }],
    });
  if (!within(root, file) || !fs.existsSync(file)) throw missing();
  if (fs.statSync(file).isDirectory()) {
    const first = firstCsvIn(file);
    if (first === undefined) throw missing();
    file = first;
  }

  const table = readCsvFile(file);
  const skip = intSetting(configuration.skip_lines, connection.configuration.skip_lines);
  let rows = [table.header, ...table.rows].slice(skip);
  const hasHeaders = connection.configuration.csv_has_headers !== false;
  const width = Math.max(0, ...rows.map((r) => r.length));
  const header = hasHeaders
    ? (rows[0] ?? []).map((h) => h.trim())
    : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  if (hasHeaders) rows = rows.slice(1);
  return { header, rows, file };
}

/** A GCS model's columns (types inferred from the first rows) and row count. */
export function readGcsSource(
  connection: StoredConnection,
  configuration: Record<string, unknown>,
  bucketsDir: string,
): SourceRead {
  const { header, rows, file } = readGcsTable(connection, configuration, bucketsDir);
  const sample = rows.slice(0, INFER_ROWS);
  const columns = header.map((name, i): SourceColumn => {
    const type = inferType(sample.map((r) => r[i] ?? ""));
    return { name, type, remote_type: type, example: typedExample(rows[0]?.[i], type) };
  });
  return { columns, rowCount: rows.length, file };
}

/**
 * The columns of a model's source: a GCS file's, or those of a `table` the source catalog lists; other sources
 * offer no columns of their own.
 */
export function readModelSource(
  connection: StoredConnection,
  configuration: Record<string, unknown>,
  bucketsDir: string,
  catalog?: SourceCatalog,
): SourceRead | undefined {
  if (connection.type === "gcs") return readGcsSource(connection, configuration, bucketsDir);
  return catalog === undefined ? undefined : readCatalogTable(connection, configuration, catalog);
}

/**
 * A model over a `table` the source catalog lists for the connection: the table's fields (types other than
 * string, number, boolean and datetime read as string) and sample rows. Other models (a `query`, a table the
 * catalog does not list) offer no columns of their own.
 */
function readCatalogTable(
  connection: StoredConnection,
  configuration: Record<string, unknown>,
  catalog: SourceCatalog,
): SourceRead | undefined {
  const table = configuration.table;
  if (typeof table !== "string") return undefined;
  const schema = catalog.schemasOf(connection).find((s) => s.id === table);
  if (schema === undefined) return undefined;
  const simple = ["string", "number", "boolean", "datetime"];
  const columns = schema.fields.map((f): SourceColumn => {
    const type = (simple.includes(f.type) ? f.type : "string") as InferredType;
    return { name: f.name, type, remote_type: f.remote_type, example: schema.rows[0]?.[f.name] ?? null };
  });
  return { columns, rowCount: schema.rows.length };
}
