// Text forms of datasets for `xpersist show`: the structure as xarray's `print(ds)` draws it,
// a slice as a grid or a list, statistics as a short table. The caller's `out` escapes
// control and bidi characters, so names and attributes from the file print safely.
import type { AttrValue, Dataset, NdArray, Variable } from '../engine/dataset/model.js'
import { sizeOf } from '../engine/dataset/model.js'
import type { SliceCell, StatsResult, VariableSlice } from '../engine/dataset-ops.js'

/** First values shown per variable (xarray fits as many as the line takes). */
const FIRST = 4
const NAT = -(2n ** 63n)

/** A datetime64[ns] value as xarray prints it: the date alone at midnight. */
function isoOfNs(ns: bigint): string {
  if (ns === NAT) return 'NaT'
  const iso = new Date(Number(ns / 1_000_000n)).toISOString().replace('Z', '')
  return iso.endsWith('T00:00:00.000') ? iso.slice(0, 10) : iso.replace(/\.000$/, '')
}

/** A float32 as numpy prints it: the shortest decimal that reads back as the same float32. */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p)
    if (Math.fround(Number(s)) === x) return String(Number(s))
  }
  return String(x)
}

/** One element of an NdArray as text. */
function elementText(a: NdArray, i: number): string {
  const v = a.data[i]
  if (a.dtype.startsWith('datetime64') && typeof v === 'bigint') return isoOfNs(v)
  if (a.dtype === 'bool') return v ? 'True' : 'False'
  if (v === null || v === undefined) return 'nan'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' && a.dtype === 'float32') return float32Text(v)
  if (typeof v === 'number' && Number.isNaN(v)) return 'nan'
  return String(v)
}

/** A cell of a slice as text (`dtype` float32 prints as numpy prints it). */
export function cellText(v: SliceCell, dtype = ''): string {
  if (v === null) return 'nan'
  if (typeof v === 'number' && dtype === 'float32') return float32Text(v)
  return typeof v === 'string' ? v : String(v)
}

// The first values in C order: the head of the last dimension at index 0 of the others.
async function firstValues(v: Variable): Promise<string> {
  const n = sizeOf(v.shape)
  if (n === 0) return ''
  // A short 1-D variable prints whole, as xarray does (a 5-element lon is not '0 72 144 ... 288').
  const whole = v.shape.length === 1 && n <= FIRST + 2
  const sel = v.shape.map((d, i) =>
    i === v.shape.length - 1 ? { start: 0, stop: whole ? d : Math.min(d, FIRST) } : 0,
  )
  try {
    const a = await v.read(sel)
    const shown = Array.from({ length: Math.min(a.data.length, whole ? n : FIRST) }, (_, i) =>
      elementText(a, i),
    )
    if (v.shape.length === 1 && !whole) {
      const last = await v.read([n - 1])
      return `${shown.slice(0, FIRST - 1).join(' ')} ... ${elementText(last, 0)}`
    }
    return shown.join(' ') + (n > shown.length ? ' ...' : '')
  } catch (err) {
    return `<unreadable: ${(err as Error).message}>`
  }
}

function attrText(v: AttrValue): string {
  if (v instanceof Map)
    return JSON.stringify(Object.fromEntries(v), (_k, x: unknown) =>
      typeof x === 'bigint' ? x.toString() : x,
    )
  if (Array.isArray(v)) return `[${v.map(attrText).join(', ')}]`
  return typeof v === 'bigint' ? v.toString() : String(v)
}

