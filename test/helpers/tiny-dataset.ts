// A small decoded Dataset (createDataset, in memory) for tests of the CLI and IPC wiring that
// must not depend on a file format; it counts reads and closes.
import type { Dataset, Variable } from '../../electron/engine/dataset/model.js'
import { createDataset, ndarray } from '../../electron/engine/dataset/memory.js'

/** Reads and closes a tiny dataset saw. */
export interface Counters {
  reads: number
  closes: number
}

function counted(v: Variable, counters: Counters): Variable {
  return { ...v, read: (sel, signal) => (counters.reads++, v.read(sel, signal)) }
}

/**
 * sst(time: 3, lat: 2, lon: 4) float32 = 0..23 with element 5 NaN; coordinates time
 * (datetime64[ns], 2000-01-01 + n days), lat [-10, 10]; lon has no coordinate.
 */
export function tinyDataset(counters: Counters = { reads: 0, closes: 0 }): Dataset {
  const day = 86_400_000_000_000n
  const t0 = 946_684_800_000_000_000n
  const ds = createDataset({
    coords: {
      time: { dims: ['time'], data: ndarray('datetime64[ns]', [3], [t0, t0 + day, t0 + 2n * day]) },
      lat: { dims: ['lat'], data: ndarray('float32', [2], [-10, 10]), attrs: { units: 'degN' } },
    },
    dataVars: {
      sst: {
        dims: ['time', 'lat', 'lon'],
        data: ndarray(
          'float32',
          [3, 2, 4],
          Array.from({ length: 24 }, (_, i) => (i === 5 ? NaN : i)),
        ),
        attrs: { units: 'degC' },
      },
    },
    attrs: { title: 'tiny\x1b[31m sst' },
  })
  const wrap = (m: Map<string, Variable>) =>
    new Map([...m].map(([k, v]) => [k, counted(v, counters)] as const))
  return {
    ...ds,
    coords: wrap(ds.coords),
    dataVars: wrap(ds.dataVars),
    bytesRead: () => 0,
    async close() {
      counters.closes++
    },
  }
}
