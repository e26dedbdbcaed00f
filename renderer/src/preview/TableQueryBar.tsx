import { useState } from 'react'
import type { TableFilterInput, ViewQuery } from '../state/table-view-store'
import { isPlain } from '../state/table-view-store'
import { VisibleText } from '../ui/VisibleText'
import { isNumericType } from './cell-text'

type Op = TableFilterInput['op']

const OP_LABELS: Record<Op, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  le: '≤',
  gt: '>',
  ge: '≥',
  contains: 'contains',
  isNull: 'is missing',
  notNull: 'is not missing',
}

/** The conditions a column of this type offers (contains only on text). */
export function opsFor(type: string): Op[] {
  if (type === 'bool') return ['eq', 'ne', 'isNull', 'notNull']
  const ordered: Op[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'isNull', 'notNull']
  return isNumericType(type) || /date|time/.test(type) ? ordered : [...ordered, 'contains']
}

/** The filter's value read in the column's type; null when it does not read. */
export function typedValue(type: string, text: string): TableFilterInput['value'] | undefined {
  if (type === 'bool') return text !== 'False'
  if (/^(u?int)/i.test(type)) {
    const t = text.trim()
    if (!/^-?\d+$/.test(t)) return undefined
    // Beyond 2^53 the text is sent as it is, so the engine compares it exactly.
    return Number.isSafeInteger(Number(t)) ? Number(t) : t
  }
  if (isNumericType(type)) {
    const n = Number(text.trim())
    return text.trim() === '' || !Number.isFinite(n) ? undefined : n
  }
  return text
}

/** A filter as a chip reads: `flow_m3s > 10`. */
export function filterLabel(f: TableFilterInput): string {
  if (f.op === 'isNull' || f.op === 'notNull') return `${f.column} ${OP_LABELS[f.op]}`
  const v = typeof f.value === 'boolean' ? (f.value ? 'True' : 'False') : String(f.value)
  return `${f.column} ${OP_LABELS[f.op]} ${v}`
}

/** Search, per-column filters, group-count and export over the whole table. */
export function TableQueryBar({
  columns,
  query,
  busy,
  onSearch,
  onAddFilter,
  onRemoveFilter,
  onGroupBy,
  onClear,
  onExport,
}: {
  columns: { name: string; type: string }[]
  query: ViewQuery
  busy: boolean
  onSearch(text: string): void
  onAddFilter(f: TableFilterInput): void
  onRemoveFilter(i: number): void
  onGroupBy(column: string | null): void
  onClear(): void
  onExport(format: 'csv' | 'parquet'): void
}) {
  const [search, setSearch] = useState(query.search)
  const [column, setColumn] = useState(columns[0]?.name ?? '')
  const type = columns.find((c) => c.name === column)?.type ?? 'string'
  const ops = opsFor(type)
  const [op, setOp] = useState<Op>('eq')
  const [value, setValue] = useState('')
  const [invalid, setInvalid] = useState<string | null>(null)
  const effectiveOp = ops.includes(op) ? op : 'eq'
  const needsValue = effectiveOp !== 'isNull' && effectiveOp !== 'notNull'

  const add = () => {
    const v = needsValue ? typedValue(type, value) : null
    if (v === undefined) {
      setInvalid(`${column} holds ${type} values: "${value}" is not one.`)
      return
    }
    setInvalid(null)
    onAddFilter({ column, op: effectiveOp, value: v })
    setValue('')
  }

  return (
    <div className="table-query-bar" role="group" aria-label="Sort, filter and export">
      <form
        className="query-row"
        onSubmit={(e) => {
          e.preventDefault()
          onSearch(search)
        }}
      >
        <input
          type="search"
          aria-label="Search all columns"
          placeholder="Search all columns…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          Search
        </button>
        <span className="sep" />
        <select
          aria-label="Filter column"
          value={column}
          onChange={(e) => setColumn(e.target.value)}
        >
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          aria-label="Condition"
          value={effectiveOp}
          onChange={(e) => setOp(e.target.value as Op)}
        >
          {ops.map((o) => (
            <option key={o} value={o}>
              {OP_LABELS[o]}
            </option>
          ))}
        </select>
        {needsValue &&
          (type === 'bool' ? (
            <select
              aria-label="Filter value"
              value={value || 'True'}
              onChange={(e) => setValue(e.target.value)}
            >
              <option value="True">True</option>
              <option value="False">False</option>
            </select>
          ) : (
            <input
              aria-label="Filter value"
              inputMode={isNumericType(type) ? 'decimal' : undefined}
              placeholder={
                isNumericType(type) ? 'number' : /date|time/.test(type) ? 'YYYY-MM-DD' : 'text'
              }
              value={value}
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault()
                  add()
                }
              }}
            />
          ))}
        <button type="button" onClick={add} disabled={busy || column === ''}>
          Add filter
        </button>
        <span className="sep" />
        <label className="group-by">
          Count by{' '}
          <select
            aria-label="Count rows by"
            value={query.groupBy ?? ''}
            onChange={(e) => onGroupBy(e.target.value === '' ? null : e.target.value)}
          >
            <option value="">(rows)</option>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => onExport('csv')} disabled={busy}>
          Export CSV
        </button>
        <button type="button" onClick={() => onExport('parquet')} disabled={busy}>
          Export Parquet
        </button>
      </form>
      {invalid && (
        <p className="field-error" role="alert">
          {invalid}
        </p>
      )}
      {(query.filters.length > 0 || !isPlain(query)) && (
        <div className="chips" aria-label="Filters">
          {query.filters.map((f, i) => (
            <span key={i} className="chip">
              <VisibleText text={filterLabel(f)} />
              <button
                type="button"
                aria-label={`Remove filter ${filterLabel(f)}`}
                onClick={() => onRemoveFilter(i)}
              >
                ×
              </button>
            </span>
          ))}
          <button
            type="button"
            className="link"
            onClick={() => {
              setSearch('')
              onClear()
            }}
          >
            Clear sort, filters and search
          </button>
        </div>
      )}
    </div>
  )
}
