// P6-P8 of `npm run bench` (issue 13 §6): the package against what a user would write by hand, through the real
// dynamic-provider gRPC server and the emulator.
//
// P6 peer comparison: 1, 10 and 200 concurrent webhook-connection Creates, the package's forwarder against a
//    hand-written `fetch` provider (bench/lib/peer-provider.js), same server, same emulator, same latency.
// P7 the seed deployment: the real seed program (seed/index.ts: GCS connection, webhook connection, model, sync)
//    through the provider server by scripts/lib/local-engine.js, in the engine's dependency order; the time
//    beyond the schema-cache wait.
// P8 refresh of 500 resources (500 concurrent Reads, the engine's default parallelism is unbounded).
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, startProviderServer, secretWire } = require("./lib/provider-server");
const { serializedPeer } = require("./lib/peer-provider");
const { median, since, round } = require("./lib/stats");

const { startEmulator } = require(path.join(ROOT, "dist", "emulator"));

// The tests' key and fake service-account key (one module; Node strips its types), as bench/run.js uses them.
const { API_KEY, FAKE_SERVICE_ACCOUNT: SERVICE_ACCOUNT } = require("../test/helpers/fixtures.ts");
/** The latency the emulator adds to every request in P6-P8, for the package and the peer alike. */
const LATENCY_MS = 50;
const urn = (kind, name) => `urn:pulumi:bench::bench::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`;

/** A provider server for the program folder, configured as `pulumi up` would with the stack config. */
async function configuredServer(programDir, emulator) {
  const server = await startProviderServer(programDir, "bench", { POLYTOMIC_API_KEY: "" });
  try {
    await server.configure({
      "polytomic:apiKey": secretWire(API_KEY),
      "polytomic:deploymentUrl": emulator.url,
    });
  } catch (error) {
    server.close();
    throw error;
  }
  return server;
}

/** Runs `n` Creates at once through `server` with `provider` text; the wall time and the failures. */
async function createRound(server, provider, tag, n) {
  const started = process.hrtime.bigint();
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      server.create(urn("WebhookConnection", `${tag}-${i}`), {
        name: `${tag} ${i}`,
        configuration: { url: `https://example.com/${tag}/${i}` },
        __provider: provider,
      }),
    ),
  );
  return { wall: since(started), failed: results.filter((r) => r.status === "rejected") };
}

// ---------------------------------------------------------------------------------------------------------
// P6

