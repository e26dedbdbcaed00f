import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CLI } from '../helpers/cli.js'
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

async function modulesLoaded(args: string[]): Promise<string[]> {
  const log = path.join(await tempDir(), 'imports.log')
  await run(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`, CLI, ...args],
    {
      env: { ...process.env, XP_IMPORT_LOG: log },
    },
  )
  return (await fs.readFile(log, 'utf8')).split('\n').filter(Boolean)
}

describe('the CLI loads only what a command needs', () => {
  it('ls --long, info and doctor load no Arrow, CSV or pickle code', async () => {
    const cache = await fixtureCopy()
    for (const args of [
      ['ls', cache, '--long', '--json'],
      ['info', cache, 'pi'],
      ['doctor', cache],
    ]) {
      const loaded = await modulesLoaded(args)
      expect(loaded.some((u) => u.includes('/electron/cli/'))).toBe(true)
      expect(
        loaded.filter((u) =>
          /apache-arrow|papaparse|serializers\/(csv|joblib)|parquet|hdf5|h5wasm/.test(u),
        ),
      ).toEqual([])
    }
  })
  it('show of a table loads Arrow and the CSV serializer', async () => {
    const loaded = await modulesLoaded(['show', await fixtureCopy(), 'stations.csv'])
    expect(loaded.some((u) => u.includes('apache-arrow'))).toBe(true)
    expect(loaded.some((u) => u.includes('serializers/csv/'))).toBe(true)
  })
})
