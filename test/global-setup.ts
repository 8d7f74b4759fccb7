import { preparePackedProgram, removePackedProgram } from "./helpers/packed-package";

/**
 * Once per test run: build, `npm pack`, and install the tarball with `@pulumi/pulumi` into a program folder in
 * the system temp folder, for the tests that need it; the returned teardown removes the run's temp folder.
 */
export default function setup(): () => void {
  const started = Date.now();
  const { tarball, programDir, installMs } = preparePackedProgram();
  console.log(
    `packed ${tarball} and installed it in ${programDir} in ${Date.now() - started} ms (npm install ${installMs} ms)`,
  );
  return removePackedProgram;
}
