import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PolytomicClient } from "../../src/client";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import { bulkExecutionView } from "../../src/providers/bulk-sync-execution-spec";
import { ResourceInitError } from "../../src/providers/errors";
import {
  type ExecutionView,
  splitExecutionId,
  summarizeErrors,
  waitForExecution,
} from "../../src/providers/execution-spec";
import { ObjectProvider } from "../../src/providers/object-provider";
import {
  SYNC_EXECUTION_SPEC,
  type SyncExecutionInputs,
  type SyncExecutionOutputs,
} from "../../src/providers/sync-execution-spec";
import { UNKNOWN } from "../../src/providers/unknown";
import { API_KEY, FAKE_SERVICE_ACCOUNT } from "../helpers/sa";
import { createWebhookPipeline } from "../helpers/webhook-pipeline";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

/**
 * The SyncExecution provider in process, against the emulator running syncs for real (webhook deliveries to a
 * loopback receiver). The gRPC server path is test/grpc/executions.test.ts.
 */

let emulator: RunningEmulator;
let receiver: WebhookReceiver;
let api: PolytomicClient;
let config: { apiKey: string; deploymentUrl: string };
let syncId: string;

/** The seed's pipeline in `em`, its sync delivering to the receiver in batches of 10. */
function seed(em: RunningEmulator): Promise<string> {
  return createWebhookPipeline({
    client: new PolytomicClient({ apiKey: API_KEY, deploymentUrl: em.url }),
    emulator: em,
    serviceAccount: FAKE_SERVICE_ACCOUNT,
    hookUrl: `${receiver.url}/hook`,
    batchSize: 10,
  });
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, executionDelayMs: 10 });
  config = { apiKey: API_KEY, deploymentUrl: emulator.url };
  api = new PolytomicClient(config);
  syncId = await seed(emulator);
});
afterAll(async () => {
  await emulator?.close();
  await receiver?.close();
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.requests.length = 0;
  receiver.setRespond(() => 200);
  receiver.requests.length = 0;
});

const provider = () =>
  new ObjectProvider(SYNC_EXECUTION_SPEC, config) as unknown as ObjectProvider<
    SyncExecutionInputs,
    SyncExecutionOutputs,
    never,
    ExecutionView
  >;
const inputs = (over: Partial<SyncExecutionInputs> = {}): SyncExecutionInputs => ({
  syncId,
  __provider: "forwarder-text",
  ...over,
});
const executions = () => [...emulator.state.executions.values()].filter((e) => e.sync_id === syncId);

describe("check and diff (offline)", () => {
  it("names each broken property", async () => {
    const result = await provider().check(
      {} as never,
      {
        syncId: "",
        triggers: "x",
        timeoutSeconds: 0,
        failOnErrors: "yes",
        bogus: 1,
      } as never,
    );
    expect(result.failures?.map((f) => f.property).sort()).toEqual([
      "bogus",
      "failOnErrors",
      "syncId",
      "timeoutSeconds",
      "triggers",
    ]);
  });

  it("a change of triggers, syncId, resync or test replaces; waitForCompletion, timeoutSeconds and failOnErrors do not", async () => {
    const olds = {
      ...inputs({ triggers: ["a", 1] }),
      executionId: "e",
      status: "completed",
    } as SyncExecutionOutputs;
    const p = provider();
    expect(await p.diff("s/e", olds, inputs({ triggers: ["a", 1] }))).toMatchObject({ changes: false });
    expect(
      await p.diff("s/e", olds, inputs({ triggers: ["a", 1], timeoutSeconds: 5, failOnErrors: false })),
    ).toMatchObject({ changes: false });
    expect(await p.diff("s/e", olds, inputs({ triggers: ["a", 2] }))).toMatchObject({
      changes: true,
      replaces: ["triggers"],
    });
    expect(await p.diff("s/e", olds, inputs())).toMatchObject({ replaces: ["triggers"] });
    expect(await p.diff("s/e", olds, inputs({ triggers: ["a", UNKNOWN] }))).toMatchObject({
      replaces: ["triggers"],
    });
    expect(await p.diff("s/e", olds, inputs({ triggers: ["a", 1], resync: true }))).toMatchObject({
      replaces: ["resync"],
    });
    expect(await p.diff("s/e", olds, { ...inputs({ triggers: ["a", 1] }), syncId: UNKNOWN })).toMatchObject({
      replaces: ["syncId"],
    });
  });
});

