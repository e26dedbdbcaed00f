import { useState } from 'react'
import { ArrayGrid } from './ArrayGrid'
import { ArrayPlot } from './ArrayPlot'
import { flatValues, isNdArray, isNumericDtype, type NdArrayJson } from './ndarray'
import { VisibleText, visibleText } from '../ui/VisibleText'
import { plural } from '../ui/format'

/** Children shown per container before "show more". */
const PAGE = 100

/** The inert placeholder forms pyToJson writes for values it will not materialise. */
export function placeholderOf(v: unknown): { label: string; title: string } | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null
  const o = v as Record<string, unknown>
  const keys = Object.keys(o)
  if (keys.length === 2 && typeof o.__python__ === 'string' && typeof o.__unsafe__ === 'string') {
    return {
      label: `${o.__python__} (${o.__unsafe__})`,
      title: `A call to ${o.__python__}: loading this pickle in Python would run it. Nothing from it runs here.`,
    }
  }
  if (keys.length !== 1) return null
  if (typeof o.__python__ === 'string') {
    return {
      label: o.__python__,
      title: `A Python ${o.__python__} object. Its class is not on the safe list, so it was not loaded: no code from a pickle runs here.`,
    }
  }
  if (typeof o.__bytes_b64__ === 'string') {
    const bytes = Math.floor((o.__bytes_b64__.replace(/=+$/, '').length * 3) / 4)
    return { label: `bytes (${bytes})`, title: 'A Python bytes value' }
  }
  if (o.__cycle__ === true) return { label: 'cycle', title: 'A container that holds itself' }
  return null
}

/**
 * The digits of a Python int beyond 2^53, which the preview sends as {"__int__": "digits"}
 * (JSON.parse in the browser transport would round a bare number to a float).
 */
export function exactIntOf(v: unknown): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null
  const o = v as Record<string, unknown>
  const digits = o.__int__
  if (Object.keys(o).length !== 1 || typeof digits !== 'string') return null
  return /^-?\d+$/.test(digits) ? digits : null
}

/**
 * A pickled date or time the preview sends as {"__datetime__": "ISO text"}; NaT is null.
 * undefined when the value is not one.
 */
export function timeOf(v: unknown): string | null | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined
  const o = v as Record<string, unknown>
  const iso = o.__datetime__
  if (Object.keys(o).length !== 1 || (typeof iso !== 'string' && iso !== null)) return undefined
  return iso
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="v-null">None</span>
  if (typeof value === 'boolean') return <span className="v-bool">{value ? 'True' : 'False'}</span>
  if (typeof value === 'number' || typeof value === 'bigint')
    return <span className="v-num">{String(value)}</span>
  const exact = exactIntOf(value)
  if (exact !== null) return <span className="v-num">{exact}</span>
  const time = timeOf(value)
  if (time === null) return <span className="missing">NaT</span>
  if (time !== undefined) return <span className="v-num">{time}</span>
  if (typeof value === 'string')
    return (
      <span className="v-str">
        <VisibleText text={JSON.stringify(value)} />
      </span>
    )
  return <span>{String(value)}</span>
}

function summary(value: unknown): string {
  if (isNdArray(value))
    return `ndarray ${value.dtype} (${value.shape.join(', ')}${value.shape.length === 1 ? ',' : ''})`
  if (Array.isArray(value)) return `list [${plural(value.length, 'item')}]`
  return `dict {${plural(Object.keys(value as object).length, 'key')}}`
}

/** An object array's element as its grid shows it: tagged ints and times as their text. */
function cellValue(v: unknown): unknown {
  const time = timeOf(v)
  if (time !== undefined) return time ?? 'NaT'
  return exactIntOf(v) ?? v
}

/** A numpy array inside a tree: its grid, and a plot when the dtype is numeric. */
export function ArrayView({ array }: { array: NdArrayJson }) {
  const [tab, setTab] = useState<'grid' | 'plot'>(
    array.shape.length <= 2 && isNumericDtype(array.dtype) ? 'plot' : 'grid',
  )
  const values = flatValues(array.values, array.shape.length).map(cellValue)
  const plottable = isNumericDtype(array.dtype) && array.shape.length >= 1
  return (
    <div className="array-view">
      {plottable && (
        <div className="segmented" role="group" aria-label="Array view">
          <button type="button" aria-pressed={tab === 'plot'} onClick={() => setTab('plot')}>
            Plot
          </button>
          <button type="button" aria-pressed={tab === 'grid'} onClick={() => setTab('grid')}>
            Grid
          </button>
        </div>
      )}
      {tab === 'plot' && plottable ? (
        <ArrayPlot shape={array.shape} values={values} />
      ) : (
        <ArrayGrid shape={array.shape} values={values} dtype={array.dtype} />
      )}
    </div>
  )
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 1)
  const [shown, setShown] = useState(PAGE)
  const label =
    name === null ? null : (
      <span className="tree-key">
        <VisibleText text={name} />:{' '}
      </span>
    )
  const placeholder = placeholderOf(value)
  if (placeholder) {
    return (
      <li role="treeitem" aria-selected={false}>
        {label}
        <span className="chip inert" title={visibleText(placeholder.title)}>
          <VisibleText text={placeholder.label} />
        </span>
      </li>
    )
  }
  const leaf = exactIntOf(value) !== null || timeOf(value) !== undefined
  if (value === null || typeof value !== 'object' || leaf) {
    return (
      <li role="treeitem" aria-selected={false}>
        {label}
        <Scalar value={value} />
      </li>
    )
  }
  const array = isNdArray(value) ? value : null
  const entries: [string, unknown][] = array
    ? []
    : Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value as Record<string, unknown>)
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false}>
      <button
        type="button"
        className="tree-toggle"
        aria-label={visibleText(`${open ? 'Collapse' : 'Expand'} ${name ?? 'value'}`)}
        onClick={() => setOpen(!open)}
      >
        {open ? '▾' : '▸'}
      </button>
      {label}
      <span className="muted">{summary(value)}</span>
      {open && array && <ArrayView array={array} />}
      {open && !array && (
        <ul role="group">
          {entries.slice(0, shown).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > shown && (
            <li>
              <button type="button" className="link-button" onClick={() => setShown(shown + PAGE)}>
                Show {Math.min(PAGE, entries.length - shown)} more of {entries.length - shown}
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  )
}

/** A Python value as a collapsible tree: dicts, lists, numpy arrays, and inert placeholders. */
export function ObjectTree({ value }: { value: unknown }) {
  return (
    <ul className="object-tree" role="tree" aria-label="Value" data-testid="preview-tree">
      <Node name={null} value={value} depth={0} />
    </ul>
  )
}