async function p6(programDir, providerTexts, figure) {
  const emulator = await startEmulator({
    apiKeys: [API_KEY],
    faults: [{ kind: "latency", latencyMs: LATENCY_MS }],
  });
  const sides = {
    package: { text: providerTexts.WebhookConnection },
    peer: { text: await serializedPeer() },
  };
  try {
    for (const side of Object.values(sides)) side.server = await configuredServer(programDir, emulator);
    // Warm-up: both servers load their provider, JIT their paths and open their connections.
    for (const [name, side] of Object.entries(sides)) {
      for (let i = 0; i < 3; i++) await createRound(side.server, side.text, `warm-${name}-${i}`, 1);
      await createRound(side.server, side.text, `warm-${name}-200`, 200);
    }
    // Rounds alternate between the two sides (and which goes first), so load from other jobs on the shared
    // machine falls on both alike. Each figure is the median over its rounds.
    const levels = [
      { n: 1, rounds: 30 },
      { n: 10, rounds: 15 },
      { n: 200, rounds: 5 },
    ];
    for (const { n, rounds } of levels) {
      const runs = { package: [], peer: [] };
      const cpu = { package: 0, peer: 0 };
      const requests = { package: 0, peer: 0 };
      const failures = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ["package", "peer"] : ["peer", "package"];
        for (const name of order) {
          const side = sides[name];
          emulator.requests.length = 0;
          const cpuBefore = side.server.cpuMs();
          const result = await createRound(side.server, side.text, `${name}-${n}-${r}`, n);
          cpu[name] += side.server.cpuMs() - cpuBefore;
          requests[name] += emulator.requests.length;
          runs[name].push(result.wall);
          failures.push(...result.failed.map((f) => `${name}: ${f.reason?.details ?? f.reason}`));
        }
      }
      const wall = { package: median(runs.package), peer: median(runs.peer) };
      // Each round's package time over the peer's next to it, then the median: slow spells of the shared
      // machine fall on both halves of a pair, so they cancel more than in the ratio of the two medians.
      const ratio = median(runs.package.map((w, i) => w / runs.peer[i]));
      const creates = n * rounds;
      figure(
        "P6",
        `${n} concurrent Create${n === 1 ? "" : "s"}, package / hand-written peer, wall time (median of ${rounds} paired rounds)`,
        `${round(ratio, 2)}x (medians ${round(wall.package, 1)} ms vs ${round(wall.peer, 1)} ms)`,
        "<= 1.2x",
        ratio <= 1.2 && failures.length === 0,
        `provider server CPU per Create: package ${round(cpu.package / creates, 2)} ms, peer ${round(cpu.peer / creates, 2)} ms; ` +
          `HTTP requests per Create: package ${round(requests.package / creates, 2)}, peer ${round(requests.peer / creates, 2)}; ` +
          `${failures.length} failed${failures.length > 0 ? ` (first: ${failures[0]})` : ""}`,
      );
    }
    const transport = fs.readFileSync(
      path.join(programDir, "node_modules", "pulumi-polytomic", "dist", "client", "transport.js"),
      "utf8",
    );
    const pool = /Agent\(\{([^}]*connections[^}]*)\}\)/.exec(transport)?.[1].trim() ?? "not found";
    figure(
      "P6",
      "the package's HTTP connection pool (defaultDispatcher in src/client/transport.ts, as built)",
      `{ ${pool} }`,
      undefined,
      undefined,
      "the peer's fetch uses Node's global dispatcher: no limit on connections per origin",
    );
  } finally {
    for (const side of Object.values(sides)) side.server?.close();
    await emulator.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// P7

/** seed/index.ts compiled into the program folder, as `npm run demo` compiles it. */
function compileSeed(programDir) {
  const ts = require(require.resolve("typescript", { paths: [ROOT] }));
  const source = fs.readFileSync(path.join(ROOT, "seed", "index.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const file = path.join(programDir, "seed", "index.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, outputText);
  return file;
}

async function p7(programDir, _providerTexts, figure) {
  const WAIT_MS = 5_000;
  const RUNS = 3;
  const PROJECT = "polytomic-seed";
  const engine = require(path.join(ROOT, "scripts", "lib", "local-engine.js"));
  const programFile = compileSeed(programDir);
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const emulator = await startEmulator({
      apiKeys: [API_KEY],
      schemaReadyDelayMs: WAIT_MS,
      faults: [{ kind: "latency", latencyMs: LATENCY_MS }],
    });
    // A fresh provider server per run, as every `pulumi up` starts one: its first call loads the package.
    const server = await configuredServer(programDir, emulator);
    try {
      // `pulumi up` of a new stack with the real seed program (scripts/lib/local-engine.js): the program under
      // the real SDK, each resource Checked then Created as soon as its inputs are known, so the two
      // connections at once, the model after the GCS connection, the sync after the model and the webhook.
      const done = {};
      // When the program's first registration reaches the server, and when the server's first Check (which
      // loads the package in the server) returns.
      const firstCheck = {};
      const check = server.check;
      server.check = async (...args) => {
        firstCheck.called ??= Date.now();
        const checked = await check(...args);
        firstCheck.returned ??= Date.now();
        return checked;
      };
      const started = Date.now();
      const result = await engine.up({
        programFile,
        programDir,
        project: PROJECT,
        stack: `bench${run}`,
        config: {
          "polytomic:apiKey": API_KEY,
          "polytomic:deploymentUrl": emulator.url,
          [`${PROJECT}:webhookUrl`]: "https://example.com/polytomic-webhook",
          [`${PROJECT}:gcsBucket`]: "sample",
          [`${PROJECT}:gcsServiceAccount`]: SERVICE_ACCOUNT,
        },
        secretKeys: ["polytomic:apiKey", `${PROJECT}:gcsServiceAccount`],
        server,
        quiet: true,
        onEvent: (event) => {
          done[event.type.split(":").at(-1)] = { at: Date.now(), id: event.id, op: event.op };
        },
      });
      const total = Date.now() - started;
      if (result.error !== undefined) throw result.error;
      const kinds = result.resources.map((r) => r.type.split(":").at(-1)).sort();
      if (kinds.join() !== "GcsConnection,Model,Sync,WebhookConnection")
        throw new Error(`the seed deployed ${kinds.join(", ")}`);
      const cache = emulator.state.connections.get(done.GcsConnection.id).schemaCache;
      const wait = cache.readyAt - cache.startedAt;
      runs.push({
        total,
        wait,
        beyond: total - wait,
        program: firstCheck.called - started,
        load: firstCheck.returned - firstCheck.called,
        post: cache.startedAt - firstCheck.returned,
        lag: done.GcsConnection.at - cache.readyAt,
        after: started + total - done.GcsConnection.at,
        polls: emulator.requests.filter((r) => r.path.endsWith("/schemas/status")).length,
        requests: emulator.requests.length,
      });
    } finally {
      server.close();
      await emulator.close();
    }
  }
  const mid = (f) => round(median(runs.map(f)), 0);
  const allowed = 2000 + 0.1 * WAIT_MS;
  const beyond = median(runs.map((r) => r.beyond));
  figure(
    "P7",
    `seed deployment (real seed program, 4 resources) through the provider server, beyond a ${WAIT_MS / 1000} s schema wait (median of ${RUNS})`,
    `${round(beyond, 0)} ms (total ${mid((r) => r.total)} ms - wait ${mid((r) => r.wait)} ms; runs ${runs.map((r) => round(r.beyond, 0)).join(", ")} ms)`,
    `<= ${round(allowed, 0)} ms (2 s + 10% of the wait)`,
    beyond <= allowed,
    `program start to its first registration ${mid((r) => r.program)} ms; first Check (the server loads the package) ${mid((r) => r.load)} ms; ` +
      `then to the GCS connection created ${mid((r) => r.post)} ms; ` +
      `cache ready -> GCS Create returns ${mid((r) => r.lag)} ms (${mid((r) => r.polls)} status polls); ` +
      `then model, sync and program end ${mid((r) => r.after)} ms; ${mid((r) => r.requests)} HTTP requests; ${LATENCY_MS} ms latency on every request`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// P8

async function p8(programDir, providerTexts, figure) {
  const N = 500;
  const ROUNDS = 5;
  const emulator = await startEmulator({
    apiKeys: [API_KEY],
    faults: [{ kind: "latency", latencyMs: LATENCY_MS }],
  });
  const sides = {
    package: { text: providerTexts.WebhookConnection },
    peer: { text: await serializedPeer() },
  };
  try {
    for (const [name, side] of Object.entries(sides)) {
      side.server = await configuredServer(programDir, emulator);
      // The stack to refresh: 500 webhook connections created through the server, 50 at a time.
      side.resources = [];
      for (let batch = 0; batch < N / 50; batch++) {
        const created = await Promise.all(
          Array.from({ length: 50 }, async (_, j) => {
            const i = batch * 50 + j;
            const inputs = {
              name: `${name} ${i}`,
              configuration: { url: `https://example.com/${name}/${i}` },
              __provider: side.text,
            };
            const u = urn("WebhookConnection", `${name}-${i}`);
            const { id, props } = await side.server.create(u, inputs);
            return { urn: u, id, props, inputs };
          }),
        );
        side.resources.push(...created);
      }
    }
    // `pulumi refresh`: a Read per resource, all at once (the engine's --parallel is unbounded by default).
    const refresh = (side) =>
      Promise.allSettled(side.resources.map((r) => side.server.read(r.urn, r.id, r.props, r.inputs)));
    for (const side of Object.values(sides)) await refresh(side); // warm-up
    const runs = { package: [], peer: [] };
    const cpu = { package: 0, peer: 0 };
    const requests = { package: [], peer: [] };
    const problems = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ["package", "peer"] : ["peer", "package"];
      for (const name of order) {
        const side = sides[name];
        emulator.requests.length = 0;
        const cpuBefore = side.server.cpuMs();
        const started = process.hrtime.bigint();
        const results = await refresh(side);
        runs[name].push(since(started));
        cpu[name] += side.server.cpuMs() - cpuBefore;
        requests[name].push(emulator.requests.length);
        results.forEach((x, i) => {
          if (x.status === "rejected") problems.push(`${name}: ${x.reason?.details ?? x.reason}`);
          else if (x.value.id !== side.resources[i].id)
            problems.push(`${name}: ${side.resources[i].id} read as gone`);
        });
      }
    }
    const wall = { package: median(runs.package), peer: median(runs.peer) };
    const ratio = median(runs.package.map((w, i) => w / runs.peer[i]));
    const perRound = { package: median(requests.package), peer: median(requests.peer) };
    figure(
      "P8",
      `refresh of ${N} resources through the provider server, HTTP requests per refresh`,
      `package ${perRound.package}, peer ${perRound.peer}`,
      `${N} (one GET each)`,
      perRound.package === N,
    );
    figure(
      "P8",
      `refresh of ${N} resources, package / hand-written peer, wall time (median of ${ROUNDS} paired rounds)`,
      `${round(ratio, 2)}x (medians ${round(wall.package, 0)} ms vs ${round(wall.peer, 0)} ms)`,
      "<= 1.2x",
      ratio <= 1.2 && problems.length === 0,
      `provider server CPU per Read: package ${round(cpu.package / (N * ROUNDS), 2)} ms, peer ${round(cpu.peer / (N * ROUNDS), 2)} ms; ` +
        `${LATENCY_MS} ms latency on every request; ${problems.length} failed reads${problems.length > 0 ? ` (first: ${problems[0]})` : ""}`,
    );
  } finally {
    for (const side of Object.values(sides)) side.server?.close();
    await emulator.close();
  }
}

module.exports = { p6, p7, p8 };
