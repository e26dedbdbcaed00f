// Writes one Parquet file per Arrow type with hyparquet-writer 0.17.0 and parquet-wasm 0.8.0,
// so check_types.py can say which of them pandas 1.5.3 + pyarrow reads back with the right dtype.
// Usage: node bench/parquet-writers/types.mjs <outdir>
import * as A from 'apache-arrow'
import { parquetWriteBuffer } from 'hyparquet-writer'
import * as PW from 'parquet-wasm/node'
import { writeFileSync, mkdirSync } from 'node:fs'
import { gzipSync, brotliCompressSync } from 'node:zlib'

const out = process.argv[2]
mkdirSync(out, { recursive: true })
const v = (values, type) => A.vectorFromArray(values, type)
const dictType = (ordered) => new A.Dictionary(new A.Utf8(), new A.Int8(), 0, ordered)
const dict = (values, ordered) => {
  const cats = ['a', 'b', 'c']
  const data = A.makeData({
    type: dictType(ordered),
    length: values.length,
    nullCount: values.filter((x) => x === null).length,
    nullBitmap: Uint8Array.from([values.reduce((m, x, i) => (x === null ? m : m | (1 << i)), 0)]),
    data: Int8Array.from(values.map((x) => (x === null ? 0 : cats.indexOf(x)))),
    dictionary: v(cats, new A.Utf8()),
  })
  return A.makeVector(data)
}
// name -> [arrow vector, hyparquet-writer column source (or null: no mapping exists)]
const cases = {
  int8: [v([1, -2, 3], new A.Int8()), { data: Int32Array.from([1, -2, 3]), type: 'INT32' }],
  int16: [v([1, -2, 3], new A.Int16()), { data: Int32Array.from([1, -2, 3]), type: 'INT32' }],
  int32: [v([1, -2, 3], new A.Int32()), { data: Int32Array.from([1, -2, 3]), type: 'INT32' }],
  int64: [
    v([1n, -2n, 2n ** 62n], new A.Int64()),
    { data: BigInt64Array.from([1n, -2n, 2n ** 62n]), type: 'INT64' },
  ],
  uint8: [v([1, 2, 255], new A.Uint8()), { data: Int32Array.from([1, 2, 255]), type: 'INT32' }],
  uint64: [v([1n, 2n, 2n ** 63n], new A.Uint64()), null],
  float32: [
    v([1.5, NaN, -2], new A.Float32()),
    { data: Float32Array.from([1.5, NaN, -2]), type: 'FLOAT' },
  ],
  float64: [
    v([1.5, NaN, -2], new A.Float64()),
    { data: Float64Array.from([1.5, NaN, -2]), type: 'DOUBLE' },
  ],
  bool_nulls: [
    v([true, null, false], new A.Bool()),
    { data: [true, null, false], type: 'BOOLEAN' },
  ],
  string: [v(['x', null, 'é'], new A.Utf8()), { data: ['x', null, 'é'], type: 'STRING' }],
  large_string: [
    v(['x', null, 'é'], new A.LargeUtf8()),
    { data: ['x', null, 'é'], type: 'STRING' },
  ],
  date32: [v([new Date(0), null, new Date(86400000 * 365)], new A.DateDay()), null],
  ts_ms: [
    v([0, null, 1.7e12], new A.TimestampMillisecond()),
    { data: [new Date(0), null, new Date(1.7e12)], type: 'TIMESTAMP' },
  ],
  ts_us: [v([0, null, 1.7e15], new A.TimestampMicrosecond()), null],
  ts_ns: [
    A.makeVector(
      A.makeData({
        type: new A.TimestampNanosecond(),
        length: 2,
        nullCount: 0,
        data: BigInt64Array.from([0n, 1700000000123456789n]),
      }),
    ),
    null,
  ],
  ts_ms_tz: [v([0, null, 1.7e12], new A.TimestampMillisecond('Europe/Paris')), null],
  ts_ns_utc: [
    A.makeVector(
      A.makeData({
        type: new A.TimestampNanosecond('UTC'),
        length: 2,
        nullCount: 0,
        data: BigInt64Array.from([0n, 1700000000123456789n]),
      }),
    ),
    null,
  ],
  decimal: [
    A.makeVector(
      A.makeData({
        type: new A.Decimal(2, 10, 128),
        length: 2,
        nullCount: 0,
        data: new Uint32Array([12345, 0, 0, 0, 4294967295, 4294967295, 4294967295, 4294967295]),
      }),
    ),
    null,
  ],
  categorical: [dict(['a', 'c', null], false), null],
  categorical_ordered: [dict(['a', 'c', 'b'], true), null],
  list_int: [v([[1n, 2n], [], null], new A.List(new A.Field('item', new A.Int64(), true))), null],
  struct: [
    v(
      [{ a: 1, b: 'x' }, null, { a: 3, b: null }],
      new A.Struct([new A.Field('a', new A.Int32(), true), new A.Field('b', new A.Utf8(), true)]),
    ),
    null,
  ],
}
const report = {}
for (const [name, [vec, hs]] of Object.entries(cases)) {
  report[name] = {}
  try {
    const t = new A.Table({ [name]: vec })
    const w = PW.Table.fromIPCStream(A.tableToIPC(t, 'stream'))
    const bytes = PW.writeParquet(
      w,
      new PW.WriterPropertiesBuilder().setCompression(PW.Compression.SNAPPY).build(),
    )
    writeFileSync(`${out}/${name}.wasm.parquet`, bytes)
    report[name].wasm = 'written'
  } catch (e) {
    report[name].wasm = `error: ${e.message ?? e}`
  }
  if (!hs) {
    report[name].hyparquet = 'no mapping (needs hand-written conversion + schema)'
    continue
  }
  try {
    const buf = parquetWriteBuffer({ columnData: [{ name, ...hs }] })
    writeFileSync(`${out}/${name}.hyp.parquet`, new Uint8Array(buf))
    report[name].hyparquet = 'written'
  } catch (e) {
    report[name].hyparquet = `error: ${e.message}`
  }
}
// Codecs: one float64 + string table.
const t = new A.Table({
  f: v([1.5, 2.5, 3.5], new A.Float64()),
  s: v(['a', 'b', null], new A.Utf8()),
})
const codecs = {
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  brotli: 'BROTLI',
  zstd: 'ZSTD',
  lz4: 'LZ4_RAW',
  none: 'UNCOMPRESSED',
}
const hypCompressors = { GZIP: (b) => gzipSync(b), BROTLI: (b) => brotliCompressSync(b) }
for (const [c, codec] of Object.entries(codecs)) {
  const key = `codec_${c}`
  report[key] = {}
  try {
    const w = PW.Table.fromIPCStream(A.tableToIPC(t, 'stream'))
    const bytes = PW.writeParquet(
      w,
      new PW.WriterPropertiesBuilder().setCompression(PW.Compression[codec]).build(),
    )
    writeFileSync(`${out}/${key}.wasm.parquet`, bytes)
    report[key].wasm = 'written'
  } catch (e) {
    report[key].wasm = `error: ${e.message ?? e}`
  }
  try {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'f', data: Float64Array.from([1.5, 2.5, 3.5]), type: 'DOUBLE' },
        { name: 's', data: ['a', 'b', null], type: 'STRING' },
      ],
      codec,
      compressors: hypCompressors,
    })
    writeFileSync(`${out}/${key}.hyp.parquet`, new Uint8Array(buf))
    report[key].hyparquet = 'written'
  } catch (e) {
    report[key].hyparquet = `error: ${e.message}`
  }
}
writeFileSync(`${out}/written.json`, JSON.stringify(report, null, 1))
console.log(JSON.stringify(report))
