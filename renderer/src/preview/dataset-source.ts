/**
 * Where a dataset view reads slices and statistics: the engine over the transport (a cached
 * artifact), or the preview's own inline values (small variables, and tests without a cache).
 */
import type { DatasetSlice } from '../../../shared/ipc'
import type { Transport } from '../ipc/transport'
import type { DatasetVariable } from './dataset-model'
import { sliceMemoryArray, type DimSelection } from './local-slice'
import { flatValues } from './ndarray'

/** A slice request without the artifact reference. */
export interface SliceAsk {
  variable: string
  selection: DimSelection[]
  maxElements: number
}

/** Reads slices of one dataset; `stats` is null where statistics cannot be streamed. */
export interface DatasetSource {
  slice(ask: SliceAsk, signal?: AbortSignal): Promise<DatasetSlice>
  stats: { transport: Transport; start(variable: string): Promise<{ jobId: string }> } | null
}

/** Which artifact (and collection member) a remote source reads. */
export interface ArtifactRef {
  cacheId: string
  key: string
  member?: string | undefined
}

/** Slices and stats from the engine through the transport. */
export function remoteSource(transport: Transport, ref: ArtifactRef): DatasetSource {
  const base = {
    cacheId: ref.cacheId,
    key: ref.key,
    ...(ref.member !== undefined ? { member: ref.member } : {}),
  }
  return {
    slice: (ask, signal) =>
      transport.invoke('dataset.slice', { ...base, ...ask }, signal ? { signal } : undefined),
    stats: {
      transport,
      start: (variable) => transport.invoke('dataset.stats', { ...base, variable }),
    },
  }
}

/** Slices cut from inline values only; a variable without them is refused with a clear message. */
export function inlineSource(vars: readonly DatasetVariable[]): DatasetSource {
  const byName = new Map(vars.map((v) => [v.name, v]))
  const coords = new Map<string, readonly unknown[]>()
  for (const v of vars)
    if (v.isIndex && Array.isArray(v.values)) coords.set(v.name, v.values as unknown[])
  return {
    slice: async (ask) => {
      const v = byName.get(ask.variable)
      if (!v || !Array.isArray(v.values))
        throw new Error(
          `${ask.variable} is too big to be sent inline, and no cache is open to read it.`,
        )
      const array = { ...v, values: flatValues(v.values, v.shape.length) }
      return sliceMemoryArray(ask.variable, array, ask.selection, coords, ask.maxElements)
    },
    stats: null,
  }
}
