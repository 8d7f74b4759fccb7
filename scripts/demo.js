#!/usr/bin/env node
/**
 * `npm run demo`: deploys the seed program (Pulumi.yaml + seed/) with the real Pulumi CLI against a local
 * Polytomic emulator, shows the stack outputs, and destroys it again. Nothing outside a temporary folder is
 * touched: the package is installed from an `npm pack` tarball (as users install it), Pulumi state lives in a
 * local file backend, and PULUMI_HOME points into the temporary folder so your own `pulumi login` is left alone.
 *
 * Needs the Pulumi CLI on PATH and the npm registry (or npm's cache) for `@pulumi/pulumi`.
 */

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
// The tests' API key and fake service-account key (the emulator derives `client_email` and `project_id` from the
// latter): one module, test/helpers/fixtures.ts, which Node loads as it is (it strips the types).
const { API_KEY, FAKE_SERVICE_ACCOUNT } = require("../test/helpers/fixtures.ts");
const PASSPHRASE = "demo";
const INSTALL_URL = "https://www.pulumi.com/docs/install/";

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
  const { cwd = ROOT, env = process.env, capture = false, hide = [] } = options;
  const shown = args.map((a) => (hide.includes(a) ? "[secret]" : a)).join(" ");
  console.log(`\n$ ${command} ${shown}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
      shell: process.platform === "win32",
    });
    let stdout = "";
    if (capture) child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${shown} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function main() {
  const pulumi = findOnPath("pulumi");
  if (pulumi === undefined) {
    console.error("The demo deploys the seed program with the Pulumi CLI, which is not on PATH.");
    console.error(`Install it (${INSTALL_URL}), then run \`npm run demo\` again.`);
    return 1;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-demo-"));
  let emulator;
  let interrupted = false;
  const cleanup = async () => {
    if (emulator !== undefined) await emulator.close();
    emulator = undefined;
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
    // 1. Build and pack the package, the way it is published.
    await run("npm", ["run", "build"]);
    const packDir = path.join(tmp, "pack");
    fs.mkdirSync(packDir);
    const packed = JSON.parse(
      await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], {
        capture: true,
      }),
    );
    const tarball = path.join(packDir, packed[0].filename);

    // 2. The emulator, in this process, on a free port.
    const { startEmulator } = require(path.join(ROOT, "dist", "emulator"));
    emulator = await startEmulator({ apiKeys: [API_KEY], schemaReadyDelayMs: 2000 });
    console.log(`\nPolytomic emulator listening on ${emulator.url}`);

    // 3. The seed program in its own folder, depending on the tarball.
    const program = path.join(tmp, "program");
    fs.mkdirSync(program);
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(program, "Pulumi.yaml"));
    fs.cpSync(path.join(ROOT, "seed"), path.join(program, "seed"), { recursive: true });
    const pulumiVersion = require(
      path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"),
    ).version;
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

    // 4. Pulumi, isolated in the temporary folder. Without a TypeScript of its own, Pulumi compiles the program
    //    with the TypeScript it vendors; type checking is the repository's job (`npm run typecheck`), so the
    //    demo only transpiles.
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
    await p(["stack", "init", "dev"]);
    await p(["config", "set", "polytomic:deploymentUrl", emulator.url]);
    await p(["config", "set", "--secret", "polytomic:apiKey", API_KEY], { hide: [API_KEY] });
    await p(["config", "set", "gcsBucket", "sample"]);
    await p(["config", "set", "--secret", "gcsServiceAccount", FAKE_SERVICE_ACCOUNT], {
      hide: [FAKE_SERVICE_ACCOUNT],
    });
    await p(["config", "set", "webhookUrl", "https://example.com/polytomic-demo-webhook"]);

    await p(["up", "--yes"]);
    const outputs = await p(["stack", "output", "--json"], { capture: true });
    console.log(outputs);
    await p(["destroy", "--yes"]);
    console.log("\nDemo complete: deployed, read the outputs, destroyed.");
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
