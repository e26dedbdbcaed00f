// A small decoded Dataset built from the model interfaces alone, for tests of the CLI and IPC
// wiring that must not depend on a file format. It counts reads and closes.
import type { Dataset, NdArray, Selection, Variable } from '../../electron/engine/dataset/model.js'
import { normalizeSelection } from '../../electron/engine/dataset/selection.js'

/** Reads and closes a tiny dataset saw. */
export interface Counters {
  reads: number
  closes: number
}

function variable(
  name: string,
  dims: string[],
  shape: number[],
  dtype: string,
  data: NdArray['data'],
  counters: Counters,
): Variable {
  return {
    name,
    dims,
    shape,
    dtype,
    attrs: new Map([['units', name === 'time' ? 'ns' : 'degC']]),
    encoding: new Map(),
    async read(selection?: Selection): Promise<NdArray> {
      counters.reads++
      const { ranges, shape: out } = normalizeSelection(shape, selection, dims)
      const values: unknown[] = []
      const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
      const walk = (d: number, offset: number): void => {
        if (d === ranges.length) return void values.push((data as ArrayLike<unknown>)[offset])
        const r = ranges[d]!
        for (let i = r.start; i < r.stop; i += r.step) walk(d + 1, offset + i * strides[d]!)
      }
      walk(0, 0)
      const typed =
        data instanceof BigInt64Array
          ? BigInt64Array.from(values as bigint[])
          : Array.isArray(data)
            ? (values as string[])
            : Float32Array.from(values as number[])
      return { dtype, shape: out, data: typed }
    },
  }
}

/**
 * sst(time: 3, lat: 2, lon: 4) float32 = 0..23 with element 5 NaN; coordinates time
 * (datetime64[ns], 2000-01-01 + n days), lat [-10, 10]; lon has no coordinate.
 */
export function tinyDataset(counters: Counters = { reads: 0, closes: 0 }): Dataset {
  const sst = Float32Array.from({ length: 24 }, (_, i) => (i === 5 ? NaN : i))
  const day = 86_400_000_000_000n
  const t0 = 946_684_800_000_000_000n
  const coords = new Map<string, Variable>([
    [
      'time',
      variable(
        'time',
        ['time'],
        [3],
        'datetime64[ns]',
        BigInt64Array.from([t0, t0 + day, t0 + 2n * day]),
        counters,
      ),
    ],
    ['lat', variable('lat', ['lat'], [2], 'float32', Float32Array.from([-10, 10]), counters)],
  ])
  const dataVars = new Map<string, Variable>([
    ['sst', variable('sst', ['time', 'lat', 'lon'], [3, 2, 4], 'float32', sst, counters)],
  ])
  return {
    kind: 'dataset',
    dims: new Map([
      ['time', 3],
      ['lat', 2],
      ['lon', 4],
    ]),
    coords,
    dataVars,
    attrs: new Map([['title', 'tiny\x1b[31m sst']]),
    encoding: new Map(),
    notes: [],
    bytesRead: () => 0,
    async close() {
      counters.closes++
    },
  }
}
