import { promises as fs } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { call } from '../helpers/ipc-call.js'
import { tempDir } from '../helpers/temp.js'

describe('app.info', () => {
  it('shows no recent local folder that is gone, keeps object-store URLs, and forgets nothing', async () => {
    const dir = await tempDir()
    const here = path.join(dir, 'here')
    const gone = path.join(dir, 'gone')
    await fs.mkdir(here)
    const recentFile = path.join(dir, 'recent.json')
    const entries = [
      { location: gone, readonly: false },
      { location: here, readonly: false },
      { location: pathToFileURL(gone).href, readonly: false },
      { location: pathToFileURL(here).href, readonly: true },
      { location: 's3://bucket/cache', readonly: false },
      { location: 'gs://bucket/cache', readonly: true },
    ]
    await fs.writeFile(recentFile, JSON.stringify(entries))
    const session = new ExplorerSession({ mode: 'browser', initial: null, recentFile })
    const info = await call(session, 'app.info', {})
    expect(info.recent.map((r) => r.location)).toEqual([
      here,
      pathToFileURL(here).href,
      's3://bucket/cache',
      'gs://bucket/cache',
    ])
    // Put offers per pick only what can write it: no Zarr for a file, no CSV for a folder.
    expect(info.writable?.file).toEqual(expect.arrayContaining(['pandas.csv', 'joblib']))
    expect(info.writable?.file).not.toContain('xarray.zarr')
    expect(info.writable?.folder).toEqual(['xarray.zarr', 'xcollection'])
    // The file keeps them: a folder on a disk plugged in again comes back.
    expect(JSON.parse(await fs.readFile(recentFile, 'utf8'))).toHaveLength(entries.length)
    await fs.mkdir(gone)
    expect((await call(session, 'app.info', {})).recent).toHaveLength(entries.length)
  })
})
