// `npm start`: opens the explorer on the built-in demo cache. Electron, downloading its binary
// first with Electron's own installer when it is missing (with a time limit); where that
// fails, one line saying why, then browser mode with the URL to open.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'xpersist.js')
const cache =
  process.env.XPERSIST_DEMO_CACHE ?? path.join(os.homedir(), '.cache', 'xpersist', 'demo-cache')

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' })
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

if (!existsSync(path.join(cache, 'xpersist_metadata_store'))) {
  const code = await run(process.execPath, [cli, 'demo', cache])
  if (code !== 0) process.exit(code)
}
const { downloadTimeout, ensureElectronBinary } =
  await import('../dist/electron/main/electron-binary.js')
let electron = { reason: 'XPERSIST_NO_ELECTRON=1' }
if (process.env.XPERSIST_NO_ELECTRON !== '1') {
  const timeout = downloadTimeout(process.env)
  if (timeout.note) console.log(timeout.note)
  electron = await ensureElectronBinary(root, {
    timeoutMs: timeout.ms,
    onDownload: (message) => console.log(message),
  })
}
if (electron.binary) {
  process.exit(
    await run(electron.binary, [path.join(root, 'dist', 'electron', 'main', 'main.js'), cache]),
  )
}
console.log(`No Electron window: ${electron.reason}; starting browser mode instead.`)
process.exit(await run(process.execPath, [cli, 'serve', cache, ...process.argv.slice(2)]))
