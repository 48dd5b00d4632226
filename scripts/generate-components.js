#!/usr/bin/env node
// The build's second step, after tsc. Runs componentsjs-generator only when what it reads changed since its last run
// (the declaration files tsc wrote, package.json, package-lock.json (the CSS version), .componentsignore and these
// arguments), then compiles the CSS configuration to JavaScript (src/server/compiledConfig.ts) only when it or the
// components changed. Each takes seconds, and `npm start` builds before serving. `--force` does both anyway.
'use strict';
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const OUTPUT = join(ROOT, 'dist', 'components');
const STAMP = join(OUTPUT, '.inputs.sha256');
const ARGS = [ '-s', 'pod-server', '-c', 'dist/components', '-i', '.componentsignore', '-r', 'fmp' ];
const FILES = [ 'package.json', 'package-lock.json', '.componentsignore' ];

/** Every declaration file below `folder`, sorted, except the generator's own output and the tests'. */
function declarationFiles(folder) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && path !== OUTPUT && path !== join(ROOT, 'dist', 'test')) {
      found.push(...declarationFiles(path));
    } else if (entry.isFile() && entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found.sort();
}

/** One SHA-256 over the inputs' names and bytes. */
function hashOfInputs() {
  const hash = createHash('sha256').update(ARGS.join(' '));
  for (const path of [ ...FILES.map((file) => join(ROOT, file)).filter(existsSync), ...declarationFiles(join(ROOT, 'dist')) ]) {
    hash.update(`\0${relative(ROOT, path)}\0`).update(readFileSync(path));
  }
  return hash.digest('hex');
}

const inputs = hashOfInputs();
const upToDate = !process.argv.includes('--force') && existsSync(join(OUTPUT, 'components.jsonld')) &&
  existsSync(STAMP) && readFileSync(STAMP, 'utf8') === inputs;
if (!upToDate) {
  const generator = require.resolve('componentsjs-generator/bin/componentsjs-generator.js', { paths: [ ROOT ] });
  execFileSync(process.execPath, [ generator, ...ARGS ], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(STAMP, inputs);
}

const { compileConfig, hashOfConfigInputs } = require('../dist/src/server/compiledConfig.js');
const compiledStamp = join(OUTPUT, 'fmp-app.sha256');
if (process.argv.includes('--force') || !existsSync(compiledStamp) || readFileSync(compiledStamp, 'utf8') !== hashOfConfigInputs(ROOT)) {
  compileConfig(ROOT).catch((error) => {
    process.stderr.write(`Could not compile the CSS configuration: ${error.message}\n`);
    process.exitCode = 1;
  });
}
