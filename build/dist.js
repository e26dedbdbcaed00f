// `npm run dist`: packages the explorer with electron-builder (AppImage/deb, dmg, nsis). It
// needs Electron release archives from the internet; where they cannot be had it says so and
// exits 1 at once instead of hanging on a download.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cacheDirs = [
  process.env.ELECTRON_CACHE,
  path.join(process.env.HOME ?? '', '.cache', 'electron'),
].filter(Boolean)
const haveCache = cacheDirs.some((d) => existsSync(d))
if (!haveCache && process.env.XPERSIST_DIST_ONLINE !== '1') {
  console.error(
    'npm run dist: cannot package here: electron-builder downloads the Electron release for each ' +
      'target platform and no Electron download cache exists on this machine (looked in ' +
      `${cacheDirs.join(', ')}). Run it on a machine with internet access, or set ` +
      'XPERSIST_DIST_ONLINE=1 to try anyway.',
  )
  process.exit(1)
}
const r = spawnSync(
  'npx',
  ['electron-builder', '--config', 'build/electron-builder.json', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    timeout: 30 * 60 * 1000,
  },
)
process.exit(r.status ?? 1)
