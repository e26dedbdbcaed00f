// The one-pass load on two threads (csv-load-parallel.ts, csv-load-worker.ts) against the
// single-thread reader: a worker reads the file from the first line end after its middle. The
// worker is a compiled file, so this test loads the built engine in dist/ (vitest's setup
// rebuilds it when stale) and lowers the size from which a worker starts. Files are a few MB
// so the worker's part starts past the first 4 MB piece.
import type { Table } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { readPandasCsvText } from '../../../electron/engine/serializers/csv/read-csv.js'
import { MemoryBackend, memoryTarget } from './memory-backend.js'

type LoadModule = typeof import('../../../electron/engine/serializers/csv/csv-load.js')
type ParallelModule = typeof import('../../../electron/engine/serializers/csv/csv-load-parallel.js')

const dist = '../../../dist/electron/engine/serializers/csv/'
const { loadCsvTarget, loadStats } = (await import(`${dist}csv-load.js`)) as LoadModule
const { parallelLoad } = (await import(`${dist}csv-load-parallel.js`)) as ParallelModule
parallelLoad.minBytes = 0
// CI machines are busy: start the worker whatever the load average says.
parallelLoad.idleCores = -Infinity

const enc = new TextEncoder()

// About `bytes` of rows; `cell(i, half)` writes column a (half: the row is past the middle).
function csv(bytes: number, cell: (i: number, late: boolean) => string): Uint8Array {
  const lines: string[] = ['i,a,s,t,ok']
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const line = `${i},${cell(i, size > bytes / 2)},s${i % 13},2021-01-0${1 + (i % 9)} 06:30:0${i % 10},${i % 3 === 0}`
    lines.push(line)
    size += line.length + 1
  }
  return enc.encode(lines.join('\n') + '\n')
}

// Each column's values, as JSON text (the tables hold a few hundred thousand rows).
function columns(t: Table): unknown {
  return t.schema.fields.map((f) => {
    const v = t.getChild(f.name)!
    const values: unknown[] = []
    for (let i = 0; i < t.numRows; i++) values.push(v.get(i))
    return [
      f.name,
      String(f.type),
      JSON.stringify(values, (_, x) => (typeof x === 'bigint' ? String(x) : x)),
    ]
  })
}

async function both(bytes: Uint8Array): Promise<{ got: unknown; want: unknown }> {
  const backend = new MemoryBackend()
  await backend.put('t.csv', bytes)
  const got = columns(await loadCsvTarget(memoryTarget(backend, 't.csv'), {}, bytes.length))
  return { got, want: columns(readPandasCsvText(bytes, {})) }
}

describe('CSV load on two threads', () => {
  it('reads a plain file as one thread does, the worker reading the second half', async () => {
    const runs = parallelLoad.runs
    const { got, want } = await both(csv(9e6, (i) => `${i / 4}`))
    expect(got).toEqual(want)
    expect(parallelLoad.runs).toBe(runs + 1)
  })

  it('widens the main part to float64 when the worker met a missing integer', async () => {
    const runs = parallelLoad.runs
    const { got, want } = await both(
      csv(9e6, (i, late) => (late && i % 1000 === 0 ? 'NaN' : `${i}`)),
    )
    expect((want as [string, string][])[1]![1]).toBe('Float64')
    expect(got).toEqual(want)
    expect(parallelLoad.runs).toBe(runs + 1)
  })

  it('reads on alone when the line end after the middle is inside a quoted field', async () => {
    const dropped = parallelLoad.dropped
    const half = csv(4.5e6, (i) => `${i}`)
    const tail = csv(4.5e6, (i) => `${i}`).subarray(12)
    const quoted = enc.encode(`9,"${'x\n'.repeat(100_000)}",s,2021-01-01,true\n`)
    const bytes = new Uint8Array(half.length + quoted.length + tail.length)
    bytes.set(half)
    bytes.set(quoted, half.length)
    bytes.set(tail, half.length + quoted.length)
    const mid = Math.floor(bytes.length / 2)
    expect(mid).toBeGreaterThan(half.length)
    expect(mid).toBeLessThan(half.length + quoted.length)
    const { got, want } = await both(bytes)
    expect(got).toEqual(want)
    expect(parallelLoad.dropped).toBe(dropped + 1)
  })

  it('reads the file in two passes when the worker met text in a float column', async () => {
    const twoPass = loadStats.twoPass
    const { got, want } = await both(
      csv(9e6, (i, late) => (late && i % 5000 === 0 ? 'oops' : `${i}.5`)),
    )
    expect((want as [string, string][])[1]![1]).toBe('Utf8')
    expect(got).toEqual(want)
    expect(loadStats.twoPass).toBe(twoPass + 1)
  })
})
