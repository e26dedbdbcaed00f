// A whole-table load joins parquet-wasm's row groups column by column (parquet-ffi-concat.ts):
// validity and boolean bits at row offsets that are not whole bytes, nulls that start only in a
// later row group, string offsets rebased across groups (32- and 64-bit), and groups it cannot
// join (another format, more rows than the footer said) left to hyparquet.
import { Bool, Int64, Utf8, makeVector, type DataType } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { ColumnConcat } from '../../../electron/engine/serializers/parquet/parquet-ffi-concat.js'
import {
  ffiData,
  type FfiColumn,
} from '../../../electron/engine/serializers/parquet/parquet-wasm-ffi.js'

const bytes = (a: ArrayBufferView): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

// The bitmap of `bits` (true: set), LSB first as Arrow stores it.
function bitmap(bits: boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8))
  bits.forEach((b, i) => {
    if (b) out[i >> 3]! |= 1 << (i & 7)
  })
  return out
}

// One row group's int64 column: null where the value is null.
function int64Group(values: (number | null)[]): FfiColumn {
  const nulls = values.filter((v) => v === null).length
  return {
    name: 'x',
    format: 'l',
    length: values.length,
    nullCount: nulls,
    offset: 0,
    buffers: [
      nulls ? bitmap(values.map((v) => v !== null)) : null,
      bytes(BigInt64Array.from(values, (v) => BigInt(v ?? 0))),
    ],
  }
}

// One row group's string column with 32-bit ('u') or 64-bit ('U') offsets.
function textGroup(values: (string | null)[], format: 'u' | 'U'): FfiColumn {
  const enc = values.map((v) => new TextEncoder().encode(v ?? ''))
  const ends = [0]
  for (const e of enc) ends.push(ends.at(-1)! + e.length)
  const data = new Uint8Array(ends.at(-1)!)
  enc.forEach((e, i) => data.set(e, ends[i]!))
  const nulls = values.filter((v) => v === null).length
  return {
    name: 's',
    format,
    length: values.length,
    nullCount: nulls,
    offset: 0,
    buffers: [
      nulls ? bitmap(values.map((v) => v !== null)) : null,
      format === 'u' ? bytes(Int32Array.from(ends)) : bytes(BigInt64Array.from(ends, BigInt)),
      data,
    ],
  }
}

function joined(groups: FfiColumn[], type: DataType): unknown[] | null {
  const total = groups.reduce((n, g) => n + g.length, 0)
  const concat = new ColumnConcat(groups[0]!.name, total)
  for (const g of groups) concat.append(g)
  const whole = concat.finish()
  const data = whole && ffiData(whole, type)
  if (!data) return null
  return [...makeVector(data)].map((v) => (typeof v === 'bigint' ? Number(v) : v))
}

describe('joining row groups of one column', () => {
  it('int64 with nulls only in later groups of 5, 3 and 9 rows (unaligned bits)', () => {
    const groups = [
      [1, 2, 3, 4, 5],
      [6, null, 8],
      [null, 10, 11, 12, 13, 14, 15, null, 17],
    ]
    expect(joined(groups.map(int64Group), new Int64())).toEqual(groups.flat())
  })

  it('no nulls anywhere: no validity bitmap', () => {
    const concat = new ColumnConcat('x', 7)
    concat.append(int64Group([1, 2, 3]))
    concat.append(int64Group([4, 5, 6, 7]))
    const whole = concat.finish()!
    expect(whole.nullCount).toBe(0)
    expect(whole.buffers[0]).toBeNull()
  })

  it('booleans across groups of 3, 8 and 6 rows', () => {
    const groups = [
      [true, false, true],
      [false, true, true, false, false, true, false, true],
      [true, true, false, false, false, true],
    ]
    const cols: FfiColumn[] = groups.map((g) => ({
      name: 'b',
      format: 'b',
      length: g.length,
      nullCount: 0,
      offset: 0,
      buffers: [null, bitmap(g)],
    }))
    expect(joined(cols, new Bool())).toEqual(groups.flat())
  })

  it('strings with 32- and 64-bit offsets, nulls and empty groups of text', () => {
    const a = ['ab', null, 'é', '']
    const b = ['', '']
    const c = ['xyz', 'größer', null]
    expect(joined([textGroup(a, 'u'), textGroup(b, 'u'), textGroup(c, 'u')], new Utf8())).toEqual([
      ...a,
      ...b,
      ...c,
    ])
    expect(joined([textGroup(a, 'U'), textGroup(c, 'U')], new Utf8())).toEqual([...a, ...c])
  })

  it('groups it cannot join leave the column to hyparquet', () => {
    const other = {
      ...int64Group([3, 4]),
      format: 'i',
      buffers: [null, bytes(Int32Array.of(3, 4))],
    }
    expect(joined([int64Group([1, 2]), other], new Int64())).toBeNull()
    // More rows than the footer's total.
    const over = new ColumnConcat('x', 2)
    over.append(int64Group([1, 2, 3]))
    expect(over.finish()).toBeNull()
    // Fewer.
    const under = new ColumnConcat('x', 4)
    under.append(int64Group([1, 2, 3]))
    expect(under.finish()).toBeNull()
    // Nulls claimed without a bitmap.
    const lying = new ColumnConcat('x', 2)
    lying.append({ ...int64Group([1, 2]), nullCount: 1 })
    expect(lying.finish()).toBeNull()
  })
})
