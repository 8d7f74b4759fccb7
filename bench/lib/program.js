// A Pulumi-program-like folder for the benchmark: the built package copied under its node_modules the way
// `npm install` lays it out (package.json, dist, data), so the serialized forwarder's
// `require("pulumi-polytomic/provider")` resolves there exactly as in a user's program. Dependencies (undici,
// zod, @pulumi/pulumi) resolve upwards to the repository's node_modules.
const fs = require("node:fs");
const path = require("node:path");
const { ROOT } = require("./provider-server");

function prepareProgramDir() {
  const dir = path.join(ROOT, ".tmp", `bench-${process.pid}`);
  const pkg = path.join(dir, "node_modules", "pulumi-polytomic");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-program", private: true }));
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(pkg, "package.json"));
  for (const folder of ["dist", "data"]) {
    fs.cpSync(path.join(ROOT, folder), path.join(pkg, folder), { recursive: true });
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { prepareProgramDir };
