// xcollection stores: the fixture Python's xcollection wrote reads member by member as xarray
// reported it, and a collection written here has the same objects and metadata and opens in
// xcollection.open_collection identical to the original.
import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { InvalidArgumentError } from '../../../electron/engine/errors.js'
import {
  openCollection,
  writeCollection,
} from '../../../electron/engine/dataset/zarr/xcollection.js'
import type { EncodedDataset } from '../../../electron/engine/dataset/model.js'
import { PYTHON, PYTHON_TIMEOUT_MS, skipWithoutPython } from '../../interop/helpers/python.js'
import { FIXTURE_CACHE, FIXTURE_EXPECTED, REPO, listFiles, tempDir } from '../../helpers/temp.js'
import { encodedFrom, plainValues, recording, targetIn } from './zarr-helpers.js'

const KEY = 'sst-collection'
const expected = JSON.parse(await fs.readFile(FIXTURE_EXPECTED, 'utf8')) as {
  artifacts: Record<string, { value: { datasets: Record<string, Record<string, never>> } }>
}
const want = expected.artifacts[KEY]!.value.datasets

describe('openCollection', () => {
  test('members in group_keys() order, each as xarray reported it, from one metadata read', async () => {
    const { target, reads } = recording(await targetIn(FIXTURE_CACHE, KEY))
    const members = await openCollection(target)
    expect([...members.keys()]).toEqual(['anomaly', 'sst'])
    expect([...members.keys()]).toEqual(Object.keys(want))
    expect(reads.filter((p) => p.endsWith('.zmetadata'))).toHaveLength(1)
    expect(reads.filter((p) => !/\.z(metadata|group|attrs|array)$|zarr\.json$/.test(p))).toEqual([])
    for (const [name, ds] of members) {
      const w = want[name] as unknown as {
        dims: Record<string, number>
        attrs: Record<string, unknown>
        coords: string[]
        data_vars: string[]
        variables: Record<
          string,
          { encoding_after_load: Record<string, unknown>; values: unknown[] }
        >
      }
      expect(Object.fromEntries(ds.dims)).toEqual(w.dims)
      expect(Object.fromEntries(ds.attrs)).toEqual(w.attrs)
      expect(ds.variables.map((v) => v.name).sort()).toEqual([...w.coords, ...w.data_vars].sort())
      for (const v of ds.variables) {
        const enc = w.variables[v.name]!.encoding_after_load
        expect([v.encoding.get('chunks'), v.encoding.get('compressor')]).toEqual([
          enc.chunks,
          enc.compressor,
        ])
      }
      const floats = ds.variables.find((v) => v.name === (name === 'sst' ? 'sst' : 'ssta'))!
      expect(plainValues((await floats.array.read()).data as Float32Array)).toEqual(
        (w.variables[floats.name]!.values as unknown[]).flat(3),
      )
    }
  })

  test('a plain dataset store is a collection of no members', async () => {
    expect((await openCollection(await targetIn(FIXTURE_CACHE, 'sst-monthly.zarr'))).size).toBe(0)
  })
})

async function fixtureEncoded(): Promise<Map<string, EncodedDataset>> {
  const members = await openCollection(await targetIn(FIXTURE_CACHE, KEY))
  const out = new Map<string, EncodedDataset>()
  for (const [name, ds] of members) out.set(name, await encodedFrom(ds))
  return out
}

describe('writeCollection', () => {
  test('writes the objects and metadata xcollection wrote', async () => {
    const out = await tempDir('xp-xcoll-')
    await writeCollection(await fixtureEncoded(), await targetIn(out, 'c'))
    const files = await listFiles(path.join(out, 'c'))
    expect(files).toEqual(await listFiles(path.join(FIXTURE_CACHE, KEY)))
    for (const f of files.filter((f) => /(^|\/)\.z/.test(f))) {
      expect(await fs.readFile(path.join(out, 'c', f), 'utf8'), f).toBe(
        await fs.readFile(path.join(FIXTURE_CACHE, KEY, f), 'utf8'),
      )
    }
  })

  test('refuses member names that are no group name', async () => {
    const one = (await fixtureEncoded()).get('sst')!
    for (const bad of ['', 'a/b', '.hidden']) {
      await expect(
        writeCollection(new Map([[bad, one]]), await targetIn(await tempDir('xp-xcoll-'), 'c')),
      ).rejects.toBeInstanceOf(InvalidArgumentError)
    }
  })

  test.skipIf(skipWithoutPython('xcollection write vs Python'))(
    'xcollection.open_collection reads it identical to the original',
    async () => {
      const out = await tempDir('xp-xcoll-')
      await writeCollection(await fixtureEncoded(), await targetIn(out, 'c'))
      const script = path.join(REPO, 'test', 'unit', 'dataset', 'python', 'xcollection_compare.py')
      const { stdout } = await promisify(execFile)(
        PYTHON,
        [script, path.join(FIXTURE_CACHE, KEY), path.join(out, 'c')],
        { timeout: PYTHON_TIMEOUT_MS, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
      )
      expect(JSON.parse(stdout.trim())).toEqual({ ok: true, members: ['anomaly', 'sst'] })
    },
    PYTHON_TIMEOUT_MS,
  )
})
