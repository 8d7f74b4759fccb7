#!/usr/bin/env node

// Writes a Pulumi program that adopts an existing Polytomic organization. See `polytomic-import --help`.
require("../dist/importer/cli.js").run(process.argv.slice(2));
