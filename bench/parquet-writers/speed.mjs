// Time and peak RSS to write 1 M rows x 10 columns (4 float64, 3 int64, 2 utf8, 1 bool) with one
// writer per process, so peaks do not mix.  Usage: node speed.mjs wasm|hyp [snappy|zstd]
import * as A from 'apache-arrow'

const which = process.argv[2]
const codec = (process.argv[3] ?? 'snappy').toUpperCase()
const n = 1_000_000
const cols = {}
for (let c = 0; c < 4; c++)
  cols[`f${c}`] = A.makeVector(Float64Array.from({ length: n }, (_, i) => Math.sin(i + c)))
for (let c = 0; c < 3; c++)
  cols[`i${c}`] = A.makeVector(BigInt64Array.from({ length: n }, (_, i) => BigInt(i * (c + 1))))
for (let c = 0; c < 2; c++)
  cols[`s${c}`] = A.vectorFromArray(
    Array.from({ length: n }, (_, i) => `row-${i % 5000}-${c}`),
    new A.Utf8(),
  )
cols.b = A.vectorFromArray(
  Array.from({ length: n }, (_, i) => i % 3 === 0),
  new A.Bool(),
)
const table = new A.Table(cols)
global.gc?.()
const base = process.memoryUsage().rss
let peak = base
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 5)
const t0 = performance.now()
let bytes
let loadMs = 0
if (which === 'none') {
  bytes = new Uint8Array(0)
} else if (which === 'wasm') {
  const l0 = performance.now()
  const PW = await import('parquet-wasm/node')
  loadMs = performance.now() - l0
  const w = PW.Table.fromIPCStream(A.tableToIPC(table, 'stream'))
  peak = Math.max(peak, process.memoryUsage().rss)
  bytes = PW.writeParquet(
    w,
    new PW.WriterPropertiesBuilder()
      .setCompression(PW.Compression[codec])
      .setMaxRowGroupSize(1_000_000)
      .build(),
  )
} else {
  const l0 = performance.now()
  const { parquetWriteBuffer } = await import('hyparquet-writer')
  loadMs = performance.now() - l0
  const columnData = table.schema.fields.map((f) => {
    const vec = table.getChild(f.name)
    const type = A.DataType.isFloat(f.type)
      ? 'DOUBLE'
      : A.DataType.isInt(f.type)
        ? 'INT64'
        : A.DataType.isBool(f.type)
          ? 'BOOLEAN'
          : 'STRING'
    return {
      name: f.name,
      data: type === 'STRING' || type === 'BOOLEAN' ? vec.toArray() : vec.toArray(),
      type,
    }
  })
  bytes = new Uint8Array(parquetWriteBuffer({ columnData, codec, rowGroupSize: 1_000_000 }))
}
const ms = performance.now() - t0
peak = Math.max(peak, process.memoryUsage().rss)
clearInterval(timer)
console.log(
  JSON.stringify({
    writer: which,
    codec,
    ms: Math.round(ms),
    loadMs: Math.round(loadMs),
    fileBytes: bytes.length,
    baseRssMB: Math.round(base / 2 ** 20),
    peakRssMB: Math.round(peak / 2 ** 20),
    extraMB: Math.round((peak - base) / 2 ** 20),
  }),
)
