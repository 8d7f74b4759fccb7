/**
 * A model sync's execution in the emulator: it reads the model's rows (the CSV for bucket sources, the source
 * catalog's sample rows for a table of another source), maps the
 * sync's fields, and for a webhook target (`object: "http"`) POSTs the records in batches of `batch_size`
 * (see webhook-delivery.ts). Other targets are not written to: the run counts what it would have written.
 *
 * Which records a run sends (the reference only says a payload holds "the records changed since the last
 * payload"): the first run sends every record; later runs send the records that are new or whose fields changed
 * since the last delivery, matched by the identity's source field, else the model's identifier, else the whole
 * record. `resync: true` and the sync's `sync_all_records` send every record; `skip_initial_backfill` makes the
 * first run send nothing and remember every record; a test run (`test: true`) sends nothing and remembers
 * nothing. Records that disappeared from the source are not sent (the payload has no delete marker).
 */
import { createHash, randomUUID } from "node:crypto";
import { isPlainObject } from "../wire";
import type { SourceCatalog } from "./catalog";
import type { RunControl } from "./execution-runner";
import { iso } from "./http";
import { readGcsTable } from "./model-source";
import type {
  EmulatorState,
  ExecutionCounts,
  StoredDelivery,
  StoredExecution,
  StoredModel,
  StoredSync,
} from "./state";
import {
  type DeliveredRecord,
  DeliveryError,
  type DeliverySettings,
  deliverBatch,
  deliveryUrl,
  webhookAuth,
} from "./webhook-delivery";

/** Batch size when the target configuration sets none (Polytomic's default, per a third-party copy of its docs). */
export const DEFAULT_BATCH_SIZE = 100;
/** Errors kept on an execution. */
const MAX_ERRORS = 20;

const zeroCounts = (): ExecutionCounts => ({
  insert: 0,
  update: 0,
  upserts: 0,
  delete: 0,
  error: 0,
  warnings: 0,
  total: 0,
});

/** A new execution of a sync, `created`: `type` is `test`, `resync` or `manual`. */
export function newSyncExecution(sync: StoredSync, options: { test: boolean; resync: boolean }, now: number) {
  const execution: StoredExecution = {
    id: randomUUID(),
    sync_id: sync.id,
    status: "created",
    type: options.test ? "test" : options.resync ? "resync" : "manual",
    created_at: iso(now),
    started_at: null,
    completed_at: null,
    counts: zeroCounts(),
    errors: [],
  };
  return execution;
}

/**
 * A model's rows as `{field name: value}`: a bucket model's CSV rows, each value typed by the model field's type
 * (`null` when empty); for a `table` model of another source, the sample rows the source catalog lists for that
 * table; none otherwise (a `query` model, a table the catalog does not list).
 */
export function modelRows(
  state: EmulatorState,
  model: StoredModel,
  bucketsDir: string,
  catalog?: SourceCatalog,
): Record<string, unknown>[] {
  const connection = state.connections.get(model.connection_id);
  if (connection === undefined)
    throw new Error(`the model's connection ${model.connection_id} no longer exists`);
  if (connection.type !== "gcs") {
    const table = model.configuration.table;
    const schema =
      typeof table === "string" ? catalog?.schemasOf(connection).find((s) => s.id === table) : undefined;
    return (schema?.rows ?? []).map((row) =>
      Object.fromEntries(model.fields.map((f) => [f.name, row[f.name] ?? null])),
    );
  }
  const { header, rows } = readGcsTable(connection, model.configuration, bucketsDir);
  const columns = new Map(header.map((name, i) => [name, i]));
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const field of model.fields) {
      const index = columns.get(field.name);
      record[field.name] = typed(index === undefined ? undefined : row[index], field.type);
    }
    return record;
  });
}

