import { randomUUID } from "node:crypto";
import { SCHEDULE_FREQUENCIES } from "../../api/sync-enums";
import { isPlainObject } from "../../wire";
import { callerFrom } from "../admin-state";
import { deepCopy, MASK } from "../config-paths";
import { deleteSync } from "../dependents";
import { isFinalStatus } from "../execution-runner";
import {
  ApiError,
  badRequest,
  bodyObject,
  boolQuery,
  deleted,
  findOr404,
  type HandlerResult,
  iso,
  notFound,
  ok,
  pathParam,
  type RequestContext,
  requireFields,
  validationError,
} from "../http";
import { ACTOR } from "../identity";
import type { RouteTable } from "../router";
import type { StoredExecution, StoredSync } from "../state";
import { newSyncExecution, runSyncExecution } from "../sync-run";
import { checkSync } from "../sync-validation";
import { unknownPolicies } from "./permissions";

const LIST_LIMIT = 50;

/** A sync as Polytomic answers it: the passphrase masked, the caller as author. */
export function syncResponse(s: StoredSync) {
  const { encryption_passphrase, ...rest } = s;
  return {
    ...deepCopy(rest),
    ...(encryption_passphrase === undefined ? {} : { encryption_passphrase: MASK }),
    created_by: ACTOR,
    updated_by: ACTOR,
  };
}

function listItem(s: StoredSync) {
  return {
    id: s.id,
    name: s.name,
    active: s.active,
    mode: s.mode,
    model_ids: s.model_ids,
    organization_id: s.organization_id,
    schedule: s.schedule,
    skip_initial_backfill: s.skip_initial_backfill,
    sync_all_records: s.sync_all_records,
    only_enrich_updates: s.only_enrich_updates,
    target_connection_id: s.target.connection_id,
    target_object: s.target.object ?? null,
    created_at: s.created_at,
    created_by: ACTOR,
    updated_at: s.updated_at,
    updated_by: ACTOR,
  };
}

function getSync(ctx: RequestContext, id: string): StoredSync {
  return findOr404(ctx.state.syncs, "sync", id);
}

const array = (v: unknown): unknown[] => (Array.isArray(v) ? deepCopy(v) : []);

/**
 * A stored sync from a create/update body (full replacement). `encryption_passphrase` sent as `"********"` or
 * left out keeps the stored one on update; `null` or `""` clears it. `target.create` is not kept (Polytomic
 * never returns it).
 */
