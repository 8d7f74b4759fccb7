/** The package version, read from package.json (the same relative path works from `src/` and from `dist/`). */
export const PACKAGE_VERSION: string = (require("../package.json") as { version: string }).version;
