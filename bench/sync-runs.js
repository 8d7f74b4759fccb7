// `node bench/sync-runs.js` (after `npm run build`): P9, the cost of waiting for a sync run. A SyncExecution polls
// the run with the schema wait's policy (at once, after 1 s, each wait half as long again, never over 30 s nor over
// 1 s + 10% of the time waited): how many polls a run of a given length costs, and how soon after the run ends
// the resource is created. Exits non-zero only when a measurement crashes.
const path = require("node:path");
const { ROOT } = require("./lib/provider-server");
const { round } = require("./lib/stats");

const dist = (p) => require(path.join(ROOT, "dist", p));
const { startEmulator } = dist("emulator");
const { PolytomicClient } = dist("client");
const { waitForExecution } = dist("providers/execution-spec");
const { providerFor } = dist("providers/entry");
const { startWebhookReceiver } = require("../scripts/lib/webhook-receiver");

// The tests' key, fake service account and pipeline (Node loads these TypeScript files as they are: types only).
const { API_KEY, FAKE_SERVICE_ACCOUNT } = require("../test/helpers/fixtures.ts");
const { createWebhookPipeline } = require("../test/helpers/webhook-pipeline.ts");

function figure(name, value, target, pass, note) {
  const verdict = pass === undefined ? "INFO" : pass ? "PASS" : "FAIL";
  console.log(`  [${verdict}] P9 ${name}: ${value}${target ? `  (target ${target})` : ""}`);
  if (note) console.log(`         ${note}`);
}

/** Polls and lag of a run that ends after `lengthMs`, on a virtual clock, through the real wait code. */
async function simulate(lengthMs, timeoutMs = 1_800_000) {
  let clock = 0;
  const view = (status) => ({
    id: "s/e",
    parentId: "s",
    executionId: "e",
    status,
    errors: [],
    hasErrors: false,
    reported: {},
  });
  const result = await waitForExecution(async () => view(clock >= lengthMs ? "completed" : "running"), {
    timeoutMs,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  return { ...result, lag: result.done ? clock - lengthMs : undefined };
}

/** A real run through the provider against the emulator: `steps` of `stepMs` each. */
async function measured(stepMs, batchSize) {
  const receiver = await startWebhookReceiver();
  const emulator = await startEmulator({
    apiKeys: [API_KEY],
    schemaReadyDelayMs: 0,
    executionDelayMs: stepMs,
  });
  try {
    const syncId = await createWebhookPipeline({
      client: new PolytomicClient({ apiKey: API_KEY, deploymentUrl: emulator.url }),
      emulator,
      serviceAccount: FAKE_SERVICE_ACCOUNT,
      hookUrl: `${receiver.url}/hook`,
      batchSize,
    });
    emulator.requests.length = 0;
    const provider = providerFor("SyncExecution", { apiKey: API_KEY, deploymentUrl: emulator.url });
    const started = Date.now();
    const { outs } = await provider.create({ syncId, __provider: "bench" });
    const returned = Date.now();
    const run = emulator.state.executions.get(outs.executionId);
    const polls = emulator.requests.filter(
      (r) => r.method === "GET" && r.path.endsWith(`/executions/${outs.executionId}`),
    ).length;
    return {
      status: outs.status,
      runMs: Date.parse(run.completed_at) - Date.parse(run.created_at),
      lag: returned - Date.parse(run.completed_at),
      total: returned - started,
      polls,
      records: receiver.records().length,
      requests: emulator.requests.length,
    };
  } finally {
    await emulator.close();
    await receiver.close();
  }
}

async function main() {
  console.log("P9 waiting for a sync run (SyncExecution)");
  const started = Date.now();
  try {
    for (const minutes of [1, 10, 25]) {
      const r = await simulate(minutes * 60_000);
      const allowed = 1000 + 0.1 * minutes * 60_000;
      figure(
        `polls of a ${minutes}-minute run (virtual clock)`,
        `${r.polls} polls, the end noticed ${round(r.lag / 1000, 1)} s later`,
        `lag <= 30 s`,
        r.lag <= 30_000,
        r.lag > allowed ? `(over 1 s + 10% of the wait: the 30 s ceiling)` : undefined,
      );
    }
    const timeout = await simulate(Number.POSITIVE_INFINITY);
    figure("polls until the default 1800 s timeout (virtual clock)", `${timeout.polls} polls`, "", undefined);

    for (const [stepMs, batchSize] of [
      [100, 100],
      [1000, 5],
    ]) {
      const m = await measured(stepMs, batchSize);
      figure(
        `a real run (${stepMs} ms per step, batch_size ${batchSize}: ${Math.ceil(34 / batchSize)} batches)`,
        `${m.status} in ${round(m.runMs / 1000, 1)} s; create returned ${round(m.lag / 1000, 2)} s after the run ended ` +
          `(${round(m.total / 1000, 1)} s in all); ${m.polls} polls, ${m.requests} requests in all; ${m.records} records delivered`,
        "<= 1 s + 10% of the run",
        m.lag <= 1000 + 0.1 * m.runMs,
      );
    }
  } catch (error) {
    console.log(`  [CRASH] ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
  console.log(`  (${round((Date.now() - started) / 1000, 1)} s)`);
}

main();
