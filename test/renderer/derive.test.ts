import { describe, expect, it, vi } from 'vitest'
import { createDeriver, filterAndCount } from '../../renderer/src/state/derive'
import {
  NO_FILTERS,
  UNREADABLE,
  compileSearch,
  describeAge,
  facetValueKeys,
  keyFolders,
  searchWithout,
  type Filters,
} from '../../renderer/src/state/filters'
import { rowIndex } from '../../renderer/src/state/row-index'
import { DEFAULT_SORT, sortRows } from '../../renderer/src/state/sort'
import { NOW, makeRow, sampleRows } from './fake-cache'

// Counted, so the deriver's work per keystroke is asserted as work (sorts, indexings), which
// a loaded machine cannot change; how fast that work is belongs to bench/explorer.js.
vi.mock('../../renderer/src/state/sort', async (importOriginal) => {
  const sort = await importOriginal<typeof import('../../renderer/src/state/sort')>()
  return { ...sort, sortRows: vi.fn(sort.sortRows) }
})
vi.mock('../../renderer/src/state/row-index', async (importOriginal) => {
  const index = await importOriginal<typeof import('../../renderer/src/state/row-index')>()
  return { ...index, rowIndex: vi.fn(index.rowIndex) }
})

// Facets are written as object literals here for brevity; Filters holds them in a Map.
const f = ({
  facets,
  ...patch
}: Partial<Omit<Filters, 'facets'>> & { facets?: Record<string, string[]> }): Filters => ({
  ...NO_FILTERS,
  ...patch,
  facets: new Map(Object.entries(facets ?? {})),
})
const keys = (rows: { key: string }[]) => rows.map((r) => r.key)

describe('filtering', () => {
  const rows = sortRows(sampleRows(), DEFAULT_SORT)

  it('searches keys and metadata values, all words, any case', () => {
    expect(keys(filterAndCount(rows, f({ text: 'ARRAYS' }), NOW).rows)).toEqual([
      'arrays/grid-i4',
      'arrays/sine-f8',
    ])
    expect(keys(filterAndCount(rows, f({ text: 'series' }), NOW).rows)).toEqual(['arrays/sine-f8'])
    expect(keys(filterAndCount(rows, f({ text: 'ctrl runs' }), NOW).rows)).toEqual([
      'runs/2022/config',
    ])
    expect(keys(filterAndCount(rows, f({ text: 'stations' }), NOW).rows)).toEqual(['stations.csv'])
  })

  it('filters by serializer, including the unreadable rows', () => {
    expect(keys(filterAndCount(rows, f({ serializers: ['pandas.csv'] }), NOW).rows)).toEqual([
      'obs/hourly-2021.csv',
      'stations.csv',
    ])
    expect(keys(filterAndCount(rows, f({ serializers: [UNREADABLE] }), NOW).rows)).toEqual([
      'broken/thing',
    ])
  })

  it('filters by age: older than 30 days leaves rows without a time out', () => {
    const view = filterAndCount(rows, f({ age: { olderThanDays: 30 } }), NOW)
    expect(keys(view.rows)).toEqual(['runs/old/notes', 'runs/old/scratch'])
    expect(describeAge({ olderThanDays: 30 })).toBe('older than 30 days')
  })

  it('filters by metadata facets: OR within a field, AND across fields; list elements count', () => {
    expect(
      keys(filterAndCount(rows, f({ facets: { experiment: ['old', 'hist'] } }), NOW).rows),
    ).toEqual(['arrays/sine-f8', 'runs/old/notes', 'runs/old/scratch'])
    expect(
      keys(filterAndCount(rows, f({ facets: { experiment: ['ctrl'], kind: ['grid'] } }), NOW).rows),
    ).toEqual(['arrays/grid-i4'])
    expect(keys(filterAndCount(rows, f({ facets: { tags: ['stations'] } }), NOW).rows)).toEqual([
      'stations.csv',
    ])
    expect(keys(filterAndCount(rows, f({ facets: { member: ['3'] } }), NOW).rows)).toEqual([
      'stations.csv',
    ])
  })

  it('filters by folder prefix', () => {
    expect(keys(filterAndCount(rows, f({ prefix: 'runs/old/' }), NOW).rows)).toEqual([
      'runs/old/notes',
      'runs/old/scratch',
    ])
  })

  it('totals the count and bytes shown', () => {
    const view = filterAndCount(rows, f({ prefix: 'arrays/' }), NOW)
    expect(view.rows.length).toBe(2)
    expect(view.bytes).toBe(2100)
    expect(view.total).toBe(8)
  })
})

