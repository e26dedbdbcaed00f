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

/** Progress of streamed statistics: elements done of total. */
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

/** The engine module's own signatures (dataset/stats.ts): progress as (done, total) elements. */
interface StatsModule {
  sliceVariable: DatasetOps['sliceVariable']
  variableStats(
    variable: Variable,
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<StatsResult>
}

let loaded: Promise<DatasetOps> | null = null

/** The slice and statistics functions; NotSupportedError when this build lacks them. */
export function datasetOps(): Promise<DatasetOps> {
  loaded ??= (async (): Promise<DatasetOps> => {
    // A variable specifier: the module lands separately (see the report of issue 7).
    const spec = './dataset/stats.js'
    let mod: Partial<StatsModule>
    try {
      mod = (await import(spec)) as Partial<StatsModule>
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw noDatasetOps()
      throw err
    }
    const { sliceVariable, variableStats } = mod
    if (typeof sliceVariable !== 'function' || typeof variableStats !== 'function') {
      throw noDatasetOps()
    }
    return {
      sliceVariable,
      variableStats: (variable, { signal, onProgress }) =>
        variableStats(variable, {
          signal,
          onProgress: onProgress && ((done, total) => onProgress({ done, total })),
        }),
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
