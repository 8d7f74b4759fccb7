/**
 * What the two execution kinds (SyncExecution, BulkSyncExecution) share: a resource that is one run. `create`
 * starts the run (one POST, its `Idempotency-Key` kept across retries, so a start whose answer was lost is not
 * made twice) and, unless told not to, waits for it with the schema wait's polling policy; a run that fails is
 * kept in state as created-but-failed (ResourceInitError), so the next `pulumi up` resumes or reports it instead of
 * starting another. `update` never starts a run: it reads the run (and waits again if it is still going).
 * `delete` cancels a run still going and otherwise leaves Polytomic alone. The resource id is
 * `<parent id>/<execution id>`, so `read` and `get` need nothing else.
 */
import { z } from "zod";
import { isFinalExecutionStatus, UNSUCCESSFUL_EXECUTION_STATUSES } from "../api/executions";
import type { PolytomicClient, RequestOptions } from "../client";
import { PolytomicApiError } from "../client/errors";
import { pollIntervals, type SchemaWaitOptions } from "../client/schema-wait";
import type { AnyKindFields } from "../resources/fields";
import type { CheckFailure } from "./check";
import { type CompareOptions, matchesDesired } from "./compare";
import { ResourceInitError } from "./errors";
import type { ObjectApi, ObjectSpec } from "./object-provider";
import { compact, toPlain } from "./plain";
import { UNKNOWN } from "./unknown";

/** Default `timeoutSeconds`. */
export const DEFAULT_EXECUTION_TIMEOUT_SECONDS = 1800;
/** Errors kept in the `errors` output, each at most {@link MAX_ERROR_LENGTH} characters. */
const MAX_ERRORS = 10;
const MAX_ERROR_LENGTH = 300;

/** The settings every execution kind takes besides its parent and its start options. */
export interface ExecutionSettings {
  /** A run has no name of its own: messages name its id (see `describe`). */
  name?: undefined;
  triggers?: unknown[];
  waitForCompletion?: boolean;
  timeoutSeconds?: number;
  failOnErrors?: boolean;
  __provider?: string;
}

/** The validator fields of {@link ExecutionSettings}. */
export const EXECUTION_SETTINGS_SHAPE = {
  triggers: z.array(z.unknown()).optional(),
  waitForCompletion: z.boolean().optional(),
  timeoutSeconds: z.number().int("must be a whole number of seconds").min(1).optional(),
  failOnErrors: z.boolean().optional(),
  __provider: z.string().optional(),
};

/** One run as the provider sees it, for either kind. */
export interface ExecutionView {
  /** `<parent id>/<execution id>`: the resource id. */
  id: string;
  parentId: string;
  executionId: string;
  status: string;
  startedAt?: string;
  completedAt?: string;
  /** The run's errors as Polytomic reports them. */
  errors: string[];
  /** Whether a completed run still had errors (record errors; the bulk `errors` status). */
  hasErrors: boolean;
  /** The kind's own outputs (`counts`; `recordCount`, `schemaStatuses`, ...). */
  reported: Record<string, unknown>;
}

/** The calls of one kind of execution, each returning the run as an {@link ExecutionView}. */
export interface ExecutionCalls<B> {
  start(parentId: string, body: B, options: RequestOptions): Promise<ExecutionView>;
  get(parentId: string, executionId: string): Promise<ExecutionView>;
  cancel(parentId: string, executionId: string): Promise<unknown>;
  /** The parent's run that has not finished, if any. */
  current(parentId: string): Promise<ExecutionView | undefined>;
}

/** What distinguishes the two execution kinds. */
export interface ExecutionFamily<I extends ExecutionSettings, B> {
  /** "sync execution". */
  readonly noun: string;
  /** "sync", "bulk sync": the parent in messages. */
  readonly parentNoun: string;
  /** The argument naming the parent: `syncId`, `bulkSyncId`. */
  readonly parentKey: keyof I & string;
  readonly fields: AnyKindFields;
  /** The kind's own arguments (the settings are added). */
  readonly shape: z.ZodRawShape;
  readonly crossChecks?: (news: Record<string, unknown>) => CheckFailure[];
  readonly compare?: CompareOptions;
  /** The start request's body. */
  startBody(inputs: I): B;
  calls(client: PolytomicClient): ExecutionCalls<B>;
}

