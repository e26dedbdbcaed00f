// artifact.rowCount: the count a CSV page preview could not give (rowCount null), counted
// streaming in the task worker, so the explorer's "counting…" resolves.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { call } from '../helpers/ipc-call.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { fixtureCopy } from '../helpers/temp.js'

const ROWS = 30_000

describe('artifact.rowCount', () => {
  it('counts the rows of a CSV whose first page could not say', async () => {
    const location = await fixtureCopy()
    const lines = [',value,label']
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${i / 2},"row\n${i}"`)
    await fs.writeFile(path.join(location, 'big.csv'), lines.join('\n') + '\n')
    const sidecar = { key: 'big.csv', serializer: 'pandas.csv', load_kwargs: {}, dump_kwargs: {} }
    await fs.writeFile(
      path.join(location, 'xpersist_metadata_store', 'big.csv.artifact.json'),
      JSON.stringify({ ...sidecar, additional_metadata: {}, created_at: '2026-12-02T00:00:00' }),
    )
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const { cacheId } = await call(session, 'cache.open', { location, readonly: true })
    const page = await call(session, 'artifact.preview', { cacheId, key: 'big.csv', rows: 100 })
    expect(page).toMatchObject({ kind: 'table', rowCount: null })
    expect(await call(session, 'artifact.rowCount', { cacheId, key: 'big.csv' })).toEqual({
      rowCount: ROWS,
    })
    // The count is kept: a later page knows it.
    const deep = await call(session, 'artifact.preview', {
      cacheId,
      key: 'big.csv',
      offset: 29_950,
    })
    expect(deep).toMatchObject({
      rowCount: ROWS,
      index: { values: expect.arrayContaining([29_950]) },
    })
    const small = await call(session, 'artifact.rowCount', { cacheId, key: 'stations.csv' })
    expect(small).toEqual({ rowCount: 5 })
    const array = await call(session, 'artifact.rowCount', { cacheId, key: 'grid-i4' })
    expect(array).toEqual({ rowCount: null })
  }, 60_000)
})
