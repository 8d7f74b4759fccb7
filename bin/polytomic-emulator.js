#!/usr/bin/env node

// Starts the local Polytomic emulator (build first: `npm run build`). See `polytomic-emulator --help`.
require("../dist/emulator/cli.js").run(process.argv.slice(2));
