import { preparePackedProgram, removePackedProgram } from "./helpers/packed-package";

/** Once per test run: build, `npm pack`, and install the tarball into `.tmp/program` for the tests that need it. */
export default function setup(): () => void {
  const started = Date.now();
  const { tarball } = preparePackedProgram();
  console.log(`packed and installed ${tarball} in ${Date.now() - started} ms`);
  return removePackedProgram;
}
