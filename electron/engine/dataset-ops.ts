// The dataset engine's slice and statistics functions (ds-core's dataset/stats.ts), loaded on
// first use. The shapes below are what the CLI and the IPC handlers rely on: a slice in the
// DatasetSlice wire form (shared/ipc.ts), statistics in the VariableStats form.
import type { Dataset, DimSelection, Selection, Variable } from './dataset/model.js'
import { noDatasetOps } from './dataset-access.js'

/** One cell of a slice: numbers (NaN as null), times as ISO text, strings, booleans. */
export type SliceCell = number | string | boolean | null

/** A decoded part of one variable (mirrors DatasetSlice in shared/ipc.ts). */
export interface VariableSlice {
  variable: string
  dims: string[]
  shape: number[]
  dtype: string
  values: SliceCell[]
  coords: Record<string, SliceCell[]>
  bytesRead: number
}

/** Statistics of one variable (mirrors VariableStats in shared/ipc.ts). */
export interface StatsResult {
  variable: string
  min: number | string | null
  max: number | string | null
  mean: number | null
  nanCount: number
  count: number
}

/** Progress of streamed statistics: chunks (or blocks) done of total. */
export interface StatsProgress {
  done: number
  total: number
}

/** The two functions, as this module calls them. */
export interface DatasetOps {
  sliceVariable(
    ds: Dataset,
    name: string,
    selection: Selection,
    options: { maxElements: number; signal?: AbortSignal },
  ): Promise<VariableSlice>
  variableStats(
    variable: Variable,
    options: { signal?: AbortSignal; onProgress?: (p: StatsProgress) => void },
  ): Promise<StatsResult>
}

let loaded: Promise<DatasetOps> | null = null

/** The slice and statistics functions; NotSupportedError when this build lacks them. */
export function datasetOps(): Promise<DatasetOps> {
  loaded ??= (async () => {
    // A variable specifier: the module lands separately (see the report of issue 7).
    const spec = './dataset/stats.js'
    try {
      const mod = (await import(spec)) as Partial<DatasetOps>
      if (typeof mod.sliceVariable !== 'function' || typeof mod.variableStats !== 'function') {
        throw noDatasetOps()
      }
      return mod as DatasetOps
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw noDatasetOps()
      throw err
    }
  })()
  loaded.catch(() => (loaded = null))
  return loaded
}

/** A selection by dimension name, in the variable's dimension order (missing: whole). */
export function selectionFor(
  dims: readonly string[],
  byName: ReadonlyMap<string, DimSelection>,
): Selection {
  return dims.map((d) => byName.get(d) ?? null)
}

/** Uses `ops` instead of the engine's own; null goes back to them (tests of the wiring). */
export function setDatasetOps(ops: DatasetOps | null): void {
  loaded = ops ? Promise.resolve(ops) : null
}
