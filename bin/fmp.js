#!/usr/bin/env node
// The `fmp` command; the TypeScript sources are in src/cli and are built by `npm install` (prepare).
require('../dist/src/cli/main.js');
