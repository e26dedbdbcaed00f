import { execFile, spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CLI, serveUrl } from '../helpers/cli.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'

const run = promisify(execFile)

// A module-resolution hook records every module the CLI process loads.
const HOOK = `
import { register } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs'
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx)
  appendFileSync(process.env.XP_IMPORT_LOG, r.url + '\\\\n')
  return r
}\`))
`

const hooked = (args: string[]) => [
  '--import',
  `data:text/javascript,${encodeURIComponent(HOOK)}`,
  CLI,
  ...args,
]

async function modulesLoaded(args: string[]): Promise<string[]> {
  const log = path.join(await tempDir(), 'imports.log')
  await run(process.execPath, hooked(args), { env: { ...process.env, XP_IMPORT_LOG: log } })
  return (await fs.readFile(log, 'utf8')).split('\n').filter(Boolean)
}

/** The modules `serve` loads up to printing its URL; then it is stopped as Ctrl+C would. */
async function modulesLoadedByServe(cache: string): Promise<string[]> {
  const log = path.join(await tempDir(), 'imports.log')
  const child = spawn(process.execPath, hooked(['serve', cache, '--port', '0']), {
    env: { ...process.env, XP_IMPORT_LOG: log },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  expect((await serveUrl(child)).origin).toMatch(/^http:\/\/127\.0\.0\.1:/)
  child.kill('SIGTERM')
  expect(await exited).toBe(0)
  return (await fs.readFile(log, 'utf8')).split('\n').filter(Boolean)
}

// The IPC layer and the HTTP server: only `serve` has any use for them.
const SERVER_SIDE = /\/electron\/(ipc|server|main)\/|\/shared\/ipc\.js/

describe('the CLI loads only what a command needs', () => {
  it('ls --long, info, doctor and prune load no Arrow, CSV or pickle code', async () => {
    const cache = await fixtureCopy()
    for (const args of [
      ['ls', cache, '--long', '--json'],
      ['info', cache, 'pi'],
      ['doctor', cache],
      ['prune', cache, '--older-than', '1d', '--json'],
    ]) {
      const loaded = await modulesLoaded(args)
      expect(loaded.some((u) => u.includes('/electron/cli/'))).toBe(true)
      expect(
        loaded.filter((u) =>
          /apache-arrow|papaparse|serializers\/(csv|joblib|parquet)\/|hyparquet|hdf5|h5wasm/.test(
            u,
          ),
        ),
      ).toEqual([])
    }
  })
  it('show of a CSV page loads the CSV serializer but not Arrow; a whole table loads Arrow', async () => {
    const cache = await fixtureCopy()
    // A page is formatted from the CSV's cells (csv-page-json.ts), without building a table.
    const page = await modulesLoaded(['show', cache, 'stations.csv'])
    expect(page.some((u) => u.includes('serializers/csv/'))).toBe(true)
    expect(page.some((u) => u.includes('apache-arrow'))).toBe(false)
    const whole = await modulesLoaded(['show', cache, 'stations.csv', '--all'])
    expect(whole.some((u) => u.includes('apache-arrow'))).toBe(true)
  })
  it('only serve loads the IPC layer and the server', async () => {
    const cache = await fixtureCopy()
    const scratch = await tempDir()
    for (const args of [
      ['--help'],
      ['ls', cache, '--long', '--json'],
      ['info', cache, 'pi'],
      ['show', cache, 'pi'],
      ['put', cache, 'copied.csv', path.join(cache, 'stations.csv')],
      ['rm', cache, 'pi'],
      ['doctor', cache],
      ['demo', path.join(scratch, 'demo')],
    ]) {
      const loaded = await modulesLoaded(args)
      expect(
        loaded.some((u) => u.includes('/electron/cli/')),
        args[0],
      ).toBe(true)
      expect(
        loaded.filter((u) => SERVER_SIDE.test(u)),
        args[0],
      ).toEqual([])
    }
    const served = await modulesLoadedByServe(cache)
    expect(served.some((u) => u.includes('/electron/server/http-server.js'))).toBe(true)
    expect(served.some((u) => u.includes('/electron/ipc/router.js'))).toBe(true)
  })
})