/** What `create` sends: the parent, the body, and how long to wait for a run already going. */
export interface ExecutionStart<B> {
  parentId: string;
  body: B;
  timeoutMs: number;
}

/** `<parent id>/<execution id>` → its two parts. */
export function splitExecutionId(id: string, noun: string): { parentId: string; executionId: string } {
  const slash = id.lastIndexOf("/");
  if (slash <= 0 || slash === id.length - 1) {
    throw new Error(`"${id}" is not a ${noun} id: it is written <parent id>/<execution id>`);
  }
  return { parentId: id.slice(0, slash), executionId: id.slice(slash + 1) };
}

/** The `errors` output: at most 10, each at most 300 characters, and how many more there were. */
export function summarizeErrors(errors: readonly string[]): string[] {
  const kept = errors
    .slice(0, MAX_ERRORS)
    .map((e) => (e.length > MAX_ERROR_LENGTH ? `${e.slice(0, MAX_ERROR_LENGTH - 1)}…` : e));
  if (errors.length > MAX_ERRORS) kept.push(`… and ${errors.length - MAX_ERRORS} more`);
  return kept;
}

/** Settings of {@link waitForExecution}: the schema wait's, with its defaults (1 s, growing by half, at most 30 s). */
export type ExecutionWaitOptions = SchemaWaitOptions;

/**
 * Polls a run until its status is final or the timeout passes, with the schema wait's policy: at once, then
 * after 1 s, each wait half as long again, never over 30 s nor over 1 s + 10% of the time waited.
 */
export async function waitForExecution(
  poll: () => Promise<ExecutionView>,
  options: ExecutionWaitOptions,
): Promise<{ view: ExecutionView; done: boolean; polls: number; waitedMs: number }> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const next = pollIntervals(options);
  const started = now();
  for (let polls = 1; ; polls++) {
    const view = await poll();
    const waitedMs = now() - started;
    if (isFinalExecutionStatus(view.status)) return { view, done: true, polls, waitedMs };
    const remaining = options.timeoutMs - waitedMs;
    if (remaining <= 0) return { view, done: false, polls, waitedMs };
    await sleep(next(waitedMs, remaining));
  }
}

