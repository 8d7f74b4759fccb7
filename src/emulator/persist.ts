import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { StoredBulkSync } from "./bulk-syncs";
import type {
  EmulatorState,
  IdempotencyRecord,
  StoredConnection,
  StoredDelivery,
  StoredDeliveryCursor,
  StoredExecution,
  StoredJob,
  StoredModel,
  StoredSync,
} from "./state";

/** Idempotency records are kept at least this long (Polytomic: "at least 24 hours"), then pruned on save. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

const Row = z.looseObject({ id: z.string() });
const StateFile = z.object({
  version: z.literal(1),
  connections: z.array(Row).default([]),
  models: z.array(Row).default([]),
  syncs: z.array(Row).default([]),
  executions: z.array(Row).default([]),
  jobs: z.array(z.looseObject({ job_id: z.string() })).default([]),
  idempotency: z.array(z.looseObject({ key: z.string() })).default([]),
  bulkSyncs: z.array(Row).default([]),
  admin: z.record(z.string(), z.unknown()).optional(),
  deliveries: z.array(z.looseObject({ execution_id: z.string() })).default([]),
  cursors: z.array(z.looseObject({ sync_id: z.string() })).default([]),
});

/** Replaces `state`'s contents with the file's. Does nothing when the file does not exist. */
export function loadState(file: string, state: EmulatorState): boolean {
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, "utf8");
  if (text.trim() === "") return false;
  const parsed = StateFile.parse(JSON.parse(text));
  state.clear();
  for (const c of parsed.connections) state.connections.set(c.id, c as unknown as StoredConnection);
  for (const m of parsed.models) state.models.set(m.id, m as unknown as StoredModel);
  for (const s of parsed.syncs) state.syncs.set(s.id, s as unknown as StoredSync);
  for (const e of parsed.executions) state.executions.set(e.id, e as unknown as StoredExecution);
  for (const j of parsed.jobs) state.jobs.set(j.job_id, j as unknown as StoredJob);
  for (const r of parsed.idempotency) state.idempotency.set(r.key, r as unknown as IdempotencyRecord);
  for (const b of parsed.bulkSyncs) state.bulkSyncs.set(b.id, b as unknown as StoredBulkSync);
  state.admin.load(parsed.admin);
  for (const d of parsed.deliveries) {
    const list = state.deliveries.get(d.execution_id) ?? [];
    list.push(d as unknown as StoredDelivery);
    state.deliveries.set(d.execution_id, list);
  }
  for (const c of parsed.cursors) state.cursors.set(c.sync_id, c as unknown as StoredDeliveryCursor);
  return true;
}

/** Writes the state atomically (temporary file, then rename). Prunes idempotency records older than 24 h. */
export function saveState(file: string, state: EmulatorState, now = Date.now()): void {
  for (const [key, record] of state.idempotency) {
    if (now - record.createdAt > IDEMPOTENCY_RETENTION_MS) state.idempotency.delete(key);
  }
  const data = {
    version: 1,
    savedAt: new Date(now).toISOString(),
    connections: [...state.connections.values()],
    models: [...state.models.values()],
    syncs: [...state.syncs.values()],
    executions: [...state.executions.values()],
    jobs: [...state.jobs.values()],
    idempotency: [...state.idempotency.values()],
    bulkSyncs: [...state.bulkSyncs.values()],
    admin: state.admin.snapshot(),
    deliveries: [...state.deliveries.values()].flat(),
    cursors: [...state.cursors.values()],
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
