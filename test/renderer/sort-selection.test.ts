import { describe, expect, it } from 'vitest'
import { NO_FILTERS } from '../../renderer/src/state/filters'
import { createSelectionStore } from '../../renderer/src/state/selection-store'
import { nextSort, sortRows } from '../../renderer/src/state/sort'
import { createViewStore } from '../../renderer/src/state/view-store'
import { makeRow, sampleRows } from './fake-cache'

const keys = (rows: { key: string }[]) => rows.map((r) => r.key)

describe('sorting', () => {
  it('sorts keys by code unit, ascending and descending', () => {
    const rows = [makeRow('b'), makeRow('B'), makeRow('a/x'), makeRow('a')]
    expect(keys(sortRows(rows, { column: 'key', desc: false }))).toEqual(['B', 'a', 'a/x', 'b'])
    expect(keys(sortRows(rows, { column: 'key', desc: true }))).toEqual(['b', 'a/x', 'a', 'B'])
  })

  it('sorts sizes and dates numerically, missing values last either way', () => {
    const rows = sampleRows()
    const bySize = sortRows(rows, { column: 'bytes', desc: true })
    expect(bySize[0]?.key).toBe('obs/hourly-2021.csv')
    const byDate = sortRows(rows, { column: 'created', desc: false })
    expect(byDate[0]?.key).toBe('runs/old/notes')
    expect(byDate.at(-1)?.key).toBe('broken/thing')
    expect(sortRows(rows, { column: 'created', desc: true }).at(-1)?.key).toBe('broken/thing')
  })

  it('sorts a metadata column: numbers, then strings, rows without the field last', () => {
    const rows = [
      makeRow('a', { metadata: { m: 'x' } }),
      makeRow('b', { metadata: { m: 10 } }),
      makeRow('c'),
      makeRow('d', { metadata: { m: 2 } }),
    ]
    expect(keys(sortRows(rows, { column: 'meta:m', desc: false }))).toEqual(['d', 'b', 'a', 'c'])
  })

  it('a header click flips the direction of the same column; size and date start newest/biggest first', () => {
    expect(nextSort({ column: 'key', desc: false }, 'key')).toEqual({ column: 'key', desc: true })
    expect(nextSort({ column: 'key', desc: false }, 'bytes')).toEqual({
      column: 'bytes',
      desc: true,
    })
    expect(nextSort({ column: 'key', desc: false }, 'serializer')).toEqual({
      column: 'serializer',
      desc: false,
    })
  })

  it('removing the metadata column the table is sorted by goes back to key order', () => {
    const view = createViewStore(() => 0)
    view.getState().addMetaColumn('experiment')
    view.getState().sortBy('meta:experiment')
    view.getState().removeMetaColumn('experiment')
    expect(view.getState().sort).toEqual({ column: 'key', desc: false })
    expect(view.getState().metaColumns).toEqual([])
  })
})

describe('view filters', () => {
  it('toggles serializer, facet values and age ranges on and off', () => {
    const view = createViewStore(() => 0)
    const s = () => view.getState()
    s().toggleSerializer('joblib')
    s().toggleFacet('experiment', 'old')
    s().toggleFacet('experiment', 'ctrl')
    s().toggleAge({ olderThanDays: 30 })
    expect(s().filters).toMatchObject({
      serializers: ['joblib'],
      facets: new Map([['experiment', ['old', 'ctrl']]]),
      age: { olderThanDays: 30 },
    })
    s().toggleFacet('experiment', 'old')
    s().toggleFacet('experiment', 'ctrl')
    s().toggleAge({ olderThanDays: 30 })
    s().toggleSerializer('joblib')
    expect(s().filters).toEqual(NO_FILTERS)
  })
})

describe('selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e']

  it('a click selects one row and moves the cursor', () => {
    const sel = createSelectionStore()
    sel.getState().click('b', order)
    expect([...sel.getState().selected]).toEqual(['b'])
    expect(sel.getState().current).toBe('b')
  })

  it('shift-click selects the range from the anchor; ctrl-click toggles one row', () => {
    const sel = createSelectionStore()
    sel.getState().click('b', order)
    sel.getState().click('d', order, { shift: true })
    expect([...sel.getState().selected]).toEqual(['b', 'c', 'd'])
    sel.getState().click('a', order, { shift: true })
    expect([...sel.getState().selected]).toEqual(['a', 'b'])
    sel.getState().click('e', order, { toggle: true })
    sel.getState().click('a', order, { toggle: true })
    expect([...sel.getState().selected].sort()).toEqual(['b', 'e'])
  })

  it('arrow keys move the cursor within bounds; shift+arrow extends', () => {
    const sel = createSelectionStore()
    sel.getState().move(1, order)
    expect(sel.getState().current).toBe('a')
    sel.getState().move(-1, order)
    expect(sel.getState().current).toBe('a')
    sel.getState().move(1, order, true)
    sel.getState().move(1, order, true)
    expect([...sel.getState().selected]).toEqual(['a', 'b', 'c'])
    sel.getState().move(10, order)
    expect([...sel.getState().selected]).toEqual(['e'])
  })

  it('"all matching" is a mode, dropped by retain when filters change', () => {
    const sel = createSelectionStore()
    sel.getState().click('a', order)
    sel.getState().click('c', order, { toggle: true })
    sel.getState().selectAllMatching()
    expect(sel.getState().allMatching).toBe(true)
    sel.getState().retain(new Set(['c', 'd']))
    expect(sel.getState().allMatching).toBe(false)
    expect([...sel.getState().selected]).toEqual(['c'])
    expect(sel.getState().current).toBe('c')
  })
})