/** The ObjectSpec of an execution kind. */
export function executionSpec<I extends ExecutionSettings, O extends I, B>(
  family: ExecutionFamily<I, B>,
): ObjectSpec<I, O, ExecutionStart<B>, ExecutionView> {
  const parentOf = (values: Partial<I> | undefined) => values?.[family.parentKey] as string | undefined;
  const label = (id: string) => {
    const { parentId, executionId } = splitExecutionId(id, family.noun);
    return `${family.noun} ${executionId} of ${family.parentNoun} ${parentId}`;
  };
  const timeoutMs = (inputs: I) => (inputs.timeoutSeconds ?? DEFAULT_EXECUTION_TIMEOUT_SECONDS) * 1000;

  const outputs = (inputs: I, view: ExecutionView): O =>
    toPlain(
      compact({
        ...inputs,
        [family.parentKey]: view.parentId,
        executionId: view.executionId,
        status: view.status,
        startedAt: view.startedAt,
        completedAt: view.completedAt,
        errors: summarizeErrors(view.errors),
        ...view.reported,
      }),
    ) as unknown as O;

  /** Waits for a run already going on the parent (a second start would be refused with 409). */
  async function awaitRunning(calls: ExecutionCalls<B>, parentId: string, limitMs: number): Promise<void> {
    const running = await calls.current(parentId);
    if (running === undefined) return;
    const waited = await waitForExecution(() => calls.get(parentId, running.executionId), {
      timeoutMs: limitMs,
    });
    if (!waited.done) {
      throw new Error(
        `${family.parentNoun} ${parentId} is already running (${family.noun} ${running.executionId}, status ` +
          `${waited.view.status}) and it did not end within ${Math.round(waited.waitedMs / 1000)} s; wait for it ` +
          "or cancel it in Polytomic, then run `pulumi up` again (or raise timeoutSeconds)",
      );
    }
  }

  /** The outcome of a finished run against `failOnErrors`: why it fails the deployment, if it does. */
  function failure(inputs: I, view: ExecutionView): string | undefined {
    if (inputs.failOnErrors === false) return undefined;
    const status = view.status.toLowerCase();
    const errors = summarizeErrors(view.errors).join("; ");
    if (UNSUCCESSFUL_EXECUTION_STATUSES.includes(status)) {
      return `${label(view.id)} ${status === "canceled" ? "was canceled" : `ended ${status}`}${errors === "" ? "" : `: ${errors}`}`;
    }
    if (view.hasErrors)
      return `${label(view.id)} ended ${status} with errors${errors === "" ? "" : `: ${errors}`}`;
    return undefined;
  }

  return {
    noun: family.noun,
    validator: z.object({ ...family.shape, ...EXECUTION_SETTINGS_SHAPE }).strict(),
    ...(family.crossChecks === undefined ? {} : { crossChecks: family.crossChecks }),
    describe: (values, id) =>
      id?.includes("/")
        ? label(id)
        : `${family.noun}${id === undefined ? "" : ` ${id}`} of ${family.parentNoun} ${parentOf(values) ?? "?"}`,
    request: (inputs) => ({
      parentId: parentOf(inputs) as string,
      body: family.startBody(inputs),
      timeoutMs: timeoutMs(inputs),
    }),
    secrets: () => [],
    outputs,
    readOutputs(previous, view) {
      const settings = compact({
        triggers: previous?.triggers,
        waitForCompletion: previous?.waitForCompletion,
        timeoutSeconds: previous?.timeoutSeconds,
        failOnErrors: previous?.failOnErrors,
        __provider: previous?.__provider,
      });
      const remote = Object.fromEntries(
        family.fields.remote.map((k) => [k, (previous as Record<string, unknown> | undefined)?.[k]]),
      );
      return outputs({ ...remote, ...settings } as I, view);
    },
    inputsOf(outs) {
      const reported = new Set(family.fields.reported);
      return Object.fromEntries(Object.entries(outs).filter(([k]) => !reported.has(k))) as I;
    },
    fields: family.fields,
    compare: family.compare ?? {},
    comparedSeparately: [],
    extraChanges: (olds, news) =>
      news.triggers === (UNKNOWN as unknown) ||
      !matchesDesired((olds as ExecutionSettings).triggers, news.triggers)
        ? ["triggers"]
        : [],
    api(client: PolytomicClient): ObjectApi<ExecutionStart<B>, ExecutionView> {
      const calls = family.calls(client);
      const get = (id: string) => {
        const { parentId, executionId } = splitExecutionId(id, family.noun);
        return calls.get(parentId, executionId);
      };
      return {
        async create(start, options) {
          await awaitRunning(calls, start.parentId, start.timeoutMs);
          try {
            return await calls.start(start.parentId, start.body, options);
          } catch (error) {
            // Another run began between the check and the start: wait for it too, then start once more.
            if (!(error instanceof PolytomicApiError) || error.status !== 409) throw error;
            await awaitRunning(calls, start.parentId, start.timeoutMs);
            return calls.start(start.parentId, start.body, {});
          }
        },
        get,
        /**
         * A run cannot be changed: an update reads it (and `afterWrite` waits again if it is still going). The
         * parent comes from the id, or from the inputs when the id is the execution's alone.
         */
        update: (id, start) => (id.includes("/") ? get(id) : calls.get(start.parentId, id)),
        async delete(id) {
          const view = await get(id);
          if (!isFinalExecutionStatus(view.status)) await calls.cancel(view.parentId, view.executionId);
        },
      };
    },
    async afterWrite(client, view, inputs) {
      if (inputs.waitForCompletion === false) return view;
      const calls = family.calls(client);
      const waited = await waitForExecution(() => calls.get(view.parentId, view.executionId), {
        timeoutMs: timeoutMs(inputs),
      });
      const properties = {
        ...outputs(inputs, waited.view),
        __provider: inputs.__provider,
      } as unknown as Record<string, unknown>;
      if (!waited.done) {
        throw new ResourceInitError(view.id, toPlain(properties), [
          `${label(view.id)} is still ${waited.view.status} after ${Math.round(waited.waitedMs / 1000)} s`,
          "raise timeoutSeconds, or set waitForCompletion: false",
        ]);
      }
      const reason = failure(inputs, waited.view);
      if (reason !== undefined) {
        throw new ResourceInitError(
          view.id,
          toPlain(properties),
          [reason],
          "the run is kept in the stack as it ended, so `pulumi up` starts no other: change `triggers` (or " +
            "`pulumi up --replace` it) to run again, or set failOnErrors: false to accept this outcome",
        );
      }
      return waited.view;
    },
  };
}