function buildSync(ctx: RequestContext, body: Record<string, unknown>, previous?: StoredSync): StoredSync {
  requireFields(body, {
    name: "string",
    mode: "string",
    fields: "array",
    schedule: "object",
    target: "object",
  });
  const { problems, modelIds } = checkSync(ctx.state, body);
  problems.push(...unknownPolicies(ctx.state, array(body.policies)));
  if (problems.length > 0) throw validationError(422, problems, "", "invalid sync");

  const target = deepCopy(body.target as Record<string, unknown>);
  delete target.create;
  let passphrase: string | undefined;
  const sent = body.encryption_passphrase;
  if (sent === undefined || sent === MASK) passphrase = previous?.encryption_passphrase;
  else if (typeof sent === "string" && sent !== "") passphrase = sent;

  const now = iso(ctx.now());
  const sync: StoredSync = {
    id: previous?.id ?? randomUUID(),
    name: body.name as string,
    mode: body.mode as string,
    active: body.active === true,
    fields: array(body.fields),
    override_fields: array(body.override_fields),
    overrides: array(body.overrides),
    filters: array(body.filters),
    filter_logic: typeof body.filter_logic === "string" ? body.filter_logic : "",
    identity: isPlainObject(body.identity) ? deepCopy(body.identity) : null,
    schedule: deepCopy(body.schedule as Record<string, unknown>),
    target,
    policies: array(body.policies) as string[],
    organization_id:
      typeof body.organization_id === "string" ? body.organization_id : callerFrom(ctx).organizationId,
    sync_all_records: body.sync_all_records === true,
    skip_initial_backfill: body.skip_initial_backfill === true,
    only_enrich_updates: body.only_enrich_updates === true,
    model_ids: modelIds,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
  if (passphrase !== undefined) sync.encryption_passphrase = passphrase;
  return sync;
}

function list(ctx: RequestContext): HandlerResult {
  let items = [...ctx.state.syncs.values()];
  const active = ctx.query.get("active");
  if (active !== null) items = items.filter((s) => s.active === (active === "true"));
  const mode = ctx.query.get("mode");
  if (mode !== null) items = items.filter((s) => s.mode === mode);
  const target = ctx.query.get("target_connection_id");
  if (target !== null) items = items.filter((s) => s.target.connection_id === target);
  const limit = Math.min(LIST_LIMIT, Math.max(1, Number(ctx.query.get("limit") ?? LIST_LIMIT) || LIST_LIMIT));
  const offset = Math.max(0, Number(ctx.query.get("page_token") ?? 0) || 0);
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? String(offset + limit) : null;
  return ok(page.map(listItem), { pagination: { next_page_token: next } });
}

function executionResponse(e: StoredExecution) {
  const { sync_id: _syncId, ...rest } = e;
  return deepCopy(rest);
}

/** A sync's executions, oldest first. */
function executionsOf(ctx: RequestContext, syncId: string): StoredExecution[] {
  return [...ctx.state.executions.values()].filter((e) => e.sync_id === syncId);
}

/** The execution of the sync that has not finished, if any (there is at most one). */
function currentExecution(ctx: RequestContext, syncId: string): StoredExecution | undefined {
  return executionsOf(ctx, syncId).find((e) => !isFinalStatus(e.status));
}

/**
 * Starts a run: the execution is `created` at once and runs in the background (sync-run.ts): `running`, one step
 * per batch, `processing`, then `completed` (or `failed`, or `canceled`), each step `executionDelayMs` apart.
 * A second start while one runs is 409 (the reference documents a 409 on start without saying when).
 */
function start(ctx: RequestContext): HandlerResult {
  const sync = getSync(ctx, pathParam(ctx));
  const body = ctx.body === undefined ? {} : bodyObject(ctx);
  const running = currentExecution(ctx, sync.id);
  if (running !== undefined) {
    throw new ApiError(
      409,
      "execution_in_progress",
      `sync ${sync.id} already has an execution in progress (${running.id}, status ${running.status})`,
      { execution_id: running.id, status: running.status },
    );
  }
  const execution = newSyncExecution(
    sync,
    { test: body.test === true, resync: body.resync === true },
    ctx.now(),
  );
  ctx.state.executions.set(execution.id, execution);
  const runner = ctx.settings.executions;
  runner.launch(
    execution.id,
    (control) =>
      runSyncExecution(ctx.state, execution, control, {
        ...runner.settings,
        timeoutMs: runner.settings.deliveryTimeoutMs,
        bucketsDir: ctx.settings.bucketsDir,
        catalog: ctx.settings.catalog,
        changed: () => runner.changed(),
      }),
    (error) => {
      execution.errors.push(`internal error: ${(error as Error)?.message ?? String(error)}`);
      execution.status = "failed";
      execution.completed_at = iso(Date.now());
    },
  );
  return ok({ id: execution.id, status: execution.status, created_at: execution.created_at });
}

/** `current_execution`: the run not finished yet; `last_execution`: the latest finished one. */
function status(ctx: RequestContext): HandlerResult {
  const sync = getSync(ctx, pathParam(ctx));
  const current = currentExecution(ctx, sync.id);
  const last = executionsOf(ctx, sync.id)
    .filter((e) => isFinalStatus(e.status))
    .at(-1);
  return ok({
    current_execution: current === undefined ? null : executionResponse(current),
    last_execution: last === undefined ? null : executionResponse(last),
    next_execution_time: null,
  });
}

/** Asks a run to stop: `canceling` until its next step, then `canceled`. A finished run is left as it is. */
function requestCancel(ctx: RequestContext, execution: StoredExecution): string {
  if (isFinalStatus(execution.status)) return `execution ${execution.id} is already ${execution.status}`;
  if (ctx.settings.executions.cancel(execution.id)) {
    execution.status = "canceling";
  } else {
    execution.status = "canceled";
    execution.completed_at = iso(ctx.now());
  }
  return `canceling execution ${execution.id}`;
}

function cancel(ctx: RequestContext): HandlerResult {
  const sync = getSync(ctx, pathParam(ctx));
  const current = currentExecution(ctx, sync.id);
  return ok({ message: current === undefined ? "no execution in progress" : requestCancel(ctx, current) });
}

function cancelExecution(ctx: RequestContext): HandlerResult {
  return ok({ message: requestCancel(ctx, getExecutionOf(ctx)) });
}

/**
 * Newest first (`ascending=true`: oldest first), `only_completed=true` for finished runs only; pages of 50,
 * `page_token` being an offset.
 */
function listExecutions(ctx: RequestContext): HandlerResult {
  const sync = getSync(ctx, pathParam(ctx));
  let items = executionsOf(ctx, sync.id);
  if (boolQuery(ctx.query, "only_completed")) items = items.filter((e) => isFinalStatus(e.status));
  if (!boolQuery(ctx.query, "ascending")) items = items.reverse();
  const offset = Math.max(0, Number(ctx.query.get("page_token") ?? 0) || 0);
  const page = items.slice(offset, offset + LIST_LIMIT);
  const next = offset + LIST_LIMIT < items.length ? String(offset + LIST_LIMIT) : null;
  return ok(page.map(executionResponse), { pagination: { next_page_token: next } });
}

function getExecutionOf(ctx: RequestContext): StoredExecution {
  const sync = getSync(ctx, pathParam(ctx));
  const executionId = pathParam(ctx, "execution");
  const execution = ctx.state.executions.get(executionId);
  if (execution === undefined || execution.sync_id !== sync.id) throw notFound("execution", executionId);
  return execution;
}

/**
 * Emulator only (Polytomic shows captured requests in its app, not in its API): the webhook requests of a run and
 * their answers, recorded when the sync's target sets `record_requests: true` (an empty list otherwise).
 * Credentials are masked.
 */
function deliveries(ctx: RequestContext): HandlerResult {
  const execution = getExecutionOf(ctx);
  return ok(deepCopy(ctx.state.deliveries.get(execution.id) ?? []));
}

function activate(ctx: RequestContext): HandlerResult {
  const sync = getSync(ctx, pathParam(ctx));
  const body = bodyObject(ctx);
  if (typeof body.active !== "boolean") {
    throw badRequest("active must be a boolean", {
      errors: [{ path: "active", message: "must be a boolean" }],
    });
  }
  sync.active = body.active;
  sync.updated_at = iso(ctx.now());
  return ok({ id: sync.id, active: sync.active });
}

const SCHEDULE_OPTIONS = SCHEDULE_FREQUENCIES.map((frequency) => ({
  frequency,
  label: frequency,
  description: "",
  configuration: {},
}));

function create(ctx: RequestContext): HandlerResult {
  const sync = buildSync(ctx, bodyObject(ctx));
  ctx.state.syncs.set(sync.id, sync);
  return ok(syncResponse(sync));
}

function update(ctx: RequestContext): HandlerResult {
  const previous = getSync(ctx, pathParam(ctx));
  const sync = buildSync(ctx, bodyObject(ctx), previous);
  ctx.state.syncs.set(sync.id, sync);
  return ok(syncResponse(sync));
}

function remove(ctx: RequestContext): HandlerResult {
  deleteSync(ctx.state, getSync(ctx, pathParam(ctx)).id);
  return deleted();
}

/** Model syncs, their schedules and their executions. */
export const routes: RouteTable = [
  ["GET", "/api/syncs", list],
  ["POST", "/api/syncs", create],
  ["GET", "/api/syncs/schedules", () => ok({ schedule_options: SCHEDULE_OPTIONS })],
  ["GET", "/api/syncs/:id", (ctx) => ok(syncResponse(getSync(ctx, pathParam(ctx))))],
  ["PUT", "/api/syncs/:id", update],
  ["DELETE", "/api/syncs/:id", remove],
  ["POST", "/api/syncs/:id/activate", activate],
  ["POST", "/api/syncs/:id/cancel", cancel],
  ["POST", "/api/syncs/:id/executions", start],
  ["GET", "/api/syncs/:id/executions", listExecutions],
  ["GET", "/api/syncs/:id/executions/:execution", (ctx) => ok(executionResponse(getExecutionOf(ctx)))],
  ["POST", "/api/syncs/:id/executions/:execution/cancel", cancelExecution],
  ["GET", "/api/syncs/:id/executions/:execution/requests", deliveries],
  ["GET", "/api/syncs/:id/status", status],
];
