// The dataset channels' work, run where tasks run (a worker thread the host can stop): one
// slice of a variable, or its statistics streamed over chunks with progress.
import type { DimSelection } from '../engine/dataset/model.js'
import { checkSliceSize, findVariable, pickMember } from '../engine/dataset-access.js'
import {
  datasetOps,
  type StatsProgress,
  type StatsResult,
  type VariableSlice,
} from '../engine/dataset-ops.js'
import type { CacheStore } from '../engine/store.js'
import { OpenDatasets } from './open-datasets.js'

/** Which variable, as the dataset channels name it. */
export interface VariableTarget {
  key: string
  member?: string
  variable: string
}

const names = (channel: string) => ({ member: 'member', variable: channel })

/** This thread's open datasets (a task worker keeps them between tasks). */
export const openDatasets = new OpenDatasets()

async function variableOf(store: CacheStore, cache: string, t: VariableTarget, channel: string) {
  const value = await openDatasets.get(store, cache, t.key)
  const ds = pickMember(value, t.member, names(channel))
  return { ds, variable: findVariable(ds, t.variable, names(channel)) }
}

/** One slice, refused before reading when it has more than `maxElements` elements. */
export async function sliceTask(
  store: CacheStore,
  cache: string,
  t: VariableTarget & { selection: (DimSelection | null)[]; maxElements: number },
  signal?: AbortSignal,
): Promise<VariableSlice> {
  const { ds, variable } = await variableOf(store, cache, t, 'dataset.slice')
  checkSliceSize(variable, t.selection, t.maxElements, names('dataset.slice'))
  const ops = await datasetOps()
  return ops.sliceVariable(ds, t.variable, t.selection, { maxElements: t.maxElements, signal })
}

/** Statistics of one variable; `signal` stops them between chunks. */
export async function statsTask(
  store: CacheStore,
  cache: string,
  t: VariableTarget,
  options: { signal?: AbortSignal; onProgress?: (p: StatsProgress) => void },
): Promise<StatsResult> {
  const { variable } = await variableOf(store, cache, t, 'dataset.stats')
  const ops = await datasetOps()
  return ops.variableStats(variable, options)
}
