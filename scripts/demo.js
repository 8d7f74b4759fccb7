#!/usr/bin/env node
/**
 * `npm run demo`: deploys the seed program (Pulumi.yaml + seed/) against a local Polytomic emulator, with a local
 * webhook receiver as the sync's target and the stack config `runSync: true`, so the deployment also runs the sync
 * (a SyncExecution): the emulator reads the bucket's CSV and POSTs the contacts to the receiver. It shows the
 * resources and outputs, destroys the stack, and prints the contacts the webhook received and how they were
 * authorised.
 *
 * With the Pulumi CLI on PATH it runs `pulumi up` and `pulumi destroy` (state in a local file backend, PULUMI_HOME
 * in a temporary folder, so your own `pulumi login` is left alone). Without it, it runs the same program through
 * `@pulumi/pulumi`'s own runtime and its dynamic-provider server instead (scripts/lib/local-engine.js), which is
 * what `pulumi up` runs under the engine, and then names the CLI's install page.
 *
 * Nothing leaves the machine: the emulator delivers only to loopback addresses, and everything it writes is under
 * a temporary folder that is removed at the end. Without the CLI no network is needed at all; with it, npm
 * installs the program's dependencies (from its cache when it can).
 */

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
// The tests' API key and fake service-account key (the emulator derives `client_email` and `project_id` from the
// latter): one module, test/helpers/fixtures.ts, which Node loads as it is (it strips the types).
const { API_KEY, FAKE_SERVICE_ACCOUNT } = require("../test/helpers/fixtures.ts");
const PASSPHRASE = "demo";
const STACK = "dev";
const INSTALL_URL = "https://www.pulumi.com/docs/install/";
/** Records printed at the end (all of them are counted). */
const SHOWN_RECORDS = 5;

/** The first `pulumi` executable on PATH, or undefined. */
function findOnPath(command) {
  const extensions = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext.toLowerCase());
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Runs a command asynchronously (the emulator answers from this same process, so the event loop must keep
 * running) and resolves with its stdout when `capture` is set. Rejects on a non-zero exit.
 */
function run(command, args, options = {}) {
  const { cwd = ROOT, env = process.env, capture = false, hide = [], quiet = false } = options;
  const shown = args.map((a) => (hide.includes(a) ? "[secret]" : a)).join(" ");
  if (!quiet) console.log(`\n$ ${path.basename(command)} ${shown}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", capture || quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
      shell: process.platform === "win32",
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${shown} failed (${signal ?? `exit code ${code}`})\n${stderr}`));
    });
  });
}

/** The project name in Pulumi.yaml. */
function projectName() {
  const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
  return /^name:\s*(\S+)/m.exec(text)?.[1] ?? "polytomic-seed";
}

/** The seed program's folder: Pulumi.yaml and seed/ copied. */
function programFolder(tmp) {
  const program = path.join(tmp, "program");
  fs.mkdirSync(program);
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(program, "Pulumi.yaml"));
  fs.cpSync(path.join(ROOT, "seed"), path.join(program, "seed"), { recursive: true });
  return program;
}

/** The program's stack settings, as `pulumi config set` would hold them (secrets marked). */
function stackSettings(project, emulatorUrl, webhookUrl) {
  return {
    config: {
      "polytomic:deploymentUrl": emulatorUrl,
      "polytomic:apiKey": API_KEY,
      [`${project}:gcsBucket`]: "sample",
      [`${project}:gcsServiceAccount`]: FAKE_SERVICE_ACCOUNT,
      [`${project}:webhookUrl`]: webhookUrl,
      [`${project}:runSync`]: "true",
    },
    secretKeys: ["polytomic:apiKey", `${project}:gcsServiceAccount`],
  };
}

// ---- With the Pulumi CLI ----

