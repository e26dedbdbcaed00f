/**
 * TypeScript writes Parquet, pandas reads it: the engine puts the tables of
 * helpers/table-frames.ts with serializer pandas.parquet and the dump_kwargs that
 * tables-parquet-ts-to-py.entries.ts lists; then python/check_tables_parquet.py (pandas 1.5.3,
 * pyarrow, the real xpersist) must find each one `assert_frame_equal` (dtypes and index) to
 * its pandas twin, read with pd.read_parquet and through `CacheStore.get`, stored with the
 * codecs and row groups asked for. A control run has Python put the same jobs, to show the
 * checks hold for what pandas writes. Each table also loads back here as it was put, and
 * each file pandas wrote in the control run is loaded here and put again (the relay): pandas
 * must still read it back equal. Known gaps are expected to fail, so a fix shows.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Table } from 'apache-arrow'
import { CacheStore } from '../../electron/engine/store.js'
import {
  dataColumns,
  readPandasMetadata,
  withRangeIndex,
} from '../../electron/engine/table/pandas-meta.js'
import { tableToJson } from '../../electron/engine/table/table-json.js'
import { tempDir } from '../helpers/temp.js'
import { JOBS, type TableJob } from './tables-parquet-ts-to-py.entries.js'
import { FRAMES } from './helpers/table-frames.js'
import { HOOK_TIMEOUT_MS, runPython, skipWithoutPython } from './helpers/python.js'

interface Check {
  direct_error: string | null
  get_error: string | null
  storage: { codecs: string[]; row_groups: number[] } | null
}
interface CheckOutput {
  results: Record<string, Check>
}

const pyJob = (job: TableJob) => ({ key: job.key, frame: job.frame, dump_kwargs: job.dumpKwargs })

// Cells and column types of the data columns, bigints as text (JSON cannot hold them).
// Decimals are exact text and lists/structs JSON arrays/objects in table-json's form.
function dataJson(table: Table): unknown {
  const json = tableToJson(table, table.numRows)
  return {
    columns: json.columns,
    rows: json.rows.map((r) => r.map((v) => (typeof v === 'bigint' ? String(v) : v))),
  }
}

const SUITE = 'TypeScript writes Parquet tables, pandas reads them'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let cache = ''
  let store: CacheStore
  const putErrors = new Map<string, string>()
  let checked: CheckOutput
  let control: CheckOutput
  let relay: CheckOutput
  const relayErrors = new Map<string, string>()
  const checkOf = (key: string): Check =>
    checked.results[key] ?? { direct_error: 'not written', get_error: 'not written', storage: null }

  beforeAll(async () => {
    const dir = await tempDir('xp-interop-pq-ts-')
    cache = path.join(dir, 'cache')
    store = await CacheStore.open(cache)
    for (const job of JOBS) {
      try {
        await store.put(job.key, FRAMES[job.frame]!(), {
          serializer: 'pandas.parquet',
          dumpKwargs: job.dumpKwargs,
        })
      } catch (err) {
        putErrors.set(job.key, String(err))
      }
    }
    const jobsPath = path.join(dir, 'jobs.json')
    const written = JOBS.filter((j) => !putErrors.has(j.key))
    await fs.writeFile(jobsPath, JSON.stringify(written.map(pyJob)))
    checked = JSON.parse(
      await runPython('check_tables_parquet.py', [cache, jobsPath]),
    ) as CheckOutput
    const controlPath = path.join(dir, 'control-jobs.json')
    await fs.writeFile(controlPath, JSON.stringify(JOBS.map(pyJob)))
    control = JSON.parse(
      await runPython('check_tables_parquet.py', [
        '--control',
        path.join(dir, 'control'),
        controlPath,
      ]),
    ) as CheckOutput
    // Relay: what pandas wrote, loaded here and put again, must still read back equal.
    const pandasStore = await CacheStore.open(path.join(dir, 'control'))
    const relayStore = await CacheStore.open(path.join(dir, 'relay'))
    for (const job of JOBS) {
      try {
        await relayStore.put(job.key, await pandasStore.get(job.key), {
          serializer: 'pandas.parquet',
          dumpKwargs: job.dumpKwargs,
        })
      } catch (err) {
        relayErrors.set(job.key, String(err))
      }
    }
    const relayPath = path.join(dir, 'relay-jobs.json')
    const relayed = JOBS.filter((j) => !relayErrors.has(j.key))
    await fs.writeFile(relayPath, JSON.stringify(relayed.map(pyJob)))
    relay = JSON.parse(
      await runPython('check_tables_parquet.py', [path.join(dir, 'relay'), relayPath]),
    ) as CheckOutput
  }, HOOK_TIMEOUT_MS)

  describe.each(JOBS.map((j) => [j.key, j] as const))(
    'relay: pandas writes %s, it is loaded here and put again',
    (key, job) => {
      const check = job.relayGap ? it.fails : it
      const gap = job.relayGap ? ` (known gap: ${job.relayGap})` : ''
      check(`reads back equal in pandas${gap}`, () => {
        expect(relayErrors.get(key) ?? null).toBeNull()
        const r = relay.results[key]
        expect(r ? r.direct_error : 'not written').toBeNull()
        expect(r ? r.get_error : 'not written').toBeNull()
      })
    },
  )

  describe.each(JOBS.map((j) => [j.key, j] as const))('control: Python puts %s', (key, job) => {
    it('passes the checks this suite applies to our files', () => {
      const r = control.results[key]!
      expect(r.direct_error).toBeNull()
      expect(r.get_error).toBeNull()
      if (job.storage) expect(r.storage).toMatchObject(job.storage)
    })
  })

  describe.each(JOBS.map((j) => [j.key, j] as const))('%s', (key, job) => {
    it('puts', () => {
      expect(putErrors.get(key) ?? null).toBeNull()
    })

    // A known gap must still fail, so that fixing it shows here.
    const check = job.knownGap ? it.fails : it
    const gap = job.knownGap ? ` (known gap: ${job.knownGap})` : ''

    check(`pd.read_parquet gives the frame pandas would (values, dtypes, index)${gap}`, () => {
      expect(checkOf(key).direct_error).toBeNull()
    })

    check(`comes back equal from Python xpersist's CacheStore.get${gap}`, () => {
      expect(checkOf(key).get_error).toBeNull()
    })

    const storage = job.storage
    if (storage) {
      it('is stored as its dump_kwargs asked (codecs, row groups)', () => {
        expect(checkOf(key).storage).toMatchObject(storage)
      })
    }

    it('loads back here as it was put', async () => {
      const got = (await store.get(key)) as Table
      const put = FRAMES[job.frame]!()
      expect(dataJson(got)).toEqual(dataJson(put))
      const index = job.dumpKwargs.index
      // index=False drops it; index=True makes a RangeIndex a column: compare the rest only.
      if (index === undefined || index === null) {
        // A table without pandas metadata has pandas' default index, 0..n-1.
        const want = readPandasMetadata(put) ? put : withRangeIndex(put)
        expect(tableToJson(got, got.numRows).index).toEqual(tableToJson(want, want.numRows).index)
      } else if (index === false) {
        expect(dataColumns(got).length).toBe(dataColumns(put).length)
      }
    })
  })
})
