/**
 * A bulk sync's execution in the emulator: after the start is answered (`created`), the run goes `running`, then
 * takes each schema in turn (`executionDelayMs` per step; a cancel stops it between schemas), reads the source's
 * rows (a bucket's CSV files, or the catalog's sample rows) and writes them to the destination:
 *
 * - a bucket destination (`gcs`, `s3`, `azureblob`, `cloudflare_r2`) gets files in `<buckets dir>/<bucket>/
 *   <subfolder>/`: `<output name>.csv` (or `.jsonl` with `format: "json"`), rewritten by each run in `replicate`
 *   mode, a new `<output name>/<run start>.csv` per run in `snapshot` mode. Never inside the package's own `data/`
 *   folder (the default buckets dir): start the emulator with `--buckets-dir` to have files written;
 * - any other destination records what it would have written (table, fields, row count, the first rows).
 *
 * Either way the outputs are listed by the emulator-only route `GET /api/bulk/syncs/{id}/executions/{exec}/outputs`.
 * Only enabled fields are written; obfuscated ones as the SHA-256 of their value; a `_polytomic_synced_at` column
 * is added unless `disable_record_timestamps`. A test run (`test: true`) reads and counts, and writes nothing.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUCKET_KEYS, type SourceSettings, sourceSchemas } from "./bulk-source";
import type { StoredBulkExecution, StoredBulkSync } from "./bulk-syncs";
import type { RunControl } from "./execution-runner";
import { iso } from "./http";
import type { EmulatorState, JsonObject } from "./state";

/** The package's own data folder: never written to. */
const PACKAGE_DATA_DIR = path.resolve(__dirname, "../../data");
/** Rows kept in a recorded output. */
const SAMPLE_ROWS = 5;

/** What one schema of a run wrote (or would have written). */
export interface BulkOutput {
  execution_id: string;
  schema: string;
  output_name: string;
  destination_connection_id: string;
  destination_type: string;
  /** `file` when written, `recorded` when only recorded (not a bucket, a test run, or the package's data folder). */
  kind: "file" | "recorded";
  /** The file written, or where the rows would have gone (`schema.table`, a bucket path). */
  target: string;
  /** Why nothing was written, when nothing was. */
  note?: string;
  fields: string[];
  record_count: number;
  /** The first rows, as written. */
  rows: Record<string, unknown>[];
}

/** The outputs recorded for an execution. */
export function bulkOutputs(state: EmulatorState, executionId: string): BulkOutput[] {
  return state.bulkOutputs.get(executionId) ?? [];
}

function record(state: EmulatorState, output: BulkOutput): void {
  state.bulkOutputs.set(output.execution_id, [...(state.bulkOutputs.get(output.execution_id) ?? []), output]);
}

/** Turns a bulk execution the start built (complete at once) into one that runs: `created`, nothing counted yet. */
export function pendingBulkExecution(execution: StoredBulkExecution): StoredBulkExecution {
  execution.status = "created";
  execution.started_at = null;
  execution.completed_at = null;
  execution.record_count = 0;
  execution.schemas = execution.schemas.map((s) => ({
    ...s,
    status: "created",
    record_count: 0,
    started_at: null,
    completed_at: null,
  }));
  return execution;
}

const FINAL = ["completed", "canceled", "failed", "interrupted", "errors"];

/** The bulk sync's run that has not finished, if any. */
export const currentBulkExecution = (sync: StoredBulkSync): StoredBulkExecution | undefined =>
  sync.executions.find((e) => !FINAL.includes(e.status));

/** Whether a status is final. */
export const isFinalBulkStatus = (status: string): boolean => FINAL.includes(status);

