#!/usr/bin/env node
'use strict'
// The CLI is built by `npm run build` (electron-vite) into out/main/cli.js.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  console.error('lus-review: not built yet. Run `npm run build` in ' + join(__dirname, '..') + ' first.')
  process.exit(1)
}
require(cli)