async function deployWithCli(pulumi, tmp, tarball, settings, onDeployed) {
  const program = programFolder(tmp);
  const pulumiVersion = require(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json")).version;
  fs.writeFileSync(
    path.join(program, "package.json"),
    `${JSON.stringify(
      {
        name: "polytomic-seed-demo",
        private: true,
        dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-polytomic": `file:${tarball}` },
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(
    path.join(program, "tsconfig.json"),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: "es2019",
          module: "commonjs",
          moduleResolution: "node",
          esModuleInterop: true,
          strict: true,
          skipLibCheck: true,
        },
        include: ["seed"],
      },
      null,
      2,
    )}\n`,
  );
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: program });

  // Without a TypeScript of its own, Pulumi compiles the program with the TypeScript it vendors; type checking
  // is the repository's job (`npm run typecheck`), so the demo only transpiles.
  const env = {
    ...process.env,
    PULUMI_HOME: path.join(tmp, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  const p = (args, options = {}) => run(pulumi, args, { cwd: program, env, ...options });
  fs.mkdirSync(path.join(tmp, "state"));
  await p(["login", `file://${path.join(tmp, "state")}`]);
  await p(["stack", "init", STACK]);
  for (const [key, value] of Object.entries(settings.config)) {
    const secret = settings.secretKeys.includes(key);
    await p(["config", "set", ...(secret ? ["--secret"] : []), key, value], { hide: secret ? [value] : [] });
  }
  await p(["up", "--yes"]);
  const outputs = JSON.parse(await p(["stack", "output", "--json", "--show-secrets"], { capture: true }));
  console.log(JSON.stringify(outputs, null, 2));
  onDeployed(outputs);
  await p(["destroy", "--yes"]);
  return outputs;
}

// ---- Without it ----

/**
 * The program folder as `npm install` would leave it, without the network: the packed tarball extracted into
 * node_modules/pulumi-polytomic, and its dependencies and `@pulumi/pulumi` linked from this repository's
 * node_modules (where `npm ci` put them). The seed program is transpiled to JavaScript with the repository's
 * TypeScript.
 */
function offlineProgramFolder(tmp, tarball) {
  const program = programFolder(tmp);
  const modules = path.join(program, "node_modules");
  const installed = path.join(modules, "pulumi-polytomic");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
  for (const name of ["@pulumi/pulumi", ...Object.keys(manifest.dependencies ?? {})]) {
    const link = path.join(modules, name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", name), link, "dir");
  }
  const ts = require(require.resolve("typescript", { paths: [ROOT] }));
  const source = fs.readFileSync(path.join(program, "seed", "index.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const programFile = path.join(program, "seed", "index.js");
  fs.writeFileSync(programFile, outputText);
  return { program, programFile };
}

const SYMBOL = { create: "+", update: "~", replace: "+-", same: " ", delete: "-", failed: "x" };
const DONE = {
  create: "created",
  update: "updated",
  replace: "replaced",
  same: "unchanged",
  delete: "deleted",
  failed: "failed",
};

function printEvent(event) {
  const kind = event.type.split(":").at(-1);
  const line = ` ${SYMBOL[event.op].padEnd(3)} ${kind.padEnd(20)} ${event.name.padEnd(20)} ${DONE[event.op]}`;
  console.log(event.op === "failed" ? `${line}: ${event.error}` : `${line}  ${event.id}`);
}

async function deployWithoutCli(tmp, tarball, settings, project, onDeployed) {
  const { startProviderServer, secretWire } = require(path.join(ROOT, "bench", "lib", "provider-server.js"));
  const engine = require(path.join(ROOT, "scripts", "lib", "local-engine.js"));
  const { program, programFile } = offlineProgramFolder(tmp, tarball);
  // The process the engine would start for the program's dynamic resources: its own @pulumi/pulumi's
  // dynamic-provider server, in the program folder, configured with the stack config.
  const server = await startProviderServer(program, project, {
    POLYTOMIC_API_KEY: "",
    POLYTOMIC_DEPLOYMENT_URL: "",
  });
  try {
    await server.configure({
      "polytomic:apiKey": secretWire(API_KEY),
      "polytomic:deploymentUrl": settings.config["polytomic:deploymentUrl"],
    });
    console.log(`\nUpdating (${STACK}), without the Pulumi CLI:\n`);
    const started = Date.now();
    const result = await engine.up({
      programFile,
      programDir: program,
      project,
      stack: STACK,
      config: settings.config,
      secretKeys: settings.secretKeys,
      server,
      onEvent: printEvent,
    });
    if (result.error !== undefined) {
      console.error(`\nThe update failed: ${result.error.message}`);
      await engine.destroy({ server, resources: result.resources, onEvent: printEvent });
      throw result.error;
    }
    console.log("\nOutputs:");
    for (const [key, value] of Object.entries(result.outputs)) {
      if (value !== undefined) console.log(`    ${key}: ${JSON.stringify(value)}`);
    }
    console.log(
      `\nResources:\n    + ${result.resources.length} created\n\nDuration: ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    onDeployed(result.outputs);
    console.log(`\nDestroying (${STACK}), without the Pulumi CLI:\n`);
    await engine.destroy({ server, resources: result.resources, onEvent: printEvent });
    console.log(`\nResources:\n    - ${result.resources.length} deleted`);
    return result.outputs;
  } finally {
    server.close();
  }
}

// ---- What the webhook received ----

/** The records the receiver got, and whether every request carried the connection's authorisation. */
function describeDeliveries(receiver, secret) {
  const expected = secret === undefined ? undefined : `Bearer ${secret}`;
  const requests = receiver.requests.filter((r) => r.body?.event === "sync.records");
  const authorised = requests.filter((r) => expected !== undefined && r.headers.authorization === expected);
  const records = receiver.records();
  const lines = [];
  lines.push(
    `The webhook received ${records.length} contacts in ${requests.length} POST request${requests.length === 1 ? "" : "s"} ` +
      `(event "sync.records"); ${authorised.length} of ${requests.length} carried "Authorization: Bearer <secret>" ` +
      "matching the secret Polytomic generated for the webhook connection (auth method polytomic_secret).",
  );
  const shown = records.slice(0, SHOWN_RECORDS).map((r) => r.fields);
  if (shown.length > 0) {
    const keys = Object.keys(shown[0]);
    const width = (k) => Math.max(k.length, ...shown.map((f) => String(f[k] ?? "").length));
    lines.push("");
    const row = (cells) => `    ${cells.map((c, i) => c.padEnd(width(keys[i]))).join("  ")}`.trimEnd();
    lines.push(row(keys));
    for (const f of shown) lines.push(row(keys.map((k) => String(f[k] ?? ""))));
    if (records.length > shown.length) lines.push(`    … and ${records.length - shown.length} more`);
  }
  return { text: lines.join("\n"), ok: records.length > 0 && authorised.length === requests.length };
}

async function main() {
  const pulumi = findOnPath("pulumi");
  if (pulumi === undefined) {
    console.log(
      "No Pulumi CLI was found on PATH. The demo runs the same program through @pulumi/pulumi's own runtime and its " +
        "dynamic-provider server instead (the process `pulumi up` starts for these resources), showing the same " +
        "resources, outputs and delivered records.",
    );
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-demo-"));
  let emulator;
  let receiver;
  let interrupted = false;
  const cleanup = async () => {
    await emulator?.close();
    emulator = undefined;
    await receiver?.close();
    receiver = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up ${tmp}`);
    cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    // 1. Build and pack the package, the way it is published. (The test suite, which has just built dist/, sets
    //    POLYTOMIC_DEMO_SKIP_BUILD=1 so that tests running beside it never read half-written files.)
    if (process.env.POLYTOMIC_DEMO_SKIP_BUILD !== "1") await run("npm", ["run", "build"]);
    const packDir = path.join(tmp, "pack");
    fs.mkdirSync(packDir);
    const packed = JSON.parse(
      await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], {
        capture: true,
      }),
    );
    const tarball = path.join(packDir, packed[0].filename);

    // 2. The emulator and the webhook receiver, in this process, on free loopback ports.
    const { startEmulator } = require(path.join(ROOT, "dist", "emulator"));
    const { startWebhookReceiver } = require(path.join(ROOT, "scripts", "lib", "webhook-receiver.js"));
    emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 2000, executionDelayMs: 300 });
    receiver = await startWebhookReceiver();
    console.log(`\nPolytomic emulator listening on ${emulator.url}`);
    console.log(`Webhook receiver listening on ${receiver.url}/contacts`);

    // 3. Deploy (the sync runs as part of it), show the outputs, destroy.
    const project = projectName();
    const settings = stackSettings(project, emulator.url, `${receiver.url}/contacts`);
    // The secret Polytomic generated for the webhook connection, read while the stack is up: deliveries must
    // carry it.
    let secret;
    const onDeployed = (outputs) => {
      secret = emulator.state.connections.get(outputs.webhookConnectionId)?.configuration?.secret;
    };
    if (pulumi === undefined) await deployWithoutCli(tmp, tarball, settings, project, onDeployed);
    else await deployWithCli(pulumi, tmp, tarball, settings, onDeployed);

    // 4. What arrived.
    const deliveries = describeDeliveries(receiver, secret);
    if (pulumi === undefined) {
      console.log(
        `\nThat was the program under @pulumi/pulumi's runtime, without the Pulumi CLI. For the real thing, install ` +
          `the Pulumi CLI (${INSTALL_URL}) and run \`npm run demo\` again: it then uses \`pulumi up\` and \`pulumi destroy\`.`,
      );
    }
    if (!deliveries.ok) {
      console.log(`\n${deliveries.text}`);
      throw new Error("the webhook did not receive the contacts as expected");
    }
    console.log("\nDemo complete: deployed the seed program, ran its sync, destroyed the stack.");
    console.log(`\n${deliveries.text}`);
    return 0;
  } catch (error) {
    if (!interrupted)
      console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
