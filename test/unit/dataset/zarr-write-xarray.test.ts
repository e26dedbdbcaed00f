// Stores written by writeZarr open in xarray (xr.open_zarr, consolidated and not) identical to
// the ones Python xpersist wrote: dims, variables, dtypes, attrs, values, chunks, compressor.
import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { openZarr } from '../../../electron/engine/dataset/zarr/open-zarr.js'
import { writeZarr } from '../../../electron/engine/dataset/zarr/write-zarr.js'
import { PYTHON, PYTHON_TIMEOUT_MS, skipWithoutPython } from '../../interop/helpers/python.js'
import { FIXTURE_CACHE, REPO, listFiles, tempDir } from '../../helpers/temp.js'
import { encodedFrom, targetIn } from './zarr-helpers.js'

const COMPARE = path.join(REPO, 'test', 'unit', 'dataset', 'python', 'zarr_compare.py')
const run = promisify(execFile)

async function compare(ref: string, written: string, mode = 'both'): Promise<unknown> {
  const { stdout } = await run(PYTHON, [COMPARE, ref, written, mode], {
    timeout: PYTHON_TIMEOUT_MS,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) as string)
}

const KEYS = [
  'sst-monthly.zarr',
  'sst-monthly-chunked.zarr',
  'sst-monthly-uncompressed.zarr',
  'sst-monthly-unconsolidated.zarr',
  'experiments/run-1/ssta.zarr',
]

describe.skipIf(skipWithoutPython('zarr write vs xarray'))('writeZarr read back by xarray', () => {
  test.each(KEYS)(
    '%s: rewritten from what was read, xarray sees the same dataset',
    async (key) => {
      const src = await openZarr(await targetIn(FIXTURE_CACHE, key))
      const out = await tempDir('xp-zarr-write-')
      await writeZarr(await encodedFrom(src), await targetIn(out, 'w.zarr'))
      const result = await compare(path.join(FIXTURE_CACHE, key), path.join(out, 'w.zarr'))
      expect(result).toMatchObject({ ok: true, consolidated: [true, false] })
    },
    PYTHON_TIMEOUT_MS,
  )

  test(
    'without any encoding, chunks and compressor are zarr 2.13 defaults, as Python wrote them',
    async () => {
      const key = 'sst-monthly.zarr'
      const src = await openZarr(await targetIn(FIXTURE_CACHE, key))
      const enc = await encodedFrom(src)
      for (const v of enc.variables) v.encoding.clear()
      const out = await tempDir('xp-zarr-write-')
      await writeZarr(enc, await targetIn(out, 'w.zarr'))
      expect(await compare(path.join(FIXTURE_CACHE, key), path.join(out, 'w.zarr'))).toMatchObject({
        ok: true,
      })
      // The same objects Python wrote, metadata byte for byte (chunks differ: blosc versions).
      const files = await listFiles(path.join(out, 'w.zarr'))
      expect(files).toEqual(await listFiles(path.join(FIXTURE_CACHE, key)))
      for (const f of files.filter((f) => /(^|\/)\.z/.test(f))) {
        const mine = await fs.readFile(path.join(out, 'w.zarr', f), 'utf8')
        expect(mine, f).toBe(await fs.readFile(path.join(FIXTURE_CACHE, key, f), 'utf8'))
      }
    },
    PYTHON_TIMEOUT_MS,
  )
})
