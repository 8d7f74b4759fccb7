import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/packed-package";

/**
 * `npm run demo` where no Pulumi CLI is installed (as in CI): it must say so, run the seed program through
 * @pulumi/pulumi's runtime and dynamic-provider server instead, and end by printing the contacts the webhook
 * received, exiting 0. Loopback only: the emulator and the receiver run in the demo's process, and the program
 * folder links the repository's node_modules instead of installing anything.
 */

/** PATH without any folder that holds a `pulumi` executable. */
function pathWithoutPulumi(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, "pulumi")))
    .join(path.delimiter);
}

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "demo.js")], {
      cwd: ROOT,
      // dist/ was built by the test setup (npm pack); rebuilding it here could let other test files read
      // half-written files.
      env: { ...process.env, PATH: pathWithoutPulumi(), POLYTOMIC_DEMO_SKIP_BUILD: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run demo without the Pulumi CLI", () => {
  it("deploys the seed program with its sync run, destroys it, and ends with the contacts the webhook received", async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(
      /^No Pulumi CLI was found on PATH\. The demo runs the same program through @pulumi\/pulumi's own runtime/,
    );
    for (const kind of ["WebhookConnection", "GcsConnection", "Model", "Sync", "SyncExecution"]) {
      expect(stdout).toMatch(new RegExp(`\\+ +${kind} +\\S+ +created`));
      expect(stdout).toMatch(new RegExp(`- +${kind} +\\S+ +deleted`));
    }
    expect(stdout).toContain('syncRunStatus: "completed"');
    expect(stdout).toContain("install the Pulumi CLI (https://www.pulumi.com/docs/install/)");
    expect(stdout).toContain(
      'The webhook received 34 contacts in 1 POST request (event "sync.records"); 1 of 1 carried "Authorization: Bearer <secret>"',
    );
    const tail = stdout.trimEnd().split("\n").slice(-7);
    expect(tail).toEqual([
      "    email_address             first_name  last_name",
      "    ada.lovelace@example.com  Ada         Lovelace",
      "    ben.stone@example.com     Ben         Stone",
      "    cleo.rivera@example.com   Cleo        Rivera",
      "    dev.patel@example.com     Dev         Patel",
      "    elena.moreau@example.com  Elena       Moreau",
      "    … and 29 more",
    ]);
    // Install link before the contacts, and nothing after them.
    expect(stdout.indexOf("https://www.pulumi.com/docs/install/")).toBeLessThan(
      stdout.indexOf("The webhook received"),
    );
  }, 240_000);
});
