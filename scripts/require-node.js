#!/usr/bin/env node
// Run first by `npm test`, `npm run demo` and `npm run bench`: on a Node older than package.json `engines.node`,
// stop at once with one line naming the required version and a command that works, instead of letting an
// unrelated crash deep inside a dependency (vitest: `Map.groupBy is not a function`) speak for it.
// No dependencies and plain syntax on purpose: it must run on whatever Node a newcomer has.
// REQUIRE_NODE_PRETEND_VERSION=20.11.0 makes it judge that version instead of its own (for its tests).
const path = require("node:path");

const range = require(path.join(__dirname, "..", "package.json")).engines.node;
const min = /^>=\s*v?(\d+)\.(\d+)\.(\d+)$/.exec(range);
if (min === null) {
  console.error(`scripts/require-node.js: package.json engines.node must read ">=X.Y.Z", not "${range}"`);
  process.exit(2);
}
const current = (process.env.REQUIRE_NODE_PRETEND_VERSION || process.versions.node).replace(/^v/, "");
const have = /^(\d+)\.(\d+)\.(\d+)/.exec(current) || [current, "0", "0", "0"];

function older(a, b) {
  for (let i = 1; i <= 3; i++) {
    if (Number(a[i]) !== Number(b[i])) return Number(a[i]) < Number(b[i]);
  }
  return false;
}

if (older(have, min)) {
  // Rerun the guarded npm script with a Node of the required major that `npx` fetches from the npm registry
  // into its cache (as .ci/run provisions one), leaving the system's Node alone.
  const event = process.env.npm_lifecycle_event;
  const rerun = event === undefined || event === "test" ? "npm test" : `npm run ${event}`;
  const major = min[1];
  console.error(
    `pulumi-polytomic needs Node ${range} (this is Node ${current}): run \`npx -y -p node@${major} ${rerun}\`, ` +
      `or install Node ${major} (e.g. \`nvm install ${major}\`).`,
  );
  process.exit(1);
}
