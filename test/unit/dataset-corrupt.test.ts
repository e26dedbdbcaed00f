/**
 * Damaged dataset payloads (test/fixtures/datasets/corrupt-cache, written by xarray through
 * Python xpersist and then damaged by make_corrupt.py beside it): every one must give a clear
 * engine error naming the file, through store.get + read, previewArtifact and the CLI `show`,
 * within the test timeout (never a hang), without allocating what a header merely claims;
 * a missing Zarr chunk reads as the fill value, as Zarr specifies.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../electron/engine/dataset/model.js'
import { XpersistError } from '../../electron/engine/errors.js'
import { previewArtifact } from '../../electron/engine/preview.js'
import { CacheStore } from '../../electron/engine/store.js'
import { runCli } from '../helpers/cli.js'
import { REPO } from '../helpers/temp.js'

const CACHE = path.join(REPO, 'test', 'fixtures', 'datasets', 'corrupt-cache')
const TIMEOUT_MS = 120_000

/** Key -> what its error message must name besides the key (a file inside a Zarr store). */
const BROKEN: Record<string, RegExp | null> = {
  'truncated-nc3.nc': null,
  'truncated-nc3-header.nc': null,
  'nc3-huge-dim.nc': null,
  'truncated-nc4.nc': null,
  'bad-superblock.nc': null,
  'bad-shape.zarr': /sst\/\.zarray/,
  'unknown-codec.zarr': /no-such-codec/,
  'wrong-chunk-size.zarr': /sst\/0\.0\.0/,
  'bad-zarray-json.zarr': /sst\/\.zarray/,
}
// A damaged payload is CORRUPT_PAYLOAD, a claim too big to honour LIMIT_EXCEEDED; an unknown
// codec may also be NOT_SUPPORTED (errors.ts: "a compression codec not built in").
const CODES = ['CORRUPT_PAYLOAD', 'LIMIT_EXCEEDED']
const codesFor = (key: string): string[] =>
  key === 'unknown-codec.zarr' ? [...CODES, 'NOT_SUPPORTED'] : CODES

/** Opens the key and reads every variable whole: the damage must surface somewhere here. */
async function readEverything(store: CacheStore, key: string): Promise<void> {
  const ds = (await store.get(key)) as Dataset
  try {
    for (const v of [...ds.coords.values(), ...ds.dataVars.values()]) await v.read()
  } finally {
    await ds.close()
  }
}

async function failure(p: Promise<unknown>): Promise<XpersistError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err, 'expected an error, got a value').not.toBeNull()
  expect(err, String(err)).toBeInstanceOf(XpersistError)
  return err as XpersistError
}

function checkMessage(err: XpersistError, key: string, names: RegExp | null): void {
  expect(codesFor(key)).toContain(err.code)
  expect(err.message).toContain(key)
  if (names) expect(err.message).toMatch(names)
}

describe('damaged dataset payloads', () => {
  describe.each(Object.entries(BROKEN))('%s', (key, names) => {
    it(
      'store.get and reading every variable fail with an error naming the file',
      async () => {
        const store = await CacheStore.open(CACHE, { readonly: true })
        checkMessage(await failure(readEverything(store, key)), key, names)
      },
      TIMEOUT_MS,
    )

    it(
      'previewArtifact fails the same way',
      async () => {
        const store = await CacheStore.open(CACHE, { readonly: true })
        checkMessage(await failure(previewArtifact(store, key)), key, names)
      },
      TIMEOUT_MS,
    )

    it(
      '`show --json` exits non-zero naming the file, with no stack trace',
      async () => {
        const r = await runCli(['show', CACHE, key, '--json'])
        expect(r.code).not.toBe(0)
        expect(r.stderr).toContain(key)
        if (names) expect(r.stderr).toMatch(names)
        expect(r.stderr).not.toMatch(/\n\s+at /)
      },
      TIMEOUT_MS,
    )
  })

  it(
    'huge-chunk.zarr: the structure opens, but a slice of a 2**40-byte chunk is refused',
    async () => {
      const store = await CacheStore.open(CACHE, { readonly: true })
      const ds = (await store.get('huge-chunk.zarr')) as Dataset
      try {
        expect(ds.dims.get('lat')).toBe(2 ** 19)
        const err = await failure(ds.dataVars.get('sst')!.read([0, { start: 0, stop: 2 }]))
        expect(CODES).toContain(err.code)
        expect(err.message).toMatch(/sst/)
      } finally {
        await ds.close()
      }
      const preview = await previewArtifact(store, 'huge-chunk.zarr')
      expect(preview.kind).toBe('dataset')
    },
    TIMEOUT_MS,
  )

  it(
    'missing-chunk.zarr: the deleted chunk reads as the fill value (NaN), the rest as written',
    async () => {
      const store = await CacheStore.open(CACHE, { readonly: true })
      const ds = (await store.get('missing-chunk.zarr')) as Dataset
      try {
        const sst = await ds.dataVars.get('sst')!.read()
        expect(sst.shape).toEqual([2, 3, 4])
        const values = [...(sst.data as Float32Array)]
        expect(values.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => i / 4))
        expect(values.slice(12).every(Number.isNaN)).toBe(true)
      } finally {
        await ds.close()
      }
    },
    TIMEOUT_MS,
  )

  it(
    'missing-chunk.zarr: `show --json` prints the fill values as null',
    async () => {
      const r = await runCli(['show', CACHE, 'missing-chunk.zarr', '--json'])
      expect(r.code, r.stderr).toBe(0)
      const form = JSON.parse(r.stdout) as { data_vars: { sst: { values: unknown[][][] } } }
      const values = form.data_vars.sst.values
      expect(values[1]!.flat()).toEqual(Array(12).fill(null))
      expect(values[0]![0]).toEqual([0, 0.25, 0.5, 0.75])
    },
    TIMEOUT_MS,
  )
})
