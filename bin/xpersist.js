#!/usr/bin/env node
// The `xpersist` command: runs the compiled CLI (built into dist/ by `npm install`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = new URL('../dist/electron/cli/main.js', import.meta.url)
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'xpersist: not built yet. Run `npm install` (or `npm run build`) in the checkout first.\n',
  )
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
