import type { AttrMap, Dataset, NdArray, Selection, SourceVariable, Variable } from './model.js'

// A decoded variable: the source's lazy read followed by the CF decoding steps cf-decode.ts
// chose for it. Its dtype can be refined once (settleTimeDtypes) as xarray does at open.

/** One decoding step over what a read returned. */
export type Step = (a: NdArray) => NdArray

/** A decoded variable: its source read, then the decoding steps. */
export class DecodedVariable implements Variable {
  dtype: string
  readonly chunks?: readonly number[]
  /** Set when the decoded dtype of a time variable depends on its values (see settleTimeDtypes). */
  timeCheck: { units: string; calendar: string | null } | null = null
  constructor(
    readonly name: string,
    readonly dims: readonly string[],
    readonly shape: readonly number[],
    dtype: string,
    readonly attrs: AttrMap,
    readonly encoding: Map<string, unknown>,
    private readonly source: SourceVariable,
    private readonly steps: Step[],
    private readonly charDim: boolean,
  ) {
    this.dtype = dtype
    const c = source.array.chunks
    this.chunks = c && charDim ? c.slice(0, -1) : c
  }

  async read(selection: Selection = [], signal?: AbortSignal): Promise<NdArray> {
    let sel = selection
    if (this.charDim) {
      // The char dimension is hidden from callers: always read it whole.
      sel = [...selection, ...new Array<null>(this.dims.length - selection.length).fill(null), null]
    }
    let arr = await this.source.array.read(sel, signal)
    for (const step of this.steps) arr = step(arr)
    return arr
  }
}

/**
 * What xarray does at open for times: reads the first and last value of each standard-calendar
 * time variable and fixes its dtype ('object' when a date leaves datetime64[ns]'s range).
 * Reads two elements per time variable; call it when exact dtypes matter.
 */
export async function settleTimeDtypes(ds: Dataset, signal?: AbortSignal): Promise<void> {
  for (const v of [...ds.coords.values(), ...ds.dataVars.values()]) {
    if (!(v instanceof DecodedVariable) || !v.timeCheck || v.shape.some((n) => n === 0)) continue
    const first = v.shape.map(() => 0)
    const last = v.shape.map((n) => n - 1)
    const a = await v.read(first, signal)
    const b = await v.read(last, signal)
    v.dtype = a.dtype === 'object' || b.dtype === 'object' ? 'object' : v.dtype
    v.timeCheck = null
  }
}
