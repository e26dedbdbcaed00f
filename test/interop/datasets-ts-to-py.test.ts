/**
 * TypeScript writes datasets, Python reads them: the engine puts the datasets of
 * python/dataset-specs.json (built here against model.ts) with every serializer, NetCDF
 * format and encoding that datasets-ts-to-py.entries.ts lists; then python/check_datasets.py
 * (xarray 2023.1, the real xpersist) must find each one `assert_identical` to the same spec
 * built in Python and written by xarray with the same arguments, through a direct open and
 * through `CacheStore.get`, stored as the dump_kwargs asked. Zarr v3 is checked in the zarr 3
 * venv. A control run has Python write the same jobs, to show the checks hold for Python.
 */
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Collection, Dataset } from '../../electron/engine/dataset/model.js'
import { CacheStore } from '../../electron/engine/store.js'
import { REPO, tempDir } from '../helpers/temp.js'
import { JOBS, type DatasetJob } from './datasets-ts-to-py.entries.js'
import { datasetFormOf, formDifferences } from './helpers/dataset-form.js'
import { datasetFromSpec, type DatasetSpec } from './helpers/dataset-spec.js'
import {
  HOOK_TIMEOUT_MS,
  SCRIPTS,
  ZARR3_PYTHON,
  runPython,
  runPythonWith,
  skipWithoutPython,
} from './helpers/python.js'

interface Check {
  identical_error: string | null
  get_error: string | null
  storage: Record<string, unknown> | null
}
interface CheckOutput {
  format: string
  results: Record<string, Check>
}

const SPECS = JSON.parse(
  await fs.readFile(path.join(SCRIPTS, 'dataset-specs.json'), 'utf8'),
) as Record<string, DatasetSpec>
const HAVE_ZARR3 = existsSync(ZARR3_PYTHON)
const V2_JOBS = JOBS.filter((j) => !j.zarr3)
const V3_JOBS = JOBS.filter((j) => j.zarr3)

function specOf(job: DatasetJob): unknown {
  return typeof job.spec === 'string'
    ? SPECS[job.spec]
    : {
        datasets: Object.fromEntries(
          Object.entries(job.spec.datasets).map(([k, s]) => [k, SPECS[s]]),
        ),
      }
}

function valueOf(job: DatasetJob): Dataset | Collection {
  if (typeof job.spec === 'string') return datasetFromSpec(SPECS[job.spec]!)
  const datasets = new Map<string, Dataset>()
  for (const [name, s] of Object.entries(job.spec.datasets)) {
    datasets.set(name, datasetFromSpec(SPECS[s]!))
  }
  return { kind: 'collection', datasets }
}

const pyJob = (job: DatasetJob, cache: string) => ({
  key: job.key,
  path: path.join(cache, job.key),
  spec: specOf(job),
  serializer: job.serializer,
  dump_kwargs: job.dumpKwargs,
})

