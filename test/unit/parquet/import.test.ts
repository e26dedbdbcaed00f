// A .parquet file is put byte for byte, after checking it opens, as a CSV file is.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Table } from 'apache-arrow'
import { importFile } from '../../../electron/engine/import-file.js'
import { CacheStore } from '../../../electron/engine/store.js'
import { FIXTURE_CACHE, tempDir } from '../../helpers/temp.js'

const GAUGES = path.join(FIXTURE_CACHE, 'gauges.parquet')

describe('putting a .parquet file', () => {
  it('stores the bytes as they are under pandas.parquet and reads them back', async () => {
    const root = path.join(await tempDir('xp-parquet-put-'), 'c')
    const store = await CacheStore.open(root)
    const bytes = new Uint8Array(await fs.readFile(GAUGES))
    const artifact = await importFile(store, 'g', 'gauges.parquet', bytes)
    expect(artifact.serializer).toBe('pandas.parquet')
    expect(new Uint8Array(await fs.readFile(path.join(root, 'g')))).toEqual(bytes)
    expect(((await store.get('g')) as Table).numRows).toBe(5)
  })

  it('refuses a file that is not Parquet, and dump kwargs it did not apply', async () => {
    const store = await CacheStore.open(path.join(await tempDir('xp-parquet-put-'), 'c'))
    const text = new TextEncoder().encode('a,b\n1,2\n3,4\n5,6\n')
    await expect(importFile(store, 'x', 'x.parquet', text)).rejects.toThrow(
      /not something pandas\.parquet can read .*Parquet magic/,
    )
    const bytes = new Uint8Array(await fs.readFile(GAUGES))
    await expect(
      importFile(store, 'y', 'g.parquet', bytes, { dumpKwargs: { compression: 'zstd' } }),
    ).rejects.toThrow(/pandas\.parquet does not support dump kwarg 'compression'/)
    expect(await store.keys()).toEqual([])
  })
})