describe("create", () => {
  it("starts one run, waits for it, and records what Polytomic reports", async () => {
    const before = executions().length;
    const { id, outs } = await provider().create(inputs({ triggers: ["1"] }));
    const run = executions().at(-1);
    expect(executions()).toHaveLength(before + 1);
    expect(id).toBe(`${syncId}/${run?.id}`);
    expect(outs).toMatchObject({
      syncId,
      triggers: ["1"],
      executionId: run?.id,
      status: "completed",
      counts: { upserts: 34, total: 34, error: 0 },
      errors: [],
      __provider: "forwarder-text",
    });
    expect(Date.parse(outs.completedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(outs.startedAt ?? ""));
    expect(receiver.records()).toHaveLength(34);
    // A start is one POST, sent with an Idempotency-Key.
    const starts = emulator.requests.filter((r) => r.method === "POST" && r.path.endsWith("/executions"));
    expect(starts.at(-1)?.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{8,}$/);
  });

  it("a start whose answer is lost after Polytomic committed it is retried with the same key: one run", async () => {
    emulator.addFault({ method: "POST", path: /\/executions$/, kind: "drop-after-commit", times: 2 });
    const before = executions().length;
    const { outs } = await provider().create(inputs({ resync: true }));
    expect(executions()).toHaveLength(before + 1);
    expect(outs.status).toBe("completed");
    const keys = emulator.requests
      .filter((r) => r.method === "POST" && r.path.endsWith("/executions"))
      .map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it("without waitForCompletion, returns as soon as the run has started", async () => {
    const { outs } = await provider().create(inputs({ waitForCompletion: false }));
    expect(outs.status).toBe("created");
    // Let it end before the next test starts one.
    while (executions().some((e) => !["completed", "failed", "canceled"].includes(e.status))) {
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it("a failed run is kept as created-but-failed, named by its execution id; the update reads it and starts no other", async () => {
    receiver.setRespond(() => 500);
    const error = (await provider()
      .create(inputs({ resync: true }))
      .catch((e) => e)) as ResourceInitError;
    const run = executions().at(-1);
    expect(error).toBeInstanceOf(ResourceInitError);
    expect(error.id).toBe(`${syncId}/${run?.id}`);
    expect(error.message).toContain(`sync execution ${run?.id} of sync ${syncId} ended failed`);
    expect(error.message).toMatch(/answered 500/);
    expect(error.message).toMatch(/change `triggers`/);
    expect(error.properties).toMatchObject({
      status: "failed",
      executionId: run?.id,
      counts: { error: 10 },
      __provider: "forwarder-text",
    });

    const count = executions().length;
    const again = await provider()
      .update(error.id, error.properties as unknown as SyncExecutionOutputs, inputs({ resync: true }))
      .catch((e) => e);
    expect(again).toBeInstanceOf(ResourceInitError);
    expect(executions()).toHaveLength(count);

    const accepted = await provider().update(
      error.id,
      error.properties as unknown as SyncExecutionOutputs,
      inputs({ resync: true, failOnErrors: false }),
    );
    expect(accepted.outs).toMatchObject({ status: "failed", failOnErrors: false });
    expect(executions()).toHaveLength(count);
  });

  it("a run still going at the timeout is kept, and the update resumes the wait", async () => {
    const slow = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, executionDelayMs: 700 });
    try {
      const slowSync = await seed(slow);
      const p = new ObjectProvider(SYNC_EXECUTION_SPEC, { apiKey: API_KEY, deploymentUrl: slow.url });
      const error = (await p
        .create({ syncId: slowSync, timeoutSeconds: 1, __provider: "f" } as never)
        .catch((e) => e)) as ResourceInitError;
      expect(error).toBeInstanceOf(ResourceInitError);
      expect(error.message).toMatch(/is still (created|running) after 1 s/);
      expect(error.message).toMatch(/run `pulumi up` again to resume/);
      const resumed = await p.update(
        error.id,
        error.properties as never,
        {
          syncId: slowSync,
          timeoutSeconds: 60,
          __provider: "f",
        } as never,
      );
      expect((resumed.outs as SyncExecutionOutputs).status).toBe("completed");
      expect(slow.state.executions.size).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it("a second start while a run is going waits for it, then starts", async () => {
    const slow = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, executionDelayMs: 150 });
    try {
      const slowSync = await seed(slow);
      const client = new PolytomicClient({ apiKey: API_KEY, deploymentUrl: slow.url });
      const first = await client.syncs.startExecution(slowSync);
      const p = new ObjectProvider(SYNC_EXECUTION_SPEC, { apiKey: API_KEY, deploymentUrl: slow.url });
      const { outs } = await p.create({ syncId: slowSync, __provider: "f" } as never);
      const firstRun = slow.state.executions.get(first.id);
      expect(firstRun?.status).toBe("completed");
      expect((outs as SyncExecutionOutputs).executionId).not.toBe(first.id);
      expect(Date.parse((outs as SyncExecutionOutputs).startedAt ?? "")).toBeGreaterThanOrEqual(
        Date.parse(firstRun?.completed_at ?? ""),
      );
      // No 409 was needed: the provider saw the running one in the sync's status first.
      expect(slow.requests.filter((r) => r.status === 409)).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

describe("read and delete", () => {
  it("read reports the run as Polytomic holds it; a missing one reads as gone; get works from the id alone", async () => {
    const { id, outs } = await provider().create(inputs({ triggers: ["r"] }));
    const read = await provider().read(id, outs);
    expect(read.props).toMatchObject({ ...outs });
    expect(read.inputs).toMatchObject({ syncId, triggers: ["r"] });
    expect(read.inputs).not.toHaveProperty("status");
    const got = await provider().read(id);
    expect(got.props).toMatchObject({ syncId, executionId: outs.executionId, status: "completed" });
    expect(await provider().read(`${syncId}/00000000-0000-0000-0000-000000000000`)).toEqual({});
  });

  it("delete does nothing to a finished run (one read), and cancels a run still going", async () => {
    const { id, outs } = await provider().create(inputs());
    emulator.requests.length = 0;
    await provider().delete(id, outs);
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/syncs/${syncId}/executions/${outs.executionId}`,
    ]);
    expect(emulator.state.executions.get(outs.executionId)?.status).toBe("completed");

    const slow = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 0, executionDelayMs: 200 });
    try {
      const slowSync = await seed(slow);
      const p = new ObjectProvider(SYNC_EXECUTION_SPEC, { apiKey: API_KEY, deploymentUrl: slow.url });
      const started = await p.create({
        syncId: slowSync,
        waitForCompletion: false,
        __provider: "f",
      } as never);
      await p.delete(started.id, started.outs);
      const run = slow.state.executions.get((started.outs as SyncExecutionOutputs).executionId);
      expect(["canceling", "canceled"]).toContain(run?.status);
      // Deleting what is already gone succeeds.
      await p.delete(`${slowSync}/00000000-0000-0000-0000-000000000000`, started.outs);
    } finally {
      await slow.close();
    }
  });
});

describe("pure parts", () => {
  it("splits ids, shortens errors, and polls with the schema wait's policy", async () => {
    expect(splitExecutionId("s1/e1", "sync execution")).toEqual({ parentId: "s1", executionId: "e1" });
    expect(() => splitExecutionId("e1", "sync execution")).toThrow(/<parent id>\/<execution id>/);
    const long = "x".repeat(400);
    const summary = summarizeErrors([long, ...Array.from({ length: 12 }, (_, i) => `e${i}`)]);
    expect(summary).toHaveLength(11);
    expect(summary[0]).toHaveLength(300);
    expect(summary.at(-1)).toBe("… and 3 more");

    // A 10-minute run, on a virtual clock: the same polls as the schema wait's 10-minute wait.
    let clock = 0;
    const view = (status: string): ExecutionView => ({
      id: "s/e",
      parentId: "s",
      executionId: "e",
      status,
      errors: [],
      hasErrors: false,
      reported: {},
    });
    const result = await waitForExecution(async () => view(clock >= 600_000 ? "completed" : "running"), {
      timeoutMs: 1_800_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    expect(result.done).toBe(true);
    expect(result.polls).toBeLessThanOrEqual(50);
    expect(result.waitedMs - 600_000).toBeLessThanOrEqual(30_000);
    await api.me();
  });
});

describe("bulk runs as the provider sees them", () => {
  it("summarises per-schema statuses, and counts a run that ended with errors as having errors", () => {
    const view = bulkExecutionView("b1", {
      id: "e1",
      status: "errors",
      status_message: "1 of 2 schemas failed",
      record_count: 2,
      error_count: 3,
      schemas: [
        { schema: "Account", status: "completed", record_count: 2, error_count: 0, status_message: "" },
        { schema: "Contact", status: "failed", record_count: 0, error_count: 3, status_message: "disk full" },
      ],
    });
    expect(view).toMatchObject({
      id: "b1/e1",
      status: "errors",
      hasErrors: true,
      errors: ["1 of 2 schemas failed", "Contact: disk full"],
      reported: {
        recordCount: 2,
        errorCount: 3,
        statusMessage: "1 of 2 schemas failed",
        schemaStatuses: [
          { schema: "Account", status: "completed", recordCount: 2, errorCount: 0 },
          { schema: "Contact", status: "failed", recordCount: 0, errorCount: 3, statusMessage: "disk full" },
        ],
      },
    });
    const clean = bulkExecutionView("b1", { id: "e2", status: "completed", record_count: 5, error_count: 0 });
    expect(clean).toMatchObject({ hasErrors: false, errors: [] });
  });
});
