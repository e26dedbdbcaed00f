/**
 * TypeScript writes, Python reads: the engine puts tables and Python values into a temp cache,
 * then python/read_cache.py reads every key with the real xpersist 2021.12.17 (sidecars
 * through pydantic's get_artifact, payloads through pd.read_csv and joblib.load, and
 * CacheStore.get), and a few lines of Python re-encode each sidecar as xpersist writes one.
 * Python's output is parsed with pyJsonParse, so its `1.0` is a PyFloat and an int the engine
 * wrote where a float was meant shows up as a difference.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Table } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import { pyJsonParse } from '../../shared/pyjson-parse.js'
import type { Artifact } from '../../shared/artifact.js'
import { CacheStore } from '../../electron/engine/store.js'
import { shortTypeName } from '../../electron/engine/table/arrow-columns.js'
import { dataColumns } from '../../electron/engine/table/pandas-meta.js'
import { tempDir } from '../helpers/temp.js'
import { differences } from './helpers/compare.js'
import { jsonable, normalise, range, tablePlain, valuePlain } from './helpers/plain.js'
import { HOOK_TIMEOUT_MS, SCRIPTS, runPython, skipWithoutPython } from './helpers/python.js'
import { ENTRIES, type Entry } from './ts-to-python.entries.js'

interface PyRead {
  in: boolean
  artifact: Record<string, unknown> | null
  sidecar_extra_fields: string[]
  value: Record<string, unknown> | null
  error: string | null
  get_error: string | null
  warnings: string[]
}

interface PyReadOutput {
  format: string
  keys: string[]
  missing_key_probe: { key: string; in: boolean }
  results: Record<string, PyRead>
}

// Each sidecar re-encoded as xpersist's put writes it: Artifact.json(indent=2).
const REENCODE = [
  'import json, sys',
  `sys.path.insert(0, ${JSON.stringify(SCRIPTS)})`,
  'import xp',
  'store = xp.CacheStore(sys.argv[1])',
  'keys = json.loads(sys.argv[2])',
  'print(json.dumps({k: store.get_artifact(k).json(indent=2) for k in keys}))',
].join('\n')

// What pd.read_csv makes of each column type the engine writes (dates stay text: no parse_dates).
const PANDAS_DTYPES: Record<string, string> = {
  int64: 'int64',
  float64: 'float64',
  string: 'object',
  bool: 'bool',
  datetime: 'object',
}

const KEYS = ENTRIES.map((e) => e.key)
const CSV_KEYS = ENTRIES.filter((e) => e.readCsv).map((e) => e.key)
const JOBLIB_KEYS = ENTRIES.filter((e) => !e.readCsv).map((e) => e.key)
const entry = (key: string): Entry => ENTRIES.find((e) => e.key === key)!

const SUITE = 'TypeScript writes, Python reads'

describe.skipIf(skipWithoutPython(SUITE))(SUITE, () => {
  let cache = ''
  const written = new Map<string, Artifact>()
  let read: PyReadOutput
  let reencoded: Record<string, string>
  const result = (key: string): PyRead => read.results[key]!

  beforeAll(async () => {
    const dir = await tempDir('xp-interop-ts-')
    cache = path.join(dir, 'cache')
    const store = await CacheStore.open(cache)
    for (const e of ENTRIES) written.set(e.key, await store.put(e.key, e.value, e.options))
    const items = ENTRIES.map((e) => (e.readCsv ? { key: e.key, read_csv: e.readCsv } : e.key))
    const itemsPath = path.join(dir, 'keys.json')
    await fs.writeFile(itemsPath, JSON.stringify(items))
    const [readText, reencodeText] = await Promise.all([
      runPython('read_cache.py', [cache, itemsPath]),
      runPython('-c', [REENCODE, cache, JSON.stringify(KEYS)]),
    ])
    read = pyJsonParse(readText) as unknown as PyReadOutput
    reencoded = JSON.parse(reencodeText) as Record<string, string>
  }, HOOK_TIMEOUT_MS)

  it('reads every key it was asked for', () => {
    expect(read.format).toBe('xpersist-interop-read/1')
    expect(Object.keys(read.results).sort()).toEqual([...KEYS].sort())
    expect(read.missing_key_probe.in).toBe(false)
  })

  it("lists only top-level entries in Python's keys(): a nested key shows as its first folder", () => {
    // Python's keys() is fs.ls of the metadata folder, not a walk: 'tables/mixed.csv' is
    // listed as 'tables', and only once however many keys share the folder. Unsorted.
    const expected = [...new Set(KEYS.map((k) => k.split('/')[0]!))].sort()
    expect([...read.keys].sort()).toEqual(expected)
    expect(read.keys).toContain('tables')
    expect(read.keys).not.toContain('tables/mixed.csv')
  })

  describe.each(KEYS)('%s', (key) => {
    it('is in the store, and pydantic parses its sidecar into the fields we wrote', () => {
      const r = result(key)
      expect(r.in).toBe(true)
      expect(r.error).toBeNull()
      expect(r.sidecar_extra_fields).toEqual([])
      const ours = written.get(key)!
      const { created_at: createdAt, additional_metadata: _meta, ...theirs } = r.artifact!
      expect(theirs).toEqual({
        key: ours.key,
        serializer: ours.serializer,
        load_kwargs: jsonable(ours.load_kwargs, { exact: true }),
        dump_kwargs: jsonable(ours.dump_kwargs, { exact: true }),
      })
      expect(micros(createdAt as string)).toBe(micros(ours.created_at as string))
    })

    const bug = entry(key).knownBug
    const metadataIt = bug ? it.fails : it
    const known = bug ? ` (fails: known engine bug, ${bug})` : ''
    metadataIt(`has the additional_metadata we wrote, through pydantic${known}`, () => {
      const theirs = result(key).artifact!.additional_metadata
      const ours = written.get(key)!.additional_metadata
      expect(theirs).toEqual(jsonable(ours, { exact: true }))
    })

    it('has a sidecar Python re-encodes to the same bytes', async () => {
      const ours = await fs.readFile(
        path.join(cache, 'xpersist_metadata_store', `${key}.artifact.json`),
        'utf8',
      )
      expect(reencoded[key]).toBe(ours)
    })

    it('loads with CacheStore.get', () => {
      expect(result(key).get_error).toBeNull()
    })
  })

  describe.each(CSV_KEYS)('%s', (key) => {
    it('reads back with pd.read_csv as the table we put', () => {
      const r = result(key)
      expect(r.warnings).toEqual([])
      const table = entry(key).value as Table
      const ours = tablePlain(table, { exact: true })
      const wroteIndex = entry(key).options?.dumpKwargs?.index !== false
      // Without an index in the file, pandas numbers the rows itself.
      const expected = wroteIndex
        ? ours
        : { ...ours, index: { name: null, values: range(table.numRows) } }
      const v = r.value as unknown as PandasPlain
      const theirs = {
        columns: v.columns,
        index: { name: v.index.name, values: v.index.values },
        rows: v.rows,
      }
      expect(differences(normalise(theirs), normalise(expected))).toEqual([])
      const types = dataColumns(table).map((f) => PANDAS_DTYPES[shortTypeName(f.type)])
      expect(v.columns.map((c) => v.dtypes[c])).toEqual(types)
    })
  })

  describe.each(JOBLIB_KEYS)('%s', (key) => {
    it('reads back with joblib.load as exactly the value we put', () => {
      const r = result(key)
      expect(r.warnings).toEqual([])
      const expected = valuePlain(entry(key).value, { exact: true })
      expect(differences(normalise(r.value), normalise(expected))).toEqual([])
    })
  })
})

interface PandasPlain {
  columns: string[]
  dtypes: Record<string, string>
  index: { name: unknown; values: unknown[] }
  rows: unknown[][]
}

/** A naive ISO datetime (UTC, as both sides write created_at) in microseconds since 1970. */
function micros(iso: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(iso)
  if (!m) throw new Error(`created_at '${iso}' is not a naive ISO datetime`)
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'))
}
