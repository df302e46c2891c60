#!/usr/bin/env node
'use strict';
// The `asphalt` command. From a source checkout (lib/ present), it first installs and builds what
// is missing or stale, so `./bin/asphalt.js run samples/hello/config.yaml` works on a fresh clone.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
if (existsSync(join(root, 'lib', 'runner', 'cli', 'main.ts'))) {
  require('node:child_process').execFileSync('bash', [join(root, 'scripts', 'ensure-built.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
require(join(root, 'dist', 'lib', 'runner', 'cli', 'bin.js'));