function typed(value: string | undefined, type: string): unknown {
  if (value === undefined || value.trim() === "") return null;
  if (type === "number") {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (type === "boolean") return value.trim().toLowerCase() === "true";
  return value;
}

/**
 * A field name as Polytomic sends it: characters other than letters, digits and `_` are stripped
 * (`$first_name` → `first_name`).
 */
export const normalizeFieldName = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, "");

/** The first 16 hex digits of the SHA-256 of the record's fields (Polytomic's `hash` is undocumented). */
export const recordHash = (fields: Record<string, unknown>): string =>
  createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, 16);

interface PlannedRecord extends DeliveredRecord {
  key: string;
}

type FieldRef = { model_id?: unknown; field?: unknown };

/**
 * The records a sync's mapping makes of the model's rows: each mapped field under its target name, or under its
 * source field's name when the target is `record` (as webhook syncs map every field); `override_value`s and
 * `override_fields` under their target names. Fields of another model than the sync's first are sent as null.
 */
export function mapRecords(
  state: EmulatorState,
  sync: StoredSync,
  bucketsDir: string,
  catalog?: SourceCatalog,
): { records: PlannedRecord[]; model: StoredModel } {
  const mappings = sync.fields.filter(isPlainObject);
  const refOf = (m: Record<string, unknown>) =>
    isPlainObject(m.source) ? (m.source as FieldRef) : undefined;
  const modelId = String(
    refOf(mappings.find((m) => refOf(m) !== undefined) ?? {})?.model_id ?? sync.model_ids[0] ?? "",
  );
  const model = state.models.get(modelId);
  if (model === undefined) throw new Error(`the sync's model ${modelId} no longer exists`);
  const rows = modelRows(state, model, bucketsDir, catalog);
  const identityField = isPlainObject(sync.identity?.source)
    ? String((sync.identity.source as FieldRef).field ?? "")
    : (model.identifier ?? "");
  const overrides = sync.override_fields.filter(isPlainObject);

  const seen = new Map<string, PlannedRecord>();
  for (const row of rows) {
    const fields: Record<string, unknown> = {};
    for (const m of mappings) {
      const target = String(m.target ?? "");
      const ref = refOf(m);
      if (typeof m.override_value === "string" && target !== "record" && target !== "") {
        fields[normalizeFieldName(target)] = m.override_value;
      } else if (ref !== undefined) {
        const name = String(ref.field ?? "");
        const value = String(ref.model_id ?? "") === model.id ? (row[name] ?? null) : null;
        fields[normalizeFieldName(target === "record" || target === "" ? name : target)] = value;
      }
    }
    for (const o of overrides) {
      const target = String(o.target ?? "");
      if (target !== "" && target !== "record" && typeof o.override_value === "string") {
        fields[normalizeFieldName(target)] = o.override_value;
      }
    }
    const hash = recordHash(fields);
    const identity = identityField === "" ? undefined : row[identityField];
    const key = identity === undefined || identity === null ? `hash:${hash}` : `id:${String(identity)}`;
    seen.delete(key); // a later row with the same identity wins, and keeps the source's order
    seen.set(key, { key, hash, fields });
  }
  return { records: [...seen.values()], model };
}