describe('facet counts', () => {
  const rows = sortRows(sampleRows(), DEFAULT_SORT)

  it('counts every value over all rows when nothing is filtered', () => {
    const view = filterAndCount(rows, NO_FILTERS, NOW)
    expect(view.serializers).toEqual([
      { value: 'joblib', count: 5 },
      { value: 'pandas.csv', count: 2 },
      { value: UNREADABLE, count: 1 },
    ])
    const experiment = view.fields.find((x) => x.field === 'experiment')
    expect(experiment?.values).toEqual([
      { value: 'ctrl', count: 3 },
      { value: 'old', count: 2 },
      { value: 'hist', count: 1 },
      { value: 'obs', count: 1 },
    ])
    expect(view.folders.get('runs/')).toBe(3)
    expect(view.folders.get('runs/old/')).toBe(2)
    expect(view.ages.find((a) => describeAge(a.age) === 'older than 30 days')?.count).toBe(2)
    expect(view.ages.find((a) => describeAge(a.age) === 'last 7 days')?.count).toBe(5)
  })

  it('counts a facet over the rows the other filters pass, so a picked value keeps its alternatives', () => {
    const view = filterAndCount(
      rows,
      f({ facets: { experiment: ['old'] }, serializers: ['joblib'] }),
      NOW,
    )
    expect(keys(view.rows)).toEqual(['runs/old/notes', 'runs/old/scratch'])
    // experiment counts ignore the experiment filter but honour the serializer one
    expect(view.fields.find((x) => x.field === 'experiment')?.values).toEqual([
      { value: 'ctrl', count: 2 },
      { value: 'old', count: 2 },
      { value: 'hist', count: 1 },
    ])
    // serializer counts ignore the serializer filter but honour experiment=old
    expect(view.serializers).toEqual([{ value: 'joblib', count: 2 }])
    // other fields count only the rows shown
    expect(view.fields.find((x) => x.field === 'kind')).toBeUndefined()
  })

  it('counts folders, and "All keys", over the rows every other filter passes', () => {
    const count = (patch: Partial<Filters>) => {
      const view = filterAndCount(rows, f(patch), NOW)
      return { anyFolder: view.anyFolder, folders: Object.fromEntries(view.folders) }
    }
    expect(count({})).toMatchObject({ anyFolder: 8, folders: { 'runs/': 3, 'arrays/': 2 } })
    // the folder itself does not narrow its own counts
    expect(count({ prefix: 'runs/old/' })).toEqual(count({}))
    expect(count({ text: 'old', prefix: 'arrays/' })).toEqual({
      anyFolder: 2,
      folders: { 'runs/': 2, 'runs/old/': 2 },
    })
    expect(count({ serializers: ['pandas.csv'] })).toEqual({
      anyFolder: 2,
      folders: { 'obs/': 1 },
    })
    expect(count({ age: { olderThanDays: 30 }, prefix: 'arrays/' })).toEqual({
      anyFolder: 2,
      folders: { 'runs/': 2, 'runs/old/': 2 },
    })
    expect(count({ facets: { experiment: ['ctrl'] }, prefix: 'runs/' })).toEqual({
      anyFolder: 3,
      folders: { 'arrays/': 1, 'runs/': 1, 'runs/2022/': 1 },
    })
  })

  it('keeps a picked value listed even when nothing matches it', () => {
    const view = filterAndCount(
      rows,
      f({ text: 'stations', facets: { experiment: ['hist'] } }),
      NOW,
    )
    expect(view.rows).toEqual([])
    expect(view.fields.find((x) => x.field === 'experiment')?.values).toContainEqual({
      value: 'hist',
      count: 0,
    })
  })
})

describe('helpers', () => {
  it('facet values of lists, scalars and objects', () => {
    expect(facetValueKeys(['a', 1])).toEqual(['a', '1'])
    expect(facetValueKeys(true)).toEqual(['true'])
    expect(facetValueKeys(null)).toEqual(['null'])
    expect(facetValueKeys({ a: 1 })).toEqual(['{"a":1}'])
    expect(facetValueKeys(undefined)).toEqual([])
  })

  it('folders of a key', () => {
    expect(keyFolders('a/b/c')).toEqual(['a/', 'a/b/'])
    expect(keyFolders('top')).toEqual([])
  })
})

