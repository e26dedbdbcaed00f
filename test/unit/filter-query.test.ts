// The filter language shared by the search box and `xpersist prune`: durations, dates, sizes,
// tokens, what each matches, and errors that name the token and show a valid one.
import { describe, expect, test } from 'vitest'
import {
  clauseMatches,
  FilterSyntaxError,
  parseFilterQuery,
  parseFilterToken,
  type FilterSubject,
} from '../../shared/filter-query.js'
import { parseDateRange, parseDuration, parseSize } from '../../shared/filter-units.js'
import { prng } from '../helpers/prng.js'

const DAY = 86_400_000
const utc = (s: string) => Date.parse(`${s}Z`)

function subject(over: Partial<FilterSubject> = {}): FilterSubject {
  return {
    key: 'k',
    serializer: 'joblib',
    createdMs: utc('2025-06-15T00:00:00'),
    bytes: 10,
    metadata: {},
    ...over,
  }
}

describe('units', () => {
  test('durations: h d w y, whole numbers; months and minutes refused', () => {
    expect(parseDuration('365d')).toBe(365 * DAY)
    expect(parseDuration('12w')).toBe(84 * DAY)
    expect(parseDuration('24h')).toBe(DAY)
    expect(parseDuration('2y')).toBe(730 * DAY)
    expect(parseDuration('0d')).toBe(0)
    for (const bad of ['6m', '1.5d', '10', 'd', '-1d', '1 d', '99999999d', ''])
      expect(parseDuration(bad)).toBeNull()
  })

  test('dates: a year, month, day, minute or second as a half-open UTC range', () => {
    expect(parseDateRange('2025')).toEqual({
      start: utc('2025-01-01T00:00:00'),
      end: utc('2026-01-01T00:00:00'),
    })
    expect(parseDateRange('2025-12')).toEqual({
      start: utc('2025-12-01T00:00:00'),
      end: utc('2026-01-01T00:00:00'),
    })
    expect(parseDateRange('2024-02-29')).toEqual({
      start: utc('2024-02-29T00:00:00'),
      end: utc('2024-03-01T00:00:00'),
    })
    expect(parseDateRange('2025-06-01T12:30')?.end).toBe(utc('2025-06-01T12:31:00'))
    expect(parseDateRange('2025-06-01T12:30:15Z')?.start).toBe(utc('2025-06-01T12:30:15'))
    for (const bad of [
      '2025-13',
      '2025-00',
      '2025-02-29',
      '2025-04-31',
      '0099',
      '25-06',
      '2025/06',
      '2025-06-01T24:00',
      'x',
    ])
      expect(parseDateRange(bad)).toBeNull()
  })

  test('sizes: decimal B..TB, binary KiB..TiB, exact in whole bytes', () => {
    expect(parseSize('100MB')).toBe(100_000_000)
    expect(parseSize('1.1MB')).toBe(1_100_000)
    expect(parseSize('1kb')).toBe(1000)
    expect(parseSize('1 KiB')).toBe(1024)
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30)
    expect(parseSize('0B')).toBe(0)
    expect(parseSize('50TB')).toBe(50e12)
    for (const bad of ['100', '5M', '1PB', 'MB', '-1MB', '1e3MB', '999999999999999TiB'])
      expect(parseSize(bad)).toBeNull()
  })
})