const obfuscate = (value: unknown): string =>
  createHash("sha256")
    .update(value === null || value === undefined ? "" : String(value))
    .digest("hex");

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function within(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** Runs one bulk execution to its end (or to a cancel, or to the emulator closing). */
export async function runBulkExecution(
  state: EmulatorState,
  sync: StoredBulkSync,
  execution: StoredBulkExecution,
  control: RunControl,
  settings: SourceSettings & { changed(): void },
): Promise<void> {
  const alive = () =>
    !control.closed && state.bulkSyncs.get(sync.id) === sync && sync.executions.includes(execution);
  const touch = () => {
    execution.updated_at = iso(Date.now());
    settings.changed();
  };
  const finish = (status: string, message = "") => {
    const now = iso(Date.now());
    for (const s of execution.schemas) {
      if (!isFinalBulkStatus(String(s.status))) {
        s.status = status === "completed" ? "completed" : "canceled";
        s.completed_at = now;
      }
    }
    execution.status = status;
    execution.status_message = message;
    execution.completed_at = now;
    touch();
  };

  await control.pause();
  if (!alive()) return;
  if (control.canceled) return finish("canceled");
  execution.status = "running";
  execution.started_at = iso(Date.now());
  touch();

  const source = state.connections.get(sync.source_connection_id);
  const destination = state.connections.get(sync.destination_connection_id);
  if (source === undefined || destination === undefined) {
    return finish("failed", "the sync's source or destination connection no longer exists");
  }
  let offered: Map<string, { rows: Record<string, unknown>[] }>;
  try {
    offered = new Map(sourceSchemas(source, settings).map((s) => [s.id, s]));
  } catch (error) {
    return finish("failed", `reading the source: ${(error as Error).message}`);
  }

  let failed = 0;
  for (const schemaRun of execution.schemas) {
    await control.pause();
    if (!alive()) return;
    if (control.canceled) break;
    const id = String(schemaRun.schema);
    const schema = sync.schemas.find((s) => s.id === id);
    const rows = offered.get(id)?.rows ?? [];
    schemaRun.status = "running";
    schemaRun.started_at = iso(Date.now());
    touch();
    try {
      const fields = (schema?.fields ?? []).filter((f) => f.enabled);
      const written = rows.map((row) => {
        const out: Record<string, unknown> = {};
        for (const f of fields)
          out[f.output_name || f.id] = f.obfuscated ? obfuscate(row[f.id]) : (row[f.id] ?? null);
        if (!sync.disable_record_timestamps) out._polytomic_synced_at = execution.started_at;
        return out;
      });
      const output = writeOutput(execution, sync, String(schemaRun.output_name || id), destination, written, {
        test: execution.is_test,
        bucketsDir: settings.bucketsDir,
      });
      record(state, { ...output, schema: id });
      schemaRun.record_count = execution.is_test ? 0 : written.length;
      schemaRun.status = "completed";
    } catch (error) {
      failed++;
      schemaRun.status = "failed";
      schemaRun.status_message = (error as Error).message;
      schemaRun.error_count = rows.length;
      execution.error_count += rows.length;
    }
    schemaRun.completed_at = iso(Date.now());
    execution.record_count = execution.schemas.reduce((n, s) => n + Number(s.record_count ?? 0), 0);
    touch();
  }
  if (control.canceled) return finish("canceled");
  if (failed === 0) return finish("completed");
  const all = failed === execution.schemas.length;
  return finish(all ? "failed" : "errors", `${failed} of ${execution.schemas.length} schemas failed`);
}

/** Writes (or records) one schema's rows at the destination. */
function writeOutput(
  execution: StoredBulkExecution,
  sync: StoredBulkSync,
  outputName: string,
  destination: { id: string; type: string; configuration: JsonObject },
  rows: Record<string, unknown>[],
  options: { test: boolean; bucketsDir: string },
): Omit<BulkOutput, "schema"> {
  const fields = Object.keys(rows[0] ?? {});
  const base = {
    execution_id: execution.id,
    output_name: outputName,
    destination_connection_id: destination.id,
    destination_type: destination.type,
    fields,
    record_count: options.test ? 0 : rows.length,
    rows: rows.slice(0, SAMPLE_ROWS),
  };
  const config = sync.destination_configuration;
  const bucketKey = BUCKET_KEYS[destination.type];
  if (bucketKey === undefined) {
    const schema = typeof config.schema === "string" && config.schema !== "" ? `${config.schema}.` : "";
    const prefix = typeof (config.advanced as JsonObject | undefined)?.table_prefix === "string";
    const table = `${schema}${prefix ? String((config.advanced as JsonObject).table_prefix) : ""}${outputName}`;
    return {
      ...base,
      kind: "recorded",
      target: table,
      note: "the emulator writes only to bucket destinations",
    };
  }
  const bucket = String(destination.configuration[bucketKey] ?? "")
    .replace(/^[a-z0-9]+:\/\//i, "")
    .split("/")[0];
  const subfolder = typeof config.subfolder === "string" ? config.subfolder.replace(/^\/+|\/+$/g, "") : "";
  const json = config.format === "json" || config.format === "jsonl";
  const extension = json ? "jsonl" : "csv";
  const stamp = (execution.started_at ?? iso(Date.now())).replace(/[:.]/g, "-");
  const relative =
    sync.mode === "snapshot" ? `${outputName}/${stamp}.${extension}` : `${outputName}.${extension}`;
  const root = path.resolve(options.bucketsDir, bucket ?? "");
  const file = path.resolve(root, subfolder, relative);
  const target = `${bucket}/${subfolder === "" ? "" : `${subfolder}/`}${relative}`;
  if (options.test) return { ...base, kind: "recorded", target, note: "a test run writes nothing" };
  if (
    bucket === undefined ||
    bucket === "" ||
    !within(path.resolve(options.bucketsDir), file) ||
    !within(root, file)
  ) {
    throw new Error(`the destination bucket path "${target}" is not inside the buckets folder`);
  }
  if (!within(PACKAGE_DATA_DIR, root) && root !== PACKAGE_DATA_DIR) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lines = json
      ? rows.map((r) => JSON.stringify(r))
      : [fields.join(","), ...rows.map((r) => fields.map((f) => csvCell(r[f])).join(","))];
    const text = lines.map((line) => `${line}\n`).join("");
    fs.writeFileSync(file, text);
    return { ...base, kind: "file", target: file };
  }
  return {
    ...base,
    kind: "recorded",
    target,
    note: "the buckets folder is the package's own data folder: start the emulator with --buckets-dir to have files written",
  };
}