describe('memoised deriver at 100,000 rows', () => {
  const big = Array.from({ length: 100_000 }, (_, i) =>
    makeRow(`runs/${String(i % 100).padStart(3, '0')}/member-${i}`, {
      serializer: i % 3 === 0 ? 'pandas.csv' : 'joblib',
      bytes: i,
      createdMs: NOW - (i % 200) * 86_400_000,
      metadata: { experiment: ['ctrl', 'hist', 'old'][i % 3], member: i % 10 },
    }),
  )

  it('returns the same view for the same inputs and does not re-sort for a new search', () => {
    vi.mocked(sortRows).mockClear()
    vi.mocked(rowIndex).mockClear()
    const derive = createDeriver()
    const sort = { column: 'bytes' as const, desc: true }
    const a = derive(big, sort, NO_FILTERS, NOW)
    expect(derive(big, sort, NO_FILTERS, NOW)).toBe(a)
    expect(a.rows[0]?.bytes).toBe(99_999)
    for (const text of ['m', 'me', 'mem', 'memb', 'member-9', 'member-99']) {
      derive(big, sort, { ...NO_FILTERS, text }, NOW)
    }
    const narrowed = derive(big, sort, { ...NO_FILTERS, text: 'member-99999' }, NOW)
    expect(keys(narrowed.rows)).toEqual(['runs/099/member-99999'])
    // Seven searches, one sort and one indexing of the 100,000 rows: typing only filters.
    expect(vi.mocked(sortRows)).toHaveBeenCalledTimes(1)
    expect(vi.mocked(rowIndex)).toHaveBeenCalledTimes(100_000)
    derive(big, { column: 'bytes', desc: false }, NO_FILTERS, NOW)
    expect(vi.mocked(sortRows)).toHaveBeenCalledTimes(2)
  })

  it('counts facets over 100k rows', () => {
    const view = createDeriver()(
      big,
      DEFAULT_SORT,
      { ...NO_FILTERS, age: { olderThanDays: 90 } },
      NOW,
    )
    expect(view.rows.length).toBe(54_500)
    expect(
      view.fields
        .find((x) => x.field === 'experiment')
        ?.values.map((v) => v.value)
        .sort(),
    ).toEqual(['ctrl', 'hist', 'old'])
  })
})