describe('tokens', () => {
  test('created: < before the start, >= from the start, <= through the end, > after the end, = within', () => {
    const at = (iso: string, token: string) =>
      clauseMatches(parseFilterToken(token), subject({ createdMs: utc(iso) }), 0)
    expect(at('2025-11-30T23:59:59', 'created<2025-12-01')).toBe(true)
    expect(at('2025-12-01T00:00:00', 'created<2025-12-01')).toBe(false)
    expect(at('2025-06-01T00:00:00', 'created>=2025-06')).toBe(true)
    expect(at('2025-05-31T23:59:59', 'created>=2025-06')).toBe(false)
    expect(at('2025-06-30T23:59:59', 'created<=2025-06')).toBe(true)
    expect(at('2025-07-01T00:00:00', 'created<=2025-06')).toBe(false)
    expect(at('2025-06-30T23:59:59', 'created>2025-06')).toBe(false)
    expect(at('2025-07-01T00:00:00', 'created>2025-06')).toBe(true)
    expect(at('2024-12-31T23:59:59', 'created=2024')).toBe(true)
    expect(at('2025-01-01T00:00:00', 'created=2024')).toBe(false)
  })

  test('an artifact without created_at passes no time filter, either way', () => {
    const undated = subject({ createdMs: null })
    for (const t of ['created<2100', 'created>=1970', 'age>0h', 'age<1000y'])
      expect(clauseMatches(parseFilterToken(t), undated, Date.now())).toBe(false)
  })

  test('age: > is older than, as the explorer age facet counts', () => {
    const now = utc('2025-06-15T00:00:00') + 30 * DAY
    expect(clauseMatches(parseFilterToken('age>29d'), subject(), now)).toBe(true)
    expect(clauseMatches(parseFilterToken('age>30d'), subject(), now)).toBe(false)
    expect(clauseMatches(parseFilterToken('age<=30d'), subject(), now)).toBe(true)
  })

  test('size, serializer, prefix and metadata fields', () => {
    const s = subject({
      key: 'runs/a',
      bytes: 2_000_000,
      metadata: { experiment: 'baseline', run: 3, done: true, tags: ['x', 'y'], 'my field': 'v w' },
    })
    const yes = [
      'size>1MB',
      'size<=2MB',
      'size=2MB',
      'serializer:joblib',
      'serializer:pandas.csv,joblib',
      'prefix:runs/',
      'experiment=baseline',
      'run=3',
      'done=true',
      'tags=y',
      '"my field"="v w"',
      'metadata.experiment=baseline',
    ]
    const no = [
      'size>2MB',
      'serializer:pandas.csv',
      'prefix:run/',
      'experiment=Baseline',
      'run=4',
      'missing=x',
      'constructor=x',
    ]
    for (const t of yes) expect([t, clauseMatches(parseFilterToken(t), s, 0)]).toEqual([t, true])
    for (const t of no) expect([t, clauseMatches(parseFilterToken(t), s, 0)]).toEqual([t, false])
  })

  test('a metadata field named like a reserved word is metadata.NAME', () => {
    const s = subject({ metadata: { size: 'large' } })
    expect(clauseMatches(parseFilterToken('metadata.size=large'), s, 0)).toBe(true)
    expect(() => parseFilterToken('size=large')).toThrow(/size>100MB/)
  })

  test('a query: words and clauses, quotes keep text together and literal', () => {
    const q = parseFilterQuery('Sea  created>=2025-06 "a<b" experiment="my run" http://x 12:30')
    expect(q.terms).toEqual(['sea', 'a<b', 'http://x', '12:30'])
    expect(q.clauses.map((c) => c.kind)).toEqual(['created', 'field'])
    expect(q.clauses[1]).toMatchObject({ field: 'experiment', value: 'my run' })
    expect(parseFilterQuery('')).toEqual({ terms: [], clauses: [] })
  })

  test('bad tokens: the message names the token and shows a valid example', () => {
    const cases: [string, RegExp][] = [
      ['created<2025-13', /'created<2025-13'.*created<2025-12-01/],
      ['created:2025', /'created:2025'.*created<2025-12-01/],
      ['age>6m', /'age>6m'.*months or minutes.*age>365d/],
      ['age=3d', /'age=3d'.*age>365d/],
      ['size>100', /'size>100'.*100MB/],
      ['size>5M', /'size>5M'.*5MB/],
      ['experiment<3', /'experiment<3'.*experiment=baseline/],
      ['=x', /'=x'.*no name/],
      ['experiment=', /'experiment='.*no value/],
      ['serializer:', /no value.*serializer:pandas.csv/],
      ['experiment="open', /no closing double quote/],
    ]
    for (const [token, message] of cases) {
      const err = (() => {
        try {
          parseFilterQuery(token)
        } catch (e) {
          return e
        }
        return null
      })()
      expect(err, token).toBeInstanceOf(FilterSyntaxError)
      expect((err as Error).message, token).toMatch(message)
    }
  })

  test('bounded: a query over the limits is refused before it is read', () => {
    expect(() => parseFilterQuery('a '.repeat(100))).toThrow(/over 64 parts/)
    expect(() => parseFilterQuery('x'.repeat(5000))).toThrow(/over 4096 characters/)
    expect(parseDateRange('2'.repeat(1000))).toBeNull()
  })
})

describe('fuzzed queries', () => {
  const ALPHABET = [
    'created',
    'age',
    'size',
    'serializer',
    'prefix',
    'metadata.',
    'x',
    '<',
    '<=',
    '>',
    '>=',
    '=',
    ':',
    '"',
    '\\',
    ' ',
    '2025',
    '-06',
    '-31',
    'T12:00',
    'd',
    'm',
    'MB',
    'KiB',
    '1.5',
    '0',
    '99999999999',
    ',',
    '\u202e',
    '__proto__',
  ]

  test('every random query parses or throws FilterSyntaxError naming a token, and matching never throws', () => {
    const rand = prng(10)
    for (let i = 0; i < 2000; i++) {
      let q = ''
      for (let n = 1 + rand(12); n > 0; n--) q += ALPHABET[rand(ALPHABET.length)]
      let parsed
      try {
        parsed = parseFilterQuery(q)
      } catch (err) {
        expect(err, q).toBeInstanceOf(FilterSyntaxError)
        expect(q, q).toContain((err as FilterSyntaxError).token.slice(0, 10))
        continue
      }
      const s = subject({ metadata: Object.create(null) as Record<string, unknown> })
      for (const c of parsed.clauses) expect(typeof clauseMatches(c, s, Date.now())).toBe('boolean')
    }
  })
})
