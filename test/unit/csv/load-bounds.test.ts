// Whole-CSV load and `put`'s check on large-ish and broken files: the check streams (it never
// builds the table, and holds one piece plus a record), load reads through byte ranges, and a
// record over the cap, a ragged row deep in the file, or invalid UTF-8 at its end give the
// reader's clear errors without holding the file as text. Sizes are bytes counted, not time.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { importFile } from '../../../electron/engine/import-file.js'
import { pandasCsvSerializer } from '../../../electron/engine/serializers/csv/csv-serializer.js'
import {
  LOAD_PIECE_BYTES,
  checkCsvBytes,
  loadCsvTarget,
  loadStats,
} from '../../../electron/engine/serializers/csv/csv-load.js'
import { MAX_RECORD_BYTES } from '../../../electron/engine/serializers/csv/csv-scan.js'
import { CacheStore } from '../../../electron/engine/store.js'
import { tempDir } from '../../helpers/temp.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

const enc = new TextEncoder()

// ~`bytes` of CSV: an unnamed index, ints, floats, text with quotes, dates, bools, NaN.
function bigCsv(bytes: number): Uint8Array {
  const lines = [',n,x,s,when,ok']
  let size = lines[0]!.length + 1
  for (let i = 0; size < bytes; i++) {
    const line =
      `${i},${i * 7919},${i % 17 === 0 ? 'NaN' : (i / 7).toString()},` +
      `"t ""${i % 100}"", x",2021-0${1 + (i % 9)}-1${i % 10} 06:30:0${i % 10},${i % 2 === 0 ? 'True' : 'False'}`
    lines.push(line)
    size += line.length + 1
  }
  return enc.encode(lines.join('\n') + '\n')
}

function joined(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

afterEach(() => vi.restoreAllMocks())

describe('put of a CSV file', () => {
  it('checks a 30 MB file streaming, holding a piece, never the table', async () => {
    const dir = await tempDir('xp-csvput-')
    const file = path.join(dir, 'big.csv')
    await fs.writeFile(file, bigCsv(30 * 1024 * 1024))
    const data = new Uint8Array(await fs.readFile(file))
    const store = await CacheStore.open(path.join(dir, 'cache'))
    const load = vi.spyOn(pandasCsvSerializer, 'load')
    const artifact = await importFile(store, 'big.csv', file, data, {})
    expect(artifact.serializer).toBe('pandas.csv')
    // Before the streaming check, put loaded the whole table (~15 bytes per CSV byte).
    expect(load).not.toHaveBeenCalled()
    const check = checkCsvBytes(data)
    expect(check.rows).toBeGreaterThan(300_000)
    expect(check.peakHeldBytes).toBeLessThanOrEqual(LOAD_PIECE_BYTES + 1024)
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('refuses a ragged row deep in the file and invalid UTF-8 at its end, as load does', async () => {
    const dir = await tempDir('xp-csvput-')
    const store = await CacheStore.open(path.join(dir, 'cache'))
    const body = bigCsv(6 * 1024 * 1024)
    const ragged = joined(body, enc.encode('1,2,3,4,5,6,7\n'), body.subarray(14))
    const badUtf8 = joined(body, new Uint8Array([0x61, 0xc3, 0x0a]))
    for (const [bytes, message] of [
      [ragged, /expected 6 fields in record \d+, saw 7/],
      [badUtf8, /not valid UTF-8/],
    ] as const) {
      await expect(importFile(store, 'k.csv', 'k.csv', bytes, {})).rejects.toThrow(message)
      expect(() => checkCsvBytes(bytes)).toThrow(message)
      const backend = new MemoryBackend()
      await backend.put('k.csv', bytes)
      await expect(pandasCsvSerializer.load(memoryTarget(backend, 'k.csv'), {})).rejects.toThrow(
        message,
      )
      // Read in pieces by range, never the whole object at once.
      expect(
        backend.gets.every(([, r]) => r && 'length' in r && r.length <= LOAD_PIECE_BYTES),
      ).toBe(true)
    }
    expect(await store.keys()).toEqual([])
  })

  it('refuses a single line longer than the record cap for load and put, reading by range', async () => {
    const line = new Uint8Array(MAX_RECORD_BYTES + 2 * LOAD_PIECE_BYTES).fill(0x61)
    const backend = new MemoryBackend()
    await backend.put('line.csv', line)
    const err = await loadCsvTarget(memoryTarget(backend, 'line.csv'), {}, line.length).catch(
      (e: Error) => e,
    )
    expect(err).toMatchObject({ code: 'LIMIT_EXCEEDED' })
    expect((err as Error).message).toMatch(/line\.csv has a record longer than 64 MB/)
    // Held back at most the cap and a piece: ranges never grew past that.
    const longest = Math.max(
      ...backend.gets.map(([, r]) => (r && 'length' in r ? r.length : Infinity)),
    )
    expect(longest).toBeLessThanOrEqual(MAX_RECORD_BYTES + LOAD_PIECE_BYTES)
    expect(loadStats.fallbacks).toBe(0)
    expect(() => checkCsvBytes(line)).toThrow(/record longer than 64 MB/)
  })
})

describe('load of a CSV artifact', () => {
  it('reads the table through byte ranges of a few MB', async () => {
    const bytes = bigCsv(9 * 1024 * 1024)
    const backend = new MemoryBackend()
    await backend.put('t.csv', bytes)
    const table = await pandasCsvSerializer.load(memoryTarget(backend, 't.csv'), {})
    expect((table as { numRows: number }).numRows).toBe(checkCsvBytes(bytes).rows)
    // One pass over 9 MB in pieces of 4 MB: at least three ranges, none longer than a piece.
    expect(backend.gets.length).toBeGreaterThanOrEqual(3)
    expect(backend.gets.every(([, r]) => r && 'length' in r && r.length <= LOAD_PIECE_BYTES)).toBe(
      true,
    )
  })
})