describe('the filter language in the search box, the date picker and the size range', () => {
  const DAY = 86_400_000
  const rows = sortRows(
    [...sampleRows(), makeRow('ancient/run', { bytes: 5000, createdMs: NOW - 400 * DAY })],
    DEFAULT_SORT,
  )
  const shown = (patch: Partial<Omit<Filters, 'facets'>>) =>
    keys(filterAndCount(rows, f(patch), NOW).rows).sort()

  it('filters by the clauses xpersist prune reads, with words, all at once', () => {
    expect(shown({ text: 'created<2024-03-01' })).toEqual(['ancient/run', 'runs/old/notes'])
    expect(shown({ text: 'created>=2024-04' })).toEqual(
      shown({}).filter((k) => !['ancient/run', 'runs/old/notes', 'broken/thing'].includes(k)),
    )
    expect(shown({ text: 'age>365d' })).toEqual(['ancient/run'])
    expect(shown({ text: 'age>30d age<100d' })).toEqual(['runs/old/scratch'])
    expect(shown({ text: 'size>1KB' })).toEqual([
      'ancient/run',
      'arrays/grid-i4',
      'obs/hourly-2021.csv',
    ])
    expect(shown({ text: 'serializer:pandas.csv ctrl' })).toEqual(['stations.csv'])
    expect(shown({ text: 'prefix:runs/ experiment=old' })).toEqual([
      'runs/old/notes',
      'runs/old/scratch',
    ])
    // list elements count as values, as the facets count them
    expect(shown({ text: 'tags=stations' })).toEqual(['stations.csv'])
    // a quoted operator is a word
    expect(shown({ text: '"a<b"' })).toEqual([])
  })

  it('matches no row, and counts nothing, while the search has a syntax error', () => {
    for (const text of ['size>100', 'age>6m', 'created<2024-13', 'experiment="open', 'size:1MB']) {
      const view = filterAndCount(rows, f({ text }), NOW)
      expect(view.rows, text).toEqual([])
      expect(view.bytes).toBe(0)
      expect(view.serializers).toEqual([])
      expect(compileSearch(text).error, text).toMatch(/not a valid filter|no closing/)
    }
    expect(compileSearch('size>100').error).toContain("add a unit, e.g. '100MB'")
    expect(compileSearch('plain words').error).toBeNull()
  })

  it('the date picker keeps [after, before) in UTC days; rows without a time never pass', () => {
    expect(shown({ createdAfter: '2024-04-17' })).toEqual(
      shown({}).filter((k) => !['ancient/run', 'runs/old/notes', 'broken/thing'].includes(k)),
    )
    expect(shown({ createdBefore: '2024-04-18' })).toEqual([
      'ancient/run',
      'runs/old/notes',
      'runs/old/scratch',
    ])
    expect(shown({ createdAfter: '2024-02-01', createdBefore: '2024-04-18' })).toEqual([
      'runs/old/notes',
      'runs/old/scratch',
    ])
    // the same as the language's created>= and created<
    expect(shown({ createdAfter: '2024-02-01', createdBefore: '2024-04-18' })).toEqual(
      shown({ text: 'created>=2024-02-01 created<2024-04-18' }),
    )
  })

  it('the size range is inclusive at both ends', () => {
    expect(shown({ minSize: '1200B' })).toEqual([
      'ancient/run',
      'arrays/grid-i4',
      'obs/hourly-2021.csv',
    ])
    expect(shown({ maxSize: '80B' })).toEqual([
      'broken/thing',
      'runs/old/notes',
      'runs/old/scratch',
    ])
    expect(shown({ minSize: '250B', maxSize: '1KB' })).toEqual([
      'arrays/sine-f8',
      'runs/2022/config',
      'stations.csv',
    ])
  })

  it('ages reach "older than 1 year", and every filter combines with the facets', () => {
    const view = filterAndCount(rows, NO_FILTERS, NOW)
    expect(view.ages.map((a) => [describeAge(a.age), a.count])).toEqual([
      ['last 24 hours', 5],
      ['last 7 days', 5],
      ['older than 7 days', 3],
      ['older than 30 days', 3],
      ['older than 90 days', 2],
      ['older than 180 days', 1],
      ['older than 1 year', 1],
    ])
    const combined = filterAndCount(
      rows,
      f({
        age: { olderThanDays: 30 },
        text: 'size<1KB runs',
        createdAfter: '2024-01-01',
        facets: { experiment: ['old'] },
        serializers: ['joblib'],
      }),
      NOW,
    )
    expect(keys(combined.rows)).toEqual(['runs/old/notes', 'runs/old/scratch'])
    // the age facet counts over what every other filter passes, the date picker included
    expect(combined.ages.find((a) => describeAge(a.age) === 'older than 1 year')?.count).toBe(0)
    expect(combined.ages.find((a) => describeAge(a.age) === 'older than 90 days')?.count).toBe(1)
  })

  it('a chip takes its clause, or the words, out of the search text', () => {
    const text = 'ctrl age>30d "my words" experiment="a b"'
    expect(searchWithout(text, 'age>30d')).toBe('ctrl "my words" experiment="a b"')
    expect(searchWithout(text, 'experiment="a b"')).toBe('ctrl age>30d "my words"')
    expect(searchWithout(text, 'words')).toBe('age>30d experiment="a b"')
  })

  it('a clause in the search filters 100,000 rows without sorting them again', () => {
    const derive = createDeriver()
    vi.mocked(sortRows).mockClear()
    const big = Array.from({ length: 100_000 }, (_, i) =>
      makeRow(`k-${i}`, { bytes: i, createdMs: NOW - (i % 500) * DAY }),
    )
    for (const text of ['s', 'si', 'siz', 'size', 'size>', 'size>9', 'size>99990B'])
      derive(big, DEFAULT_SORT, { ...NO_FILTERS, text }, NOW)
    const view = derive(big, DEFAULT_SORT, { ...NO_FILTERS, text: 'size>99990B age>365d' }, NOW)
    expect(view.rows.every((r) => r.bytes > 99_990 && r.createdMs! < NOW - 365 * DAY)).toBe(true)
    expect(view.rows.length).toBe(9)
    expect(vi.mocked(sortRows)).toHaveBeenCalledTimes(1)
  })
})