/** The structure of a dataset as xarray's repr draws it. */
export async function datasetText(ds: Dataset): Promise<string> {
  const names = [...ds.coords.keys(), ...ds.dataVars.keys(), ...ds.attrs.keys()]
  const width = Math.max(7, ...names.map((n) => n.length)) + 1
  const dims = [...ds.dims].map(([d, n]) => `${d}: ${n}`).join(', ')
  const lines = ['<xarray.Dataset>', `Dimensions:  (${dims})`]
  const row = async (mark: string, name: string, v: Variable) =>
    `  ${mark} ${name.padEnd(width)}(${v.dims.join(', ')}) ${v.dtype} ${await firstValues(v)}`.trimEnd()
  lines.push('Coordinates:' + (ds.coords.size ? '' : '\n    *empty*'))
  for (const [name, v] of ds.coords) {
    lines.push(await row(v.dims.length === 1 && v.dims[0] === name ? '*' : ' ', name, v))
  }
  const without = [...ds.dims.keys()].filter((d) => !ds.coords.has(d))
  if (without.length) lines.push(`Dimensions without coordinates: ${without.join(', ')}`)
  lines.push('Data variables:' + (ds.dataVars.size ? '' : '\n    *empty*'))
  for (const [name, v] of ds.dataVars) lines.push(await row(' ', name, v))
  if (ds.attrs.size) {
    lines.push('Attributes:')
    for (const [k, v] of ds.attrs) lines.push(`    ${`${k}:`.padEnd(width + 1)}${attrText(v)}`)
  }
  for (const note of ds.notes) lines.push(`Note: ${note}`)
  return lines.join('\n')
}

/**
 * A slice as text: one value, a list (1-D), a grid (2-D), or flat values beyond. `coordDtypes`
 * gives the coordinates' dtypes, so float32 labels print as numpy prints them.
 */
export function sliceText(
  s: VariableSlice,
  coordDtypes: ReadonlyMap<string, string> = new Map(),
): string {
  const head = `${s.variable} (${s.dims.join(', ')}) ${s.dtype} [${s.shape.join(' x ')}]`
  const label = (dim: string | undefined, i: number) =>
    dim && s.coords[dim] ? cellText(s.coords[dim][i] ?? null, coordDtypes.get(dim)) : String(i)
  const cell = (v: SliceCell | undefined) => cellText(v ?? null, s.dtype)
  if (s.shape.length === 0) return `${head}\n${cell(s.values[0])}`
  if (s.shape.length === 1) {
    const labels = s.values.map((_, i) => label(s.dims[0], i))
    const w = Math.max(s.dims[0]?.length ?? 0, ...labels.map((l) => l.length))
    const rows = s.values.map((v, i) => `${labels[i]!.padStart(w)}  ${cell(v)}`)
    return [head, `${(s.dims[0] ?? '').padStart(w)}  ${s.variable}`, ...rows].join('\n')
  }
  if (s.shape.length === 2) {
    const [nr, nc] = s.shape as [number, number]
    const cols = Array.from({ length: nc }, (_, j) => label(s.dims[1], j))
    const rows = Array.from({ length: nr }, (_, i) => [
      label(s.dims[0], i),
      ...Array.from({ length: nc }, (_, j) => cell(s.values[i * nc + j])),
    ])
    const table = [[`${s.dims[0]}\\${s.dims[1]}`, ...cols], ...rows]
    // One width for every value column, so the grid reads as a grid.
    const first = Math.max(...table.map((r) => r[0]!.length))
    const width = Math.max(...table.flatMap((r) => r.slice(1).map((c) => c.length)))
    const line = (r: string[]) =>
      [r[0]!.padStart(first), ...r.slice(1).map((c) => c.padStart(width))].join(' ')
    return [head, ...table.map(line)].join('\n')
  }
  return `${head}\n${JSON.stringify(s.values)}`
}

/** Statistics as a short table. */
export function statsText(s: StatsResult, v: Variable): string {
  const total = s.count + s.nanCount
  // min and max are values of the variable; the mean is a float64 sum, as numpy's mean is.
  const value = (x: number | string | null) => cellText(x, v.dtype)
  return [
    `${s.variable} (${v.dims.join(', ')}) ${v.dtype}`,
    `min    ${value(s.min)}`,
    `max    ${value(s.max)}`,
    `mean   ${s.mean === null ? 'nan' : String(s.mean)}`,
    `NaN    ${s.nanCount} of ${total}`,
  ].join('\n')
}