/** Runs one execution of a model sync to its end (or to a cancel, or to the emulator closing). */
export async function runSyncExecution(
  state: EmulatorState,
  execution: StoredExecution,
  control: RunControl,
  settings: DeliverySettings & { bucketsDir: string; catalog?: SourceCatalog; changed(): void },
): Promise<void> {
  const alive = () => !control.closed && state.executions.get(execution.id) === execution;
  const finish = (status: string) => {
    execution.status = status;
    execution.completed_at = iso(Date.now());
    settings.changed();
  };
  const fail = (message: string) => {
    if (execution.errors.length < MAX_ERRORS) execution.errors.push(message);
    finish("failed");
  };

  await control.pause();
  if (!alive()) return;
  if (control.canceled) return finish("canceled");
  execution.status = "running";
  execution.started_at = iso(Date.now());
  settings.changed();

  const sync = state.syncs.get(execution.sync_id);
  if (sync === undefined) return;
  let planned: PlannedRecord[];
  try {
    planned = mapRecords(state, sync, settings.bucketsDir, settings.catalog).records;
  } catch (error) {
    return fail(`reading the model's rows: ${(error as Error).message}`);
  }

  const cursor = state.cursors.get(sync.id);
  const test = execution.type === "test";
  const sendAll = execution.type === "resync" || sync.sync_all_records;
  let selected = sendAll
    ? planned
    : planned.filter((r) => cursor === undefined || cursor.hashes[r.key] !== r.hash);
  if (cursor === undefined && sync.skip_initial_backfill && !test) {
    state.cursors.set(sync.id, {
      sync_id: sync.id,
      hashes: Object.fromEntries(planned.map((r) => [r.key, r.hash])),
    });
    selected = [];
  }

  const counts = execution.counts;
  const targetConfiguration = isPlainObject(sync.target.configuration) ? sync.target.configuration : {};
  if (sync.target.object !== "http" || test) {
    // Nothing is written: the run counts what it would have written.
    const key = countKey(sync.mode);
    counts[key] = selected.length;
    counts.total = selected.length;
  } else {
    const connection = state.connections.get(String(sync.target.connection_id ?? ""));
    if (connection === undefined) return fail("the sync's target connection no longer exists");
    let url: URL;
    let auth: Awaited<ReturnType<typeof webhookAuth>>;
    try {
      url = deliveryUrl(connection.configuration.url, settings);
      auth = await webhookAuth(connection.configuration, settings, control.closing);
    } catch (error) {
      if (!alive()) return;
      return fail(
        error instanceof DeliveryError
          ? error.message
          : `preparing the delivery: ${(error as Error).message}`,
      );
    }
    const size = batchSize(targetConfiguration.batch_size);
    const record = targetConfiguration.record_requests === true;
    const batches = Math.ceil(selected.length / size);
    for (let i = 0; i < batches; i++) {
      await control.pause();
      if (!alive()) return;
      if (control.canceled) break;
      const batch = selected.slice(i * size, (i + 1) * size);
      const started = Date.now();
      const outcome = await deliverBatch(
        url,
        auth,
        { id: sync.id, name: sync.name },
        batch.map(({ hash, fields }) => ({ hash, fields })),
        settings,
        control.closing,
      );
      if (!alive()) return;
      if (record) {
        const delivery: StoredDelivery = {
          execution_id: execution.id,
          batch: i + 1,
          records: batch.length,
          request: outcome.request,
          response: outcome.response,
          error: outcome.error ?? null,
          started_at: iso(started),
          duration_ms: outcome.durationMs,
        };
        state.deliveries.set(execution.id, [...(state.deliveries.get(execution.id) ?? []), delivery]);
      }
      counts.total += batch.length;
      if (outcome.ok) {
        counts.upserts += batch.length;
        const hashes = state.cursors.get(sync.id)?.hashes ?? {};
        for (const r of batch) hashes[r.key] = r.hash;
        state.cursors.set(sync.id, { sync_id: sync.id, hashes });
        settings.changed();
      } else {
        counts.error += batch.length;
        return fail(`batch ${i + 1} of ${batches} (${batch.length} records): ${outcome.error ?? "failed"}`);
      }
    }
  }

  if (control.canceled) return finish("canceled");
  execution.status = "processing";
  settings.changed();
  await control.pause();
  if (!alive()) return;
  finish(control.canceled ? "canceled" : "completed");
}

/** The count a non-webhook run adds its records to, by sync mode. */
function countKey(mode: string): keyof ExecutionCounts {
  switch (mode) {
    case "create":
    case "append":
    case "replace":
    case "snapshot":
      return "insert";
    case "update":
      return "update";
    case "remove":
      return "delete";
    default:
      return "upserts";
  }
}

function batchSize(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : DEFAULT_BATCH_SIZE;
}
