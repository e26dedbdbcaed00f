// The dataset engine's slice and statistics functions (ds-core's dataset/stats.ts) as the CLI
// and the IPC handlers call them, loaded on first use so `show` of a table never loads them.
// A slice comes in the DatasetSlice wire form (shared/ipc.ts), statistics in VariableStats.
import type { Dataset, Selection, Variable } from './dataset/model.js'
import type { JsonCell } from './dataset/dataset-json.js'
import type { DatasetSliceResult, VariableStatsResult } from './dataset/stats.js'

/** One cell of a slice: numbers (NaN as null), times as ISO text, strings, booleans. */
export type SliceCell = JsonCell

/** A decoded part of one variable (mirrors DatasetSlice in shared/ipc.ts). */
export type VariableSlice = DatasetSliceResult

/** Statistics of one variable (mirrors VariableStats in shared/ipc.ts). */
export type StatsResult = VariableStatsResult

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

let loaded: Promise<DatasetOps> | null = null

/** The slice and statistics functions (ds-core's dataset/stats.ts), loaded on first use. */
export function datasetOps(): Promise<DatasetOps> {
  loaded ??= (async (): Promise<DatasetOps> => {
    const { sliceVariable, variableStats } = await import('./dataset/stats.js')
    return {
      sliceVariable,
      variableStats: (variable, { signal, onProgress }) =>
        variableStats(variable, {
          signal,
          onProgress: onProgress && ((done: number, total: number) => onProgress({ done, total })),
        }),
    }
  })()
  return loaded
}

/** Uses `ops` instead of the engine's own; null goes back to them (tests of the wiring). */
export function setDatasetOps(ops: DatasetOps | null): void {
  loaded = ops ? Promise.resolve(ops) : null
}
