import { useState } from 'react'
import { formatCell } from '../ui/format'
import { sliceOffset } from './ndarray'
import { VisibleText } from '../ui/VisibleText'

/** How many rows and columns of an array the grid shows at most. */
const MAX_ROWS = 200
const MAX_COLS = 50

/** How numpy prints a missing element: NaT for datetimes and timedeltas, None for objects. */
export function missingText(dtype: string): string {
  if (/^(?:datetime64|timedelta64)|^[<>|=]?[Mm]8/.test(dtype)) return 'NaT'
  if (dtype === 'object' || /^[<>|=]?O/.test(dtype)) return 'None'
  return 'NaN'
}

/** A numpy array as a grid: 1-D as index/value, 2-D as a matrix, n-D one 2-D slice at a time. */
export function ArrayGrid({
  shape,
  values,
  dtype,
}: {
  shape: readonly number[]
  values: readonly unknown[]
  dtype: string
}) {
  const lead = Math.max(0, shape.length - 2)
  const [fixed, setFixed] = useState<number[]>(() => new Array<number>(lead).fill(0))
  const oneD = shape.length <= 1
  const rows = oneD ? (shape[0] ?? 1) : (shape[lead] as number)
  const cols = oneD ? 1 : (shape[lead + 1] as number)
  const offset = oneD ? 0 : sliceOffset(shape, fixed)
  const shownRows = Math.min(rows, MAX_ROWS)
  const shownCols = Math.min(cols, MAX_COLS)
  const cell = (r: number, c: number) => {
    const v = values[offset + r * cols + c]
    if (v === null || (typeof v === 'number' && Number.isNaN(v)))
      return <span className="missing">{missingText(dtype)}</span>
    if (v === undefined) return <span className="muted">…</span>
    return <VisibleText text={formatCell(v)} />
  }
  return (
    <div className="array-grid">
      <p className="muted small">
        {dtype} array, shape ({shape.join(', ')}
        {shape.length === 1 ? ',' : ''})
        {(rows > shownRows || cols > shownCols) &&
          ` — showing the first ${shownRows} × ${shownCols}`}
      </p>
      {Array.from({ length: lead }, (_, d) => (
        <label key={d} className="slice-slider">
          dim {d} = {fixed[d] ?? 0}
          <input
            type="range"
            min={0}
            max={(shape[d] as number) - 1}
            value={fixed[d] ?? 0}
            aria-label={`dim ${d} index`}
            onChange={(e) => {
              const next = [...fixed]
              next[d] = Number(e.target.value)
              setFixed(next)
            }}
          />
        </label>
      ))}
      <div className="grid-scroll">
        <table className="data-grid" data-testid="array-grid">
          <thead>
            <tr>
              <th className="index-col" />
              {Array.from({ length: shownCols }, (_, c) => (
                <th key={c}>{oneD ? 'value' : c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: shownRows }, (_, r) => (
              <tr key={r}>
                <th className="index-col">{r}</th>
                {Array.from({ length: shownCols }, (_, c) => (
                  <td key={c} className="num">
                    {cell(r, c)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