const SUITE = 'TypeScript writes datasets, Python reads them'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let cache = ''
  let store: CacheStore
  const putErrors = new Map<string, string>()
  let checked: CheckOutput
  let control: CheckOutput
  type V3Check = { results: Record<string, { error: string | null; zarr_format: number | null }> }
  let v3: V3Check
  let v3Control: V3Check
  // A key the engine could not put was not checked: its checks fail saying so.
  const checkOf = (key: string): Check =>
    checked.results[key] ?? {
      identical_error: 'not written',
      get_error: 'not written',
      storage: null,
    }

  beforeAll(async () => {
    const dir = await tempDir('xp-interop-ds-ts-')
    cache = path.join(dir, 'cache')
    store = await CacheStore.open(cache)
    for (const job of JOBS) {
      try {
        await store.put(job.key, valueOf(job), {
          serializer: job.serializer,
          dumpKwargs: job.dumpKwargs,
        })
      } catch (err) {
        putErrors.set(job.key, String(err))
      }
    }
    const jobsPath = path.join(dir, 'jobs.json')
    const written = V2_JOBS.filter((j) => !putErrors.has(j.key))
    await fs.writeFile(jobsPath, JSON.stringify(written.map((j) => pyJob(j, cache))))
    checked = JSON.parse(await runPython('check_datasets.py', [cache, jobsPath])) as CheckOutput
    const controlPath = path.join(dir, 'control-jobs.json')
    const controlCache = path.join(dir, 'control')
    await fs.writeFile(controlPath, JSON.stringify(V2_JOBS.map((j) => pyJob(j, controlCache))))
    control = JSON.parse(
      await runPython('check_datasets.py', ['--control', controlCache, controlPath]),
    ) as CheckOutput
    if (HAVE_ZARR3) {
      const v3Path = path.join(dir, 'v3-jobs.json')
      const v3Written = V3_JOBS.filter((j) => !putErrors.has(j.key))
      await fs.writeFile(v3Path, JSON.stringify(v3Written.map((j) => pyJob(j, cache))))
      v3 = JSON.parse(
        await runPythonWith(ZARR3_PYTHON, 'write_datasets_zarr3.py', ['check', v3Path]),
      ) as V3Check
      const v3ControlPath = path.join(dir, 'v3-control-jobs.json')
      await fs.writeFile(v3ControlPath, JSON.stringify(V3_JOBS.map((j) => pyJob(j, controlCache))))
      v3Control = JSON.parse(
        await runPythonWith(ZARR3_PYTHON, 'write_datasets_zarr3.py', ['control', v3ControlPath]),
      ) as V3Check
    }
  }, HOOK_TIMEOUT_MS)

  describe.each(V2_JOBS.map((j) => [j.key, j] as const))('control: Python puts %s', (key, job) => {
    it('passes the checks this suite applies to our payloads', () => {
      const r = control.results[key]!
      expect(r.identical_error).toBeNull()
      expect(r.get_error).toBeNull()
      if (job.storage) expect(r.storage).toMatchObject(job.storage)
    })
  })

  describe.each(V2_JOBS.map((j) => [j.key, j] as const))('%s', (key, job) => {
    it('puts', () => {
      expect(putErrors.get(key) ?? null).toBeNull()
    })

    it('opens in xarray identical to the same dataset written by xarray', () => {
      expect(checkOf(key).identical_error).toBeNull()
    })

    it("comes back identical from Python xpersist's CacheStore.get", () => {
      expect(checkOf(key).get_error).toBeNull()
    })

    // Only jobs that ask for a storage layout (format, chunks, compressor) have one to check.
    const storage = job.storage
    if (storage) {
      it('is stored as its dump_kwargs asked', () => {
        expect(checkOf(key).storage).toMatchObject(storage)
      })
    }

    it('reads back here as it was put', async () => {
      const got = (await store.get(key)) as Dataset | Collection
      const put = valueOf(job)
      const pairs: [Dataset, Dataset][] =
        got.kind === 'collection' && put.kind === 'collection'
          ? [...put.datasets].map(([n, d]) => [got.datasets.get(n)!, d])
          : [[got as Dataset, put as Dataset]]
      for (const [a, b] of pairs) {
        expect(a, 'member missing').toBeDefined()
        const want = await datasetFormOf(b)
        for (const [name, dtype] of Object.entries(job.readBackDtypes ?? {})) {
          const v = want.coords[name] ?? want.data_vars[name]
          if (v) v.dtype = dtype
        }
        expect(formDifferences(await datasetFormOf(a), want, job.selfTol ?? 1e-6)).toEqual([])
        await a.close()
      }
    })
  })

  if (!HAVE_ZARR3) {
    console.warn(
      `Skipping the Zarr v3 checks of '${SUITE}': ${path.relative(REPO, ZARR3_PYTHON)} is ` +
        `missing (bash test/interop/setup-venv-zarr3.sh builds it).`,
    )
  }
  describe.skipIf(!HAVE_ZARR3).each(V3_JOBS.map((j) => j.key))('%s (zarr v3)', (key) => {
    it('control: zarr-python 3 writing the same passes the check', () => {
      expect(v3Control.results[key]).toEqual({ error: null, zarr_format: 3 })
    })

    it('puts', () => {
      expect(putErrors.get(key) ?? null).toBeNull()
    })

    it('is a v3 store zarr-python 3 opens identical to the spec dataset', () => {
      const r = v3.results[key]
      expect(r?.zarr_format ?? 'not written').toBe(3)
      expect(r?.error ?? null).toBeNull()
    })
  })
})
