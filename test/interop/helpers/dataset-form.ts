/**
 * The dataset form (`{kind, dims, coords, data_vars, attrs}`, values nested, NaN as
 * null, times as ISO text) built here from the engine's Dataset through model.ts alone, and
 * a comparison with the goldens python/dataset_form.py writes. Built only from model.ts so
 * this side of the interop suite does not depend on how ds-core's datasetPreview is called.
 */
import type {
  AttrValue,
  Dataset,
  NdArray,
  Variable,
} from '../../../electron/engine/dataset/model.js'
import { differences } from './compare.js'

/** One variable of the form. */
export interface VarForm {
  dims: string[]
  shape: number[]
  dtype: string
  python_dtype?: string
  attrs: Record<string, unknown>
  values?: unknown
}

/** The dataset form, as the goldens hold it. */
export interface DatasetForm {
  kind: 'dataset'
  dims: Record<string, number>
  coords: Record<string, VarForm>
  data_vars: Record<string, VarForm>
  attrs: Record<string, unknown>
}

const NAT = -(2n ** 63n)

/** An attribute value as JSON (bigints as numbers when safe, Maps as objects). */
export function attrJson(v: AttrValue | undefined): unknown {
  if (v === undefined || v === null) return null
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (typeof v === 'number') return Number.isNaN(v) ? null : v
  if (Array.isArray(v)) return v.map(attrJson)
  if (v instanceof Map) return attrsJson(v)
  return v
}

/** An attribute map as a plain (null-prototype) object. */
export function attrsJson(attrs: Map<string, AttrValue>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>
  for (const [k, v] of attrs) out[k] = attrJson(v)
  return out
}

/** ns since 1970 as ISO text without a zone, as pandas' Timestamp.isoformat writes it. */
export function isoFromNs(ns: bigint): string | null {
  if (ns === NAT) return null
  const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n)
  const sub = ns - ms * 1_000_000n // 0..999999 ns past the millisecond
  const base = new Date(Number(ms)).toISOString().slice(0, 19)
  const frac = Number(ms % 1000n < 0n ? (ms % 1000n) + 1000n : ms % 1000n) * 1_000_000 + Number(sub)
  if (frac === 0) return base
  return `${base}.${String(frac).padStart(9, '0').replace(/0+$/, '').padEnd(6, '0')}`
}

function element(a: NdArray, i: number): unknown {
  const x = a.data[i]
  if (a.dtype.startsWith('datetime64')) return isoFromNs(x as bigint)
  if (a.dtype === 'bool') return x === 1
  if (typeof x === 'bigint') return Number.isSafeInteger(Number(x)) ? Number(x) : x.toString()
  if (typeof x === 'number') {
    if (Number.isNaN(x)) return null
    if (!Number.isFinite(x)) return { __float__: x > 0 ? 'Infinity' : '-Infinity' }
  }
  return x ?? null
}

/** An NdArray's values as nested lists in C order. */
export function nestedValues(a: NdArray): unknown {
  const n = a.data.length
  const flat = Array.from({ length: n }, (_, i) => element(a, i))
  if (a.shape.length === 0) return flat[0]
  const nest = (offset: number, dim: number): unknown[] => {
    const size = a.shape[dim]!
    const stride = a.shape.slice(dim + 1).reduce((p, q) => p * q, 1)
    return Array.from({ length: size }, (_, i) =>
      dim === a.shape.length - 1 ? flat[offset + i] : nest(offset + i * stride, dim + 1),
    )
  }
  return nest(0, 0)
}

async function varForm(v: Variable): Promise<VarForm> {
  const data = await v.read()
  return {
    dims: [...v.dims],
    shape: [...v.shape],
    dtype: v.dtype,
    attrs: attrsJson(v.attrs),
    values: nestedValues(data),
  }
}

/** The form of a whole Dataset, every variable read (for the small corpus datasets only). */
export async function datasetFormOf(ds: Dataset): Promise<DatasetForm> {
  const coords = Object.create(null) as Record<string, VarForm>
  const dataVars = Object.create(null) as Record<string, VarForm>
  for (const [k, v] of ds.coords) coords[k] = await varForm(v)
  for (const [k, v] of ds.dataVars) dataVars[k] = await varForm(v)
  return {
    kind: 'dataset',
    dims: Object.fromEntries(ds.dims),
    coords,
    data_vars: dataVars,
    attrs: attrsJson(ds.attrs),
  }
}

// ISO text the same instant may be spelled in: a 'Z' or '+00:00' zone, trailing zero
// fractions, a space for the 'T', a bare date. Anything else must match exactly.
function normalIso(s: string): string {
  if (!/^-?\d{4,}-\d\d-\d\d([T ]|$)/.test(s)) return s // text, not a date
  let t = s.replace(' ', 'T').replace(/(Z|\+00:00)$/, '')
  if (/^-?\d{4,}-\d\d-\d\d$/.test(t)) t += 'T00:00:00'
  t = t.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
  return t
}

function normalTimes(values: unknown): unknown {
  if (Array.isArray(values)) return values.map(normalTimes)
  return typeof values === 'string' ? normalIso(values) : values
}

/**
 * Differences between a form the engine gave and a golden, by path: dims, variable names
 * (as coords or data_vars), dims/shape/dtype/attrs of each, values (numbers within relTol,
 * times exactly, after normalising how an ISO instant is spelled), global attrs.
 */
export function formDifferences(
  got: Pick<DatasetForm, 'dims' | 'coords' | 'data_vars' | 'attrs'>,
  golden: DatasetForm,
  relTol = 1e-6,
): string[] {
  const out: string[] = []
  out.push(...differences({ ...got.dims }, golden.dims).map((d) => `dims ${d}`))
  for (const part of ['coords', 'data_vars'] as const) {
    const names = Object.keys(got[part] ?? {}).sort()
    const want = Object.keys(golden[part]).sort()
    if (names.join() !== want.join()) out.push(`${part}: [${names}] != expected [${want}]`)
    for (const name of want) {
      const g = (got[part] ?? {})[name] as VarForm | undefined
      if (!g) continue
      const e = golden[part][name]!
      const times = e.dtype.startsWith('datetime64') || e.dtype === 'object'
      const gv = { dims: g.dims, shape: g.shape, dtype: g.dtype, attrs: { ...g.attrs } }
      const ev = { dims: e.dims, shape: e.shape, dtype: e.dtype, attrs: e.attrs }
      out.push(...differences(gv, ev, relTol).map((d) => `${part}.${name} ${d}`))
      if (!('values' in g)) {
        out.push(`${part}.${name}: no values`)
        continue
      }
      const [a, b] = times ? [normalTimes(g.values), normalTimes(e.values)] : [g.values, e.values]
      out.push(...differences(a, b, times ? 0 : relTol).map((d) => `${part}.${name}.values ${d}`))
    }
  }
  out.push(...differences({ ...got.attrs }, golden.attrs, relTol).map((d) => `attrs ${d}`))
  return out
}
